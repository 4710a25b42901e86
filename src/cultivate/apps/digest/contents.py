"""What goes into a member's weekly digest, read from every app that has something for them.

Questions they could answer (the week's unanswered questions in their communities where they
are among the three people most likely to know), deadlines coming up (agenda topics ending,
help requests due, best practices due), best practices published this week, and the week's
wins. It only ever shows what the member may see: their active communities, nothing hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from cultivate.apps.agenda.models import HelpRequest, Topic
from cultivate.apps.celebrations.models import Milestone
from cultivate.apps.communities.models import Community, MembershipState
from cultivate.apps.practices.models import Document, Status
from cultivate.apps.sharing.experts import Expert, who_can_answer
from cultivate.apps.sharing.models import Question

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

WEEK = timedelta(days=7)
AHEAD = timedelta(days=14)
"""Deadlines this far ahead are named."""
QUESTIONS_READ = 30
"""The newest unanswered questions of the week a community's experts are looked for in."""
SHOWN = 8


@dataclass(frozen=True)
class Item:
    """One line of the digest: what, where, and when it is due (for deadlines)."""

    title: str
    url: str
    community: str
    due: date | None = None


@dataclass
class Digest:
    """A member's week: empty sections are left out of the e-mail; an empty digest is not sent."""

    questions: list[Item] = field(default_factory=list)
    deadlines: list[Item] = field(default_factory=list)
    practices: list[Item] = field(default_factory=list)
    wins: list[Item] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.questions or self.deadlines or self.practices or self.wins)


Experts = Callable[[Question], list[Expert]]


def experts_memo() -> Experts:
    """Who can answer each question, computed once per question for a whole run of digests."""
    known: dict[int, list[Expert]] = {}

    def experts(question: Question) -> list[Expert]:
        if question.pk not in known:
            known[question.pk] = who_can_answer(question, limit=3)
        return known[question.pk]

    return experts


def digest_for(user: User, now: datetime, experts: Experts | None = None) -> Digest:
    """Return the member's digest for the week before `now`."""
    experts = experts or experts_memo()
    communities = list(
        Community.objects.filter(
            memberships__user=user, memberships__state=MembershipState.ACTIVE
        ).order_by("name")
    )
    today = now.date()
    digest = Digest()
    for community in communities:
        digest.questions += _could_answer(user, community, now, experts)
        digest.deadlines += _deadlines(community, today)
        digest.practices += _published(community, now)
        digest.wins += _wins(community, now)
    digest.deadlines.sort(key=lambda item: item.due or today)
    digest.questions = digest.questions[:SHOWN]
    digest.deadlines = digest.deadlines[:SHOWN]
    digest.practices = digest.practices[:SHOWN]
    digest.wins = digest.wins[:SHOWN]
    return digest


def _could_answer(user: User, community: Community, now: datetime, experts: Experts) -> list[Item]:
    waiting = (
        Question.objects.filter(
            community=community, answer_count=0, is_hidden=False, created_at__gt=now - WEEK
        )
        .exclude(author=user)
        .select_related("community")
        .order_by("-created_at")[:QUESTIONS_READ]
    )
    return [
        Item(q.title, q.get_absolute_url(), community.name)
        for q in waiting
        if user.pk in {e.person.pk for e in experts(q)}
    ]


def _deadlines(community: Community, today: date) -> list[Item]:
    until = today + AHEAD
    items = [
        Item(t.title, t.get_absolute_url(), community.name, t.ends_on)
        for t in Topic.objects.filter(
            community=community, ends_on__gte=today, ends_on__lte=until
        ).select_related("community")
    ]
    items += [
        Item(h.title, h.get_absolute_url(), community.name, h.due)
        for h in HelpRequest.objects.filter(
            community=community, closed_at__isnull=True, due__gte=today, due__lte=until
        ).select_related("community")
    ]
    items += [
        Item(d.title, d.get_absolute_url(), community.name, d.due_on)
        for d in Document.objects.filter(
            community=community,
            due_on__gte=today,
            due_on__lte=until,
        )
        .exclude(status=Status.PUBLISHED)
        .select_related("community")
    ]
    return items


def _published(community: Community, now: datetime) -> list[Item]:
    return [
        Item(d.title, d.get_absolute_url(), community.name)
        for d in Document.objects.filter(
            community=community, status=Status.PUBLISHED, published_at__gt=now - WEEK
        )
        .select_related("community")
        .order_by("-published_at")
    ]


def _wins(community: Community, now: datetime) -> list[Item]:
    return [
        Item(m.shown_title, m.get_absolute_url(), community.name)
        for m in Milestone.objects.filter(community=community, created_at__gt=now - WEEK)
        .select_related("community")
        .order_by("-created_at")
    ]
