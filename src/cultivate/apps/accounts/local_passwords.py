"""Pages about Cultivate's own passwords answer only while the deployment keeps them.

With single sign-on on, passwords are off by default (CULTIVATE_LOCAL_PASSWORDS): the company's
provider decides who signs in, so signing up, resetting, changing or typing a password here
would be a second door it does not guard.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

View = Callable[..., HttpResponseBase]


def local_passwords_on() -> bool:
    return bool(getattr(settings, "CULTIVATE_LOCAL_PASSWORDS", True))


def local_passwords_only(view: View, *, reading_allowed: bool = False) -> View:
    """Send the person to the login page (its company sign-in) while passwords are off; the
    login page itself may still be read (`reading_allowed`), never posted to."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if local_passwords_on() or (reading_allowed and request.method in ("GET", "HEAD")):
            return view(request, *args, **kwargs)
        messages.info(request, _("Passwords are not used here: log in with your company account."))
        return redirect("accounts:login")

    return guarded
