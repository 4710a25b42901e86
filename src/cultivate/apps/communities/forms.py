from django import forms

from .models import Visibility


class CommunityForm(forms.Form):
    name = forms.CharField(max_length=120)
    practice = forms.CharField(
        max_length=120, help_text="The profession or passion members share, e.g. welding."
    )
    slug = forms.SlugField(
        max_length=60,
        required=False,
        label="Address",
        help_text="Letters, digits and hyphens; left empty, it is made from the name.",
    )
    description = forms.CharField(widget=forms.Textarea, max_length=4000, required=False)
    visibility = forms.ChoiceField(
        choices=Visibility.choices, initial=Visibility.PUBLIC, widget=forms.RadioSelect
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search communities", max_length=100)
    practice = forms.ChoiceField(required=False)
    visibility = forms.ChoiceField(
        required=False,
        choices=[("", "Public and private"), *Visibility.choices],
        label="Visibility",
    )
    mine = forms.BooleanField(required=False, label="Only mine")

    def __init__(self, *args: object, practices: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["practice"].choices = [("", "Any practice")] + [(p, p) for p in practices]  # type: ignore[attr-defined]


class InviteForm(forms.Form):
    username = forms.CharField(max_length=150, label="User name or e-mail of the person to invite")


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False)
