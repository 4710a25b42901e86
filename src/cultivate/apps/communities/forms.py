from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy

from cultivate.apps.webutils import LongTextarea

from .models import Visibility


class CommunityForm(forms.Form):
    name = forms.CharField(max_length=120, label=gettext_lazy("Name"))
    practice = forms.CharField(
        max_length=120,
        help_text=gettext_lazy("The profession or passion members share, e.g. welding."),
        label=gettext_lazy("Practice"),
    )
    slug = forms.SlugField(
        max_length=60,
        required=False,
        label=gettext_lazy("Address"),
        help_text=gettext_lazy(
            "Letters, digits and hyphens; left empty, it is made from the name."
        ),
    )
    description = forms.CharField(
        widget=LongTextarea, max_length=4000, required=False, label=gettext_lazy("Description")
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
        label=gettext_lazy("Visibility"),
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(required=False, label=gettext_lazy("Search communities"), max_length=100)
    practice = forms.ChoiceField(required=False, label=gettext_lazy("Practice"))
    visibility = forms.ChoiceField(
        required=False,
        choices=[("", gettext_lazy("Public and private")), *Visibility.choices],
        label=gettext_lazy("Visibility"),
    )
    mine = forms.BooleanField(required=False, label=gettext_lazy("Only mine"))

    def __init__(self, *args: object, practices: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        every = [("", gettext_lazy("Any practice"))]
        field = self.fields["practice"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = every + [(p, p) for p in practices]


class InviteForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        label=gettext_lazy("Who to invite"),
        help_text=gettext_lazy("Start typing their name; a user name or e-mail works too."),
        # static/cultivate/suggest.js offers people by name as one types
        widget=forms.TextInput(
            attrs={"data-suggest": reverse_lazy("suggest:people"), "autocomplete": "off"}
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False, label=gettext_lazy("Reason"))


class RoutingForm(forms.Form):
    route_after_hours = forms.IntegerField(
        min_value=0,
        max_value=336,
        label=gettext_lazy("Route unanswered questions after (hours)"),
        help_text=gettext_lazy(
            "A question nobody answered in this many hours is offered to the three members "
            "most likely to know; 0 turns routing off."
        ),
    )
