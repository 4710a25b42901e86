"""Forms for decisions; the services do the real checking, these only parse what people type."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from cultivate.apps.accounts.models import User
from cultivate.apps.webutils import LongTextarea, MemberChoiceField

from .models import ActionStatus, ConsentStance, PollOption, Process

_MARKDOWN_HELP = gettext_lazy("Markdown works: **bold**, `code`, lists, links.")


class ProposalForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text=gettext_lazy("What the community decides, in a sentence."),
        label=gettext_lazy("Title"),
    )
    body = forms.CharField(
        widget=LongTextarea,
        max_length=100_000,
        label=gettext_lazy("Proposal"),
        help_text=_MARKDOWN_HELP,
    )
    process = forms.ChoiceField(
        choices=Process.choices,
        initial=Process.CONSENT,
        widget=forms.RadioSelect,
        label=gettext_lazy("Process"),
    )
    deadline = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("Members take part until then."),
        label=gettext_lazy("Deadline"),
    )
    options = forms.CharField(
        widget=LongTextarea(attrs={"rows": 4}),
        required=False,
        label=gettext_lazy("Poll options"),
        help_text=gettext_lazy("For a poll: one option per line (2 to 20)."),
    )

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class StanceForm(forms.Form):
    """A consent stance or a poll vote, with an optional reason (a block needs one)."""

    stance = forms.ChoiceField(
        choices=ConsentStance.choices,
        widget=forms.RadioSelect,
        required=False,
        label=gettext_lazy("Your stance"),
    )
    option = forms.ModelChoiceField(
        queryset=PollOption.objects.none(),
        widget=forms.RadioSelect,
        required=False,
        label=gettext_lazy("Your vote"),
        empty_label=None,
    )
    reason = forms.CharField(
        widget=LongTextarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=gettext_lazy("Optional, but a block must say why."),
        label=gettext_lazy("Reason"),
    )

    def __init__(self, *args: Any, options: QuerySet[PollOption] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if options is None:
            del self.fields["option"]
        else:
            del self.fields["stance"]
            self.fields["option"].queryset = options  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    outcome = forms.CharField(
        widget=LongTextarea(attrs={"rows": 4}),
        max_length=100_000,
        label=gettext_lazy("Outcome"),
        help_text=format_lazy("{} {}", gettext_lazy("What was decided and why."), _MARKDOWN_HELP),
    )


class ActionItemForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("What needs doing"))
    owner = MemberChoiceField(queryset=User.objects.none(), label=gettext_lazy("Owner"))
    due = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=gettext_lazy("Due"))

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, MemberChoiceField)
        owner.queryset = members


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", gettext_lazy("Any status")), *ActionStatus.choices],
        required=False,
        label=gettext_lazy("Status"),
    )
    owner = forms.CharField(max_length=150, required=False, label=gettext_lazy("Owner (user name)"))
    overdue = forms.BooleanField(required=False, label=gettext_lazy("Only overdue"))
