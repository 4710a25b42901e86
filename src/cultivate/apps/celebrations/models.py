"""Wins a community celebrates: milestones the system notices, kudos people give, and cheers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cultivate.apps.communities.models import Community
from cultivate.apps.notifications.phrases import Phrase


class Milestone(models.Model):
    """Something worth celebrating that the platform noticed; posted once per (community, key)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="milestones")
    key = models.CharField(
        max_length=120,
        help_text=gettext_lazy("What makes it unique, e.g. 'first-accepted-answer:42'."),
    )
    title = models.CharField(max_length=200)
    """In English, for search and the admin; `shown_title` is what a reader reads."""
    title_words = models.JSONField(default=dict, blank=True)
    """The title's phrase (`notifications.phrases`), worded in each reader's language."""
    url = models.CharField(max_length=300, blank=True)
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    cheer_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "key"], name="one_milestone_per_key")
        ]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('celebrations:wins', args=[self.community.slug])}#milestone-{self.pk}"

    @property
    def title_phrase(self) -> Phrase | str:
        """The title to word for a reader: its phrase, or the stored text of an older one."""
        return Phrase.from_data(self.title_words) if self.title_words else self.title

    @property
    def shown_title(self) -> str:
        """The title in the language active now."""
        return str(self.title_phrase)


class Kudos(models.Model):
    """One member thanking another for a reason, perhaps for an answer or a piece of work."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="kudos")
    giver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_received"
    )
    reason = models.TextField(max_length=2000)
    reason_html = models.TextField(editable=False)
    link_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    link_id = models.PositiveBigIntegerField(null=True, blank=True)
    link = GenericForeignKey("link_type", "link_id")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    cheer_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "kudos"
        indexes = [
            models.Index(fields=["community", "-created_at"]),
            models.Index(fields=["receiver", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=models.F("receiver")), name="kudos_not_to_yourself"
            ),
            models.CheckConstraint(
                condition=Q(link_type__isnull=True, link_id__isnull=True)
                | Q(link_type__isnull=False, link_id__isnull=False),
                name="kudos_link_whole_or_none",
            ),
        ]

    def __str__(self) -> str:
        return f"Kudos from {self.giver_id} to {self.receiver_id}"

    def get_absolute_url(self) -> str:
        return f"{reverse('celebrations:wins', args=[self.community.slug])}#kudos-{self.pk}"


class Cheer(models.Model):
    """A member applauding a win (a milestone or a kudos), once per person per win."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="cheers"
    )
    kudos = models.ForeignKey(
        Kudos, null=True, blank=True, on_delete=models.CASCADE, related_name="cheers"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "milestone"], name="one_cheer_per_milestone"),
            models.UniqueConstraint(fields=["user", "kudos"], name="one_cheer_per_kudos"),
            models.CheckConstraint(
                condition=Q(milestone__isnull=False, kudos__isnull=True)
                | Q(milestone__isnull=True, kudos__isnull=False),
                name="cheer_exactly_one_win",
            ),
        ]

    @property
    def win(self) -> Milestone | Kudos:
        return self.milestone or self.kudos  # type: ignore[return-value]
