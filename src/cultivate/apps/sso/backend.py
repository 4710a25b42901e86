"""The authentication backend of single sign-on: mozilla-django-oidc's code flow, with the
checks it leaves out (the ID token's audience and issuer) and Cultivate's account rules."""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from cultivate.apps.accounts.models import User

from .config import issuer
from .services import sign_on_account

log = logging.getLogger(__name__)


class SignOnBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Authenticates the provider's callback; refusals are kept for the login page to say."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        try:
            user: User | None = super().authenticate(request, **kwargs)
        except SuspiciousOperation as refusal:
            log.warning("single sign-on refused: %s", refusal)
            self._refusal_keep(str(refusal))
            return None
        except requests.RequestException as error:
            log.warning("the identity provider did not answer: %s", error)
            self._refusal_keep(_("The identity provider did not answer; try again shortly."))
            return None
        return user

    def _refusal_keep(self, reason: str) -> None:
        request = getattr(self, "request", None)
        if request is not None and hasattr(request, "session"):
            request.session["sso_refusal"] = reason

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued to another client.")
        expected = issuer()
        if settings.CULTIVATE_OIDC_ISSUER and str(payload.get("iss", "")).rstrip("/") != expected:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = dict(self.get_userinfo(access_token, id_token, payload))
        if str(claims.get("sub", "")) != str(payload.get("sub", "")):
            # OpenID Connect Core 5.3.2: the userinfo must describe the token's person.
            raise SuspiciousOperation("The userinfo describes another person than the ID token.")
        for key in ("email", "email_verified", "name", "preferred_username"):
            claims.setdefault(key, payload.get(key))
        groups_claim = str(settings.CULTIVATE_OIDC_GROUPS_CLAIM)
        claims.setdefault(groups_claim, payload.get(groups_claim))
        the_issuer = str(payload.get("iss") or issuer()).rstrip("/")
        try:
            return sign_on_account(issuer=the_issuer, claims=claims, groups_claim=groups_claim)
        except PermissionDenied as refusal:
            log.warning("single sign-on refused: %s", refusal)
            self._refusal_keep(str(refusal))
            return None
