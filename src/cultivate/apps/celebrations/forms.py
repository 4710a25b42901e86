"""The "Give kudos" form: who, why, and optionally which answer, action item or document."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cultivate.apps.accounts.selectors import people_by_handle
from cultivate.apps.communities.models import Community, MembershipState
from cultivate.apps.webutils import LongTextarea

from .links import LINK_LABELS, linkable_models

_REASON_HELP = gettext_lazy(
    "Say what they did and why it mattered. Markdown works: **bold**, lists, links."
)


class KudosForm(forms.Form):
    receiver = forms.CharField(
        max_length=150,
        label=gettext_lazy("To"),
        help_text=gettext_lazy("Start typing a member's name; their user name works too."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
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
        # static/cultivate/suggest.js offers the community's members as one types a name
        members = f"{reverse('suggest:people')}?community={community.slug}"
        self.fields["receiver"].widget.attrs["data-suggest"] = members
        kinds = sorted(linkable_models().items())
        self.fields["link_kind"].choices = [("", gettext_lazy("(nothing in particular)"))] + [  # type: ignore[attr-defined]
            (name, LINK_LABELS[name]) for name, _model in kinds
        ]

    def clean_receiver(self) -> object:
        """Find the member meant by a name, user name or e-mail; the service decides whether
        they may receive."""
        typed = self.cleaned_data["receiver"].strip()
        found = list(
            people_by_handle(typed)
            .filter(
                memberships__community=self.community,
                memberships__state=MembershipState.ACTIVE,
            )
            .distinct()[:2]
        )
        if not found:
            raise forms.ValidationError(
                _("Nobody in %(community)s is called “%(name)s”.")
                % {"community": self.community.name, "name": typed}
            )
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several members are called “%(name)s”: type the user name.") % {"name": typed}
            )
        return found[0]
