"""Agenda pages: the timeline, topics, the prioritisation poll, scheduling, and help requests."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cultivate.apps.accounts.session import signed_in
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.selectors import community_get_for_user, member_choices
from cultivate.apps.communities.views import community_context
from cultivate.apps.sharing.models import Answer
from cultivate.apps.sharing.selectors import answer_get_for_user
from cultivate.apps.webutils import add_service_errors, paginate

from . import helping, rescheduling, selectors, services
from .forms import (
    ContributionForm,
    HelpRequestForm,
    PrioritiseForm,
    PromoteForm,
    RescheduleForm,
    ScheduleForm,
    TopicForm,
)
from .models import HelpContribution, Topic
from .permissions import (
    can_accept_contribution,
    can_contribute_help,
    can_promote_to_practice,
    can_steer_agenda,
    can_thank_contribution,
    check_promote_to_practice,
    check_propose_topic,
    check_request_help,
    check_steer_agenda,
)
from .timeline import BUCKET_LABELS, STATUS_LABELS, Bucket

_HELP_STATUSES = {
    "": gettext_lazy("All"),
    "open": gettext_lazy("Open"),
    "closed": gettext_lazy("Closed"),
}


def _candidates(community: Community) -> QuerySet[Topic]:
    return Topic.objects.filter(community=community, scheduled_at__isnull=True).order_by(
        "created_at", "id"
    )


def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    """Show ranked candidate topics and the timeline: this month, next, later, delivered, late."""
    community = community_get_for_user(request.user, slug)
    found = selectors.agenda_for(request.user, community)
    columns = [(bucket, BUCKET_LABELS[bucket], found.timeline[bucket]) for bucket in Bucket]
    return render(
        request,
        "agenda/agenda.html",
        community_context(request, community, "agenda")
        | {
            "agenda": found,
            "columns": columns,
            "has_topics": bool(found.candidates) or any(entries for _b, _l, entries in columns),
            "status_labels": STATUS_LABELS,
            "can_steer": can_steer_agenda(request.user, community),
        },
    )


@login_required
def topic_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    check_propose_topic(request.user, community)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_propose(
                community=community, by=signed_in(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Topic proposed: it joins the candidates on the agenda."))
            return redirect(topic)
    return render(
        request,
        "agenda/topic_new.html",
        community_context(request, community, "agenda") | {"form": form},
    )


def topic_detail(
    request: HttpRequest,
    slug: str,
    pk: int,
    form: ScheduleForm | None = None,
    reschedule_form: RescheduleForm | None = None,
) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    topic = selectors.topic_get_for_user(request.user, community, pk)
    status = selectors.status_of(topic)
    can_steer = can_steer_agenda(request.user, community)
    if form is None and can_steer and not topic.is_scheduled:
        form = ScheduleForm(members=member_choices(community), initial={"owner": topic.author_id})
    delivered = selectors.published_on(topic.document) is not None
    if reschedule_form is None and can_steer and topic.is_scheduled and not delivered:
        reschedule_form = RescheduleForm(
            members=member_choices(community),
            initial={
                "owner": topic.owner_id,
                "starts_on": topic.starts_on,
                "ends_on": topic.ends_on,
            },
        )
    return render(
        request,
        "agenda/topic_detail.html",
        community_context(request, community, "agenda")
        | {
            "topic": topic,
            "status": status,
            "status_label": STATUS_LABELS[status],
            "rank": selectors.topic_ranking(community).get(topic.pk),
            "schedule_form": form,
            "reschedule_form": reschedule_form,
        },
        status=400 if any(f is not None and f.is_bound for f in (form, reschedule_form)) else 200,
    )


@login_required
@require_POST
def topic_reschedule_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    topic = selectors.topic_get_for_user(request.user, community, pk)
    check_steer_agenda(request.user, community)
    form = RescheduleForm(request.POST, members=member_choices(community))
    if form.is_valid():
        try:
            rescheduling.topic_reschedule(topic=topic, by=signed_in(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Moved: the owner is told, the deliverable's date follows.")
            )
            return redirect(topic)
    return topic_detail(request, slug, pk, reschedule_form=form)


@login_required
@require_POST
def topic_schedule(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    topic = selectors.topic_get_for_user(request.user, community, pk)
    check_steer_agenda(request.user, community)
    form = ScheduleForm(request.POST, members=member_choices(community))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.topic_schedule(
                topic=topic,
                by=signed_in(request),
                owner=data["owner"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                deliverable_title=data["deliverable_title"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Scheduled: the deliverable's draft is started."))
            return redirect(topic)
    return topic_detail(request, slug, pk, form=form)


@login_required
def prioritise(request: HttpRequest, slug: str) -> HttpResponse:
    """Open a poll over candidate topics (coordinators); members then vote on the decision page."""
    community = community_get_for_user(request.user, slug)
    check_steer_agenda(request.user, community)
    candidates = _candidates(community)
    form = PrioritiseForm(
        request.POST or None,
        candidates=candidates,
        initial={
            "topics": list(candidates),
            "deadline": timezone.localtime() + timedelta(days=services.DEFAULT_POLL_DAYS),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            prioritisation = services.prioritisation_open(
                community=community,
                by=signed_in(request),
                topics=list(form.cleaned_data["topics"]),
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The prioritisation poll is open; members are told."))
            return redirect(prioritisation.proposal)
    return render(
        request,
        "agenda/prioritise.html",
        community_context(request, community, "agenda")
        | {"form": form, "open_poll": selectors.open_prioritisation_for(community)},
    )


# --- help requests -------------------------------------------------------------------------


def help_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    status = request.GET.get("status", "")
    status = status if status in _HELP_STATUSES else ""
    requests = selectors.help_requests_for(request.user, community, status=status)
    return render(
        request,
        "agenda/help_list.html",
        community_context(request, community, "help")
        | {
            "page_obj": paginate(request, requests),
            "status": status,
            "statuses": _HELP_STATUSES,
            "query_string": f"status={status}" if status else "",
            "today": timezone.localdate(),
        },
    )


@login_required
def help_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    check_request_help(request.user, community)
    form = HelpRequestForm(
        request.POST or None, initial={"due": timezone.localdate() + timedelta(days=7)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            help_request = helping.help_request_create(
                community=community, by=signed_in(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your request is out: the members are told."))
            return redirect(help_request)
    return render(
        request,
        "agenda/help_new.html",
        community_context(request, community, "help") | {"form": form},
    )


def help_detail(
    request: HttpRequest, slug: str, pk: int, form: ContributionForm | None = None
) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    help_request = selectors.help_request_get_for_user(request.user, community, pk)
    context = community_context(request, community, "help")
    today = timezone.localdate()
    is_requester = request.user.pk == help_request.author_id
    requester = help_request.author_id
    promotable = {
        c.pk
        for c in help_request.contributions.all()
        if can_promote_to_practice(request.user, community, {c.author_id, requester})
    }
    return render(
        request,
        "agenda/help_detail.html",
        context
        | {
            "help_request": help_request,
            "is_open": help_request.is_open(today),
            "due_text": helping.day_text(help_request.due),
            "is_requester": is_requester,
            "can_accept": can_accept_contribution(request.user, community, requester),
            "can_thank": can_thank_contribution(request.user, community, requester),
            "can_contribute": can_contribute_help(request.user, community, requester),
            "promotable": promotable,
            "contribution_form": form or ContributionForm(),
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_POST
def help_contribute(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    help_request = selectors.help_request_get_for_user(request.user, community, pk)
    form = ContributionForm(request.POST)
    if form.is_valid():
        try:
            contribution = helping.help_contribute(
                request=help_request, by=signed_in(request), body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(contribution.get_absolute_url())
    return help_detail(request, slug, pk, form=form)


def _contribution(request: HttpRequest, pk: int) -> HelpContribution:
    return selectors.contribution_get_for_user(request.user, pk)


@login_required
@require_POST
def contribution_thank(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _contribution(request, pk)
    try:
        helping.contribution_thank(contribution=contribution, by=signed_in(request))
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is thanked.") % {"name": contribution.author.name})
    return redirect(contribution.get_absolute_url())


@login_required
@require_POST
def contribution_accept(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _contribution(request, pk)
    try:
        helping.contribution_accept(contribution=contribution, by=signed_in(request))
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("Contribution accepted."))
    return redirect(contribution.get_absolute_url())


def _promote(
    request: HttpRequest,
    *,
    community: Community,
    source: HelpContribution | Answer,
    back: str,
    people: set[int],
) -> HttpResponse:
    """Show and handle the form that turns a contribution or an answer into a section."""
    check_promote_to_practice(request.user, community, people)
    form = PromoteForm(request.POST or None, documents=selectors.promotion_targets(community))
    if request.method == "POST" and form.is_valid():
        try:
            promotion = helping.promote_to_practice(
                source=source,
                document=form.cleaned_data["document"],
                by=signed_in(request),
                heading=form.cleaned_data["heading"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Added as a section of %(title)s.") % {"title": promotion.document.title}
            )
            return redirect(promotion.document.get_absolute_url())
    return render(
        request,
        "agenda/promote.html",
        community_context(request, community, "help")
        | {"form": form, "source": source, "back": back},
    )


@login_required
def contribution_promote(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _contribution(request, pk)
    return _promote(
        request,
        community=contribution.community,
        source=contribution,
        back=contribution.get_absolute_url(),
        people={contribution.author_id, contribution.request.author_id},
    )


@login_required
def answer_promote(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a Q&A answer into a section of a best practice, crediting whoever wrote it."""
    answer = answer_get_for_user(request.user, pk)
    return _promote(
        request,
        community=answer.community,
        source=answer,
        back=answer.get_absolute_url(),
        people={answer.author_id, answer.question.author_id},
    )
