"""Refuse to start with a single sign-on nobody could complete, or with no way to log in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from cultivate.apps.accounts.local_passwords import local_passwords_on

from .config import ENDPOINTS, group_grants, sign_on_enabled


@checks.register(checks.Tags.security)
def sign_on_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    if not sign_on_enabled():
        if not local_passwords_on():
            problems.append(
                checks.Error(
                    "CULTIVATE_LOCAL_PASSWORDS is off and single sign-on is not configured: "
                    "nobody could log in.",
                    hint="Set CULTIVATE_OIDC_CLIENT_ID and the provider's endpoints.",
                    id="cultivate.E101",
                )
            )
        return problems
    required = (*ENDPOINTS, "OIDC_RP_CLIENT_SECRET", "CULTIVATE_OIDC_ISSUER")
    missing = [name for name in required if not getattr(settings, name, "")]
    if missing:
        problems.append(
            checks.Error(
                "Single sign-on is on (CULTIVATE_OIDC_CLIENT_ID) but these are not set: "
                + ", ".join(missing),
                hint="Set CULTIVATE_OIDC_CLIENT_SECRET, CULTIVATE_OIDC_ISSUER and "
                "CULTIVATE_OIDC_AUTHORIZATION_URL, _TOKEN_URL, _USERINFO_URL and _JWKS_URL from "
                "the provider's discovery document.",
                id="cultivate.E102",
            )
        )
    try:
        group_grants()
    except ImproperlyConfigured as error:
        problems.append(checks.Error(str(error), id="cultivate.E103"))
    return problems
