"""REST endpoints for meetings, mounted on the one API in config/urls.py.

Thin over the same selectors and services as the pages, so the permissions are the same: a
private community's events and pairs answer 404 to non-members.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.params import functions as params

from cultivate.apps.accounts.models import User
from cultivate.apps.api.auth import WRITE
from cultivate.apps.api.schemas import MAX_ID, ErrorOut
from cultivate.apps.api.shaping import paginated, writer
from cultivate.apps.communities.selectors import community_get_for_user

from . import coffee, selectors, services
from .ical import calendar_bytes, ics_filename
from .models import CoffeePair, CoffeeRound, Event
from .schemas import (
    AttendanceIn,
    AttendanceOut,
    EventDetailOut,
    EventFilters,
    EventIn,
    EventOut,
    NotesIn,
    OptInOut,
    PairOut,
    RoundOut,
    RsvpIn,
    RsvpOut,
)

router = Router(tags=["meetings"])

ERRORS: dict[int, type[ErrorOut]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
ID: Any = params.Path(..., ge=1, le=MAX_ID)


def _fresh(request: HttpRequest, pk: int) -> Event:
    """Re-read the event with its counts after a write."""
    return selectors.event_get_for_user(request.user, pk)


# --- events --------------------------------------------------------------------------------------


@router.get("/communities/{slug}/events", response={200: list[EventOut], **ERRORS})
@paginated
def event_list(request: HttpRequest, slug: str, filters: Query[EventFilters]) -> QuerySet[Event]:
    """List a community's coming events (soonest first), or past ones with `past=true`."""
    community = community_get_for_user(request.user, slug)
    return selectors.events_for(request.user, community, past=filters.past)


@router.post(
    "/communities/{slug}/events", response={201: EventOut, **ERRORS, 422: ErrorOut}, auth=WRITE
)
def event_new(request: HttpRequest, slug: str, payload: EventIn) -> Status[Event]:
    """Plan an event in a community you belong to."""
    community = community_get_for_user(request.user, slug)
    event = services.event_create(community=community, host=writer(request), **payload.dict())
    return Status(201, _fresh(request, event.pk))


@router.get("/events/{id}", response={200: EventDetailOut, **ERRORS})
def event_detail(request: HttpRequest, id: int = ID) -> Event:
    """Return one event with who is going, maybe, waiting and who was there."""
    return selectors.event_get_for_user(request.user, id)


@router.post("/events/{id}/rsvp", response={200: RsvpOut, **ERRORS, 422: ErrorOut}, auth=WRITE)
def event_rsvp(request: HttpRequest, payload: RsvpIn, id: int = ID) -> dict[str, Any]:
    """Answer going, maybe or not going; going past the capacity puts you on the waitlist."""
    event = selectors.event_get_for_user(request.user, id)
    rsvp = services.rsvp_set(event=event, user=writer(request), status=payload.status)
    return {
        "event_id": event.pk,
        "status": rsvp.status,
        "waitlist_position": selectors.waitlist_position(event, request.user),
    }


@router.put(
    "/events/{id}/attendance", response={200: AttendanceOut, **ERRORS, 422: ErrorOut}, auth=WRITE
)
def event_attendance(request: HttpRequest, payload: AttendanceIn, id: int = ID) -> dict[str, Any]:
    """Record who was there (host or coordinator, once it started); sending again corrects it."""
    event = selectors.event_get_for_user(request.user, id)
    wanted = set(payload.present)
    people = {u.username: u for u in User.objects.filter(username__in=wanted)}
    unknown = sorted(wanted - set(people))
    if unknown:
        raise ValidationError(
            {"present": _("No such people: %(join)s.") % {"join": ", ".join(unknown[:20])}}
        )
    services.attendance_take(
        event=event, by=writer(request), present_ids=[u.pk for u in people.values()]
    )
    return {"event_id": event.pk, "present": list(selectors.attendees(event))}


@router.put(
    "/events/{id}/notes", response={200: EventDetailOut, **ERRORS, 422: ErrorOut}, auth=WRITE
)
def event_notes(request: HttpRequest, payload: NotesIn, id: int = ID) -> Event:
    """Write the notes after the event (markdown; host or coordinator)."""
    event = selectors.event_get_for_user(request.user, id)
    services.event_notes_save(event=event, by=writer(request), notes=payload.notes)
    return _fresh(request, id)


@router.get(
    "/events/{id}/ics",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"content": {"text/calendar": {}}}}},
)
def event_ics(request: HttpRequest, id: int = ID) -> HttpResponse:
    """Download the event as an iCalendar (.ics) file."""
    event = selectors.event_get_for_user(request.user, id)
    body = calendar_bytes(
        [event],
        name=event.community.name,
        url_of=lambda e: request.build_absolute_uri(e.get_absolute_url()),
        domain=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(event)}"'
    return response


# --- coffee pairing ------------------------------------------------------------------------------


@router.post("/communities/{slug}/coffee/opt-in", response={200: OptInOut, **ERRORS}, auth=WRITE)
def coffee_opt_in(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Be paired in the community's coming coffee rounds."""
    community = community_get_for_user(request.user, slug)
    coffee.coffee_opt_in(community=community, user=writer(request))
    return {"community": community.slug, "opted_in": True}


@router.delete("/communities/{slug}/coffee/opt-in", response={200: OptInOut, **ERRORS}, auth=WRITE)
def coffee_opt_out(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Stop being paired from the next round on."""
    community = community_get_for_user(request.user, slug)
    coffee.coffee_opt_out(community=community, user=writer(request))
    return {"community": community.slug, "opted_in": False}


@router.post("/communities/{slug}/coffee/rounds", response={201: RoundOut, **ERRORS}, auth=WRITE)
def coffee_round(request: HttpRequest, slug: str) -> Status[CoffeeRound]:
    """Pair everyone opted in (coordinators); fewer than two people is a 400 saying so."""
    community = community_get_for_user(request.user, slug)
    round_ = coffee.coffee_round_run(community=community, by=writer(request))
    return Status(201, round_)


@router.get("/communities/{slug}/coffee/pairs", response={200: list[PairOut], **ERRORS}, auth=WRITE)
def coffee_pairs(request: HttpRequest, slug: str) -> list[CoffeePair]:
    """List your coffee pairs in the community, latest round first."""
    community = community_get_for_user(request.user, slug)
    user = writer(request)
    return list(selectors.pairs_of(user, community))


@router.post("/coffee/pairs/{id}/met", response={200: PairOut, **ERRORS}, auth=WRITE)
def coffee_we_met(request: HttpRequest, id: int = ID) -> CoffeePair:
    """Say your pair met; the first of you to say so records it."""
    user = writer(request)
    pair = selectors.pair_get_for_user(user, id)
    coffee.coffee_met(pair=pair, by=user)
    return pair
