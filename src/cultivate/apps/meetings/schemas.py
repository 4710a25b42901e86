"""Request and response shapes of the meetings API (imported only by meetings/api.py).

Responses read the models (`from_attributes`); what depends on the reader (their answer, their
place on the waitlist, their pair) resolves from the request in the validation context.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import StringConstraints

from cultivate.apps.api.schemas import Moment, PersonOut, Strict, absolute_link

from . import selectors
from .display import when_text
from .models import Event, EventKind, RsvpStatus

Username = Annotated[str, StringConstraints(max_length=150)]


class EventFilters(Schema):
    past: bool = Field(False, description="Past events, latest first, instead of coming ones.")


class EventIn(Strict):
    title: str = Field(max_length=200)
    kind: EventKind = EventKind.MEETUP
    starts_at: Moment = Field(
        description="ISO 8601. Without an offset it is read in `time_zone` (wall-clock time)."
    )
    ends_at: Moment
    time_zone: str = Field(max_length=64, description="IANA name, e.g. Europe/Berlin.")
    location: str = Field("", max_length=300)
    link: str = Field("", max_length=500)
    capacity: int | None = Field(None, description="Seats; empty for no limit.")
    description: str = Field("", max_length=50_000, description="Markdown.")


class EventOut(Schema):
    id: int
    community: str
    kind: str
    title: str
    description: str
    description_html: str
    starts_at: datetime = Field(description="UTC.")
    ends_at: datetime
    time_zone: str
    local_start: datetime = Field(description="The start in the event's own time zone.")
    local_end: datetime
    when: str = Field(description="The time as people read it, naming the zone.")
    location: str
    link: str
    capacity: int | None
    going_count: int
    waitlist_count: int
    host: PersonOut
    held: bool
    url: str
    ics_url: str

    @staticmethod
    def resolve_community(obj: Event) -> str:
        return obj.community.slug

    @staticmethod
    def resolve_when(obj: Event) -> str:
        return when_text(obj)

    @staticmethod
    def resolve_going_count(obj: Event) -> int:
        return int(getattr(obj, "going_count", 0))  # annotated by the selectors

    @staticmethod
    def resolve_waitlist_count(obj: Event) -> int:
        return int(getattr(obj, "waitlist_count", 0))

    @staticmethod
    def resolve_held(obj: Event) -> bool:
        return obj.held_at is not None

    @staticmethod
    def resolve_url(obj: Event, context: dict[str, Any]) -> str:
        return absolute_link(obj, context)

    @staticmethod
    def resolve_ics_url(obj: Event, context: dict[str, Any]) -> str:
        path = reverse("meetings:event_ics", args=[obj.community.slug, obj.pk])
        return str(context["request"].build_absolute_uri(path))


def _answers(obj: Event, context: dict[str, Any]) -> Any:
    """Who answered what, read once per event for the three lists that show it."""
    found = context.setdefault("rsvps_by_event", {})
    if obj.pk not in found:
        found[obj.pk] = selectors.rsvps_by_status(obj)
    return found[obj.pk]


class EventDetailOut(EventOut):
    notes: str
    notes_html: str
    my_rsvp: str | None
    waitlist_position: int | None
    going: list[PersonOut]
    maybe: list[PersonOut]
    waitlist: list[PersonOut]
    attendees: list[PersonOut]

    @staticmethod
    def resolve_my_rsvp(obj: Event, context: dict[str, Any]) -> str | None:
        mine = selectors.rsvp_of(context["request"].user, obj)
        return mine.status if mine else None

    @staticmethod
    def resolve_waitlist_position(obj: Event, context: dict[str, Any]) -> int | None:
        return selectors.waitlist_position(obj, context["request"].user)

    @staticmethod
    def resolve_going(obj: Event, context: dict[str, Any]) -> list[Any]:
        return [r.user for r in _answers(obj, context)[RsvpStatus.GOING]]

    @staticmethod
    def resolve_maybe(obj: Event, context: dict[str, Any]) -> list[Any]:
        return [r.user for r in _answers(obj, context)[RsvpStatus.MAYBE]]

    @staticmethod
    def resolve_waitlist(obj: Event, context: dict[str, Any]) -> list[Any]:
        return [r.user for r in _answers(obj, context)[RsvpStatus.WAITLISTED]]

    @staticmethod
    def resolve_attendees(obj: Event) -> list[Any]:
        return list(selectors.attendees(obj))


class RsvpIn(Strict):
    status: Literal["going", "maybe", "not_going"]


class RsvpOut(Schema):
    event_id: int
    status: str = Field(description="going, maybe, not_going or waitlisted.")
    waitlist_position: int | None


class AttendanceIn(Strict):
    present: list[Username] = Field(max_length=10_000, description="Usernames of who was there.")


class AttendanceOut(Schema):
    event_id: int
    present: list[PersonOut]


class NotesIn(Strict):
    notes: str = Field(max_length=50_000, description="Markdown.")


class OptInOut(Schema):
    community: str
    opted_in: bool


class ColleagueOut(PersonOut):
    department: str
    expertise: list[str]

    @staticmethod
    def resolve_expertise(obj: Any) -> list[str]:
        return [e.name for e in obj.expertise.all()]


class PairOut(Schema):
    id: int
    round_id: int
    paired_at: datetime
    others: list[ColleagueOut]
    shared_tags: list[str]
    met_at: datetime | None

    @staticmethod
    def resolve_paired_at(obj: Any) -> datetime:
        paired: datetime = obj.round.created_at
        return paired

    @staticmethod
    def resolve_others(obj: Any, context: dict[str, Any]) -> list[Any]:
        """Who the reader meets: everyone in the pair but them."""
        return list(selectors.others_in(obj, context["request"].user))


class RoundOut(Schema):
    id: int
    community: str
    created_at: datetime
    groups: list[list[PersonOut]]

    @staticmethod
    def resolve_community(obj: Any) -> str:
        return str(obj.community.slug)

    @staticmethod
    def resolve_groups(obj: Any) -> list[list[Any]]:
        pairs = obj.pairs.prefetch_related("members").order_by("id")
        return [list(pair.members.all()) for pair in pairs]
