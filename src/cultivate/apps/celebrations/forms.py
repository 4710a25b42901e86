"""The "Give kudos" form: who, why, and optionally which answer, action item or document."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cultivate.apps.communities.models import Community
from cultivate.apps.webutils import LongTextarea

from .links import linkable_models

_REASON_HELP = "Say what they did and why it mattered. Markdown works: **bold**, lists, links."


class KudosForm(forms.Form):
    receiver = forms.CharField(
        max_length=150,
        label=gettext_lazy("To"),
        help_text=gettext_lazy("The member's username, e.g. ana.silva."),
    )
    reason = forms.CharField(
        widget=LongTextarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_REASON_HELP,
        label=gettext_lazy("Reason"),
    )
    link_kind = forms.ChoiceField(required=False, label=gettext_lazy("For a particular"))
    link_id = forms.IntegerField(
        required=False,
        min_value=1,
        label=gettext_lazy("Its number"),
        help_text=gettext_lazy("e.g. the answer's #id."),
    )

    def __init__(self, *args: object, community: Community, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.community = community
        kinds = sorted(linkable_models().items())
        self.fields["link_kind"].choices = [("", gettext_lazy("(nothing in particular)"))] + [  # type: ignore[attr-defined]
            (name, str(model._meta.verbose_name)) for name, model in kinds
        ]

    def clean_receiver(self) -> object:
        """Turn the username into the person; the service decides whether they may receive."""
        username = self.cleaned_data["receiver"].strip().lstrip("@")
        person = get_user_model().objects.filter(username=username).first()
        if person is None:
            raise forms.ValidationError(
                _("Nobody is called %(username)s; check the username.")
                % {"username": repr(username)}
            )
        return person
