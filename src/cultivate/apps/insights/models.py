"""Health snapshots: each community's report stored, so pages load without recomputing."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from cultivate.apps.communities.models import Community


class HealthSnapshot(models.Model):
    """A community's stored report at one moment, so pages load without recomputing.

    At most one row per community per day (the day's recompute updates it); older days stay
    as history.
    """

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="health_snapshots"
    )
    as_of = models.DateTimeField(help_text=gettext_lazy("The moment the report describes."))
    computed_at = models.DateTimeField()
    day = models.DateField(
        help_text=gettext_lazy("The UTC day of `as_of`: one snapshot per community a day.")
    )
    level = models.PositiveSmallIntegerField()
    health_score = models.PositiveSmallIntegerField()
    trend = models.SmallIntegerField(
        default=0,
        help_text=gettext_lazy(
            "Health score now minus the score of the same analysis 30 days earlier."
        ),
    )
    risk = models.FloatField(
        null=True,
        blank=True,
        help_text=gettext_lazy("Probability of going silent within 90 days, when known."),
    )
    report = models.JSONField()
    reason = models.JSONField(
        default=dict,
        blank=True,
        help_text=gettext_lazy(
            "One line for the Portfolio: the early warning's first driver, else the first "
            "advice's evidence (a sentence core wrote, said in each reader's language)."
        ),
    )
    network_layout = models.JSONField(
        default=dict,
        blank=True,
        help_text=gettext_lazy(
            "Where each person of the who-helps-whom picture sits, laid out once here."
        ),
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
