"""What people are told, what they watch, and which news they also want by e-mail."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from cultivate.apps.communities.models import Community

from .phrases import Phrase


class Kind(models.TextChoices):
    ANSWER = "answer", gettext_lazy("An answer to your question")
    COMMENT = "comment", gettext_lazy("A comment on something you wrote")
    MENTION = "mention", gettext_lazy("Someone mentions you")
    ACCEPTED = "accepted", gettext_lazy("Your answer is accepted")
    WATCHED_QUESTION = (
        "watched_question",
        gettext_lazy("A new question in a community or tag you watch"),
    )
    EVENT = (
        "event",
        gettext_lazy("An event you signed up for: reminders, changes, a seat from the waitlist"),
    )
    COFFEE = "coffee", gettext_lazy("Your coffee pairing")
    DECISION = "decision", gettext_lazy("A proposal to take part in, or its outcome")
    ACTION = "action", gettext_lazy("An action item given to you, or overdue")
    KUDOS = "kudos", gettext_lazy("Kudos to you")
    MILESTONE = "milestone", gettext_lazy("A win or milestone in your community")
    REVIEW = "review", gettext_lazy("A best practice to review, or a review of yours")
    HELP = "help", gettext_lazy("A help request, or a contribution to yours")
    ROUTED = "routed", gettext_lazy("A question you could answer, still unanswered")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    summary = models.CharField(max_length=300, help_text=gettext_lazy("The notice in English."))
    phrase = models.JSONField(
        default=dict,
        blank=True,
        help_text=gettext_lazy("What the notice is worded from when read (phrases.Phrase)."),
    )
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The hourly daily-summary run reads the unread notices of the last days.
            models.Index(
                fields=["created_at"],
                condition=models.Q(read_at__isnull=True),
                name="unread_by_time",
            ),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def text(self) -> str:
        """The notice in the reader's language (older notices keep their stored sentence).

        A phrase that no longer words (its template changed since, or its values) reads as the
        English sentence stored when it was sent, rather than failing the page.
        """
        if not self.phrase:
            return self.summary
        try:
            return Phrase.from_data(self.phrase).worded()[:300]
        except (KeyError, TypeError, ValueError):
            return self.summary


class EmailRhythm(models.TextChoices):
    """How a kind of notice reaches someone by e-mail, besides the app (which shows them all)."""

    DAILY = "daily", gettext_lazy("In a daily summary")
    NOW = "now", gettext_lazy("At once, one e-mail each")
    OFF = "off", gettext_lazy("Never")


def _rhythm(label: StrOrPromise, default: EmailRhythm = EmailRhythm.DAILY) -> models.CharField:  # type: ignore[type-arg]
    return models.CharField(label, max_length=5, choices=EmailRhythm.choices, default=default)


WEEKDAYS = [
    (0, gettext_lazy("Monday")),
    (1, gettext_lazy("Tuesday")),
    (2, gettext_lazy("Wednesday")),
    (3, gettext_lazy("Thursday")),
    (4, gettext_lazy("Friday")),
    (5, gettext_lazy("Saturday")),
    (6, gettext_lazy("Sunday")),
]


class EmailPreferences(models.Model):
    """How each kind of notification also arrives by e-mail: a daily summary unless chosen
    otherwise, so a busy community does not send one mail per event. Event notices are the one
    exception: a reminder, a change or a cancellation must arrive before the event, so they go
    at once unless chosen otherwise."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    answer = _rhythm(gettext_lazy("answers to my questions"))
    comment = _rhythm(gettext_lazy("comments on what I wrote"))
    mention = _rhythm(gettext_lazy("mentions of me"))
    accepted = _rhythm(gettext_lazy("my answer accepted"))
    watched_question = _rhythm(gettext_lazy("new questions I watch"))
    event = _rhythm(gettext_lazy("events I signed up for"), EmailRhythm.NOW)
    coffee = _rhythm(gettext_lazy("my coffee pairings"))
    decision = _rhythm(gettext_lazy("proposals and their outcomes"))
    action = _rhythm(gettext_lazy("action items given to me"))
    kudos = _rhythm(gettext_lazy("kudos to me"))
    milestone = _rhythm(gettext_lazy("wins in my communities"))
    review = _rhythm(gettext_lazy("best-practice reviews"))
    help = _rhythm(gettext_lazy("help requests and contributions"))
    routed = _rhythm(gettext_lazy("unanswered questions I could answer"), EmailRhythm.NOW)
    routing = models.BooleanField(
        gettext_lazy("Send me unanswered questions I could answer"), default=True
    )
    routing_paused_until = models.DateField(gettext_lazy("Pause them until"), null=True, blank=True)
    summary_sent_at = models.DateTimeField(null=True, blank=True)
    """When the last daily summary left; the next one holds what came since."""
    digest_day = models.PositiveSmallIntegerField(
        gettext_lazy("Weekly digest"), null=True, blank=True, default=0, choices=WEEKDAYS
    )
    """The weekday (0 Monday) the weekly digest comes on, in the person's time zone; None: off."""
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    def rhythm(self, kind: str) -> str:
        return str(getattr(self, kind, EmailRhythm.OFF))

    def takes_routed_questions(self, today: date) -> bool:
        """Whether questions may be routed to the person today (not off, not paused)."""
        paused = self.routing_paused_until is not None and self.routing_paused_until >= today
        return self.routing and not paused


class CommunityWatch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="watchers")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="one_watch_per_community")
        ]
