"""A person's data, gathered for them to take away."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def _new_key() -> str:
    return secrets.token_urlsafe(24)


class PersonalDataExport(models.Model):
    """One "download my data": made by a background job, downloadable by its person for
    EXPORT_DAYS, then deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    key = models.CharField(max_length=64, unique=True, default=_new_key)
    requested_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    stored_name = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
