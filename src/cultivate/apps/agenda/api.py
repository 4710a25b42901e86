"""REST endpoints for the agenda and help requests, mounted on the one API in config/urls.py.

The same selectors, services and permissions as the pages: a private community's topics and
requests answer 404 to non-members here too.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.params import functions as params

from cultivate.apps.api.auth import WRITE
from cultivate.apps.api.schemas import MAX_ID, ErrorOut
from cultivate.apps.api.shaping import Shaped, paginated, writer
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.selectors import community_get_for_user
from cultivate.apps.practices.selectors import document_get_by_id
from cultivate.apps.sharing.selectors import answer_get_for_user

from . import helping, selectors, services
from .models import HelpContribution, HelpRequest, Prioritisation, Promotion, Topic
from .schemas import (
    AgendaOut,
    ContributionIn,
    ContributionOut,
    HelpFilters,
    HelpRequestDetailOut,
    HelpRequestIn,
    HelpRequestOut,
    PollOut,
    PrioritisationIn,
    PromoteIn,
    PromotionOut,
    ScheduleIn,
    TopicIn,
    TopicOut,
)
from .selectors import AgendaEntry
from .timeline import Bucket

router = Router(tags=["agenda"])

ERRORS: dict[int, type[ErrorOut]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
ID: Any = params.Path(..., ge=1, le=MAX_ID)


def _entry(topic: Topic) -> AgendaEntry:
    ranks = selectors.topic_ranking(topic.community)
    return AgendaEntry(topic=topic, status=selectors.status_of(topic), rank=ranks.get(topic.pk))


# --- topics ------------------------------------------------------------------------------------


@router.get("/communities/{slug}/agenda", response={200: AgendaOut, **ERRORS})
def agenda(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Return the agenda: ranked candidates and the timeline's columns, with the open poll."""
    community = community_get_for_user(request.user, slug)
    found = selectors.agenda_for(request.user, community)
    shaped: dict[str, Any] = {
        "today": found.today,
        "candidates": found.candidates,
        "open_poll": found.open_poll,
    }
    for bucket in Bucket:
        shaped[bucket.value] = found.timeline[bucket]
    return shaped


@router.get("/communities/{slug}/agenda/topics", response={200: list[TopicOut], **ERRORS})
@paginated
def topic_list(request: HttpRequest, slug: str) -> Shaped:
    """List a community's topics, oldest first, with their status and rank."""
    community = community_get_for_user(request.user, slug)
    ranks = selectors.topic_ranking(community)
    today = timezone.localdate()

    def entries(topics: list[Topic]) -> list[AgendaEntry]:
        return [
            AgendaEntry(topic=t, status=selectors.status_of(t, today), rank=ranks.get(t.pk))
            for t in topics
        ]

    return Shaped(selectors.topics_for(request.user, community), entries)


@router.post(
    "/communities/{slug}/agenda/topics",
    response={201: TopicOut, **ERRORS, 422: ErrorOut},
    auth=WRITE,
)
def topic_new(request: HttpRequest, slug: str, payload: TopicIn) -> Status[AgendaEntry]:
    """Propose a candidate topic in a community you belong to (records PLAN)."""
    community = community_get_for_user(request.user, slug)
    topic = services.topic_propose(
        community=community,
        by=writer(request),
        title=payload.title,
        why=payload.why,
        deliverable=payload.deliverable,
    )
    return Status(201, _entry(topic))


@router.get("/agenda/topics/{id}", response={200: TopicOut, **ERRORS})
def topic_detail(request: HttpRequest, id: int = ID) -> AgendaEntry:
    """Return one topic with its status, rank, time box and deliverable."""
    return _entry(selectors.topic_by_id_for_user(request.user, id))


@router.post(
    "/agenda/topics/{id}/schedule",
    response={200: TopicOut, **ERRORS, 422: ErrorOut},
    auth=WRITE,
)
def topic_schedule(request: HttpRequest, payload: ScheduleIn, id: int = ID) -> AgendaEntry:
    """Schedule a topic into a time box with an owner; starts its best practice (coordinators)."""
    topic = selectors.topic_by_id_for_user(request.user, id)
    owner = get_user_model().objects.filter(username=payload.owner.lstrip("@")).first()
    if owner is None:
        raise ValidationError(
            {"owner": _("Nobody is called %(owner)s.") % {"owner": repr(payload.owner)}}
        )
    services.topic_schedule(
        topic=topic,
        by=writer(request),
        owner=owner,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        deliverable_title=payload.deliverable_title,
    )
    return _entry(topic)


