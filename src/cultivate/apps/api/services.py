"""Writes for access tokens: make one (showing its secret once), revoke it, note its use."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cultivate.apps.audit.services import audit_record

from .models import PersonalAccessToken, TokenScope

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

SECRET_PREFIX = "cult_"
PREFIX_LENGTH = 12
MAX_ACTIVE_TOKENS = 25
LIFETIME = timedelta(days=90)
"""How long a token works when its maker does not say."""
LONGEST_LIFETIME = timedelta(days=366)
TOUCH_INTERVAL = timedelta(minutes=1)
"""How stale `last_used_at` may get before a request writes it again (saves a write per call)."""


def hash_secret(secret: str) -> str:
    """Return the SHA-256 hex digest under which a secret is stored and looked up."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def token_create(
    *,
    user: User,
    name: str,
    expires_at: datetime | None = None,
    scope: str = TokenScope.READ,
) -> tuple[PersonalAccessToken, str]:
    """Make a token and return it with its secret; the secret is never stored, so show it now.

    Every token expires (in 90 days unless told, within a year) and may only read unless it
    was made to write: a token that leaks can do only what it was made for, and not forever.
    """
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Name the token after the tool that will use it.")
    elif len(name) > 100:
        errors["name"] = _("Keep the name under 100 characters (it has %(count)s).") % {
            "count": len(name)
        }
    now = timezone.now()
    expires_at = expires_at if expires_at is not None else now + LIFETIME
    if timezone.is_naive(expires_at) or expires_at <= now:
        errors["expires_at"] = _("Choose an expiry date in the future.")
    elif expires_at > now + LONGEST_LIFETIME:
        errors["expires_at"] = _("A token works for a year at most; choose an earlier date.")
    if scope not in TokenScope.values:
        errors["scope"] = _("Choose whether the token may only read, or read and write.")
    if not errors:
        active = PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            errors["name"] = _(
                "You have %(active)s tokens; revoke one you no longer use first."
            ) % {"active": active}
    if errors:
        raise ValidationError(errors)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = PersonalAccessToken.objects.create(
            user=user,
            name=name,
            prefix=secret[:PREFIX_LENGTH],
            secret_hash=hash_secret(secret),
            created_at=now,
            expires_at=expires_at,
            scope=scope,
        )
        audit_record(
            action="token.create",
            actor=user,
            subject=f"{name} ({token.prefix}…)",
            after={"scope": scope, "expires_at": expires_at.isoformat()},
        )
    return token, secret


def token_revoke(*, token: PersonalAccessToken, by: User) -> PersonalAccessToken:
    """Stop a token working at once; only its owner may, and the row stays for the record."""
    if token.user_id != by.pk:
        raise PermissionDenied(_("Only the person who made a token can revoke it."))
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."), code="already_revoked")
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action="token.revoke",
            actor=by,
            subject=str(token),
            before={"revoked": False},
            after={"revoked": True},
        )
    return token


def token_touch(*, token: PersonalAccessToken, at: datetime | None = None) -> None:
    """Note when a token was last used, at most once a minute, so people spot unused tokens."""
    when = at or timezone.now()
    if token.last_used_at is not None and when - token.last_used_at < TOUCH_INTERVAL:
        return
    PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=when)
    token.last_used_at = when


def tokens_revoke_all(*, user: User) -> int:
    """Stop every token of the person at once (their password changed); return how many."""
    with transaction.atomic():
        revoked = PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            audit_record(
                action="token.revoke_all",
                actor=user,
                subject=f"{revoked} tokens, as the password changed",
                after={"revoked": revoked},
            )
        return revoked
