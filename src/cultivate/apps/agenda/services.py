"""Writes for the topic agenda: propose a topic, prioritise candidates with a poll, schedule one.

Each service checks permission, writes inside one transaction and records its Activity. Two
acts reuse other apps' services, whose Activity stands for the act: opening a prioritisation
poll is a PROPOSE (decisions), closing it a DECIDE. Scheduling records PLAN and, because it
starts the deliverable through practices' `document_create`, that document's first CONTRIBUTE.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from cultivate.apps.activity.services import activity_record
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import is_member
from cultivate.apps.decisions.models import Process
from cultivate.apps.decisions.selectors import proposal_tally
from cultivate.apps.decisions.services import MAX_OPTIONS, proposal_close, proposal_create
from cultivate.apps.notifications.effects import Tell, act_done
from cultivate.apps.notifications.models import Kind
from cultivate.apps.notifications.phrases import phrase
from cultivate.apps.practices.services import document_create
from cultivate.apps.validation import raise_if, require
from cultivate.core.activity import Verb
from cultivate.core.markup import plain_text, render_markdown

from .models import Prioritisation, Topic
from .permissions import check_propose_topic, check_steer_agenda
from .selectors import open_prioritisation_for
from .timeline import one_month_from

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

MAX_BOX_DAYS = 366
"""The longest time box: an agenda plans months, not years."""
DEFAULT_POLL_DAYS = 7


def topic_key(topic: Topic) -> str:
    """Return the key the deliverable document carries back to its topic (practices' topic_key)."""
    return f"agenda-topic-{topic.pk}"


def topic_propose(
    *,
    community: Community,
    by: User,
    title: str,
    why: str,
    deliverable: str = "",
    at: datetime | None = None,
) -> Topic:
    """Propose a candidate topic: what, why, and the deliverable the proposer expects."""
    check_propose_topic(by, community)
    errors: dict[str, str] = {}
    title = require(errors, "title", title, _("a title"), 200)
    why = require(errors, "why", why, _("why the community should work on it"), 20_000)
    deliverable = " ".join((deliverable or "").split())
    if len(deliverable) > 300:
        errors["deliverable"] = _(
            "Keep the deliverable under 300 characters (it has %(count)s)."
        ) % {"count": format(len(deliverable), ",")}
    raise_if(errors)
    when = at or timezone.now()
    with transaction.atomic():
        topic = Topic.objects.create(
            community=community,
            author=by,
            title=title,
            why=why,
            why_html=render_markdown(why),
            deliverable=deliverable,
            created_at=when,
        )
        activity_record(
            verb=Verb.PLAN,
            actor_id=by.pk,
            community_id=community.pk,
            obj=topic,
            at=when,
            text=f"{title}\n\n{why}",
            meta={"deliverable": deliverable} if deliverable else {},
        )
    return topic


def _option_labels(topics: Sequence[Topic]) -> list[str]:
    """Return one poll label per topic; same-named topics get their number so each differs."""
    folded = [t.title.casefold() for t in topics]
    return [
        f"{t.title[:190]} (#{t.pk})" if folded.count(t.title.casefold()) > 1 else t.title
        for t in topics
    ]


def _poll_body(topics: Sequence[Topic]) -> str:
    lines = [
        _("Which topics should we work on first? Vote for the one that matters most to you."),
        "",
    ]
    for topic in topics:
        line = f"- **{topic.title}**: {plain_text(topic.why, 200)}"
        if topic.deliverable:
            line += f" (deliverable: {topic.deliverable})"
        lines.append(line)
    return "\n".join(lines)


def prioritisation_open(
    *,
    community: Community,
    by: User,
    deadline: datetime | None = None,
    topics: Sequence[Topic] | None = None,
    title: str = "",
    body: str = "",
    at: datetime | None = None,
) -> Prioritisation:
    """Open a poll whose options are candidate topics (all unscheduled ones unless chosen).

    The poll is an ordinary decisions proposal, each option linked to its topic, so members vote
    where they vote on everything else; its tally ranks the topics once it closes.
    """
    check_steer_agenda(by, community)
    now = at or timezone.now()
    deadline = deadline or now + timedelta(days=DEFAULT_POLL_DAYS)
    if topics is None:
        candidates = list(
            Topic.objects.filter(community=community, scheduled_at__isnull=True).order_by(
                "created_at", "id"
            )
        )
    else:
        candidates = list({t.pk: t for t in topics}.values())
    errors: dict[str, str] = {}
    strangers = [t.title for t in candidates if t.community_id != community.pk]
    scheduled = [t.title for t in candidates if t.is_scheduled]
    if strangers:
        errors["topics"] = _("Choose topics of %(name)s; not one of them: %(value)s.") % {
            "name": community.name,
            "value": repr(strangers[0]),
        }
    elif scheduled:
        errors["topics"] = _("%(value)s is already scheduled; choose candidate topics only.") % {
            "value": repr(scheduled[0])
        }
    elif len(candidates) < 2:
        errors["topics"] = _(
            "A prioritisation poll needs at least 2 candidate topics (it has %(count)s)."
        ) % {"count": len(candidates)}
    elif len(candidates) > MAX_OPTIONS:
        errors["topics"] = _(
            "A poll has at most %(max_options)s options; choose %(max_options_2)s of the "
            "%(count)s topics."
        ) % {"max_options": MAX_OPTIONS, "max_options_2": MAX_OPTIONS, "count": len(candidates)}
    raise_if(errors)
    with transaction.atomic():
        already = open_prioritisation_for(community, now=now)
        if already is not None:
            raise ValidationError(
                _("A prioritisation poll is already open until %(localtime)s; close it first.")
                % {
                    "localtime": dateformat.format(
                        timezone.localtime(already.proposal.deadline), "j M Y H:i"
                    )
                }
            )
        proposal = proposal_create(
            community=community,
            by=by,
            title=title.strip()
            or _("Prioritise the agenda of %(name)s") % {"name": community.name},
            body=body.strip() or _poll_body(candidates),
            deadline=deadline,
            process=Process.POLL,
            options=_option_labels(candidates),
            option_links=candidates,
            at=now,
        )
        return Prioritisation.objects.create(
            community=community, proposal=proposal, opened_by=by, created_at=now
        )


def prioritisation_outcome(prioritisation: Prioritisation) -> str:
    """Return the ranking as the poll's written outcome: '1. Title (3 votes)' per line."""
    tally = proposal_tally(prioritisation.proposal)
    lines = [_("Topics ranked by the members' votes:"), ""]
    for position, row in enumerate(tally.ranked, start=1):
        votes = ngettext("%(count)s vote", "%(count)s votes", row.count) % {"count": row.count}
        lines.append(f"{position}. {row.label} ({votes})")
    return "\n".join(lines)


def prioritisation_close(
    *, prioritisation: Prioritisation, by: User, outcome: str = "", at: datetime | None = None
) -> Prioritisation:
    """Close the poll (a decisions DECIDE); the outcome defaults to the ranking it produced."""
    proposal_close(
        proposal=prioritisation.proposal,
        by=by,
        outcome=outcome.strip() or prioritisation_outcome(prioritisation),
        at=at,
    )
    return prioritisation


def _starter_text(topic: Topic) -> str:
    """Return the deliverable's first draft: why the community wants it and what it should be."""
    text = f"## {_('Why')}\n\n{topic.why.strip()}\n"
    if topic.deliverable:
        heading = _("What this practice will give us")
        text += f"\n## {heading}\n\n{topic.deliverable}\n"
    return text


def check_time_box(errors: dict[str, str], starts_on: date, ends_on: date, today: date) -> None:
    if ends_on < starts_on:
        errors["ends_on"] = _(
            "The time box ends (%(ends_on)s) before it starts (%(starts_on)s)."
        ) % {
            "ends_on": dateformat.format(ends_on, "j M Y"),
            "starts_on": dateformat.format(starts_on, "j M Y"),
        }
    elif ends_on < today:
        errors["ends_on"] = _(
            "The time box would end on %(ends_on)s, before today (%(today)s); choose a later end."
        ) % {
            "ends_on": dateformat.format(ends_on, "j M Y"),
            "today": dateformat.format(today, "j M Y"),
        }
    elif (ends_on - starts_on).days + 1 > MAX_BOX_DAYS:
        errors["ends_on"] = _(
            "Keep a time box to at most %(max_box_days)s days; split longer work."
        ) % {"max_box_days": MAX_BOX_DAYS}


def topic_schedule(
    *,
    topic: Topic,
    by: User,
    owner: User,
    starts_on: date | None = None,
    ends_on: date | None = None,
    deliverable_title: str = "",
    at: datetime | None = None,
) -> Topic:
    """Schedule a topic into a time box (a month from its start by default) with an owner.

    Starts the deliverable as a draft best practice due on the box's last day, records PLAN with
    the deliverable's title, and tells the owner.
    """
    community = topic.community
    check_steer_agenda(by, community)
    now = at or timezone.now()
    today = timezone.localdate(now)
    start = starts_on or today
    end = ends_on or one_month_from(start)
    errors: dict[str, str] = {}
    if not is_member(owner, community):
        errors["owner"] = _(
            "%(name)s is not a member of %(name_2)s; choose a member as the owner."
        ) % {"name": owner.name, "name_2": community.name}
    check_time_box(errors, start, end, today)
    title = require(
        errors,
        "deliverable_title",
        deliverable_title or topic.title,
        _("the deliverable's title"),
        200,
    )
    raise_if(errors)
    with transaction.atomic():
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        if locked.scheduled_at is not None:
            assert locked.starts_on is not None
            assert locked.ends_on is not None
            raise ValidationError(
                _("This topic is already scheduled (%(starts_on)s to %(ends_on)s).")
                % {
                    "starts_on": dateformat.format(locked.starts_on, "j M Y"),
                    "ends_on": dateformat.format(locked.ends_on, "j M Y"),
                }
            )
        document = document_create(
            community=community,
            by=by,
            title=title,
            body=_starter_text(topic),
            due_on=end,
            topic_key=topic_key(topic),
            message=_("Started from the agenda topic “%(title)s”") % {"title": topic.title[:200]},
            steward=owner,
            at=now,
        )
        topic.owner, topic.starts_on, topic.ends_on = owner, start, end
        topic.scheduled_by, topic.scheduled_at, topic.document = by, now, document
        topic.save(
            update_fields=[
                "owner",
                "starts_on",
                "ends_on",
                "scheduled_by",
                "scheduled_at",
                "document",
            ]
        )
        act_done(
            verb=Verb.PLAN,
            actor=by,
            community=community,
            obj=topic,
            at=now,
            text=topic.title,
            meta={"deliverable": document.title},
            tell=[
                Tell(
                    recipient_ids=[owner.pk],
                    kind=Kind.ACTION,
                    summary=phrase(
                        gettext_noop(
                            "You own the agenda topic %(title)s: deliver “%(title_2)s” by %(end)s"
                        ),
                        title=topic.title,
                        title_2=document.title,
                        end=dateformat.format(end, "j M Y"),
                    ),
                    url=topic.get_absolute_url(),
                )
            ],
        )
    return topic
