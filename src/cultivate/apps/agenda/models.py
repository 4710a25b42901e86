"""The community's agenda and its help requests.

A Topic is a candidate the members propose; a coordinator ranks candidates with a decisions poll
(Prioritisation) and schedules one into a time box with an owner, which starts its deliverable:
a best-practice document. Its status is never stored: it follows from the box's end and the
document's publication (see `timeline.py`).

A HelpRequest asks the community for input by a date; members answer with HelpContributions.
A contribution, or an answer from the Q&A, can be promoted into a section of a best practice.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cultivate.apps.communities.models import Community


class Topic(models.Model):
    """A topic the community could work on next, and once scheduled, its time box and owner."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    why = models.TextField()
    why_html = models.TextField(editable=False)
    deliverable = models.CharField(
        max_length=300, blank=True, help_text=gettext_lazy("What the proposer expects at the end.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_at = models.DateTimeField(null=True, blank=True)
    document = models.OneToOneField(
        "practices.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_topic",
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["community", "created_at"]),
            models.Index(fields=["community", "ends_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agenda:topic", args=[self.community.slug, self.pk])

    @property
    def is_scheduled(self) -> bool:
        return self.scheduled_at is not None


class Prioritisation(models.Model):
    """A decisions poll whose options are candidate topics; its tally ranks them."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    proposal = models.OneToOneField(
        "decisions.Proposal", on_delete=models.CASCADE, related_name="agenda_prioritisation"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self) -> str:
        return f"Prioritisation {self.pk} of {self.community_id}"


class HelpRequest(models.Model):
    """ "I need input on X by <date>": open until the end of `due`, closed after it."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    due = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    contribution_count = models.PositiveIntegerField(default=0)
    # Set by the daily job once it has told the requester the request closed (status is derived).
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "-created_at"]),
            models.Index(
                fields=["due"], condition=models.Q(closed_at__isnull=True), name="help_to_close"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agenda:help_request", args=[self.community.slug, self.pk])

    def is_open(self, today: date | None = None) -> bool:
        """Tell whether contributions are still welcome: through the due date, not after."""
        return (today or timezone.localdate()) <= self.due


class HelpContribution(models.Model):
    """A member's input on a help request; the requester may thank them and accept it."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="contributions")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    thanked_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Contribution {self.pk} to {self.request_id}"

    def get_absolute_url(self) -> str:
        return f"{self.request.get_absolute_url()}#contribution-{self.pk}"


class Promotion(models.Model):
    """A help contribution or a Q&A answer turned into a section of a best practice."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey("practices.Document", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey("practices.Revision", on_delete=models.CASCADE, related_name="+")
    contribution = models.ForeignKey(
        HelpContribution,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="promotions",
    )
    answer = models.ForeignKey(
        "sharing.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(contribution__isnull=False, answer__isnull=True)
                    | models.Q(contribution__isnull=True, answer__isnull=False)
                ),
                name="promotion_has_one_source",
            ),
            models.UniqueConstraint(
                fields=["document", "contribution"], name="one_promotion_per_contribution"
            ),
            models.UniqueConstraint(fields=["document", "answer"], name="one_promotion_per_answer"),
        ]
