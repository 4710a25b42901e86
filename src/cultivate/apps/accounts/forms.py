"""Forms for signing up and keeping a profile; the services do the real validation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from .services import MAX_EXPERTISE


class SignUpForm(forms.Form):
    """Collect what an account needs; the service checks uniqueness and password strength."""

    username = forms.CharField(
        max_length=150,
        label="User name",
        help_text="Letters, digits and @ . + - _ only; colleagues @mention you by it.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label="E-mail address",
        help_text="Used for password resets and the notices you choose to receive.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        max_length=120,
        required=False,
        help_text="The name colleagues know you by.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    department = forms.CharField(max_length=120, required=False)
    password = forms.CharField(
        strip=False,
        help_text="At least 8 characters; not only digits, not a common password, not your name.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        strip=False,
        label="Password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password"), cleaned.get("password_again")
        if first and second and first != second:
            self.add_error("password_again", "The two passwords differ; type the same one twice.")
        return cleaned


class ProfileForm(forms.Form):
    """The profile colleagues read before asking someone for help."""

    display_name = forms.CharField(max_length=120, required=False, label="Name")
    title = forms.CharField(max_length=120, required=False, label="Job title")
    department = forms.CharField(max_length=120, required=False)
    location = forms.CharField(max_length=120, required=False)
    bio = forms.CharField(
        max_length=1000,
        required=False,
        label="Short bio",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you work on and what people can ask you about (up to 1,000 characters).",
    )
    expertise = forms.CharField(
        max_length=1000,
        required=False,
        help_text=f"Comma-separated areas you can help with, up to {MAX_EXPERTISE}, "
        "e.g. <em>gear design, vibration analysis</em>.",
    )
    language = forms.ChoiceField(
        choices=[("", "As my browser asks"), *settings.LANGUAGES],
        required=False,
        help_text="The language Cultivate speaks to you.",
    )


class LoginForm(AuthenticationForm):
    """Django's login form, labelled the way the sign-up form names the same field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "User name"
