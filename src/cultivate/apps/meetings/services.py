"""Writes for meetings: events, RSVPs with a waitlist, attendance, notes and reminders.

Each service checks permission and writes inside one transaction. Only meeting records an
Activity (ATTEND per person present and MEET for the event held): planning and RSVPs do not,
but they change what the community's pages show, so they move its content version
(`communities/freshness.py`) for the cached parts. Coffee pairing lives in `coffee.py`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.activity.services import activity_record
from cultivate.apps.communities.freshness import community_changed
from cultivate.apps.communities.models import Community, Membership, MembershipState
from cultivate.apps.deferred import flush_deferred
from cultivate.apps.notifications.models import Kind
from cultivate.apps.notifications.phrases import phrase
from cultivate.apps.notifications.services import notify
from cultivate.apps.validation import raise_if
from cultivate.core.activity import Verb
from cultivate.core.markup import render_markdown

from .display import when_text
from .models import Attendance, CalendarToken, Event, EventKind, Rsvp, RsvpStatus
from .permissions import (
    check_create_event,
    check_manage_event,
    check_plan_for_another,
    check_rsvp,
)

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

MAX_CAPACITY = 100_000
MAX_TEXT = 50_000
REMINDER_FROM = timedelta(hours=24)
REMINDER_UNTIL = timedelta(hours=48)
"""Reminders go to events starting 24 to 48 hours after the job runs: the day before."""


@functools.cache
def known_zones() -> frozenset[str]:
    """Every IANA zone name, read once: listing them walks the whole time-zone database."""
    return frozenset(available_timezones())


def zone_or_error(errors: dict[str, str], name: str) -> ZoneInfo | None:
    """Return the IANA time zone, or note in `errors` that the name is unknown."""
    name = name.strip()
    if name not in known_zones():
        shown = name[:60] or "(empty)"
        errors["time_zone"] = _(
            "Unknown time zone %(shown)s: use an IANA name such as Europe/Berlin, "
            "America/New_York or UTC."
        ) % {"shown": repr(shown)}
        return None
    return ZoneInfo(name)


def _in_zone(moment: datetime, zone: ZoneInfo) -> datetime:
    """Read a wall-clock time (no offset) in the event's zone; keep an explicit offset as given."""
    return moment.replace(tzinfo=zone) if timezone.is_naive(moment) else moment


def event_values_clean(
    *,
    title: str,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
    location: str,
    link: str,
    capacity: int | None,
    description: str,
) -> dict[str, object]:
    """Check every field at once and return the clean values, or raise naming each bad one."""
    errors: dict[str, str] = {}
    title = " ".join(title.split())  # a title is one line, whatever was pasted into it
    if not title:
        errors["title"] = _("Give the event a title.")
    elif len(title) > 200:
        errors["title"] = _("Keep the title under 200 characters (it has %(count)s).") % {
            "count": format(len(title), ",")
        }
    if kind not in EventKind.values:
        errors["kind"] = _("Choose one of %(join)s.") % {"join": ", ".join(EventKind.values)}
    zone = zone_or_error(errors, time_zone)
    start = end = None
    if zone is not None:
        start, end = _in_zone(starts_at, zone), _in_zone(ends_at, zone)
        if end <= start:
            errors["ends_at"] = _(
                "The event ends (%(end)s) before it starts (%(start)s): choose an end after the "
                "start."
            ) % {
                "end": dateformat.format(timezone.localtime(end, zone), "d M Y H:i"),
                "start": dateformat.format(timezone.localtime(start, zone), "d M Y H:i"),
            }
    if capacity is not None and capacity < 1:
        errors["capacity"] = _(
            "Capacity must be at least 1 seat (got %(capacity)s); leave it empty for no limit."
        ) % {"capacity": capacity}
    elif capacity is not None and capacity > MAX_CAPACITY:
        errors["capacity"] = _("Capacity can be at most %(max_capacity)s seats.") % {
            "max_capacity": format(MAX_CAPACITY, ",")
        }
    location, link = location.strip(), link.strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors["link"] = _(
                "The link must be a full web address starting with https:// or http://."
            )
    if not location and not link:
        errors["location"] = _("Give a place or a link, so people know where to meet.")
    if len(location) > 300:
        errors["location"] = _("Keep the place under 300 characters.")
    if len(description) > MAX_TEXT:
        errors["description"] = _("Keep the description under %(max_text)s characters.") % {
            "max_text": format(MAX_TEXT, ",")
        }
    raise_if(errors)
    assert zone is not None
    return {
        "title": title,
        "kind": kind,
        "starts_at": start.astimezone(UTC) if start else None,
        "ends_at": end.astimezone(UTC) if end else None,
        "time_zone": zone.key,
        "location": location,
        "link": link,
        "capacity": capacity,
        "description": description.strip(),
    }


