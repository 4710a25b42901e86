"""Filters for the Portfolio page and its CSV export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from .selectors import PORTFOLIO_COLUMNS

LEVEL_CHOICES = [
    ("", gettext_lazy("Any level")),
    ("0", gettext_lazy("0 · silent")),
    ("1", gettext_lazy("1 · reaching people")),
    ("2", gettext_lazy("2 · leveraging the network")),
    ("3", gettext_lazy("3 · faster and more agile")),
]


class PortfolioFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=120)
    level = forms.TypedChoiceField(
        label=gettext_lazy("Level"),
        choices=LEVEL_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
    )
    practice = forms.ChoiceField(label=gettext_lazy("Practice"), required=False)
    sort = forms.ChoiceField(
        choices=[(k, k) for k in PORTFOLIO_COLUMNS], required=False, widget=forms.HiddenInput
    )
    dir = forms.ChoiceField(
        choices=[("asc", "asc"), ("desc", "desc")], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, practices: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        practice = self.fields["practice"]
        assert isinstance(practice, forms.ChoiceField)
        practice.choices = [("", gettext_lazy("Any practice"))] + [(p, p) for p in practices]

    def filters(self) -> dict[str, Any]:
        """Return the valid filters; a field with a bad value is left out (and shows its error)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return {
            "query": (data.get("q") or "").strip(),
            "level": data.get("level"),
            "practice": data.get("practice") or "",
            "sort": data.get("sort") or "attention",
            "descending": data.get("dir") == "desc" or not (data.get("sort") or data.get("dir")),
        }
