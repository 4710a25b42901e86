from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy

from cultivate.apps.communities.models import Community
from cultivate.apps.webutils import LongTextarea

from .models import PostKind

_MARKDOWN_HELP = gettext_lazy(
    "Markdown works: **bold**, `code`, lists, links. Mention people with @username."
)


class QuestionForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text=gettext_lazy("One sentence a colleague would search for."),
        label=gettext_lazy("Title"),
    )
    body = forms.CharField(
        widget=LongTextarea,
        max_length=100_000,
        label=gettext_lazy("Details"),
        help_text=_MARKDOWN_HELP,
    )
    tags = forms.CharField(
        max_length=250,
        required=False,
        help_text=gettext_lazy("Up to 5, separated by commas, e.g. bearings, lubrication."),
        label=gettext_lazy("Tags"),
    )

    def clean_tags(self) -> list[str]:
        """Check the tags here too, so their error shows with the others on the first try."""
        from cultivate.apps.tags.services import clean_tags

        try:
            return clean_tags(self.cleaned_data["tags"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["tags"]) from None


class PostForm(forms.Form):
    kind = forms.ChoiceField(
        choices=PostKind.choices, initial=PostKind.ARTICLE, label=gettext_lazy("Kind")
    )
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    body = forms.CharField(
        widget=LongTextarea,
        max_length=100_000,
        label=gettext_lazy("Text"),
        help_text=_MARKDOWN_HELP,
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        widget=LongTextarea,
        max_length=100_000,
        label=gettext_lazy("Your answer"),
        help_text=_MARKDOWN_HELP,
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        widget=LongTextarea(attrs={"rows": 2}), max_length=2000, label=gettext_lazy("Comment")
    )


class EditForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, label=gettext_lazy("Title"))
    body = forms.CharField(
        widget=LongTextarea,
        max_length=100_000,
        label=gettext_lazy("Text"),
        help_text=_MARKDOWN_HELP,
    )
    tags = forms.CharField(max_length=250, required=False, label=gettext_lazy("Tags"))


class FlagForm(forms.Form):
    reason = forms.CharField(max_length=500, label=gettext_lazy("What is wrong with it?"))


def with_tag_suggestions(form: forms.Form, community: Community) -> forms.Form:
    """Let the form's tags field offer the community's tags as one types them.

    static/cultivate/suggest.js reads the address and turns the field into a combobox.
    """
    url = reverse("sharing:tag_suggestions", args=[community.slug])
    attrs = {"data-suggest": url, "data-suggest-many": "", "autocomplete": "off"}
    form.fields["tags"].widget.attrs.update(attrs)
    return form


def with_similar_questions(form: forms.Form, community: Community) -> forms.Form:
    """Let the title field fetch similar questions as one types (htmx, after a pause)."""
    url = reverse("sharing:similar", args=[community.slug])
    form.fields["title"].widget.attrs.update(
        {
            "hx-get": url,
            "hx-trigger": "input changed delay:400ms",
            "hx-target": "#similar-questions",
            "hx-sync": "this:replace",
            "autocomplete": "off",
        }
    )
    return form
