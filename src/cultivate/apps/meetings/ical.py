"""Events as iCalendar (RFC 5545): one event's .ics file, and a community's subscription feed.

The icalendar library escapes commas, semicolons and newlines and folds long lines, so any
title a person types stays a valid file; times carry their zone (TZID plus its VTIMEZONE).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import icalendar
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cultivate.core.markup import plain_text

from .models import Event

PRODID = "-//Cultivate//Communities of practice//EN"


def _one_line(text: str) -> str:
    """Return the text on one line: a summary or a name never spans lines in a calendar."""
    return " ".join(text.split())


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", icalendar.vText(_one_line(name)))
    return calendar


def _component(event: Event, url: str, domain: str, stamp: datetime) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"event-{event.pk}@{domain}")
    item.add("dtstamp", stamp)
    item.add("dtstart", event.local_start)
    item.add("dtend", event.local_end)
    item.add("summary", _one_line(event.title))
    # Calendars show the description as plain text: the Markdown's words, not its marks.
    lines = event.description.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    description = "\n".join(plain_text(line, limit=4000) for line in lines).strip()
    details = [description] if description else []
    if event.is_cancelled:
        details.insert(0, _("Cancelled: %(reason)s") % {"reason": event.cancel_reason})
    if event.link:
        details.append(_("Join: %(link)s") % {"link": event.link})
    details.append(_("Details and RSVP: %(url)s") % {"url": url})
    item.add("description", "\n\n".join(details))
    item.add("location", _one_line(event.location) or event.link)
    item.add("url", url)
    item.add("categories", [event.get_kind_display()])
    item.add("sequence", event.sequence)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return item


def calendar_bytes(
    events: Iterable[Event], *, name: str, url_of: Callable[[Event], str], domain: str
) -> bytes:
    """Return the events as one iCalendar file, each time zone described once."""
    calendar = _calendar(name)
    stamp = datetime.now(UTC)
    for event in events:
        calendar.add_component(_component(event, url_of(event), domain, stamp))
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def ics_filename(event: Event) -> str:
    """Return a safe download name: the event's id and a plain slug of its title."""
    return f"{slugify(event.title)[:60] or 'event'}-{event.pk}.ics"
