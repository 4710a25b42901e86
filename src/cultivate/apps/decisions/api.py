"""REST endpoints for decisions, mounted on the one API in config/urls.py.

Thin: parse, call one selector or service, shape. Same permissions as the pages; a private
community's proposals and action items answer 404 to non-members.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from cultivate.apps.accounts.models import User
from cultivate.apps.api.api import ERRORS, ID
from cultivate.apps.api.auth import WRITE
from cultivate.apps.api.schemas import ErrorOut
from cultivate.apps.api.shaping import paginated, writer
from cultivate.apps.communities.selectors import community_get_for_user

from . import actions, selectors, services
from .models import Proposal
from .schemas import (
    ActionFilters,
    ActionIn,
    ActionOut,
    ActionPatch,
    CloseIn,
    ProposalDetailOut,
    ProposalFilters,
    ProposalIn,
    ProposalOut,
    StanceIn,
    StanceOut,
)

router = Router(tags=["decisions"])
WRITE_ERRORS: dict[int, type[ErrorOut]] = {**ERRORS, 422: ErrorOut}


def _person_named(username: str, field: str) -> User:
    person = User.objects.filter(username=username).first()
    if person is None:
        raise ValidationError(
            {field: _("Nobody is called %(username)s here.") % {"username": repr(username)}}
        )
    return person


# --- proposals -------------------------------------------------------------------------------


@router.get("/communities/{slug}/proposals", response={200: list[ProposalOut], **ERRORS})
@paginated
def proposal_list(
    request: HttpRequest, slug: str, filters: Query[ProposalFilters]
) -> QuerySet[Proposal]:
    """List a community's proposals, newest first; filter open or closed ones."""
    community = community_get_for_user(request.user, slug)
    return selectors.proposals_for(request.user, community, status=filters.status or "")


@router.post(
    "/communities/{slug}/proposals", response={201: ProposalDetailOut, **WRITE_ERRORS}, auth=WRITE
)
def proposal_new(request: HttpRequest, slug: str, payload: ProposalIn) -> Any:
    """Put a proposal to a community you belong to; every member is told."""
    community = community_get_for_user(request.user, slug)
    proposal = services.proposal_create(
        community=community,
        by=writer(request),
        title=payload.title,
        body=payload.body,
        deadline=payload.deadline,
        process=payload.process,
        options=list(payload.options) if payload.options is not None else None,
    )
    return Status(201, proposal)


@router.get("/proposals/{id}", response={200: ProposalDetailOut, **ERRORS})
def proposal_detail(request: HttpRequest, id: int = ID) -> Any:
    """Return one proposal with its live tally and its action items' progress."""
    return selectors.proposal_by_id_for_user(request.user, id)


@router.post("/proposals/{id}/stance", response={200: StanceOut, **WRITE_ERRORS}, auth=WRITE)
def stance_new(request: HttpRequest, payload: StanceIn, id: int = ID) -> Any:
    """Take or change your stance (consent) or vote (poll) before the deadline."""
    proposal = selectors.proposal_by_id_for_user(request.user, id)
    row = services.stance_take(
        proposal=proposal,
        by=writer(request),
        stance=payload.stance or "",
        option=payload.option_id,
        reason=payload.reason,
    )
    return row


@router.get("/proposals/{id}/stances/history", response={200: list[StanceOut], **ERRORS})
def stance_history(request: HttpRequest, username: str | None = None, id: int = ID) -> Any:
    """List every stance taken on the proposal in order (one person's with ?username=)."""
    proposal = selectors.proposal_by_id_for_user(request.user, id)
    user_id = None
    if username:
        person = User.objects.filter(username=username).first()
        if person is None:
            raise Http404(_("Nobody is called %(username)s.") % {"username": repr(username)})
        user_id = person.pk
    return list(selectors.stance_history(proposal, user_id))


@router.post("/proposals/{id}/close", response={200: ProposalDetailOut, **WRITE_ERRORS}, auth=WRITE)
def proposal_close(request: HttpRequest, payload: CloseIn, id: int = ID) -> Any:
    """Close the proposal with its outcome; only the proposer or a coordinator may."""
    proposal = selectors.proposal_by_id_for_user(request.user, id)
    services.proposal_close(proposal=proposal, by=writer(request), outcome=payload.outcome)
    return proposal


# --- action items ----------------------------------------------------------------------------


@router.get("/communities/{slug}/actions", response={200: list[ActionOut], **ERRORS})
@paginated
def action_list(request: HttpRequest, slug: str, filters: Query[ActionFilters]) -> Any:
    """List a community's action items, soonest due first, by status, owner and overdue."""
    community = community_get_for_user(request.user, slug)
    proposal = (
        selectors.proposal_get_for_user(request.user, community, filters.proposal_id)
        if filters.proposal_id
        else None
    )
    return selectors.action_items_for(
        request.user,
        community,
        status=filters.status or "",
        owner=filters.owner or "",
        overdue=filters.overdue,
        proposal=proposal,
    )


@router.post("/communities/{slug}/actions", response={201: ActionOut, **WRITE_ERRORS}, auth=WRITE)
def action_new(request: HttpRequest, slug: str, payload: ActionIn) -> Any:
    """Create an action item, for a decision (proposal_id) or on its own; its owner is told."""
    community = community_get_for_user(request.user, slug)
    proposal = (
        selectors.proposal_get_for_user(request.user, community, payload.proposal_id)
        if payload.proposal_id
        else None
    )
    item = actions.action_item_create(
        community=community,
        by=writer(request),
        title=payload.title,
        owner=_person_named(payload.owner, "owner"),
        due=payload.due,
        proposal=proposal,
    )
    return Status(201, item)


@router.patch("/actions/{id}", response={200: ActionOut, **WRITE_ERRORS}, auth=WRITE)
def action_update(request: HttpRequest, payload: ActionPatch, id: int = ID) -> Any:
    """Change an action item's status, owner, due date or title (send only what changes)."""
    item = selectors.action_item_get_for_user(request.user, id)
    actions.action_item_update(
        item=item,
        by=writer(request),
        title=payload.title,
        owner=_person_named(payload.owner, "owner") if payload.owner else None,
        due=payload.due,
        status=payload.status,
    )
    return item
