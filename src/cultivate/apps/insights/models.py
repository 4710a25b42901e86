"""The activity stream: one row per thing a person did, written in the act's transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cultivate.apps.communities.models import Community
from cultivate.core.activity import Verb


class ActivityRecord(models.Model):
    """The stored form of a core Activity; `mappers` turns these rows back into the contract."""

    source = models.CharField(max_length=30, default="cultivate")
    external_id = models.CharField(  # noqa: DJ001 - NULL keeps the unique constraint partial
        max_length=200,
        null=True,
        blank=True,
        help_text="The id an import gave it, for idempotence.",
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="activities")
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
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["community", "at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="one_activity_per_external_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.object_type}:{self.object_pk}"


class HealthSnapshot(models.Model):
    """A community's stored report at one moment, so pages load without recomputing.

    At most one row per community per day (the day's recompute updates it); older days stay
    as history.
    """

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="health_snapshots"
    )
    as_of = models.DateTimeField(help_text="The moment the report describes.")
    computed_at = models.DateTimeField()
    day = models.DateField(help_text="The UTC day of `as_of`: one snapshot per community a day.")
    level = models.PositiveSmallIntegerField()
    health_score = models.PositiveSmallIntegerField()
    trend = models.SmallIntegerField(
        default=0,
        help_text="Health score now minus the score of the same analysis 30 days earlier.",
    )
    risk = models.FloatField(
        null=True, blank=True, help_text="Probability of going silent within 90 days, when known."
    )
    report = models.JSONField()
    network_layout = models.JSONField(
        default=dict,
        blank=True,
        help_text="Where each person of the who-helps-whom picture sits, laid out once here.",
    )

    class Meta:
        ordering = ["-as_of", "-computed_at", "-id"]
        get_latest_by = ("as_of", "computed_at")
        indexes = [models.Index(fields=["community", "-as_of"])]
        constraints = [
            models.UniqueConstraint(fields=["community", "day"], name="one_health_snapshot_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.community_id} level {self.level} health {self.health_score} ({self.day})"
