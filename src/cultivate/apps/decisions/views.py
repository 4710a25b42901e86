"""Decision pages: proposals with their live tally, stances, outcomes, and action items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cultivate.apps.accounts.models import User
from cultivate.apps.accounts.session import signed_in
from cultivate.apps.communities.permissions import check_contribute
from cultivate.apps.communities.selectors import community_get_for_user, member_choices
from cultivate.apps.communities.views import community_context
from cultivate.apps.webutils import add_service_errors, paginate, safe_next

from . import actions, selectors, services
from .forms import ActionFilterForm, ActionItemForm, CloseForm, ProposalForm, StanceForm
from .models import ActionItem, ActionStatus, Process, Proposal
from .permissions import (
    can_change_action_item,
    can_close_proposal,
    check_close_proposal,
    check_propose,
)

_STATUSES = {
    "": gettext_lazy("All"),
    "open": gettext_lazy("Open"),
    "closed": gettext_lazy("Decided"),
}
TALLY_REFRESH_SECONDS = 5


def proposal_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    status = request.GET.get("status", "")
    status = status if status in _STATUSES else ""
    proposals = selectors.proposals_for(request.user, community, status=status)
    return render(
        request,
        "decisions/proposal_list.html",
        community_context(request, community, "decisions")
        | {
            "page_obj": paginate(request, proposals),
            "status": status,
            "statuses": _STATUSES,
            "query_string": f"status={status}" if status else "",
            "now": timezone.now(),
        },
    )


@login_required
def proposal_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    check_propose(request.user, community)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                community=community,
                by=signed_in(request),
                title=data["title"],
                body=data["body"],
                deadline=data["deadline"],
                process=data["process"],
                options=data["options"] if data["process"] == Process.POLL else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Proposed: every member has been told."))
            return redirect(proposal)
    return render(
        request,
        "decisions/proposal_new.html",
        community_context(request, community, "decisions") | {"form": form},
    )


def _stance_form(proposal: Proposal, data: Any = None, initial: Any = None) -> StanceForm:
    options = proposal.options.all() if proposal.process == Process.POLL else None
    return StanceForm(data, initial=initial, options=options)


def proposal_detail(
    request: HttpRequest,
    slug: str,
    pk: int,
    stance_form: StanceForm | None = None,
    close_form: CloseForm | None = None,
) -> HttpResponse:
    """Show the proposal, its live tally, the visitor's stance, the outcome and the action items."""
    community = community_get_for_user(request.user, slug)
    proposal = selectors.proposal_get_for_user(request.user, community, pk)
    context = community_context(request, community, "decisions")
    mine = selectors.stance_of(request.user, proposal)
    is_open = not proposal.is_closed and not proposal.is_past_deadline()
    initial = (
        {"stance": mine.stance, "option": mine.option_id, "reason": mine.reason} if mine else None
    )
    items = list(selectors.action_items_for(request.user, community, proposal=proposal))
    return render(
        request,
        "decisions/proposal_detail.html",
        context
        | {
            "proposal": proposal,
            "tally": selectors.proposal_tally(proposal),
            "refresh": TALLY_REFRESH_SECONDS if not proposal.is_closed else 0,
            "mine": mine,
            "is_open": is_open,
            "stance_form": stance_form or _stance_form(proposal, initial=initial),
            "can_close": not proposal.is_closed
            and can_close_proposal(request.user, community, proposal.author_id),
            "close_form": close_form or CloseForm(),
            "items": items,
            "progress": selectors.proposal_progress(proposal),
            "today": timezone.localdate(),
            "statuses": ActionStatus.choices,
            "can_change": {
                i.pk
                for i in items
                if can_change_action_item(request.user, community, i.owner_id, i.created_by_id)
            },
        },
        status=400 if stance_form is not None or close_form is not None else 200,
    )


def proposal_tally_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Return only the tally, for the page's htmx polling."""
    community = community_get_for_user(request.user, slug)
    proposal = selectors.proposal_get_for_user(request.user, community, pk)
    return render(
        request,
        "decisions/_tally.html",
        {
            "community": community,
            "proposal": proposal,
            "tally": selectors.proposal_tally(proposal),
            "refresh": TALLY_REFRESH_SECONDS if not proposal.is_closed else 0,
        },
    )


