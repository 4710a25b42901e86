"""Reads for decisions: proposals a person may see, the live tally, stance history, progress.

`proposal_tally` is public and stable: the agenda reads a poll's ranking through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import can_view_community
from cultivate.apps.communities.selectors import visible_community_ids

from .models import (
    ActionItem,
    ActionStatus,
    ConsentStance,
    PollOption,
    Process,
    Proposal,
    Stance,
    StanceChange,
)

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


@dataclass
class TallyRow:
    """One choice with how many took it and who: a consent stance, or a poll option."""

    choice: str
    """The consent stance ('agree', ...) or, for a poll, the option's id as text."""
    label: str
    count: int = 0
    people: list[User] = field(default_factory=list)
    option: PollOption | None = None
    """The poll option itself (with its `key`, `content_type_id` and `object_id` links)."""


@dataclass
class Tally:
    """A proposal's count so far: `rows` in the proposal's order (options by position; consent
    as agree, abstain, disagree, block); `ranked` puts the most chosen first."""

    process: str
    rows: list[TallyRow]
    total: int
    is_closed: bool

    @property
    def ranked(self) -> list[TallyRow]:
        """Return the rows with the most chosen first; ties keep the proposal's order."""
        return sorted(self.rows, key=lambda row: -row.count)

    @property
    def blocks(self) -> int:
        return sum(row.count for row in self.rows if row.choice == ConsentStance.BLOCK)

    def share(self, row: TallyRow) -> int:
        """Return the row's share of all stances, in whole percent."""
        return round(100 * row.count / self.total) if self.total else 0


def proposal_tally(proposal: Proposal) -> Tally:
    """Return the live tally of a proposal: counts and who took which stance (two queries)."""
    stances = list(
        Stance.objects.filter(proposal=proposal).select_related("user").order_by("updated_at", "id")
    )
    rows: list[TallyRow]
    if proposal.process == Process.POLL:
        options = list(PollOption.objects.filter(proposal=proposal).order_by("position"))
        rows = [TallyRow(choice=str(o.pk), label=o.label, option=o) for o in options]
        by_key = {row.choice: row for row in rows}
        for stance in stances:
            row = by_key.get(str(stance.option_id))
            if row is not None:
                row.count += 1
                row.people.append(stance.user)
    else:
        rows = [TallyRow(choice=value, label=str(label)) for value, label in ConsentStance.choices]
        by_key = {row.choice: row for row in rows}
        for stance in stances:
            row = by_key[stance.stance]
            row.count += 1
            row.people.append(stance.user)
    return Tally(
        process=proposal.process, rows=rows, total=len(stances), is_closed=proposal.is_closed
    )


def _with_counts(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return proposals.annotate(
        stance_count=Count("stances", distinct=True),
        action_total=Count("action_items", distinct=True),
        action_done=Count(
            "action_items", filter=Q(action_items__status=ActionStatus.DONE), distinct=True
        ),
    )


def proposals_for(
    user: User | AnonymousUser, community: Community, *, status: str = ""
) -> QuerySet[Proposal]:
    """Return the community's proposals, newest first; status is '', 'open' or 'closed'."""
    if not can_view_community(user, community):
        raise Http404(_("No such community."))
    proposals = Proposal.objects.filter(community=community).select_related(
        "author", "closed_by", "community"
    )
    if status == "open":
        proposals = proposals.filter(closed_at__isnull=True)
    elif status == "closed":
        proposals = proposals.filter(closed_at__isnull=False)
    return _with_counts(proposals).order_by("-created_at", "-id")


def proposal_get_for_user(user: User | AnonymousUser, community: Community, pk: int) -> Proposal:
    """Return the proposal, or 404 when it is not in the community or the person may not see it."""
    if not can_view_community(user, community):
        raise Http404(_("No such proposal."))
    proposal = (
        Proposal.objects.filter(community=community, pk=pk)
        .select_related("author", "community", "closed_by")
        .first()
    )
    if proposal is None:
        raise Http404(_("No such proposal."))
    return proposal


def proposal_by_id_for_user(user: User | AnonymousUser, pk: int) -> Proposal:
    """Return a visible proposal by id alone (for the API), or 404."""
    proposal = (
        Proposal.objects.filter(pk=pk, community_id__in=visible_community_ids(user))
        .select_related("author", "community", "closed_by")
        .first()
    )
    if proposal is None:
        raise Http404(_("No such proposal."))
    return proposal


def stance_of(user: User | AnonymousUser, proposal: Proposal) -> Stance | None:
    """Return the person's current stance on the proposal, if they took one."""
    if not user.is_authenticated:
        return None
    return (
        Stance.objects.filter(proposal=proposal, user_id=user.pk).select_related("option").first()
    )


def stance_history(proposal: Proposal, user_id: int | None = None) -> list[StanceChange]:
    """Return every stance taken on the proposal in order, or one person's when given."""
    changes = StanceChange.objects.filter(proposal=proposal).select_related("user", "option")
    if user_id is not None:
        changes = changes.filter(user_id=user_id)
    return list(changes.order_by("at", "id"))


@dataclass(frozen=True)
class Progress:
    """How far a decision's action items have come: n of m done."""

    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def proposal_progress(proposal: Proposal) -> Progress:
    """Return how many of the decision's action items are done, of how many."""
    counts = ActionItem.objects.filter(proposal=proposal).aggregate(
        total=Count("id"), done=Count("id", filter=Q(status=ActionStatus.DONE))
    )
    return Progress(done=counts["done"], total=counts["total"])


def action_items_for(
    user: User | AnonymousUser,
    community: Community,
    *,
    status: str = "",
    owner: str = "",
    overdue: bool = False,
    proposal: Proposal | None = None,
    today: date | None = None,
) -> QuerySet[ActionItem]:
    """Return the community's action items, soonest due first, filtered by status, owner's
    username and overdue (not done and due before today)."""
    if not can_view_community(user, community):
        raise Http404(_("No such community."))
    items = ActionItem.objects.filter(community=community).select_related(
        "owner", "created_by", "proposal", "community"
    )
    if status in ActionStatus.values:
        items = items.filter(status=status)
    if owner:
        items = items.filter(owner__username=owner)
    if overdue:
        items = items.exclude(status=ActionStatus.DONE).filter(
            due__lt=today or timezone.localdate()
        )
    if proposal is not None:
        items = items.filter(proposal=proposal)
    return items.order_by("due", "id")


def action_item_get_for_user(user: User | AnonymousUser, pk: int) -> ActionItem:
    """Return a visible action item by id, or 404."""
    item = (
        ActionItem.objects.filter(pk=pk, community_id__in=visible_community_ids(user))
        .select_related("owner", "created_by", "proposal", "community")
        .first()
    )
    if item is None:
        raise Http404(_("No such action item."))
    return item
