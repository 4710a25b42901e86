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
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        chosen = str(getattr(user, "language", "")) if user.is_authenticated else ""
        if chosen in self.languages:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
