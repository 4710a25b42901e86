"""Forms for meetings; times are typed as wall-clock times in the event's own time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from cultivate.apps.accounts.models import User
from cultivate.apps.webutils import LongTextarea, MemberChoiceField

from .models import EventKind

_MARKDOWN_HELP = gettext_lazy("Markdown works: **bold**, lists, links.")


class WallClockField(forms.DateTimeField):
    """A date and time as typed, with no zone: the service reads it in the event's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def to_python(self, value: Any) -> datetime | None:
        result = super().to_python(value)
        # Django made it aware in the server's zone; undo that to keep what the person typed
        return timezone.make_naive(result) if result is not None else None


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        choices=EventKind.choices, initial=EventKind.MEETUP, label=gettext_lazy("Kind")
    )
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    starts_at = WallClockField(label=gettext_lazy("Starts"))
    ends_at = WallClockField(label=gettext_lazy("Ends"))
    time_zone = forms.CharField(
        max_length=64,
        initial="UTC",
        label=gettext_lazy("Time zone"),
        help_text=gettext_lazy(
            "Times above are in this zone, e.g. Europe/Berlin or America/New_York."
        ),
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )
    location = forms.CharField(max_length=300, required=False, label=gettext_lazy("Place"))
    link = forms.CharField(
        max_length=500,
        required=False,
        label=gettext_lazy("Link"),
        help_text=gettext_lazy("For online events: the call's URL."),
    )
    capacity = forms.IntegerField(
        required=False,
        label=gettext_lazy("Seats"),
        help_text=gettext_lazy("Leave empty for no limit; past it, a waitlist."),
    )
    description = forms.CharField(
        widget=LongTextarea(attrs={"rows": 5}),
        required=False,
        max_length=50_000,
        help_text=_MARKDOWN_HELP,
        label=gettext_lazy("Description"),
    )

    def __init__(self, *args: Any, hosts: QuerySet[User] | None = None, **kwargs: Any) -> None:
        """`hosts`: the members a coordinator may have host the event (found by typing a name)."""
        super().__init__(*args, **kwargs)
        if hosts is not None:
            self.fields = {
                "host": MemberChoiceField(
                    queryset=hosts,
                    label=gettext_lazy("Host"),
                    help_text=gettext_lazy("Who runs it and answers questions about it."),
                ),
                **self.fields,
            }


class NotesForm(forms.Form):
    notes = forms.CharField(
        widget=LongTextarea(attrs={"rows": 12}),
        required=False,
        max_length=50_000,
        label=gettext_lazy("Notes"),
        help_text=format_lazy(
            "{} {}", gettext_lazy("What was said, decided and promised."), _MARKDOWN_HELP
        ),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        label=gettext_lazy("Why it is cancelled"),
        help_text=gettext_lazy("Everyone who answered reads it in their notice."),
    )
