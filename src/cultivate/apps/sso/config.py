"""What the deployment told single sign-on: read from settings each time (tests override them)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cultivate.apps.communities.models import Role

ENDPOINTS = (
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)


def sign_on_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def issuer() -> str:
    """The configured issuer, or the authorisation endpoint's origin when none is given."""
    given = str(getattr(settings, "CULTIVATE_OIDC_ISSUER", "") or "")
    if given:
        return given.rstrip("/")
    parts = urlsplit(str(settings.OIDC_OP_AUTHORIZATION_ENDPOINT))
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class GroupGrant:
    """One line of CULTIVATE_OIDC_GROUP_COMMUNITIES: a group makes its people members (or
    coordinators) of a community."""

    group: str
    community: str
    role: str


def group_grants(spec: str | None = None) -> list[GroupGrant]:
    """Read `group=community-slug[:coordinator]`, comma-separated; name the item that is wrong."""
    raw = settings.CULTIVATE_OIDC_GROUP_COMMUNITIES if spec is None else spec
    grants = []
    for item in (part.strip() for part in str(raw or "").split(",")):
        if not item:
            continue
        group, sep, target = item.partition("=")
        slug, _, role = target.partition(":")
        role = role.strip() or Role.MEMBER
        if not sep or not group.strip() or not slug.strip() or role not in Role.values:
            raise ImproperlyConfigured(
                f"CULTIVATE_OIDC_GROUP_COMMUNITIES: {item!r} is not "
                "group=community-slug or group=community-slug:coordinator"
            )
        grants.append(GroupGrant(group.strip(), slug.strip(), role))
    return grants


def granted_roles(groups: set[str], grants: list[GroupGrant]) -> dict[str, str]:
    """The role each mapped community grants a person in these groups (the higher one wins)."""
    roles: dict[str, str] = {}
    for grant in grants:
        if grant.group in groups and roles.get(grant.community) != Role.COORDINATOR:
            roles[grant.community] = grant.role
    return roles


def km_lead_groups() -> list[str]:
    return list(getattr(settings, "CULTIVATE_OIDC_KM_LEAD_GROUPS", []) or [])


def provider_name() -> str:
    return str(getattr(settings, "CULTIVATE_OIDC_PROVIDER_NAME", "") or "")