@login_required
@require_POST
def stance_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    proposal = selectors.proposal_get_for_user(request.user, community, pk)
    form = _stance_form(proposal, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.stance_take(
                proposal=proposal,
                by=signed_in(request),
                stance=data.get("stance") or "",
                option=data.get("option"),
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your stance is counted."))
            return redirect(f"{proposal.get_absolute_url()}#tally")
    return proposal_detail(request, slug, pk, stance_form=form)


def stance_history_view(request: HttpRequest, slug: str, pk: int, username: str) -> HttpResponse:
    """Show every stance one person took on the proposal, oldest first."""
    community = community_get_for_user(request.user, slug)
    proposal = selectors.proposal_get_for_user(request.user, community, pk)
    person = get_object_or_404(User, username=username)
    return render(
        request,
        "decisions/stance_history.html",
        community_context(request, community, "decisions")
        | {
            "proposal": proposal,
            "person": person,
            "changes": selectors.stance_history(proposal, person.pk),
        },
    )


@login_required
@require_POST
def proposal_close_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = community_get_for_user(request.user, slug)
    proposal = selectors.proposal_get_for_user(request.user, community, pk)
    check_close_proposal(request.user, community, proposal.author_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_close(
                proposal=proposal, by=signed_in(request), outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Closed with its outcome: every member has been told."))
            return redirect(proposal)
    return proposal_detail(request, slug, pk, close_form=form)


def action_list(request: HttpRequest, slug: str) -> HttpResponse:
    """List the community's action items, filterable by status, owner and overdue."""
    community = community_get_for_user(request.user, slug)
    filters = ActionFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    items = selectors.action_items_for(
        request.user,
        community,
        status=data.get("status", ""),
        owner=data.get("owner", "").strip(),
        overdue=bool(data.get("overdue")),
    )
    page = paginate(request, items, per_page=50)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "decisions/action_list.html",
        community_context(request, community, "decisions")
        | {
            "filters": filters,
            "page_obj": page,
            "query_string": query.urlencode(),
            "today": timezone.localdate(),
            "can_change": {
                i.pk
                for i in page
                if can_change_action_item(request.user, community, i.owner_id, i.created_by_id)
            },
            "statuses": ActionStatus.choices,
        },
    )


@login_required
def action_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Create an action item, for a decision (?proposal=<id>) or on its own."""
    community = community_get_for_user(request.user, slug)
    check_contribute(request.user, community)
    proposal: Proposal | None = None
    raw = request.POST.get("proposal") or request.GET.get("proposal") or ""
    if raw:
        if not raw.isdigit():
            raise Http404(_("No such proposal."))
        proposal = selectors.proposal_get_for_user(request.user, community, int(raw))
    form = ActionItemForm(
        request.POST or None, members=member_choices(community), initial={"owner": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = actions.action_item_create(
                community=community,
                by=signed_in(request),
                title=data["title"],
                owner=data["owner"],
                due=data["due"],
                proposal=proposal,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Action item created for %(name)s.") % {"name": item.owner.name}
            )
            return redirect(proposal or item)
    return render(
        request,
        "decisions/action_new.html",
        community_context(request, community, "decisions") | {"form": form, "proposal": proposal},
    )


def _item(request: HttpRequest, slug: str, pk: int) -> ActionItem:
    item = selectors.action_item_get_for_user(request.user, pk)
    if item.community.slug != slug:
        raise Http404(_("No such action item."))
    return item


@login_required
@require_POST
def action_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Move an action item to open, doing or done."""
    item = _item(request, slug, pk)
    status = request.POST.get("status", "")
    try:
        actions.action_item_set_status(item=item, by=signed_in(request), status=status)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, f"{item.title}: {item.get_status_display()}.")
    return redirect(safe_next(request, item.get_absolute_url()))


@login_required
@require_POST
def action_take(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Take an action item: you become its owner."""
    item = _item(request, slug, pk)
    try:
        actions.action_item_take(item=item, by=signed_in(request))
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("You own %(title)s now.") % {"title": item.title})
    return redirect(safe_next(request, item.get_absolute_url()))
