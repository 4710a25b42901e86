"""Personal access tokens: how scripts and other tools act as a person through the REST API."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class TokenScope(models.TextChoices):
    """What a token may do: read only, or read and write (a script that posts)."""

    READ = "read", gettext_lazy("Read only")
    WRITE = "write", gettext_lazy("Read and write")


class PersonalAccessToken(models.Model):
    """A named secret a person made for one tool; only its SHA-256 hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(
        max_length=100, help_text=gettext_lazy("What the token is for, e.g. 'wiki sync'.")
    )
    prefix = models.CharField(
        max_length=16,
        help_text=gettext_lazy("The secret's first characters, to tell tokens apart."),
    )
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def may_write(self) -> bool:
        return self.scope == TokenScope.WRITE

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired
