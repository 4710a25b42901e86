"""Communities of practice, who belongs to them, and the record of how they are moderated."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy


class Visibility(models.TextChoices):
    PUBLIC = "public", gettext_lazy("Public: anyone can read and join")
    PRIVATE = (
        "private",
        gettext_lazy("Private: only members see it; joining needs approval or an invitation"),
    )


class Community(models.Model):
    """A group of people who share a practice and learn from each other."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    practice = models.CharField(
        max_length=120, help_text=gettext_lazy("The profession or passion the members share.")
    )
    description = models.TextField(max_length=4000, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_count = models.PositiveIntegerField(default=0, editable=False)
    content_version = models.PositiveBigIntegerField(default=0, editable=False)
    """Counts the writes to the community's content: cached page parts are keyed by it
    (`freshness.py`), so a write makes every process render them anew."""
    route_after_hours = models.PositiveSmallIntegerField(
        gettext_lazy("Route unanswered questions after (hours)"),
        default=24,
        help_text=gettext_lazy(
            "A question nobody answered in this many hours is offered to the three members "
            "most likely to know; 0 turns routing off."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sharing:home", args=[self.slug])

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE


class Role(models.TextChoices):
    COORDINATOR = "coordinator", gettext_lazy("Coordinator")
    MEMBER = "member", gettext_lazy("Member")


class MembershipState(models.TextChoices):
    ACTIVE = "active", gettext_lazy("Member")
    REQUESTED = "requested", gettext_lazy("Asked to join")
    INVITED = "invited", gettext_lazy("Invited")


class Membership(models.Model):
    """A person's place in a community: requested, invited, or an active member with a role."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(
        max_length=10, choices=MembershipState.choices, default=MembershipState.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_by_directory = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Given by a group at the company's identity provider: it ends when the group does."
        ),
    )
    directory_role = models.CharField(
        max_length=12,
        blank=True,
        choices=Role.choices,
        help_text=gettext_lazy(
            "The role a group at the company's identity provider gave; it goes with the group."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_membership_per_person")
        ]
        indexes = [
            models.Index(fields=["user", "state"]),
            models.Index(fields=["community", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.role}, {self.state})"

    @property
    def is_active(self) -> bool:
        return self.state == MembershipState.ACTIVE

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and self.role == Role.COORDINATOR


class Flag(models.Model):
    """A member's report that a piece of content needs a coordinator's eye."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="flags")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content = GenericForeignKey("content_type", "object_id")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "flagged_by"], name="one_flag_per_person"
            )
        ]


class ModerationAction(models.TextChoices):
    HIDE = "hide", gettext_lazy("Hid content")
    RESTORE = "restore", gettext_lazy("Restored content")
    REMOVE_MEMBER = "remove_member", gettext_lazy("Removed a member")
    APPROVE = "approve", gettext_lazy("Approved a request to join")
    DECLINE = "decline", gettext_lazy("Declined a request to join")
    INVITE = "invite", gettext_lazy("Invited a person")
    PROMOTE = "promote", gettext_lazy("Made a coordinator")


class ModerationLogEntry(models.Model):
    """One act of moderation, kept forever so a community can see how it is governed."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="moderation_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=ModerationAction.choices)
    subject = models.CharField(
        max_length=300, help_text=gettext_lazy("What was acted on, in words.")
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
