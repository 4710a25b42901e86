"""The form for making a personal access token."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

EXPIRY_CHOICES = [
    ("", "Never"),
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What will use it, e.g. 'wiki sync' or 'my laptop'. Only you see this.",
    )
    expires_in = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="Expires")

    def expires_at(self) -> datetime | None:
        """Return when the token stops working, from the chosen number of days."""
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None
