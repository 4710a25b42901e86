"""Forms for the agenda and help requests; the services do the real checking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from cultivate.apps.accounts.models import User
from cultivate.apps.practices.models import Document

from .models import Topic

_MARKDOWN_HELP = "Markdown works: **bold**, `code`, lists, links."


class TopicForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="The topic, in a few words.")
    why = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        label="Why it matters",
        help_text="What goes wrong today, or what the community would gain. " + _MARKDOWN_HELP,
    )
    deliverable = forms.CharField(
        max_length=300,
        required=False,
        label="Expected deliverable",
        help_text="For example: a best practice on keeping inventory low.",
    )


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Offer members by the name people know them by."""

    def label_from_instance(self, obj: User) -> str:
        return obj.name


class TopicChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Topic) -> str:
        return obj.title


class ScheduleForm(forms.Form):
    owner = MemberChoiceField(queryset=User.objects.none(), label="Owner")
    starts_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        label="Starts on",
        help_text="Today if left empty.",
    )
    ends_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        label="Ends on",
        help_text="A month after the start if left empty; the deliverable is due then.",
    )
    deliverable_title = forms.CharField(
        max_length=200,
        required=False,
        label="Deliverable's title",
        help_text="The best practice to write; the topic's title if left empty.",
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
        label="Candidate topics",
        help_text="Each becomes an option of the poll.",
    )
    deadline = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Members vote until then.",
    )

    def __init__(self, *args: Any, candidates: QuerySet[Topic], **kwargs: Any):
        super().__init__(*args, **kwargs)
        topics = self.fields["topics"]
        assert isinstance(topics, TopicChoiceField)
        topics.queryset = candidates


class HelpRequestForm(forms.Form):
    title = forms.CharField(
        max_length=200, label="I need input on", help_text="The piece of work, in a sentence."
    )
    body = forms.CharField(
        widget=forms.Textarea,
        max_length=100_000,
        label="The work",
        help_text="Describe it, or paste the draft, and say what kind of input helps. "
        + _MARKDOWN_HELP,
    )
    due = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Needed by",
        help_text="The request closes after this day.",
    )


class ContributionForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=100_000,
        label="Your contribution",
        help_text=_MARKDOWN_HELP,
    )


class DocumentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Document) -> str:
        return f"{obj.title} ({obj.get_status_display()})"


class PromoteForm(forms.Form):
    document = DocumentChoiceField(queryset=Document.objects.none(), label="Best practice")
    heading = forms.CharField(
        max_length=200,
        required=False,
        label="Section heading",
        help_text="The request's or question's title if left empty.",
    )

    def __init__(self, *args: Any, documents: QuerySet[Document], **kwargs: Any):
        super().__init__(*args, **kwargs)
        document = self.fields["document"]
        assert isinstance(document, DocumentChoiceField)
        document.queryset = documents