def event_create(
    *,
    community: Community,
    host: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
    kind: str = EventKind.MEETUP,
    location: str = "",
    link: str = "",
    capacity: int | None = None,
    description: str = "",
    at: datetime | None = None,
    by: User | None = None,
) -> Event:
    """Invite the community to meet; naive times are read in the event's own time zone.

    `at` dates the invitation when history is replayed (the demo); it defaults to now. `by` is
    a coordinator planning it for another member to host: the host is told.
    """
    check_create_event(host, community)
    if by is not None and by.pk != host.pk:
        check_plan_for_another(by, community)
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
    with transaction.atomic():
        event = Event.objects.create(
            community=community,
            host=host,
            description_html=render_markdown(str(values["description"])),
            created_at=at or timezone.now(),
            **values,
        )
        community_changed(community.pk)
        if by is not None and by.pk != host.pk:
            notify(
                recipient_ids=[host.pk],
                kind=Kind.EVENT,
                actor=by,
                community=community,
                summary=phrase(
                    gettext_noop("%(name)s planned %(title)s (%(when_text)s) with you as its host"),
                    name=by.name,
                    title=event.title,
                    when_text=when_text(event),
                ),
                url=event.get_absolute_url(),
                at=at,
            )
    return event


# --- RSVPs and the waitlist ---------------------------------------------------------------------


def rsvp_set(*, event: Event, user: User, status: str, at: datetime | None = None) -> Rsvp:
    """Answer going, maybe or not going; "going" past the capacity joins the waitlist.

    The event row is locked first, so two people taking the last seat at once are served one
    after the other: one gets the seat, the other the waitlist.
    """
    community = event.community
    check_rsvp(user, community)
    if status not in (RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.NOT_GOING):
        raise ValidationError({"status": _("Answer going, maybe or not_going.")})
    now = at or timezone.now()
    if event.is_cancelled:
        raise ValidationError(
            {"status": ValidationError(_("This event is cancelled."), code="event_cancelled")}
        )
    if event.has_started(now):
        raise ValidationError(
            {
                "status": ValidationError(
                    _("This event has already started: answers are closed."), code="event_started"
                )
            }
        )
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        rsvp = Rsvp.objects.filter(event=locked, user=user).first()
        previous = rsvp.status if rsvp else None
        if status == RsvpStatus.GOING and previous in (RsvpStatus.GOING, RsvpStatus.WAITLISTED):
            assert rsvp is not None
            return rsvp
        new, waitlisted_at = status, None
        if status == RsvpStatus.GOING and _is_full(locked):
            new, waitlisted_at = RsvpStatus.WAITLISTED, now
        if rsvp is None:
            rsvp = Rsvp.objects.create(
                event=locked, user=user, status=new, waitlisted_at=waitlisted_at, updated_at=now
            )
        else:
            rsvp.status, rsvp.waitlisted_at, rsvp.updated_at = new, waitlisted_at, now
            rsvp.save(update_fields=["status", "waitlisted_at", "updated_at"])
        if previous == RsvpStatus.GOING and new != RsvpStatus.GOING:
            _fill_free_seats(locked, now=now)
        community_changed(community.pk)  # the events list shows how many are going
    return rsvp


def _going_count(event: Event) -> int:
    return Rsvp.objects.filter(event=event, status=RsvpStatus.GOING).count()


def _is_full(event: Event) -> bool:
    return event.capacity is not None and _going_count(event) >= event.capacity


def _fill_free_seats(event: Event, *, now: datetime) -> None:
    """Give free seats to the waitlist, first come first served, and tell each person."""
    while not _is_full(event):
        first = (
            Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLISTED)
            .select_related("user")
            .order_by("waitlisted_at", "id")
            .first()
        )
        if first is None:
            return
        first.status, first.waitlisted_at, first.updated_at = RsvpStatus.GOING, None, now
        first.save(update_fields=["status", "waitlisted_at", "updated_at"])
        notify(
            recipient_ids=[first.user_id],
            kind=Kind.EVENT,
            actor=None,  # Cultivate gives the seat, so the host hears it too
            community=event.community,
            summary=phrase(
                gettext_noop("A seat freed up: you are going to %(title)s (%(when_text)s)"),
                title=event.title,
                when_text=when_text(event),
            ),
            url=event.get_absolute_url(),
            at=now,
        )


# --- after the event ----------------------------------------------------------------------------


def _check_started(event: Event, field: str, what: str, now: datetime) -> None:
    if not event.has_started(now):
        raise ValidationError(
            {
                field: _("%(what)s once the event has started (it starts %(when_text)s).")
                % {"what": what, "when_text": when_text(event)}
            }
        )


