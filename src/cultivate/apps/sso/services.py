"""Writes of a single sign-on: which account it opens, and what the provider's groups grant.

The contract: a provider's subject opens the account it was first linked to, and only that one.
The first sign-on links by an e-mail address the provider says it verified, or makes an
account; an unverified address links and makes nothing. The groups the provider sends set
the knowledge-management-lead role (when groups are configured for it) and the memberships of
the communities they map. All of it happens in one transaction, audited.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cultivate.apps.accounts.models import User
from cultivate.apps.accounts.services import UNFINISHED_SIGN_UP, user_create_signed_on
from cultivate.apps.audit.services import audit_record
from cultivate.apps.communities.directory import memberships_from_directory

from .config import granted_roles, group_grants, km_lead_groups
from .models import SignOnIdentity

log = logging.getLogger(__name__)


def _verified(claims: Mapping[str, Any]) -> bool:
    flag = claims.get("email_verified")
    return flag is True or str(flag).lower() == "true"


def claimed_groups(claims: Mapping[str, Any], claim: str) -> set[str]:
    """The provider's groups: a list of names, or one space- or comma-separated string."""
    raw = claims.get(claim)
    if isinstance(raw, str):
        return {g for g in raw.replace(",", " ").split() if g}
    if isinstance(raw, list | tuple):
        return {str(g) for g in raw if str(g)}
    return set()


def sign_on_account(*, issuer: str, claims: Mapping[str, Any], groups_claim: str) -> User:
    """Return the account this sign-on opens, made or linked on the first one."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise PermissionDenied(_("The identity provider did not say who signed in."))
    email = str(claims.get("email") or "").strip().lower()
    with transaction.atomic():
        identity = (
            SignOnIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if identity is not None:
            user = identity.user
            identity.last_sign_on_at = timezone.now()
            identity.save(update_fields=["last_sign_on_at"])
        else:
            user = _first_sign_on(issuer, subject, email, claims)
        if not user.is_active:
            raise PermissionDenied(_("This account is switched off: ask an administrator."))
        _profile_update(user, email, claims)
        _groups_apply(user, claimed_groups(claims, groups_claim))
    return user


def _first_sign_on(issuer: str, subject: str, email: str, claims: Mapping[str, Any]) -> User:
    if not email or not _verified(claims):
        raise PermissionDenied(
            _("The identity provider did not vouch for your e-mail address, so no account opens.")
        )
    # Unfinished sign-ups never link (whoever started one chose its password); an account the
    # admin switched on while it waited is a real account and does.
    user = User.objects.filter(email__iexact=email).exclude(UNFINISHED_SIGN_UP).first()
    if user is not None and SignOnIdentity.objects.filter(user=user, issuer=issuer).exists():
        # Another person at the provider holds this account already: the provider gave the
        # address to someone new (a colleague who left, an alias reused). Never theirs.
        raise PermissionDenied(
            _(
                "Your address belongs to an account another person of your company signs in "
                "to: ask an administrator."
            )
        )
    action = "sso.account_linked"
    if user is None:
        hint = str(claims.get("preferred_username") or email)
        user = user_create_signed_on(
            email=email, username_hint=hint, display_name=str(claims.get("name") or "")
        )
        action = "sso.account_created"
    SignOnIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    audit_record(
        action=action,
        actor=user,
        subject=user.username,
        after={"issuer": issuer, "subject": subject, "email": email},
    )
    return user


def _profile_update(user: User, email: str, claims: Mapping[str, Any]) -> None:
    """Fill the name from the provider when the person has none; follow a verified new address
    that no other account holds."""
    fields = []
    name = str(claims.get("name") or "").strip()[:120]
    if name and not user.display_name:
        user.display_name = name
        fields.append("display_name")
    if (
        email
        and _verified(claims)
        and email != user.email.lower()
        and not User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
    ):
        user.email = email
        fields.append("email")
    if fields:
        user.save(update_fields=fields)


def _groups_apply(user: User, groups: set[str]) -> None:
    leads = km_lead_groups()
    if leads:
        is_lead = bool(groups & set(leads))
        if is_lead != user.is_km_lead:
            audit_record(
                action="role.km_lead",
                actor=None,
                subject=user.username,
                before={"is_km_lead": user.is_km_lead},
                after={"is_km_lead": is_lead, "by": "identity provider groups"},
            )
            user.is_km_lead = is_lead
            user.save(update_fields=["is_km_lead"])
    grants = group_grants()
    if grants:
        changes = memberships_from_directory(
            user=user,
            granted=granted_roles(groups, grants),
            mapped={grant.community for grant in grants},
        )
        if changes:
            log.info("sign-on of %s: %s", user.username, "; ".join(changes))