@router.post(
    "/communities/{slug}/agenda/prioritisation",
    response={201: PollOut, **ERRORS, 422: ErrorOut},
    auth=WRITE,
)
def prioritisation_new(
    request: HttpRequest, slug: str, payload: PrioritisationIn
) -> Status[Prioritisation]:
    """Open the poll that ranks candidate topics (coordinators); members vote on the decision."""
    community = community_get_for_user(request.user, slug)
    topics = None
    if payload.topic_ids is not None:
        found = {
            t.pk: t for t in Topic.objects.filter(community=community, pk__in=payload.topic_ids)
        }
        missing = [pk for pk in payload.topic_ids if pk not in found]
        if missing:
            raise ValidationError(
                {
                    "topic_ids": _("No topic %(value)s in %(name)s.")
                    % {"value": missing[0], "name": community.name}
                }
            )
        topics = [found[pk] for pk in payload.topic_ids]
    prioritisation = services.prioritisation_open(
        community=community, by=writer(request), topics=topics, deadline=payload.deadline
    )
    return Status(201, prioritisation)


# --- help requests -----------------------------------------------------------------------------


@router.get("/communities/{slug}/help-requests", response={200: list[HelpRequestOut], **ERRORS})
@paginated
def help_list(
    request: HttpRequest, slug: str, filters: Query[HelpFilters]
) -> QuerySet[HelpRequest]:
    """List a community's help requests, newest first, open or closed."""
    community: Community = community_get_for_user(request.user, slug)
    return selectors.help_requests_for(request.user, community, status=filters.status or "")


@router.post(
    "/communities/{slug}/help-requests",
    response={201: HelpRequestDetailOut, **ERRORS, 422: ErrorOut},
    auth=WRITE,
)
def help_new(request: HttpRequest, slug: str, payload: HelpRequestIn) -> Status[HelpRequest]:
    """Ask a community you belong to for input by a date (records REQUEST); members are told."""
    community = community_get_for_user(request.user, slug)
    help_request = helping.help_request_create(
        community=community,
        by=writer(request),
        title=payload.title,
        body=payload.body,
        due=payload.due,
    )
    return Status(201, help_request)


@router.get("/help-requests/{id}", response={200: HelpRequestDetailOut, **ERRORS})
def help_detail(request: HttpRequest, id: int = ID) -> HelpRequest:
    """Return one help request with its contributions."""
    return selectors.help_request_by_id_for_user(request.user, id)


@router.post(
    "/help-requests/{id}/contributions",
    response={201: ContributionOut, **ERRORS, 422: ErrorOut},
    auth=WRITE,
)
def help_contribute(
    request: HttpRequest, payload: ContributionIn, id: int = ID
) -> Status[HelpContribution]:
    """Contribute to someone's open help request (records HELP); after its date: 400."""
    help_request = selectors.help_request_by_id_for_user(request.user, id)
    contribution = helping.help_contribute(
        request=help_request, by=writer(request), body=payload.body
    )
    return Status(201, contribution)


@router.post(
    "/help-contributions/{id}/thank", response={200: ContributionOut, **ERRORS}, auth=WRITE
)
def contribution_thank(request: HttpRequest, id: int = ID) -> HelpContribution:
    """Thank a contributor to your request (records REACT with kind 'thanks')."""
    contribution = selectors.contribution_get_for_user(request.user, id)
    helping.contribution_thank(contribution=contribution, by=writer(request))
    return contribution


@router.post(
    "/help-contributions/{id}/accept", response={200: ContributionOut, **ERRORS}, auth=WRITE
)
def contribution_accept(request: HttpRequest, id: int = ID) -> HelpContribution:
    """Accept a contribution to your request (a coordinator may too)."""
    contribution = selectors.contribution_get_for_user(request.user, id)
    helping.contribution_accept(contribution=contribution, by=writer(request))
    return contribution


@router.post(
    "/help-contributions/{id}/promote",
    response={201: PromotionOut, **ERRORS, 422: ErrorOut},
    auth=WRITE,
)
def contribution_promote(
    request: HttpRequest, payload: PromoteIn, id: int = ID
) -> Status[Promotion]:
    """Add a contribution to a best practice as a section credited to its author."""
    contribution = selectors.contribution_get_for_user(request.user, id)
    document = document_get_by_id(request.user, payload.document_id)
    promotion = helping.promote_to_practice(
        source=contribution, document=document, by=writer(request), heading=payload.heading
    )
    return Status(201, promotion)


@router.post(
    "/answers/{id}/promote", response={201: PromotionOut, **ERRORS, 422: ErrorOut}, auth=WRITE
)
def answer_promote(request: HttpRequest, payload: PromoteIn, id: int = ID) -> Status[Promotion]:
    """Add a Q&A answer to a best practice as a section credited to whoever answered."""
    answer = answer_get_for_user(request.user, id)
    document = document_get_by_id(request.user, payload.document_id)
    promotion = helping.promote_to_practice(
        source=answer, document=document, by=writer(request), heading=payload.heading
    )
    return Status(201, promotion)
