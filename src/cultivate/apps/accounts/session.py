"""Who is signed in: the one place views turn a request into a person."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .models import User


def signed_in(request: HttpRequest) -> User:
    """Return the signed-in person (views call this after @login_required)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied(_("Log in first."))
    return user
