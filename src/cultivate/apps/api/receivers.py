"""The API acts on what accounts announce: a new password stops the person's tokens."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from cultivate.apps.accounts.signals import password_changed

from .services import tokens_revoke_all


@receiver(password_changed, dispatch_uid="api-tokens-stop-with-the-password")
def tokens_stop_with_the_password(sender: Any, user: Any, **kwargs: Any) -> None:
    """Whoever changed the password (the person, or someone who had it) starts with no tokens."""
    tokens_revoke_all(user=user)
