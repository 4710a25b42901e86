"""The upload form: an export file, optionally which platform it comes from, and whether to
keep people's names (pseudonyms by default, ADR 28)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cultivate.core.connectors import READERS

from .uploads import UPLOAD_SUFFIXES

MAX_UPLOAD_BYTES = settings.CULTIVATE_MAX_UPLOAD_BYTES

SOURCE_LABELS = {
    "stackexchange": gettext_lazy("Stack Exchange data dump"),
    "slack": gettext_lazy("Slack export"),
    "mbox": gettext_lazy("Mailing list (mbox)"),
    "pipermail": gettext_lazy("Mailing list (Mailman pipermail .txt / .txt.gz)"),
    "discourse": gettext_lazy("Discourse JSON export"),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Export file"),
        help_text=(
            gettext_lazy(
                "A .zip of the export (Stack Exchange dump, Slack export, Discourse files), "
                "or one .mbox, .txt or .txt.gz mailing-list archive; at most 200 MB."
            )
        ),
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Comes from"),
        required=False,
        choices=[("", gettext_lazy("Detect from the files"))]
        + [(name, SOURCE_LABELS.get(name, name)) for name in READERS],
    )

    keep_names = forms.BooleanField(
        label=gettext_lazy("Keep people's names and e-mail addresses"),
        required=False,
        help_text=gettext_lazy(
            "Unticked, people are imported under pseudonyms such as “Member 4f2a9c”: their "
            "names and addresses are not stored, and the same export always gives the same "
            "pseudonyms. Tick it only when the members expect to find their own names."
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: Any = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(
                _("Upload one of %(join)s (got %(name)s).")
                % {"join": ", ".join(UPLOAD_SUFFIXES), "name": repr(upload.name)}
            )
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Keep the file under 200 MB (it has %(value)s MB).")
                % {"value": format(upload.size / 1024**2, ",.0f")}
            )
        return upload  # type: ignore[no-any-return]
