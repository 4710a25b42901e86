"""Writes for help requests: ask for input by a date, contribute, thank, accept, promote, close.

A request is open through its due date and closed after it; contributions after it are refused
naming the date, and a daily job tells each requester that their request closed, with a summary.
Each service checks permission, writes inside one transaction and records one Activity.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cultivate.apps.communities.models import Community, Membership, MembershipState
from cultivate.apps.notifications import phrases
from cultivate.apps.notifications.effects import Tell, act_done
from cultivate.apps.notifications.models import Kind
from cultivate.apps.notifications.phrases import Phrase, phrase
from cultivate.apps.notifications.services import notify
from cultivate.apps.practices.models import Document
from cultivate.apps.practices.services import section_add
from cultivate.apps.sharing.models import Answer
from cultivate.apps.validation import raise_if, require
from cultivate.core.activity import Verb
from cultivate.core.markup import render_markdown

from .models import HelpContribution, HelpRequest, Promotion
from .permissions import (
    check_accept_contribution,
    check_contribute_help,
    check_promote_to_practice,
    check_request_help,
    check_thank_contribution,
)

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

MAX_WAIT_DAYS = 366
"""How far ahead a help request's due date may be."""


def day_text(day: date) -> str:
    """Return a date as messages say it: '3 Mar 2025'."""
    return dateformat.format(day, "j M Y")


def _active_member_ids(community: Community) -> list[int]:
    return list(
        Membership.objects.filter(community=community, state=MembershipState.ACTIVE).values_list(
            "user_id", flat=True
        )
    )


def help_request_create(
    *,
    community: Community,
    by: User,
    title: str,
    body: str,
    due: date,
    at: datetime | None = None,
) -> HelpRequest:
    """Ask the community for input on a piece of work by a date; every member is told."""
    check_request_help(by, community)
    now = at or timezone.now()
    today = timezone.localdate(now)
    errors: dict[str, str] = {}
    title = require(errors, "title", title, _("what you need input on"), 200)
    body = require(errors, "body", body, _("the piece of work you need help with"), 100_000)
    if due is None:
        errors["due"] = _("Say by which date you need the input.")
    elif due < today:
        errors["due"] = _(
            "The date %(day_text)s is in the past; choose today (%(day_text_2)s) or later."
        ) % {"day_text": day_text(due), "day_text_2": day_text(today)}
    elif due > today + timedelta(days=MAX_WAIT_DAYS):
        errors["due"] = _("Choose a date within %(max_wait_days)s days; help is wanted sooner.") % {
            "max_wait_days": MAX_WAIT_DAYS
        }
    raise_if(errors)
    with transaction.atomic():
        request = HelpRequest.objects.create(
            community=community,
            author=by,
            title=title,
            body=body,
            body_html=render_markdown(body),
            due=due,
            created_at=now,
        )
        act_done(
            verb=Verb.REQUEST,
            actor=by,
            community=community,
            obj=request,
            at=now,
            text=f"{title}\n\n{body}",
            meta={"due": due.isoformat()},
            tell=[
                Tell(
                    recipient_ids=_active_member_ids(community),
                    kind=Kind.HELP,
                    summary=phrase(
                        gettext_noop("%(name)s needs input by %(day_text)s: %(title)s"),
                        name=by.name,
                        day_text=day_text(due),
                        title=title,
                    ),
                    url=request.get_absolute_url(),
                )
            ],
        )
    return request


def help_contribute(
    *, request: HelpRequest, by: User, body: str, at: datetime | None = None
) -> HelpContribution:
    """Give input on someone's help request while it is open; the requester is told."""
    community = request.community
    check_contribute_help(by, community, request.author_id)
    now = at or timezone.now()
    if not request.is_open(timezone.localdate(now)):
        raise ValidationError(
            _(
                "This help request closed after %(day_text)s, the date its input was needed "
                "by; it takes no more contributions."
            )
            % {"day_text": day_text(request.due)}
        )
    errors: dict[str, str] = {}
    body = require(errors, "body", body, _("your contribution"), 100_000)
    raise_if(errors)
    with transaction.atomic():
        contribution = HelpContribution.objects.create(
            request=request,
            community=community,
            author=by,
            body=body,
            body_html=render_markdown(body),
            created_at=now,
        )
        HelpRequest.objects.filter(pk=request.pk).update(
            contribution_count=F("contribution_count") + 1
        )
        act_done(
            verb=Verb.HELP,
            actor=by,
            community=community,
            obj=contribution,
            parent=request,
            target_actor_id=request.author_id,
            at=now,
            text=body,
            tell=[
                Tell(
                    recipient_ids=[request.author_id],
                    kind=Kind.HELP,
                    summary=phrase(
                        gettext_noop("%(name)s contributed to your help request %(title)s"),
                        name=by.name,
                        title=request.title,
                    ),
                    url=contribution.get_absolute_url(),
                )
            ],
        )
    return contribution


def contribution_thank(
    *, contribution: HelpContribution, by: User, at: datetime | None = None
) -> HelpContribution:
    """The requester thanks a contributor (a reaction, recorded as REACT with kind 'thanks')."""
    request = contribution.request
    community = request.community
    check_thank_contribution(by, community, request.author_id)
    now = at or timezone.now()
    with transaction.atomic():
        locked = HelpContribution.objects.select_for_update().get(pk=contribution.pk)
        if locked.thanked_at is not None:
            raise ValidationError(
                _("You already thanked %(name)s for this.") % {"name": contribution.author.name},
                code="already_thanked",
            )
        contribution.thanked_at = now
        contribution.save(update_fields=["thanked_at"])
        act_done(
            verb=Verb.REACT,
            actor=by,
            community=community,
            obj=contribution,
            parent=request,
            target_actor_id=contribution.author_id,
            at=now,
            meta={"kind": "thanks"},
            tell=[
                Tell(
                    recipient_ids=[contribution.author_id],
                    kind=Kind.HELP,
                    summary=phrase(
                        gettext_noop("%(name)s thanks you for your input on %(title)s"),
                        name=by.name,
                        title=request.title,
                    ),
                    url=contribution.get_absolute_url(),
                )
            ],
        )
    return contribution


