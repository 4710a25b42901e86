"""How the API knows who is calling: a bearer token, the browser's session, or nobody.

Imported only by api.py (ninja needs configured settings before it is imported).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from cultivate.apps.accounts.middleware import speak_their_language

from .selectors import token_for_secret
from .services import token_touch

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <secret>` with a personal access token.

    A header that is present but wrong answers 401 instead of falling back to anonymous, so a
    script with a revoked token learns it at once rather than silently seeing less.
    """

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if header is None:
            return None
        scheme, _, secret = header.strip().partition(" ")
        if scheme.lower() != self.openapi_scheme or not secret.strip():
            raise AuthenticationError(message="Send 'Authorization: Bearer <token>'.")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for_secret(token)
        if found is None:
            raise AuthenticationError(message=_("The token is unknown, revoked or expired."))
        if request.method not in SAFE_METHODS and not found.may_write:
            raise PermissionDenied(
                _("This token may only read: make one that may read and write to post with it.")
            )
        token_touch(token=found)
        request.user = found.user
        request.access_token = found  # type: ignore[attr-defined]
        speak_their_language(request)  # the middleware ran before the token said who it is
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser's Django session; CSRF is checked only when the session carries a person."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise PermissionDenied("CSRF check failed: send the X-CSRFToken header.")
        return request.user

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


def anonymous(request: HttpRequest) -> AnonymousUser:
    """Let anyone read public content; request.user stays the AnonymousUser Django gave it."""
    return AnonymousUser()


READ: list[Callable[..., Any]] = [TokenAuth(), SessionAuth(), anonymous]
WRITE: list[Callable[..., Any]] = [TokenAuth(), SessionAuth()]
