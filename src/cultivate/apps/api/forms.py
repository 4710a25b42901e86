"""The form for making a personal access token."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import TokenScope

EXPIRY_CHOICES = [
    ("7", gettext_lazy("In 7 days")),
    ("30", gettext_lazy("In 30 days")),
    ("90", gettext_lazy("In 90 days")),
    ("365", gettext_lazy("In a year")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text=gettext_lazy(
            "What will use it, e.g. 'wiki sync' or 'my laptop'. Only you see this."
        ),
        label=gettext_lazy("Name"),
    )
    scope = forms.ChoiceField(
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        label=gettext_lazy("It may"),
        help_text=gettext_lazy("Give a token the right to write only if its tool posts."),
    )
    expires_in = forms.ChoiceField(
        choices=EXPIRY_CHOICES, initial="90", label=gettext_lazy("Expires")
    )

    def expires_at(self) -> datetime:
        """Return when the token stops working, from the chosen number of days."""
        return timezone.now() + timedelta(days=int(self.cleaned_data["expires_in"]))
