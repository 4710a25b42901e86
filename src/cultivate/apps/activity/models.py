"""The activity stream: one row per thing a person did, written in the act's transaction.

The lowest app that stores community content: every other app records here, so it imports
none of them (the community is named by its label, not imported).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from cultivate.core.activity import Verb


class ActivityRecord(models.Model):
    """The stored form of a core Activity; `mappers` turns these rows back into the contract."""

    source = models.CharField(max_length=30, default="cultivate")
    external_id = models.CharField(  # noqa: DJ001 - NULL keeps the unique constraint partial
        max_length=200,
        null=True,
        blank=True,
        help_text=gettext_lazy("The id an import gave it, for idempotence."),
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="activities"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(max_length=12, choices=[(v.value, v.value) for v in Verb])
    object_type = models.CharField(max_length=30)
    object_pk = models.PositiveBigIntegerField()
    parent_type = models.CharField(max_length=30, blank=True)
    parent_pk = models.PositiveBigIntegerField(null=True, blank=True)
    target_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    text = models.TextField(blank=True)
    meta = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "insights_activityrecord"  # where it was born: moved here without a copy
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["community", "at"])]
        constraints = [
            # Per community: the same export imported into a second community is imported
            # there too, and nobody learns from "already imported" that it sits elsewhere.
            models.UniqueConstraint(
                fields=["community", "source", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="one_activity_per_external_id_and_community",
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.object_type}:{self.object_pk}"
