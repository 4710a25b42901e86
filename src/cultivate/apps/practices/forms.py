"""Forms of the best-practice pages; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from cultivate.apps.webutils import LongTextarea, people_picker_attrs

from .services import MAX_BODY

_MARKDOWN_HELP = gettext_lazy("Markdown works: headings with #, **bold**, lists, tables, links.")


class DocumentForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text=gettext_lazy("What practice is this? e.g. Bearing lubrication"),
        label=gettext_lazy("Title"),
    )
    body = forms.CharField(
        widget=LongTextarea(attrs={"rows": 18}),
        max_length=MAX_BODY,
        label=gettext_lazy("Text"),
        help_text=_MARKDOWN_HELP,
    )
    due_on = forms.DateField(
        required=False,
        label=gettext_lazy("Due on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("When the community wants it published (optional)."),
    )


class EditForm(forms.Form):
    """The edit form carries the revision it started from, so a stale save is caught."""

    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    body = forms.CharField(
        widget=LongTextarea(attrs={"rows": 22}),
        max_length=MAX_BODY,
        label=gettext_lazy("Text"),
        help_text=_MARKDOWN_HELP,
    )
    message = forms.CharField(
        max_length=300,
        required=False,
        label=gettext_lazy("What did you change?"),
        help_text=gettext_lazy("A few words for the history, e.g. 'Added the food-grade case'."),
    )
    base_number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReviewRequestForm(forms.Form):
    reviewers = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple(attrs=people_picker_attrs()),
        label=gettext_lazy("Ask these members to review"),
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewers"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices


class ReviewForm(forms.Form):
    revision = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, label=gettext_lazy("Revision")
    )

    verdict = forms.ChoiceField(
        choices=[
            ("approve", gettext_lazy("Approve")),
            ("changes", gettext_lazy("Ask for changes")),
        ],
        widget=forms.RadioSelect,
        initial="approve",
        label=gettext_lazy("Verdict"),
    )
    comment = forms.CharField(
        widget=LongTextarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=gettext_lazy("Needed when you ask for changes: say what should change."),
        label=gettext_lazy("Comment"),
    )


class ReviewByForm(forms.Form):
    review_by = forms.DateField(
        required=False,
        label=gettext_lazy("Review by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy(
            "When someone should check it is still right (default: a year from today)."
        ),
    )


class OutdatedForm(forms.Form):
    reason = forms.CharField(max_length=500, label=gettext_lazy("What is out of date?"))


class LinkForm(forms.Form):
    question = forms.TypedChoiceField(
        coerce=int, label=gettext_lazy("Question this practice answers")
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["question"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = choices
