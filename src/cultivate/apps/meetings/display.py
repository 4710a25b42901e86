"""How an event's time reads to people: always in the event's own zone, and naming it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import dateformat

if TYPE_CHECKING:
    from .models import Event

DASH = "\u2013"
"""An en dash: the typographic mark for a range of times."""


def when_text(event: Event) -> str:
    """Return e.g. 'Tue 3 Mar 2026, 14:00-15:30 (Europe/Berlin)'; a second date if it differs."""
    start, end = event.local_start, event.local_end
    day = dateformat.format(start, "D j M Y")  # day and month names in the active language
    if end.date() == start.date():
        span = f"{start:%H:%M}{DASH}{end:%H:%M}"
    else:
        span = f"{start:%H:%M} {DASH} {dateformat.format(end, 'D j M Y')} {end:%H:%M}"
    return f"{day}, {span} ({event.time_zone})"
