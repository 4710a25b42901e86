"""Tell the rest of Cultivate when a person's password changes, however it changed.

Django calls `password_changed` on every configured password validator whenever a password is
set and saved: a reset, a change, the admin, `changepassword`. That is the one place every path
passes through, so the announcement lives here; apps that must act (the API revokes the
person's tokens) listen to `signals.password_changed`. Other sessions need no listener: Django
ends them itself, as their stored hash of the password no longer matches.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .signals import password_changed


class PasswordChangeAnnouncer:
    """A password "validator" that validates nothing and announces each change."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            password_changed.send(sender=type(user), user=user)

    def get_help_text(self) -> str:
        return _("Changing your password signs you out everywhere else and stops your API tokens.")
