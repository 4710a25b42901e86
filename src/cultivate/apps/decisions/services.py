"""Writes for joint decisions: propose, take a stance or vote, close with an outcome.

Their implementation (action items, overdue reminders) is in `actions.py`.

Each service checks permission, writes inside one transaction, records exactly one Activity and
tells the members concerned.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cultivate.apps.activity.services import activity_record
from cultivate.apps.communities.models import Community, Membership, MembershipState
from cultivate.apps.notifications.effects import Tell, act_done
from cultivate.apps.notifications.models import Kind
from cultivate.apps.notifications.phrases import phrase
from cultivate.apps.validation import raise_if, require
from cultivate.core.activity import Verb
from cultivate.core.markup import plain_text, render_markdown

from .models import (
    ConsentStance,
    PollOption,
    Process,
    Proposal,
    Stance,
    StanceChange,
)
from .permissions import (
    check_close_proposal,
    check_propose,
    check_take_stance,
)

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

MIN_OPTIONS = 2
MAX_OPTIONS = 20
OptionLink = models.Model | str | None
"""What a poll option may point at: a model instance (generic link), a key string, or nothing."""


def when_text(moment: datetime) -> str:
    """Return a moment as people read it in messages: '3 Mar 2025, 17:00 UTC' (month names in
    the active language)."""
    local = timezone.localtime(moment)
    return f"{dateformat.format(local, 'j M Y, H:i')} {local.tzname()}"


def clean_options(raw: Sequence[str] | None) -> list[str]:
    """Return the poll's options stripped, refusing too few, too many, blank or duplicate ones."""
    options = [(o or "").strip() for o in (raw or [])]
    options = [o for o in options if o]
    if len(options) < MIN_OPTIONS:
        raise ValidationError(
            {
                "options": _("A poll needs at least %(min_options)s options (it has %(count)s).")
                % {"min_options": MIN_OPTIONS, "count": len(options)}
            }
        )
    if len(options) > MAX_OPTIONS:
        raise ValidationError(
            {
                "options": _("A poll has at most %(max_options)s options (it has %(count)s).")
                % {"max_options": MAX_OPTIONS, "count": len(options)}
            }
        )
    too_long = [o for o in options if len(o) > 200]
    if too_long:
        raise ValidationError(
            {
                "options": _("Keep each option under 200 characters: %(value)s… is longer.")
                % {"value": repr(too_long[0][:40])}
            }
        )
    seen: dict[str, str] = {}
    duplicates: list[str] = []
    for option in options:
        folded = option.casefold()
        if folded in seen and option not in duplicates:
            duplicates.append(option)
        seen.setdefault(folded, option)
    if duplicates:
        named = ", ".join(repr(d) for d in duplicates)
        raise ValidationError(
            {"options": _("Each option must be different; repeated: %(named)s.") % {"named": named}}
        )
    return options


def active_member_ids(community: Community) -> list[int]:
    """Return the ids of the community's active members (who take part and are told)."""
    return list(
        Membership.objects.filter(community=community, state=MembershipState.ACTIVE).values_list(
            "user_id", flat=True
        )
    )


def _option_rows(
    proposal: Proposal, labels: list[str], links: Sequence[OptionLink] | None
) -> list[PollOption]:
    if links is not None and len(links) != len(labels):
        raise ValidationError(
            {
                "options": _("Give one link per option (%(count)s options, %(count_2)s links).")
                % {"count": len(labels), "count_2": len(links)}
            }
        )
    rows = []
    for position, label in enumerate(labels, start=1):
        link = links[position - 1] if links is not None else None
        row = PollOption(proposal=proposal, label=label, position=position)
        if isinstance(link, str):
            row.key = link[:100]
        elif isinstance(link, models.Model):
            row.content_type = ContentType.objects.get_for_model(type(link))
            row.object_id = link.pk
        rows.append(row)
    return rows


def proposal_create(
    *,
    community: Community,
    by: User,
    title: str,
    body: str,
    deadline: datetime,
    process: str,
    options: list[str] | None,
    option_links: Sequence[OptionLink] | None = None,
    at: datetime | None = None,
) -> Proposal:
    """Put a proposal to the community; every member is told and may take part until the deadline.

    `options` are the poll's choices (None for consent). `option_links`, one per option, ties an
    option to what it stands for: a model instance (stored as content type + id) or a key string.
    """
    check_propose(by, community)
    now = at or timezone.now()
    errors: dict[str, str] = {}
    title = require(errors, "title", title, _("a title"), 200)
    body = require(errors, "body", body, _("what you propose"), 100_000)
    if process not in Process.values:
        errors["process"] = _("Choose a process: %(join)s (got %(process)s).") % {
            "join": " or ".join(Process.values),
            "process": repr(process),
        }
    if deadline is None or timezone.is_naive(deadline):
        errors["deadline"] = _("Give the deadline as a date and time with a time zone.")
    elif deadline <= now:
        errors["deadline"] = _(
            "The deadline %(when_text)s is in the past; choose a later moment."
        ) % {"when_text": when_text(deadline)}
    labels: list[str] = []
    if process == Process.POLL:
        try:
            labels = clean_options(options)
        except ValidationError as error:
            errors["options"] = error.message_dict["options"][0]
    elif process == Process.CONSENT and options:
        errors["options"] = _(
            "A consent proposal has no options; choose the poll process for them."
        )
    raise_if(errors)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            community=community,
            author=by,
            title=title,
            body=body,
            body_html=render_markdown(body),
            process=process,
            deadline=deadline,
            created_at=now,
        )
        if labels:
            PollOption.objects.bulk_create(_option_rows(proposal, labels, option_links))
        act_done(
            verb=Verb.PROPOSE,
            actor=by,
            community=community,
            obj=proposal,
            at=now,
            text=f"{title}\n\n{body}",
            meta={"process": process},
            tell=[
                Tell(
                    recipient_ids=active_member_ids(community),
                    kind=Kind.DECISION,
                    summary=phrase(
                        gettext_noop("%(name)s proposes: %(title)s (take part by %(when_text)s)"),
                        name=by.name,
                        title=title,
                        when_text=when_text(deadline),
                    ),
                    url=proposal.get_absolute_url(),
                )
            ],
        )
    return proposal


