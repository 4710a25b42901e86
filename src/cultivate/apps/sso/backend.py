"""The authentication backend of single sign-on: mozilla-django-oidc's code flow, with the
checks it leaves out (the ID token's audience, issuer and required claims, a small clock
leeway, switched-off accounts) and Cultivate's account rules."""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from cultivate.apps.accounts.models import User

from .config import issuer
from .services import sign_on_account

log = logging.getLogger(__name__)

CLOCK_LEEWAY_SECONDS = 60
"""A provider whose clock runs a little ahead must not fail every sign-on ("not valid yet")."""
REQUIRED_CLAIMS = ["exp", "iat", "aud", "iss", "sub"]
GARBLED = (jwt.PyJWTError, KeyError, TypeError, ValueError, AttributeError, ValidationError)
"""What a provider's malformed answer raises on the way (ValidationError is a ValueError's
cousin from our own services: an address the accounts refuse)."""


class SignOnBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Authenticates the provider's callback; refusals are kept for the login page to say."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if "nonce" not in kwargs:
            # Only the callback view calls with the nonce it kept; any other authenticate()
            # (a login form whose URL happens to carry ?code=&state=) is none of ours.
            return None
        try:
            user: User | None = super().authenticate(request, **kwargs)
        except SuspiciousOperation as refusal:
            self._refused(str(refusal))
            return None
        except requests.RequestException as error:
            log.warning("the identity provider did not answer: %s", error)
            self._refused(_("The identity provider did not answer; try again shortly."))
            return None
        except IntegrityError:
            self._refused(_("Two sign-ins of yours crossed; try again."))
            return None
        except GARBLED as error:
            log.warning("the identity provider's answer was not understood: %r", error)
            self._refused(_("The identity provider's answer could not be read."))
            return None
        return user

    def get_user(self, user_id: Any) -> User | None:
        """The session's person, while their account is switched on (switching an account off
        ends its single sign-on sessions at their next request)."""
        user = User.objects.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def user_can_authenticate(user: User) -> bool:
        return bool(user.is_active)

    def _refused(self, reason: str) -> None:
        log.warning("single sign-on refused: %s", reason)
        request = getattr(self, "request", None)
        if request is not None and hasattr(request, "session"):
            request.session["sso_refusal"] = reason

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """Verify the signature with the configured algorithm only, the audience, the claims
        every ID token carries, and the expiry with a minute's leeway."""
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The ID token is not signed with the expected algorithm.")
        decoded: dict[str, Any] = jwt.decode(
            payload,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=settings.OIDC_RP_CLIENT_ID,
            leeway=CLOCK_LEEWAY_SECONDS,
            options={"require": REQUIRED_CLAIMS},
        )
        if str(decoded.get("iss", "")).rstrip("/") != issuer():
            raise SuspiciousOperation("The ID token comes from another issuer.")
        audiences = decoded["aud"] if isinstance(decoded["aud"], list) else [decoded["aud"]]
        if len(audiences) > 1 and decoded.get("azp") != settings.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("The ID token was issued to another client.")
        return decoded

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
        try:
            return sign_on_account(issuer=issuer(), claims=claims, groups_claim=groups_claim)
        except PermissionDenied as refusal:
            self._refused(str(refusal))
            return None
