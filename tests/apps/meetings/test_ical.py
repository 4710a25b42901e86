"""Calendar files stay valid whatever people type, and carry the event's own time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from cultivate.apps.meetings.ical import calendar_bytes
from cultivate.apps.meetings.services import event_create

ODD_TITLES = [
    'Grease, oil; and "water" \\ backslash',
    "Line one\nline two\r\nline three",
    "Kaffee ☕ und Kuchen 🍰 — naïve façade",
    "Very long " + "x" * 190,
    "BEGIN:VEVENT\nSUMMARY:injected",
]


def _parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


@pytest.mark.parametrize("title", ODD_TITLES)
def test_odd_characters_in_a_title_still_give_a_valid_file_that_reads_back(
    community, member, title
):
    event = event_create(
        community=community,
        host=member,
        title=title,
        description="Bring: pens, paper; patience.\nAnd *markdown*.",
        starts_at=datetime(2031, 3, 30, 1, 30),  # the night Berlin moves its clocks forward
        ends_at=datetime(2031, 3, 30, 4, 0),
        time_zone="Europe/Berlin",
        location="Hall 3; room 2, by the door",
    )
    data = calendar_bytes(
        [event],
        name="Mechanical Engineering",
        url_of=lambda e: "https://x.test/e/1/",
        domain="x.test",
    )
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded as RFC 5545 asks
    parsed = _parse(data)
    (item,) = parsed.walk("VEVENT")
    assert str(item["summary"]) == event.title == " ".join(title.split())
    assert str(item["location"]) == "Hall 3; room 2, by the door"
    described = str(item["description"])
    assert described.startswith("Bring: pens, paper; patience.\nAnd markdown.")  # text, no marks
    assert item.decoded("dtstart") == event.starts_at
    assert item["dtstart"].params["TZID"] == "Europe/Berlin"
    assert [tz["tzid"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_a_feed_holds_every_event_once_with_each_zone_described_once(community, member):
    events = [
        event_create(
            community=community,
            host=member,
            title=f"Clinic {n}",
            starts_at=datetime(2031, 5, n, 9, 0),
            ends_at=datetime(2031, 5, n, 10, 0),
            time_zone=zone,
            link="https://meet.example.org/clinic",
        )
        for n, zone in ((1, "Asia/Tokyo"), (2, "Asia/Tokyo"), (3, "America/Chicago"))
    ]
    parsed = _parse(
        calendar_bytes(
            events, name="Feed", url_of=lambda e: f"https://x.test/{e.pk}", domain="x.test"
        )
    )
    items = parsed.walk("VEVENT")
    assert [str(i["summary"]) for i in items] == ["Clinic 1", "Clinic 2", "Clinic 3"]
    assert len({str(i["uid"]) for i in items}) == 3
    assert sorted(str(tz["tzid"]) for tz in parsed.walk("VTIMEZONE")) == [
        "America/Chicago",
        "Asia/Tokyo",
    ]
    assert items[0].decoded("dtstart") == datetime(2031, 5, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert "https://meet.example.org/clinic" in str(items[0]["location"])


@pytest.mark.parametrize("title", ODD_TITLES)
def test_the_file_writer_itself_escapes_raw_newlines_and_separators(title):
    from cultivate.apps.meetings.models import Event

    start = datetime(2031, 1, 1, 9, 0, tzinfo=ZoneInfo("UTC"))
    event = Event(
        pk=1,
        title=title,
        description=title,
        starts_at=start,
        ends_at=start.replace(hour=10),
        time_zone="UTC",
        location=title[:300],
    )
    (item,) = _parse(
        calendar_bytes([event], name=title, url_of=lambda e: "https://x.test/", domain="x.test")
    ).walk("VEVENT")
    assert str(item["summary"]) == " ".join(title.split())
    assert str(item["description"]).startswith(title.replace("\r\n", "\n"))
