"""Event services against the real database: validation, RSVPs, waitlist, attendance, reminders."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.meetings.display import when_text
from cultivate.apps.meetings.models import Attendance, Rsvp, RsvpStatus
from cultivate.apps.meetings.services import (
    attendance_take,
    event_create,
    event_notes_save,
    event_reminders_send,
    rsvp_set,
)
from cultivate.apps.notifications.models import Notification


def _status(event, user) -> str:
    return Rsvp.objects.get(event=event, user=user).status


# --- creating an event ---------------------------------------------------------------------------


def test_a_wall_clock_time_is_read_in_the_events_time_zone(community, member):
    event = event_create(
        community=community,
        host=member,
        title="Coffee",
        kind="coffee",
        starts_at=datetime(2031, 7, 1, 9, 30),
        ends_at=datetime(2031, 7, 1, 10, 0),
        time_zone="America/New_York",
        link="https://meet.example.org/coffee",
    )
    assert event.starts_at == datetime(2031, 7, 1, 13, 30, tzinfo=ZoneInfo("UTC"))
    assert when_text(event) == "Tue 1 Jul 2031, 09:30\u201310:00 (America/New_York)"
    assert not ActivityRecord.objects.filter(
        object_type="event"
    ).exists()  # planning is not meeting


def test_an_event_ending_before_it_starts_is_refused_with_a_clear_message(community, member):
    with pytest.raises(ValidationError) as error:
        event_create(
            community=community,
            host=member,
            title="Backwards",
            starts_at=datetime(2031, 7, 1, 10, 0),
            ends_at=datetime(2031, 7, 1, 9, 0),
            time_zone="Europe/Berlin",
            location="Hall 1",
        )
    message = error.value.message_dict["ends_at"][0]
    assert "ends (01 Jul 2031 09:00) before it starts (01 Jul 2031 10:00)" in message


@pytest.mark.parametrize("capacity", [0, -3])
def test_a_capacity_below_one_is_refused(community, member, capacity):
    with pytest.raises(ValidationError) as error:
        event_create(
            community=community,
            host=member,
            title="Tiny",
            starts_at=datetime(2031, 7, 1, 9, 0),
            ends_at=datetime(2031, 7, 1, 10, 0),
            time_zone="UTC",
            location="Hall 1",
            capacity=capacity,
        )
    assert "at least 1 seat" in error.value.message_dict["capacity"][0]


def test_an_unknown_time_zone_is_refused_naming_it(community, member):
    with pytest.raises(ValidationError) as error:
        event_create(
            community=community,
            host=member,
            title="Somewhere",
            starts_at=datetime(2031, 7, 1, 9, 0),
            ends_at=datetime(2031, 7, 1, 10, 0),
            time_zone="Mars/Olympus_Mons",
            location="Crater",
        )
    assert "Unknown time zone 'Mars/Olympus_Mons'" in error.value.message_dict["time_zone"][0]


def test_an_event_needs_a_place_or_a_link_and_a_real_link(community, member):
    with pytest.raises(ValidationError) as error:
        event_create(
            community=community,
            host=member,
            title="Nowhere",
            starts_at=datetime(2031, 7, 1, 9, 0),
            ends_at=datetime(2031, 7, 1, 10, 0),
            time_zone="UTC",
            link="javascript:alert(1)",
        )
    assert set(error.value.message_dict) == {"link"}
    with pytest.raises(ValidationError) as error:
        event_create(
            community=community,
            host=member,
            title="Nowhere",
            starts_at=datetime(2031, 7, 1, 9, 0),
            ends_at=datetime(2031, 7, 1, 10, 0),
            time_zone="UTC",
        )
    assert set(error.value.message_dict) == {"location"}


def test_a_non_member_cannot_create_an_event(community, outsider):
    with pytest.raises(PermissionDenied):
        event_create(
            community=community,
            host=outsider,
            title="Crash the party",
            starts_at=datetime(2031, 7, 1, 9, 0),
            ends_at=datetime(2031, 7, 1, 10, 0),
            time_zone="UTC",
            location="Hall 1",
        )


# --- RSVPs and the waitlist ----------------------------------------------------------------------


def test_going_past_the_capacity_joins_the_waitlist(make_event, members):
    event = make_event(capacity=2)
    first, second, third, fourth = members
    assert rsvp_set(event=event, user=first, status="going").status == RsvpStatus.GOING
    assert rsvp_set(event=event, user=second, status="going").status == RsvpStatus.GOING
    assert rsvp_set(event=event, user=third, status="going").status == RsvpStatus.WAITLISTED
    assert rsvp_set(event=event, user=fourth, status="maybe").status == RsvpStatus.MAYBE
    assert not ActivityRecord.objects.filter(object_type__in=["event", "rsvp"]).exists()


def test_when_a_going_person_withdraws_the_first_on_the_waitlist_gets_the_seat_and_is_told(
    make_event, members
):
    event = make_event(capacity=1)
    going, first_waiting, second_waiting, _ = members
    rsvp_set(event=event, user=going, status="going")
    rsvp_set(event=event, user=first_waiting, status="going")
    rsvp_set(event=event, user=second_waiting, status="going")
    rsvp_set(event=event, user=going, status="not_going")
    assert _status(event, first_waiting) == RsvpStatus.GOING
    assert _status(event, second_waiting) == RsvpStatus.WAITLISTED
    notice = Notification.objects.get(recipient=first_waiting)
    assert notice.kind == "event"
    assert notice.summary.startswith("A seat freed up: you are going to Bearing clinic")
    assert not Notification.objects.filter(recipient=second_waiting).exists()


def test_leaving_the_waitlist_frees_no_seat_and_saying_going_twice_keeps_your_place(
    make_event, members
):
    event = make_event(capacity=1)
    going, waiting, _, _ = members
    rsvp_set(event=event, user=going, status="going")
    rsvp_set(event=event, user=waiting, status="going")
    rsvp_set(event=event, user=waiting, status="going")
    assert _status(event, waiting) == RsvpStatus.WAITLISTED
    rsvp_set(event=event, user=waiting, status="maybe")
    assert _status(event, going) == RsvpStatus.GOING
    assert not Notification.objects.exists()


def test_nobody_answers_once_the_event_has_started(make_event, member):
    event = make_event(in_hours=-1, hours=2)
    with pytest.raises(ValidationError) as error:
        rsvp_set(event=event, user=member, status="going")
    assert "already started" in error.value.message_dict["status"][0]


def test_only_members_answer_and_only_known_answers(make_event, member, outsider):
    event = make_event()
    with pytest.raises(PermissionDenied):
        rsvp_set(event=event, user=outsider, status="going")
    with pytest.raises(ValidationError):
        rsvp_set(event=event, user=member, status="waitlisted")


# --- after the event -----------------------------------------------------------------------------


def test_taking_attendance_records_one_attend_per_person_and_one_meet(
    make_event, members, coordinator
):
    event = make_event(in_hours=-3, kind="working_session")
    present = [m.pk for m in members[:3]]
    attendance_take(event=event, by=coordinator, present_ids=present)
    attends = ActivityRecord.objects.filter(verb="attend", object_pk=event.pk)
    assert sorted(attends.values_list("actor_id", flat=True)) == sorted(present)
    assert {a.meta["kind"] for a in attends} == {"working_session"}
    meet = ActivityRecord.objects.get(verb="meet")
    assert (meet.actor_id, meet.object_type, meet.meta) == (
        coordinator.pk,
        "event",
        {"kind": "working_session"},
    )
    assert meet.at == event.starts_at


def test_taking_attendance_again_corrects_it_without_a_second_meet(
    make_event, members, coordinator
):
    event = make_event(in_hours=-3)
    attendance_take(event=event, by=coordinator, present_ids=[m.pk for m in members[:3]])
    attendance_take(event=event, by=coordinator, present_ids=[members[0].pk, members[3].pk])
    assert set(Attendance.objects.values_list("user_id", flat=True)) == {
        members[0].pk,
        members[3].pk,
    }
    assert set(ActivityRecord.objects.filter(verb="attend").values_list("actor_id", flat=True)) == {
        members[0].pk,
        members[3].pk,
    }
    assert ActivityRecord.objects.filter(verb="meet").count() == 1


def test_attendance_is_for_the_host_or_a_coordinator_after_the_start(make_event, members, outsider):
    host, other = members[0], members[1]
    event = make_event(host=host, in_hours=2)
    with pytest.raises(ValidationError) as error:
        attendance_take(event=event, by=host, present_ids=[other.pk])
    assert "once the event has started" in error.value.message_dict["present"][0]
    past = make_event(host=host, in_hours=-2)
    with pytest.raises(PermissionDenied):
        attendance_take(event=past, by=other, present_ids=[other.pk])
    with pytest.raises(ValidationError) as error:
        attendance_take(event=past, by=host, present_ids=[outsider.pk])
    assert "not members" in error.value.message_dict["present"][0]
    assert attendance_take(event=past, by=host, present_ids=[other.pk]) == [other.pk]


def test_notes_are_markdown_rendered_safely_after_the_event(make_event, coordinator):
    event = make_event(in_hours=-2)
    event_notes_save(
        event=event, by=coordinator, notes="**Decided**: grease weekly <script>x()</script>"
    )
    event.refresh_from_db()
    assert "<strong>Decided</strong>" in event.notes_html
    assert "<script>" not in event.notes_html
    with pytest.raises(ValidationError):
        event_notes_save(event=make_event(in_hours=5), by=coordinator, notes="Too early")


# --- reminders -----------------------------------------------------------------------------------


def test_the_reminder_goes_once_to_going_people_of_events_starting_the_day_after(
    make_event, members, django_capture_on_commit_callbacks
):
    tomorrow = make_event(in_hours=30, title="Tomorrow's clinic")
    today = make_event(in_hours=5, title="Today's clinic")
    later = make_event(in_hours=60, title="Later clinic")
    going, maybe, _, _ = members
    for event in (tomorrow, today, later):
        rsvp_set(event=event, user=going, status="going")
    rsvp_set(event=tomorrow, user=maybe, status="maybe")
    with django_capture_on_commit_callbacks(execute=True):
        assert event_reminders_send(now=timezone.now()) == 1
    assert [m.to for m in mail.outbox] == [[going.email]]
    assert "Reminder: Tomorrow's clinic" in mail.outbox[0].subject
    assert "(Europe/Berlin)" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert event_reminders_send(now=timezone.now() + timedelta(minutes=30)) == 0
    assert len(mail.outbox) == 1
    # someone who says "going" after the reminder went out still gets one
    rsvp_set(event=tomorrow, user=maybe, status="going")
    assert event_reminders_send(now=timezone.now()) == 1


def test_reminders_refuse_a_time_without_a_zone(db):
    with pytest.raises(ValueError, match="naive"):
        event_reminders_send(now=datetime(2031, 1, 1))


def test_the_reminder_job_runs_from_the_management_command(
    make_event, member, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    event = make_event(in_hours=30)
    rsvp_set(event=event, user=member, status="going")
    call_command("send_event_reminders")
    assert Rsvp.objects.get(event=event, user=member).reminded_at is not None
    assert Notification.objects.filter(recipient=member, kind="event").count() == 1
