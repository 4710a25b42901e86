"""Changing or calling off an event: the people who answered are told, calendars follow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cultivate.apps.meetings.changes import event_cancel, event_update
from cultivate.apps.meetings.ical import calendar_bytes
from cultivate.apps.meetings.models import RsvpStatus
from cultivate.apps.meetings.services import rsvp_set
from cultivate.apps.notifications.models import Kind, Notification


def _values(event, **changes):
    values = {
        "title": event.title,
        "starts_at": event.local_start.replace(tzinfo=None),
        "ends_at": event.local_end.replace(tzinfo=None),
        "time_zone": event.time_zone,
        "kind": event.kind,
        "location": event.location,
        "description": event.description,
    }
    values.update(changes)
    return values


def _ics(event) -> str:
    data = calendar_bytes([event], name="c", url_of=lambda e: "https://x/e", domain="x")
    return data.decode()


def test_a_new_time_tells_who_answered_and_moves_the_calendar_sequence(
    make_event, coordinator, member
):
    event = make_event(description="Bring **gloves** and [the form](https://x/f).")
    rsvp_set(event=event, user=member, status=RsvpStatus.GOING)
    assert "SEQUENCE:0" in _ics(event)
    assert "**" not in _ics(event)  # the description reads as text, not Markdown

    later = event.local_start.replace(tzinfo=None) + timedelta(hours=2)
    event_update(
        event=event,
        by=coordinator,
        **_values(event, starts_at=later, ends_at=later + timedelta(hours=1)),
    )

    notice = Notification.objects.get(recipient=member, kind=Kind.EVENT)
    assert "changed: now" in notice.summary
    assert "SEQUENCE:1" in _ics(event)
    event_update(event=event, by=coordinator, **_values(event, title="Bearing clinic, again"))
    assert Notification.objects.filter(recipient=member).count() == 1  # a title alone: no notice


def test_cancelling_tells_who_answered_closes_answers_and_marks_the_calendar(
    make_event, coordinator, member
):
    event = make_event()
    rsvp_set(event=event, user=member, status=RsvpStatus.MAYBE)
    with pytest.raises(ValidationError):
        event_cancel(event=event, by=coordinator, reason="  ")

    event_cancel(event=event, by=coordinator, reason="The hall is flooded.")

    assert (
        "is cancelled: The hall is flooded." in Notification.objects.get(recipient=member).summary
    )
    ics = _ics(event)
    assert "STATUS:CANCELLED" in ics
    assert "SEQUENCE:1" in ics
    with pytest.raises(ValidationError):
        rsvp_set(event=event, user=member, status=RsvpStatus.GOING)
    with pytest.raises(ValidationError):
        event_update(event=event, by=coordinator, **_values(event))


def test_only_the_host_or_a_coordinator_changes_an_event(make_event, member):
    event = make_event()
    with pytest.raises(PermissionDenied):
        event_cancel(event=event, by=member, reason="No.")


def test_the_pages_let_the_host_change_and_cancel(client, make_event, coordinator, member):
    event = make_event()
    slug = event.community.slug
    client.force_login(coordinator)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("meetings:event_edit", args=[slug, event.pk]) in page
    assert 'data-testid="cancel-event"' in page
    form = client.get(reverse("meetings:event_edit", args=[slug, event.pk])).content.decode()
    assert f'value="{event.title}"' in form

    client.post(reverse("meetings:event_cancel", args=[slug, event.pk]), {"reason": "Flooded."})

    page = client.get(event.get_absolute_url()).content.decode()
    assert 'data-testid="cancelled"' in page
    assert "This event is cancelled: Flooded." in page
    client.force_login(member)
    assert (
        reverse("meetings:event_edit", args=[slug, event.pk])
        not in client.get(event.get_absolute_url()).content.decode()
    )
