"""Forms for signing up and keeping a profile; the services do the real validation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cultivate.apps.webutils import LongTextarea

from .models import User
from .services import MAX_EXPERTISE
from .zones import time_zones


class SignUpForm(forms.Form):
    """Collect what an account needs; the service checks uniqueness and password strength."""

    username = forms.CharField(
        max_length=150,
        label=gettext_lazy("User name"),
        help_text=gettext_lazy(
            "Letters, digits and @ . + - _ only; colleagues @mention you by it."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy("Used for password resets and the notices you choose to receive."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        max_length=120,
        required=False,
        help_text=gettext_lazy("The name colleagues know you by."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        label=gettext_lazy("Name"),
    )
    department = forms.CharField(max_length=120, required=False, label=gettext_lazy("Department"))
    password = forms.CharField(
        strip=False,
        help_text=gettext_lazy(
            "At least 8 characters; not only digits, not a common password, not your name."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label=gettext_lazy("Password"),
    )
    password_again = forms.CharField(
        strip=False,
        label=gettext_lazy("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    time_zone = forms.CharField(
        max_length=64,
        required=False,
        widget=forms.HiddenInput(attrs={"data-from-browser": "time-zone"}),
        label=gettext_lazy("Time zone"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password"), cleaned.get("password_again")
        if first and second and first != second:
            self.add_error(
                "password_again", _("The two passwords differ; type the same one twice.")
            )
        return cleaned


class ProfileForm(forms.Form):
    """The profile colleagues read before asking someone for help."""

    display_name = forms.CharField(max_length=120, required=False, label=gettext_lazy("Name"))
    title = forms.CharField(max_length=120, required=False, label=gettext_lazy("Job title"))
    department = forms.CharField(max_length=120, required=False, label=gettext_lazy("Department"))
    location = forms.CharField(max_length=120, required=False, label=gettext_lazy("Location"))
    bio = forms.CharField(
        max_length=1000,
        required=False,
        label=gettext_lazy("Short bio"),
        widget=LongTextarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "What you work on and what people can ask you about (up to 1,000 characters)."
        ),
    )
    expertise = forms.CharField(
        max_length=1000,
        required=False,
        help_text=format_lazy(
            gettext_lazy(
                "Comma-separated areas you can help with, up to {count}, "
                "e.g. <em>gear design, vibration analysis</em>."
            ),
            count=MAX_EXPERTISE,
        ),
        label=gettext_lazy("Expertise"),
    )
    language = forms.ChoiceField(
        choices=[("", gettext_lazy("As my browser asks")), *settings.LANGUAGES],
        required=False,
        help_text=gettext_lazy("The language Cultivate speaks to you."),
        label=gettext_lazy("Language"),
    )
    time_zone = forms.ChoiceField(
        choices=[("", gettext_lazy("Each event's own zone")), *((z, z) for z in time_zones())],
        required=False,
        help_text=gettext_lazy("Event times read in this zone, with the event's zone beside."),
        label=gettext_lazy("Time zone"),
    )


class ResetForm(PasswordResetForm):
    """Django's reset form, which also reaches accounts that never had a password: people an
    import made from a mail archive claim their account by choosing one."""

    def get_users(self, email: str) -> Iterator[Any]:
        # Accounts the company's provider opens get no password here: a reset would be a second
        # door that outlives the person's removal at the provider.
        found = User.objects.filter(email__iexact=email, is_active=True).exclude(
            sign_on_identities__isnull=False
        )
        return (user for user in found if user.email.lower() == email.strip().lower())


class LoginForm(AuthenticationForm):
    """Django's login form, labelled the way the sign-up form names the same field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
