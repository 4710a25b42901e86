"""Reads for the agenda and help requests; each starts from a community the person may see.

Topics are ranked by the tally of the prioritisation polls whose votes are final (closed, or past
their deadline); the newest such poll that listed a topic decides its rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import can_view_community
from cultivate.apps.communities.selectors import visible_community_ids
from cultivate.apps.decisions.selectors import proposal_tally
from cultivate.apps.practices.models import Document, Status

from .models import HelpContribution, HelpRequest, Prioritisation, Topic
from .timeline import Bucket, TopicStatus, timeline_bucket, topic_status

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

RANKING_POLLS = 10
"""How many of the latest finished prioritisation polls the ranking reads."""


@dataclass(frozen=True)
class Rank:
    """A topic's place in a finished prioritisation poll (ties share a place)."""

    position: int
    votes: int
    prioritisation_id: int


@dataclass
class AgendaEntry:
    topic: Topic
    status: TopicStatus
    rank: Rank | None = None


@dataclass
class Agenda:
    """The agenda page: ranked candidates, and scheduled topics in timeline columns."""

    today: date
    candidates: list[AgendaEntry]
    timeline: dict[Bucket, list[AgendaEntry]] = field(default_factory=dict)
    open_poll: Prioritisation | None = None


def _check_visible(user: User | AnonymousUser, community: Community, what: str) -> None:
    if not can_view_community(user, community):
        raise Http404(_("No such %(what)s.") % {"what": what})


def _topics(community: Community) -> QuerySet[Topic]:
    return Topic.objects.filter(community=community).select_related(
        "author", "owner", "community", "document", "document__community"
    )


def published_on(document: Document | None) -> date | None:
    """Return the day the deliverable was published, or None while it is not."""
    if document is None or document.status != Status.PUBLISHED or document.published_at is None:
        return None
    return timezone.localdate(document.published_at)


def status_of(topic: Topic, today: date | None = None) -> TopicStatus:
    """Return the topic's status today, from its time box and its deliverable."""
    return topic_status(
        ends_on=topic.ends_on,
        published_on=published_on(topic.document),
        today=today or timezone.localdate(),
    )


def topic_ranking(community: Community, *, now: datetime | None = None) -> dict[int, Rank]:
    """Return topic id -> its rank in the newest finished prioritisation poll that listed it."""
    moment = now or timezone.now()
    polls = list(
        Prioritisation.objects.filter(community=community)
        .filter(Q(proposal__closed_at__isnull=False) | Q(proposal__deadline__lte=moment))
        .select_related("proposal")
        .order_by("-created_at", "-id")[:RANKING_POLLS]
    )
    topic_type = ContentType.objects.get_for_model(Topic)
    ranks: dict[int, Rank] = {}
    for poll in polls:
        rows = proposal_tally(poll.proposal).rows
        for row in rows:
            option = row.option
            if option is None or option.content_type_id != topic_type.pk or not option.object_id:
                continue
            ahead = sum(1 for other in rows if other.count > row.count)
            ranks.setdefault(
                option.object_id,
                Rank(position=ahead + 1, votes=row.count, prioritisation_id=poll.pk),
            )
    return ranks


def _candidate_order(entry: AgendaEntry) -> tuple[int, int, int, datetime, int]:
    rank = entry.rank
    if rank is None:
        return (1, 0, 0, entry.topic.created_at, entry.topic.pk)
    return (0, -rank.prioritisation_id, rank.position, entry.topic.created_at, entry.topic.pk)


def agenda_for(
    user: User | AnonymousUser, community: Community, *, now: datetime | None = None
) -> Agenda:
    """Return the community's agenda: candidates ranked (newest poll first), then the timeline
    of scheduled topics in columns this month, next month, later, delivered and late."""
    _check_visible(user, community, "community")
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    ranks = topic_ranking(community, now=moment)
    agenda = Agenda(today=today, candidates=[], timeline={bucket: [] for bucket in Bucket})
    for topic in _topics(community).order_by("starts_on", "created_at", "id"):
        entry = AgendaEntry(topic=topic, status=status_of(topic, today), rank=ranks.get(topic.pk))
        if topic.starts_on is None:
            agenda.candidates.append(entry)
        else:
            bucket = timeline_bucket(status=entry.status, starts_on=topic.starts_on, today=today)
            agenda.timeline[bucket].append(entry)
    agenda.candidates.sort(key=_candidate_order)
    agenda.open_poll = open_prioritisation_for(community, now=moment)
    return agenda


