"""Reads of access tokens: a person sees only their own; a secret finds only a live token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PersonalAccessToken
from .services import SECRET_PREFIX, hash_secret

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def tokens_of(user: User) -> QuerySet[PersonalAccessToken]:
    """Return the person's tokens, live ones first, newest first."""
    return PersonalAccessToken.objects.filter(user=user).order_by(
        "revoked_at", "-created_at", "-id"
    )


def token_get_for_owner(user: User, pk: int) -> PersonalAccessToken:
    """Return one of the person's tokens, or 404 (someone else's token does not exist for them)."""
    token = PersonalAccessToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404(_("No such token."))
    return token


def token_for_secret(secret: str) -> PersonalAccessToken | None:
    """Return the live token this secret belongs to, with its active owner, or None."""
    secret = secret.strip()
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    return (
        PersonalAccessToken.objects.filter(
            secret_hash=hash_secret(secret),
            revoked_at__isnull=True,
            user__is_active=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("user")
        .first()
    )


def token_owner_id(secret: str) -> int | None:
    """Whose live token this secret is (for the rate limits, before the API authenticates)."""
    token = token_for_secret(secret)
    return token.user_id if token is not None else None
