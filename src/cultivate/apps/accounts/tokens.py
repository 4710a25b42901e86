"""The link that finishes a sign-up: signed, valid for PASSWORD_RESET_TIMEOUT, good once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class SignUpTokenGenerator(PasswordResetTokenGenerator):
    """Like a password-reset link, under its own salt; it dies once the account is active."""

    key_salt = "cultivate.accounts.sign_up"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.is_active}{user.pending_since}{user.email}{timestamp}"


sign_up_tokens = SignUpTokenGenerator()