def open_prioritisation_for(
    community: Community, *, now: datetime | None = None
) -> Prioritisation | None:
    """Return the prioritisation poll still taking votes, if any."""
    return (
        Prioritisation.objects.filter(
            community=community,
            proposal__closed_at__isnull=True,
            proposal__deadline__gt=now or timezone.now(),
        )
        .select_related("proposal", "proposal__community")
        .first()
    )


def topics_for(user: User | AnonymousUser, community: Community) -> QuerySet[Topic]:
    """Return every topic of the community, oldest first."""
    _check_visible(user, community, "community")
    return _topics(community).order_by("created_at", "id")


def topic_get_for_user(user: User | AnonymousUser, community: Community, pk: int) -> Topic:
    """Return the topic, or 404 when it is elsewhere or the person may not see it."""
    _check_visible(user, community, "topic")
    topic = _topics(community).filter(pk=pk).first()
    if topic is None:
        raise Http404(_("No such topic."))
    return topic


def topic_by_id_for_user(user: User | AnonymousUser, pk: int) -> Topic:
    """Return a visible topic by id alone (for the API), or 404."""
    topic = (
        Topic.objects.filter(pk=pk, community_id__in=visible_community_ids(user))
        .select_related("author", "owner", "community", "document")
        .first()
    )
    if topic is None:
        raise Http404(_("No such topic."))
    return topic


def help_requests_for(
    user: User | AnonymousUser,
    community: Community,
    *,
    status: str = "",
    today: date | None = None,
) -> QuerySet[HelpRequest]:
    """Return the community's help requests, newest first; status is '', 'open' or 'closed'."""
    _check_visible(user, community, "community")
    day = today or timezone.localdate()
    requests = HelpRequest.objects.filter(community=community).select_related("author", "community")
    if status == "open":
        requests = requests.filter(due__gte=day)
    elif status == "closed":
        requests = requests.filter(due__lt=day)
    return requests.order_by("-created_at", "-id")


def _contributions() -> Prefetch[str]:
    return Prefetch(
        "contributions",
        queryset=HelpContribution.objects.select_related("author").prefetch_related(
            "promotions__document"
        ),
    )


def help_request_get_for_user(
    user: User | AnonymousUser, community: Community, pk: int
) -> HelpRequest:
    """Return the help request with its contributions, or 404."""
    _check_visible(user, community, "help request")
    request = (
        HelpRequest.objects.filter(community=community, pk=pk)
        .select_related("author", "community")
        .prefetch_related(_contributions())
        .first()
    )
    if request is None:
        raise Http404(_("No such help request."))
    return request


def help_request_by_id_for_user(user: User | AnonymousUser, pk: int) -> HelpRequest:
    """Return a visible help request by id alone (for the API), with its contributions, or 404."""
    request = (
        HelpRequest.objects.filter(pk=pk, community_id__in=visible_community_ids(user))
        .select_related("author", "community")
        .prefetch_related(_contributions())
        .first()
    )
    if request is None:
        raise Http404(_("No such help request."))
    return request


def contribution_get_for_user(user: User | AnonymousUser, pk: int) -> HelpContribution:
    """Return a visible contribution by id (for thank, accept, promote), or 404."""
    contribution = (
        HelpContribution.objects.filter(pk=pk, community_id__in=visible_community_ids(user))
        .select_related("author", "community", "request__author", "request__community")
        .first()
    )
    if contribution is None:
        raise Http404(_("No such contribution."))
    return contribution


def promotion_targets(community: Community) -> QuerySet[Document]:
    """Return the best practices a contribution may become a section of, newest change first."""
    return (
        Document.objects.filter(community=community)
        .only("id", "title", "status", "community_id", "updated_at")
        .order_by("-updated_at", "-id")
    )
