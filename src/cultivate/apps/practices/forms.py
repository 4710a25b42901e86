"""Forms of the best-practice pages; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms

from .services import MAX_BODY

_MARKDOWN_HELP = "Markdown works: headings with #, **bold**, lists, tables, links."


class DocumentForm(forms.Form):
    title = forms.CharField(
        max_length=200, help_text="What practice is this? e.g. Bearing lubrication"
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=MAX_BODY,
        label="Text",
        help_text=_MARKDOWN_HELP,
    )
    due_on = forms.DateField(
        required=False,
        label="Due on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When the community wants it published (optional).",
    )


class EditForm(forms.Form):
    """The edit form carries the revision it started from, so a stale save is caught."""

    title = forms.CharField(max_length=200)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 22}),
        max_length=MAX_BODY,
        label="Text",
        help_text=_MARKDOWN_HELP,
    )
    message = forms.CharField(
        max_length=300,
        required=False,
        label="What did you change?",
        help_text="A few words for the history, e.g. 'Added the food-grade case'.",
    )
    base_number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReviewRequestForm(forms.Form):
    reviewers = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label="Ask these members to review"
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewers"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=[("approve", "Approve"), ("changes", "Ask for changes")],
        widget=forms.RadioSelect,
        initial="approve",
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text="Needed when you ask for changes: say what should change.",
    )


class ReviewByForm(forms.Form):
    review_by = forms.DateField(
        required=False,
        label="Review by",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When someone should check it is still right (default: a year from today).",
    )


class OutdatedForm(forms.Form):
    reason = forms.CharField(max_length=500, label="What is out of date?")


class LinkForm(forms.Form):
    question = forms.TypedChoiceField(coerce=int, label="Question this practice answers")

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["question"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = choices
