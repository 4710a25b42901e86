"""The search page's GET form: free text plus filters, each checked beside its field."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from cultivate.apps.communities.models import Community
from cultivate.apps.tags.services import normal_tag

KIND_CHOICES = [
    ("", gettext_lazy("Everything")),
    ("question", gettext_lazy("Questions")),
    ("answer", gettext_lazy("Answers")),
    ("post", gettext_lazy("Posts")),
    ("document", gettext_lazy("Best practices")),
]

SOLVED_CHOICES = [
    ("", gettext_lazy("Solved or not")),
    ("solved", gettext_lazy("Solved")),
    ("unsolved", gettext_lazy("Not solved yet")),
]
SINCE_CHOICES = [
    ("", gettext_lazy("Any time")),
    ("week", gettext_lazy("Past week")),
    ("month", gettext_lazy("Past month")),
    ("year", gettext_lazy("Past year")),
]
SINCE_DAYS = {"week": 7, "month": 31, "year": 366}


class SearchForm(forms.Form):
    # No max_length: a long query is cut by the selector rather than refused.
    q = forms.CharField(required=False, label=gettext_lazy("Search for"))
    community = forms.ChoiceField(required=False, label=gettext_lazy("Community"))
    kind = forms.ChoiceField(required=False, label=gettext_lazy("Kind"), choices=KIND_CHOICES)
    tag = forms.CharField(required=False, label=gettext_lazy("Tag"), max_length=40)
    solved = forms.ChoiceField(required=False, label=gettext_lazy("Status"), choices=SOLVED_CHOICES)
    since = forms.ChoiceField(required=False, label=gettext_lazy("Written"), choices=SINCE_CHOICES)

    def __init__(self, *args: Any, communities: list[Community], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, forms.ChoiceField)
        every = [("", gettext_lazy("All communities"))]
        field.choices = every + [(c.slug, c.name) for c in communities]
        self.fields["q"].widget.input_type = "search"

    def clean_tag(self) -> str:
        return normal_tag(str(self.cleaned_data["tag"]))

    def since_moment(self, now: datetime) -> datetime | None:
        """The moment the chosen period starts ("past week": seven days before now), if any."""
        days = SINCE_DAYS.get(self.cleaned_data.get("since") or "")
        return now - timedelta(days=days) if days else None
