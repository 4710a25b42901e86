"""Request and response shapes of the meetings API (imported only by meetings/api.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from cultivate.apps.api.schemas import Paging, PersonOut, Strict

from .models import EventKind

Username = Annotated[str, StringConstraints(max_length=150)]


class EventFilters(Paging):
    past: bool = Field(False, description="Past events, latest first, instead of coming ones.")


class EventIn(Strict):
    title: str = Field(max_length=200)
    kind: EventKind = EventKind.MEETUP
    starts_at: datetime = Field(
        description="ISO 8601. Without an offset it is read in `time_zone` (wall-clock time)."
    )
    ends_at: datetime
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


class EventDetailOut(EventOut):
    notes: str
    notes_html: str
    my_rsvp: str | None
    waitlist_position: int | None
    going: list[PersonOut]
    maybe: list[PersonOut]
    waitlist: list[PersonOut]
    attendees: list[PersonOut]


class EventPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EventOut]


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


class PairOut(Schema):
    id: int
    round_id: int
    paired_at: datetime
    others: list[ColleagueOut]
    shared_tags: list[str]
    met_at: datetime | None


class RoundOut(Schema):
    id: int
    community: str
    created_at: datetime
    groups: list[list[PersonOut]]
