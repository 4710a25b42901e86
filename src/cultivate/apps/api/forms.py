"""The form for making a personal access token."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

EXPIRY_CHOICES = [
    ("", gettext_lazy("Never")),
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
    expires_in = forms.ChoiceField(
        choices=EXPIRY_CHOICES, required=False, label=gettext_lazy("Expires")
    )

    def expires_at(self) -> datetime | None:
        """Return when the token stops working, from the chosen number of days."""
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None
