"""Speak each person's language: the one chosen on their profile, else their browser's.

LocaleMiddleware (earlier in the chain) reads the browser's Accept-Language; this one, after
authentication, overrides it with the person's own choice.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


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
