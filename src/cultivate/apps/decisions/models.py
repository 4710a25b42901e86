"""Joint decisions and their implementation: proposals, stances (with their history), poll
options, outcomes, and the action items that carry a decision out."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cultivate.apps.communities.models import Community


class Process(models.TextChoices):
    CONSENT = "consent", gettext_lazy("Consent: agree, abstain, disagree or block")
    POLL = "poll", gettext_lazy("Poll: choose one option")


class ConsentStance(models.TextChoices):
    AGREE = "agree", gettext_lazy("Agree")
    ABSTAIN = "abstain", gettext_lazy("Abstain")
    DISAGREE = "disagree", gettext_lazy("Disagree")
    BLOCK = "block", gettext_lazy("Block")


class Proposal(models.Model):
    """Something the community decides together, by consent or by a poll, before a deadline."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    process = models.CharField(max_length=8, choices=Process.choices)
    deadline = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(blank=True)
    outcome_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:proposal", args=[self.community.slug, self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def is_past_deadline(self, at: datetime | None = None) -> bool:
        return (at or timezone.now()) >= self.deadline


class PollOption(models.Model):
    """One choice in a poll; it may point at the thing it stands for (an agenda topic, say)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "position"], name="one_option_per_position")
        ]

    def __str__(self) -> str:
        return self.label


class Stance(models.Model):
    """A member's current stance on a proposal (consent) or vote (poll): one per person."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="stances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stance = models.CharField(max_length=8, choices=ConsentStance.choices, blank=True)
    option = models.ForeignKey(
        PollOption, null=True, blank=True, on_delete=models.CASCADE, related_name="stances"
    )
    reason = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_stance_per_person"),
            models.CheckConstraint(
                condition=(
                    models.Q(option__isnull=True) & ~models.Q(stance="")
                    | models.Q(option__isnull=False) & models.Q(stance="")
                ),
                name="stance_is_a_consent_or_an_option",
            ),
        ]

    @property
    def choice_label(self) -> str:
        return self.option.label if self.option is not None else self.get_stance_display()


class StanceChange(models.Model):
    """Every stance a person took on a proposal, in order: the history that changes keep."""

    stance_row = models.ForeignKey(Stance, on_delete=models.CASCADE, related_name="changes")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stance = models.CharField(max_length=8, choices=ConsentStance.choices, blank=True)
    option = models.ForeignKey(
        PollOption, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(max_length=2000, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["proposal", "user", "at"])]

    @property
    def choice_label(self) -> str:
        return self.option.label if self.option is not None else self.get_stance_display()


class ActionStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Open")
    DOING = "doing", gettext_lazy("Doing")
    DONE = "done", gettext_lazy("Done")


class ActionItem(models.Model):
    """A piece of work one member owns, often carrying out a decision's outcome."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="action_items"
    )
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_items"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    due = models.DateField()
    status = models.CharField(max_length=5, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(
        null=True,
        blank=True,
        help_text=gettext_lazy("The day the owner was last reminded it is overdue."),
    )

    class Meta:
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["community", "status", "due"]),
            models.Index(fields=["status", "due"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('decisions:actions', args=[self.community.slug])}#action-{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE

    def is_overdue(self, today: date | None = None) -> bool:
        return not self.is_done and self.due < (today or timezone.localdate())