def contribution_accept(
    *, contribution: HelpContribution, by: User, at: datetime | None = None
) -> HelpContribution:
    """Accept a contribution as what the request needed; its author is told."""
    request = contribution.request
    community = request.community
    check_accept_contribution(by, community, request.author_id)
    now = at or timezone.now()
    with transaction.atomic():
        locked = HelpContribution.objects.select_for_update().get(pk=contribution.pk)
        if locked.accepted_at is not None:
            raise ValidationError(_("This contribution is already accepted."))
        contribution.accepted_at = now
        contribution.save(update_fields=["accepted_at"])
        act_done(
            verb=Verb.ACCEPT,
            actor=by,
            community=community,
            obj=contribution,
            parent=request,
            target_actor_id=contribution.author_id,
            at=now,
            tell=[
                Tell(
                    recipient_ids=[contribution.author_id],
                    kind=Kind.HELP,
                    summary=phrase(
                        gettext_noop("%(name)s accepted your input on %(title)s"),
                        name=by.name,
                        title=request.title,
                    ),
                    url=contribution.get_absolute_url(),
                )
            ],
        )
    return contribution


def promote_to_practice(
    *,
    source: HelpContribution | Answer,
    document: Document,
    by: User,
    heading: str = "",
    at: datetime | None = None,
) -> Promotion:
    """Add a help contribution or a Q&A answer to a best practice as a section credited to its
    author (practices' `section_add`, whose CONTRIBUTE records the act)."""
    community = source.community
    if isinstance(source, HelpContribution):
        people = {source.author_id, source.request.author_id}
        default_heading = source.request.title
        field = "contribution"
    else:
        people = {source.author_id, source.question.author_id}
        default_heading = source.question.title
        field = "answer"
    check_promote_to_practice(by, community, people)
    if document.community_id != community.pk:
        raise ValidationError({"document": _("Choose a best practice of the same community.")})
    if isinstance(source, Answer) and (source.is_hidden or source.question.is_hidden):
        raise ValidationError(_("A hidden answer cannot become part of a best practice."))
    if Promotion.objects.filter(document=document, **{field: source}).exists():
        already = (
            _("This contribution is already a section of %(title)s.")
            if field == "contribution"
            else _("This answer is already a section of %(title)s.")
        )
        raise ValidationError({"document": already % {"title": document.title}})
    now = at or timezone.now()
    with transaction.atomic():
        revision = section_add(
            document=document,
            by=by,
            heading=heading.strip() or default_heading,
            body=source.body,
            credit=source.author,
            source_url=source.get_absolute_url(),
            at=now,
        )
        promotion = Promotion.objects.create(
            community=community,
            document=document,
            revision=revision,
            by=by,
            created_at=now,
            **{field: source},
        )
        notify(
            recipient_ids=[source.author_id],
            kind=Kind.HELP,
            actor=by,
            community=community,
            summary=phrase(
                gettext_noop(
                    "%(name)s made your %(field)s a section of the best practice %(title)s"
                ),
                name=by.name,
                field=field,
                title=document.title,
            ),
            url=document.get_absolute_url(),
            at=now,
        )
    return promotion


def _closing_summary(request: HelpRequest) -> Phrase:
    contributions = list(request.contributions.values_list("author_id", "accepted_at"))
    people = len({author for author, _ in contributions})
    accepted = sum(1 for _, accepted_at in contributions if accepted_at is not None)
    count = len(contributions)
    if not count:
        return phrase(
            gettext_noop("Your help request %(title)s closed after %(due)s with no contributions."),
            title=request.title,
            due=day_text(request.due),
        )
    return phrases.ngettext(
        "Your help request %(title)s closed after %(due)s: %(count)s contribution from "
        "%(people)s, %(accepted)s accepted.",
        "Your help request %(title)s closed after %(due)s: %(count)s contributions from "
        "%(people)s, %(accepted)s accepted.",
        count,
        title=request.title,
        due=day_text(request.due),
        people=phrases.ngettext("%(count)s person", "%(count)s people", people),
        accepted=accepted,
    )


def help_requests_close_due(*, now: datetime | None = None) -> int:
    """Mark every help request past its date closed and tell its requester how it went.

    Return how many requests were closed. A request is closed for contributions from the day after
    its due date whether or not this has run; the job adds the notice and the closing time.
    """
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    due = list(
        HelpRequest.objects.filter(closed_at__isnull=True, due__lt=today).select_related(
            "community", "author"
        )
    )
    if not due:
        return 0
    for request in due:
        with transaction.atomic():
            closed = HelpRequest.objects.filter(pk=request.pk, closed_at__isnull=True).update(
                closed_at=moment
            )
            if not closed:
                continue  # another run closed it first
            notify(
                recipient_ids=[request.author_id],
                kind=Kind.HELP,
                actor=None,  # Cultivate closes it, so the requester always hears
                community=request.community,
                summary=_closing_summary(request),
                url=request.get_absolute_url(),
                at=moment,
            )
    return len(due)
