"""Speak each person's language and read times in their zone, as their profile says.

LocaleMiddleware (earlier in the chain) reads the browser's Accept-Language; the language
middleware, after authentication, overrides it with the person's own choice. The time zone
middleware makes dates and times read where the person lives (the site's zone, UTC, otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from .zones import is_time_zone


class PersonTimeZoneMiddleware:
    """Read times in the signed-in person's own time zone, when they have chosen one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = str(getattr(request.user, "time_zone", "") or "")
        if zone and is_time_zone(zone):
            timezone.activate(ZoneInfo(zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


class PersonLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        speak_their_language(request)
        return self.get_response(request)


def speak_their_language(request: HttpRequest) -> None:
    """Activate the signed-in person's chosen language for the rest of the request, if any.

    The API calls it again once a bearer token has told who is calling.
    """
    user = request.user
    chosen = str(getattr(user, "language", "")) if user.is_authenticated else ""
    if chosen in {code for code, _ in settings.LANGUAGES}:
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
