"""Forms for the agenda and help requests; the services do the real checking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from cultivate.apps.accounts.models import User
from cultivate.apps.practices.models import Document
from cultivate.apps.webutils import LongTextarea, MemberChoiceField

from .models import Topic

_MARKDOWN_HELP = gettext_lazy("Markdown works: **bold**, `code`, lists, links.")


class TopicForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text=gettext_lazy("The topic, in a few words."),
        label=gettext_lazy("Title"),
    )
    why = forms.CharField(
        widget=LongTextarea(attrs={"rows": 4}),
        max_length=20_000,
        label=gettext_lazy("Why it matters"),
        help_text=format_lazy(
            "{} {}",
            gettext_lazy("What goes wrong today, or what the community would gain."),
            _MARKDOWN_HELP,
        ),
    )
    deliverable = forms.CharField(
        max_length=300,
        required=False,
        label=gettext_lazy("Expected deliverable"),
        help_text=gettext_lazy("For example: a best practice on keeping inventory low."),
    )


class TopicChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Topic) -> str:
        return obj.title


class ScheduleForm(forms.Form):
    owner = MemberChoiceField(queryset=User.objects.none(), label=gettext_lazy("Owner"))
    starts_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        label=gettext_lazy("Starts on"),
        help_text=gettext_lazy("Today if left empty."),
    )
    ends_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        label=gettext_lazy("Ends on"),
        help_text=gettext_lazy(
            "A month after the start if left empty; the deliverable is due then."
        ),
    )
    deliverable_title = forms.CharField(
        max_length=200,
        required=False,
        label=gettext_lazy("Deliverable's title"),
        help_text=gettext_lazy("The best practice to write; the topic's title if left empty."),
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, MemberChoiceField)
        owner.queryset = members


class PrioritiseForm(forms.Form):
    topics = TopicChoiceField(
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Candidate topics"),
        help_text=gettext_lazy("Each becomes an option of the poll."),
    )
    deadline = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("Members vote until then."),
        label=gettext_lazy("Deadline"),
    )

    def __init__(self, *args: Any, candidates: QuerySet[Topic], **kwargs: Any):
        super().__init__(*args, **kwargs)
        topics = self.fields["topics"]
        assert isinstance(topics, TopicChoiceField)
        topics.queryset = candidates


class HelpRequestForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        label=gettext_lazy("I need input on"),
        help_text=gettext_lazy("The piece of work, in a sentence."),
    )
    body = forms.CharField(
        widget=LongTextarea,
        max_length=100_000,
        label=gettext_lazy("The work"),
        help_text=format_lazy(
            "{} {}",
            gettext_lazy("Describe it, or paste the draft, and say what kind of input helps."),
            _MARKDOWN_HELP,
        ),
    )
    due = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        label=gettext_lazy("Needed by"),
        help_text=gettext_lazy("The request closes after this day."),
    )


class ContributionForm(forms.Form):
    body = forms.CharField(
        widget=LongTextarea(attrs={"rows": 5}),
        max_length=100_000,
        label=gettext_lazy("Your contribution"),
        help_text=_MARKDOWN_HELP,
    )


class DocumentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Document) -> str:
        return f"{obj.title} ({obj.get_status_display()})"


class PromoteForm(forms.Form):
    document = DocumentChoiceField(
        queryset=Document.objects.none(), label=gettext_lazy("Best practice")
    )
    heading = forms.CharField(
        max_length=200,
        required=False,
        label=gettext_lazy("Section heading"),
        help_text=gettext_lazy("The request's or question's title if left empty."),
    )

    def __init__(self, *args: Any, documents: QuerySet[Document], **kwargs: Any):
        super().__init__(*args, **kwargs)
        document = self.fields["document"]
        assert isinstance(document, DocumentChoiceField)
        document.queryset = documents


class RescheduleForm(forms.Form):
    owner = MemberChoiceField(queryset=User.objects.none(), label=gettext_lazy("Owner"))
    starts_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label=gettext_lazy("Starts on")
    )
    ends_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        label=gettext_lazy("Ends on"),
        help_text=gettext_lazy("The deliverable is due then."),
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = members