def attendance_take(
    *, event: Event, by: User, present_ids: Iterable[int], at: datetime | None = None
) -> list[int]:
    """Record who was there; return their ids. Taking it again corrects the earlier record.

    Each person newly present records one ATTEND, and the first attendance one MEET by the host:
    the event was held. Someone taken off the list loses their ATTEND again.
    """
    community = event.community
    check_manage_event(by, community, event.host_id)
    now = at or timezone.now()
    _check_started(event, "present", _("Attendance is taken"), now)
    present = set(present_ids)
    members = set(
        Membership.objects.filter(
            community=community, state=MembershipState.ACTIVE, user_id__in=present
        ).values_list("user_id", flat=True)
    )
    if present - members:
        count = len(present - members)
        raise ValidationError(
            {
                "present": _(
                    "%(count)s of the people marked present are not members of %(community)s."
                )
                % {"count": count, "community": community}
            }
        )
    meta = {"kind": event.kind}
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        recorded = set(Attendance.objects.filter(event=locked).values_list("user_id", flat=True))
        gone = recorded - present
        if gone:
            flush_deferred()  # the ATTEND to take back may still be waiting to be written
            Attendance.objects.filter(event=locked, user_id__in=gone).delete()
            # a correction, not an act: the mistaken ATTEND must not count for the person
            ActivityRecord.objects.filter(
                verb=Verb.ATTEND.value,
                object_type="event",
                object_pk=locked.pk,
                actor_id__in=gone,
            ).delete()
        newly = sorted(present - recorded)
        Attendance.objects.bulk_create(
            Attendance(event=locked, user_id=user_id, recorded_by=by, recorded_at=now)
            for user_id in newly
        )
        for user_id in newly:
            activity_record(
                verb=Verb.ATTEND,
                actor_id=user_id,
                community_id=community.pk,
                obj=locked,
                at=locked.starts_at,
                meta=meta,
            )
        if present and locked.held_at is None:
            locked.held_at = event.held_at = now
            locked.save(update_fields=["held_at"])
            activity_record(
                verb=Verb.MEET,
                actor_id=locked.host_id,
                community_id=community.pk,
                obj=locked,
                at=locked.starts_at,
                meta=meta,
            )
    return sorted(present)


def event_notes_save(*, event: Event, by: User, notes: str, at: datetime | None = None) -> Event:
    """Keep what was said and decided (markdown) on the event's page; no Activity: the MEET is."""
    check_manage_event(by, event.community, event.host_id)
    _check_started(event, "notes", _("Notes are written"), at or timezone.now())
    if len(notes) > MAX_TEXT:
        raise ValidationError(
            {
                "notes": _("Keep the notes under %(max_text)s characters (they have %(count)s).")
                % {"max_text": format(MAX_TEXT, ","), "count": format(len(notes), ",")}
            }
        )
    with transaction.atomic():
        event.notes = notes.strip()
        event.notes_html = render_markdown(event.notes)
        event.save(update_fields=["notes", "notes_html"])
    return event


# --- reminders and calendar feeds ---------------------------------------------------------------


def event_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the people going to events that start in 24-48 hours; return how many were told.

    Each RSVP is claimed (marked reminded) in the same transaction that notifies, so running the
    job twice, or twice at once, never sends a reminder twice.
    """
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError(f"now {now} is naive; give it a time zone")
    window = {
        "event__starts_at__gte": now + REMINDER_FROM,
        "event__starts_at__lt": now + REMINDER_UNTIL,
    }
    told = 0
    event_ids = set(
        Rsvp.objects.filter(
            status=RsvpStatus.GOING, reminded_at__isnull=True, **window
        ).values_list("event_id", flat=True)
    )
    for event in Event.objects.filter(pk__in=event_ids).select_related("community", "host"):
        with transaction.atomic():
            claimed = list(
                Rsvp.objects.select_for_update(skip_locked=True)
                .filter(event=event, status=RsvpStatus.GOING, reminded_at__isnull=True)
                .values_list("pk", "user_id")
            )
            if not claimed:
                continue
            Rsvp.objects.filter(pk__in=[pk for pk, _ in claimed]).update(reminded_at=now)
            where = event.location or event.link
            told += notify(
                recipient_ids=[user_id for _, user_id in claimed],
                kind=Kind.EVENT,
                actor=None,  # Cultivate reminds: a host who is going hears it too
                community=event.community,
                summary=phrase(
                    gettext_noop("Reminder: %(title)s is on %(when_text)s at %(where)s"),
                    title=event.title,
                    when_text=when_text(event),
                    where=where,
                ),
                url=event.get_absolute_url(),
                at=now,
            )
    return told


def calendar_token_for(*, user: User, community: Community) -> CalendarToken:
    """Return the person's secret for this community's feed, making one the first time."""
    token, _unused = CalendarToken.objects.get_or_create(user=user, community=community)
    return token


def calendar_token_reset(*, user: User, community: Community) -> CalendarToken:
    """Replace the secret, so a feed URL shared by mistake stops working."""
    with transaction.atomic():
        CalendarToken.objects.filter(user=user, community=community).delete()
        return CalendarToken.objects.create(user=user, community=community)
