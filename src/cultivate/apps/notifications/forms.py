"""The e-mail preferences form: how each kind of notice arrives (daily summary, at once, never)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from .models import WEEKDAYS, EmailPreferences, EmailRhythm, Kind

HELP: dict[str, StrOrPromise] = {
    Kind.ANSWER: gettext_lazy("Someone answers a question you asked."),
    Kind.COMMENT: gettext_lazy("Someone comments on your post, question or answer."),
    Kind.MENTION: gettext_lazy(
        "Someone writes @your-user-name in a post, question, answer or comment."
    ),
    Kind.ACCEPTED: gettext_lazy("The person who asked accepts your answer as the solution."),
    Kind.WATCHED_QUESTION: gettext_lazy(
        "A question is asked in a community or with a tag you watch."
    ),
    Kind.ROUTED: gettext_lazy(
        "A question nobody answered in a day, sent to the few members most likely to know."
    ),
}


class EmailPreferencesForm(forms.Form):
    """How each kind of notice also arrives by e-mail; every notice always appears in the app."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            field = EmailPreferences._meta.get_field(kind.value)
            label = field.verbose_name if isinstance(field, models.Field) else kind.label
            self.fields[kind.value] = forms.ChoiceField(
                choices=EmailRhythm.choices,
                label=_("E-mail me about %(label)s") % {"label": label},
                help_text=HELP.get(kind, ""),
            )

        self.fields["digest_day"] = forms.TypedChoiceField(
            choices=[("", _("Never")), *WEEKDAYS],
            coerce=int,
            empty_value=None,
            required=False,
            label=_("Send me a weekly digest on"),
            help_text=_(
                "Questions you could answer, deadlines, new best practices and the week's wins."
            ),
        )
        self.fields["routing"] = forms.BooleanField(
            required=False,
            label=_("Send me unanswered questions I could answer"),
            help_text=_("At most a few a week, chosen from what you answered before."),
        )
        self.fields["routing_paused_until"] = forms.DateField(
            required=False,
            label=_("Pause them until"),
            help_text=_("On holiday or busy: none are sent until the day after this date."),
            widget=forms.DateInput(attrs={"type": "date"}),
        )

    @classmethod
    def initial_from(cls, prefs: EmailPreferences) -> dict[str, Any]:
        initial: dict[str, Any] = {kind.value: prefs.rhythm(kind.value) for kind in Kind}
        initial["digest_day"] = "" if prefs.digest_day is None else prefs.digest_day
        initial["routing"] = prefs.routing
        initial["routing_paused_until"] = prefs.routing_paused_until
        return initial