def _check_open(proposal: Proposal, now: datetime) -> None:
    if proposal.is_closed:
        assert proposal.closed_at is not None
        raise ValidationError(
            _("This proposal was closed on %(when_text)s: it takes no more stances.")
            % {"when_text": when_text(proposal.closed_at)}
        )
    if proposal.is_past_deadline(now):
        raise ValidationError(
            _("Taking part closed at the deadline, %(when_text)s.")
            % {"when_text": when_text(proposal.deadline)}
        )


def _choice(
    proposal: Proposal, stance: str, option: PollOption | int | None, reason: str
) -> tuple[str, PollOption | None]:
    """Return the (consent stance, poll option) pair the person chose, or raise naming the field."""
    if proposal.process == Process.CONSENT:
        if stance not in ConsentStance.values:
            raise ValidationError(
                {
                    "stance": _("Choose one of %(join)s (got %(stance)s).")
                    % {"join": ", ".join(ConsentStance.values), "stance": repr(stance)}
                }
            )
        if stance == ConsentStance.BLOCK and not reason:
            raise ValidationError(
                {"reason": _("A block must say why, so the proposer can address the objection.")}
            )
        return stance, None
    option_id = option.pk if isinstance(option, PollOption) else option
    chosen = (
        PollOption.objects.filter(proposal=proposal, pk=option_id).first()
        if option_id is not None
        else None
    )
    if chosen is None:
        raise ValidationError({"option": _("Choose one of this poll's options.")})
    return "", chosen


def stance_take(
    *,
    proposal: Proposal,
    by: User,
    stance: str = "",
    option: PollOption | int | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> Stance:
    """Take or change a stance (consent) or vote (poll); every change is kept in the history."""
    community = proposal.community
    check_take_stance(by, community)
    now = at or timezone.now()
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise ValidationError(
            {
                "reason": _("Keep the reason under 2,000 characters (%(count)s).")
                % {"count": format(len(reason), ",")}
            }
        )
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _check_open(locked, now)
        consent, chosen = _choice(locked, stance, option, reason)
        row = Stance.objects.filter(proposal=locked, user=by).first()
        changed = row is not None
        if row is None:
            row = Stance.objects.create(
                proposal=locked,
                user=by,
                stance=consent,
                option=chosen,
                reason=reason,
                created_at=now,
                updated_at=now,
            )
        else:
            same = row.stance == consent and row.option_id == (chosen.pk if chosen else None)
            if same and row.reason == reason:
                raise ValidationError(_("That is already your stance."), code="same_stance")
            row.stance, row.option, row.reason, row.updated_at = consent, chosen, reason, now
            row.save(update_fields=["stance", "option", "reason", "updated_at"])
        StanceChange.objects.create(
            stance_row=row,
            proposal=locked,
            user=by,
            stance=consent,
            option=chosen,
            reason=reason,
            at=now,
        )
        activity_record(
            verb=Verb.VOTE,
            actor_id=by.pk,
            community_id=community.pk,
            obj=row,
            parent=locked,
            target_actor_id=locked.author_id,
            at=now,
            text=reason,
            meta={"stance": consent or (chosen.label[:100] if chosen else ""), "changed": changed},
        )
    return row


def proposal_close(
    *, proposal: Proposal, by: User, outcome: str, at: datetime | None = None
) -> Proposal:
    """Close the proposal with a written outcome (at the deadline or early); members are told."""
    community = proposal.community
    check_close_proposal(by, community, proposal.author_id)
    errors: dict[str, str] = {}
    outcome = require(errors, "outcome", outcome, _("the outcome"), 100_000)
    raise_if(errors)
    now = at or timezone.now()
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.closed_at is not None:
            raise ValidationError(
                _("This proposal was already closed on %(when_text)s.")
                % {"when_text": when_text(locked.closed_at)},
                code="already_closed",
            )
        locked.closed_at, locked.closed_by = now, by
        locked.outcome, locked.outcome_html = outcome, render_markdown(outcome)
        locked.save(update_fields=["closed_at", "closed_by", "outcome", "outcome_html"])
        proposal.closed_at, proposal.closed_by = now, by
        proposal.outcome, proposal.outcome_html = locked.outcome, locked.outcome_html
        act_done(
            verb=Verb.DECIDE,
            actor=by,
            community=community,
            obj=locked,
            at=now,
            text=outcome,
            meta={"outcome": plain_text(outcome, 120)},
            tell=[
                Tell(
                    recipient_ids=active_member_ids(community),
                    kind=Kind.DECISION,
                    summary=phrase(
                        gettext_noop("Decided: %(title)s: %(plain_text)s"),
                        title=locked.title,
                        plain_text=plain_text(outcome, 120),
                    ),
                    url=locked.get_absolute_url(),
                )
            ],
        )
    return proposal


# --- action items: joint implementation --------------------------------------------------------
