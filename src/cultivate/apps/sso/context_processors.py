"""Tell the login and sign-up pages whether to offer single sign-on and passwords."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cultivate.apps.accounts.local_passwords import local_passwords_on

from .config import provider_name, sign_on_enabled


def sign_on(request: HttpRequest) -> dict[str, Any]:
    return {
        "sign_on": {
            "enabled": sign_on_enabled(),
            "provider": provider_name(),
            "passwords": local_passwords_on(),
        }
    }
