"""Changing an event after people answered it: a new time or place, or calling it off.

Both tell everyone going, waitlisted or maybe, and move the event's `sequence` on, so calendars
that imported the .ics replace their copy (RFC 5545: the highest SEQUENCE wins; a cancelled one
carries STATUS:CANCELLED).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cultivate.apps.communities.freshness import community_changed
from cultivate.apps.notifications.models import Kind
from cultivate.apps.notifications.phrases import Phrase, phrase
from cultivate.apps.notifications.services import notify
from cultivate.core.markup import render_markdown

from .display import when_text
from .models import Event, Rsvp, RsvpStatus
from .permissions import check_manage_event
from .services import event_values_clean

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

_TOLD = (RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.MAYBE)


def _tell_attendees(event: Event, by: User, summary: Phrase, at: datetime) -> int:
    """Tell everyone who answered going, waitlisted or maybe (not the one who changed it)."""
    people = Rsvp.objects.filter(event=event, status__in=_TOLD).values_list("user_id", flat=True)
    return notify(
        recipient_ids=list(people),
        kind=Kind.EVENT,
        actor=by,
        community=event.community,
        summary=summary,
        url=event.get_absolute_url(),
        at=at,
    )


def _check_changeable(event: Event, by: User, now: datetime) -> None:
    check_manage_event(by, event.community, event.host_id)
    if event.is_cancelled:
        raise ValidationError(_("This event is cancelled."), code="event_cancelled")
    if event.has_started(now):
        raise ValidationError(_("This event has started: it can no longer change."))


def event_update(
    *,
    event: Event,
    by: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
    kind: str,
    location: str = "",
    link: str = "",
    capacity: int | None = None,
    description: str = "",
    at: datetime | None = None,
) -> Event:
    """Change an event that has not started; people who answered it are told what changed."""
    now = at or timezone.now()
    _check_changeable(event, by, now)
    values = event_values_clean(
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        location=location,
        link=link,
        capacity=capacity,
        description=description,
    )
    before = (event.starts_at, event.ends_at, event.location, event.link)
    with transaction.atomic():
        for name, value in values.items():
            setattr(event, name, value)
        event.description_html = render_markdown(str(values["description"]))
        event.save()
        Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1)
        event.refresh_from_db(fields=["sequence"])
        if before != (event.starts_at, event.ends_at, event.location, event.link):
            said = phrase(
                gettext_noop("%(title)s changed: now %(when_text)s, %(where)s"),
                title=event.title,
                when_text=when_text(event),
                where=event.location or event.link or _("online"),
            )
            _tell_attendees(event, by, said, now)
        community_changed(event.community_id)
    return event


def event_cancel(*, event: Event, by: User, reason: str, at: datetime | None = None) -> Event:
    """Call an event off, saying why; everyone who answered is told, calendars drop it."""
    now = at or timezone.now()
    _check_changeable(event, by, now)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Say why, so the people coming understand.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    with transaction.atomic():
        Event.objects.filter(pk=event.pk).update(
            cancelled_at=now, cancel_reason=reason, sequence=F("sequence") + 1
        )
        event.refresh_from_db(fields=["cancelled_at", "cancel_reason", "sequence"])
        said = phrase(
            gettext_noop("%(title)s (%(when_text)s) is cancelled: %(reason)s"),
            title=event.title,
            when_text=when_text(event),
            reason=reason,
        )
        _tell_attendees(event, by, said, now)
        community_changed(event.community_id)
    return event
