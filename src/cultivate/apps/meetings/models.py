"""Meetings: events people attend together, their RSVPs and attendance, and coffee pairing."""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cultivate.apps.communities.models import Community


class EventKind(models.TextChoices):
    COFFEE = "coffee", gettext_lazy("Coffee chat")
    MEETUP = "meetup", gettext_lazy("Meetup")
    WORKING_SESSION = "working_session", gettext_lazy("Working session (sitting together)")
    WEBINAR = "webinar", gettext_lazy("Webinar")


class Event(models.Model):
    """A time people meet, in person or online; times are stored in UTC, shown in `time_zone`."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="events")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=EventKind.choices, default=EventKind.MEETUP)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    description_html = models.TextField(blank=True, editable=False)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    time_zone = models.CharField(
        max_length=64, help_text=gettext_lazy("An IANA name, e.g. Europe/Berlin.")
    )
    location = models.CharField(max_length=300, blank=True)
    link = models.URLField(max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text=gettext_lazy("Empty: no limit.")
    )
    notes = models.TextField(blank=True)
    notes_html = models.TextField(blank=True, editable=False)
    held_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy("Set when attendance is first taken: the event happened."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    sequence = models.PositiveIntegerField(
        default=0,
        help_text=gettext_lazy("How often it changed: calendars take the highest as the latest."),
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["community", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="event_capacity_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:event", args=[self.community.slug, self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_end(self) -> datetime:
        return timezone.localtime(self.ends_at, self.zone)

    def has_started(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())


class RsvpStatus(models.TextChoices):
    GOING = "going", gettext_lazy("Going")
    MAYBE = "maybe", gettext_lazy("Maybe")
    NOT_GOING = "not_going", gettext_lazy("Not going")
    WAITLISTED = "waitlisted", gettext_lazy("On the waitlist")


class Rsvp(models.Model):
    """A person's answer to an event; "going" past the capacity puts them on the waitlist."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=RsvpStatus.choices)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_rsvp_per_person")
        ]
        indexes = [models.Index(fields=["event", "status"])]


class Attendance(models.Model):
    """Someone who was there, as the host or a coordinator recorded after the event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_attendance_per_person")
        ]


def _new_secret() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """A person's secret for one community's calendar feed: a calendar app cannot log in, so
    the URL must, and a URL that leaks opens that one community's events, not all of theirs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    secret = models.CharField(max_length=64, unique=True, default=_new_secret)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="one_calendar_secret_per_community"
            )
        ]


class CoffeeOptIn(models.Model):
    """A member who wants to be paired for coffee in the community's rounds."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_coffee_opt_in")
        ]


class CoffeeRound(models.Model):
    """One pairing of everyone opted in; `run_by` is empty when the scheduler ran it."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seed = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]


class CoffeePair(models.Model):
    """Two people (three when the count was odd) asked to meet for coffee this round."""

    round = models.ForeignKey(CoffeeRound, on_delete=models.CASCADE, related_name="pairs")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="coffee_pairs")
    shared_tags = models.JSONField(
        default=list, help_text=gettext_lazy("Expertise they share, to start with.")
    )
    met_at = models.DateTimeField(null=True, blank=True)
    met_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-round__created_at", "id"]
