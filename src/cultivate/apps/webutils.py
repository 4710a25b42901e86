"""Helpers every app's views share: service errors into form errors, safe redirects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cultivate.core.markup import render_markdown


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError beside the form fields it names (or on top of the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def safe_next(request: HttpRequest, default: str) -> str:
    """Return the `next` parameter when it is a path on this site, else the default."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default


_LAST_PAGE = 1_000_000
"""Past any real page: `Paginator.get_page` answers it with the last page."""


def page_number(request: HttpRequest) -> int:
    """Return the page asked for as `paginate` serves it: junk is 1, below 1 or huge the last.

    A cached page part is keyed by this number, so two requests that show different pages
    never share a key (`?page=-1` shows the last page, not the first).
    """
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return number if 1 <= number < _LAST_PAGE else _LAST_PAGE


def paginate(request: HttpRequest, items: QuerySet, per_page: int = 20) -> Page:  # type: ignore[type-arg]
    """Return the requested page; a malformed or out-of-range page number gives a valid page."""
    return Paginator(items, per_page).get_page(page_number(request))


def people_picker_attrs() -> dict[str, object]:
    """Widget attributes that let static/cultivate/people_picker.js find members as one types.

    The choice itself stays a plain select or checkbox list, so the form works without script.
    """
    return {"data-people-picker": gettext_lazy("Type a name to find a member")}


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """One member, offered by the name people know them by, found by typing it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(people_picker_attrs())

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class LongTextarea(forms.Textarea):
    """A text area without the browser's `maxlength`: a paste over the limit is kept whole and
    refused with a message by the form, never cut silently where the limit falls."""

    def get_context(
        self, name: str, value: object, attrs: dict[str, object] | None
    ) -> dict[str, object]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("maxlength", None)
        return context


PREVIEW_LIMIT = 100_000


@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """Render the text a person is writing as its page will show it (Markdown, sanitised)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    body = request.POST.get("body", "")[:PREVIEW_LIMIT]
    if not body.strip():
        return HttpResponse(
            format_html('<p class="muted small">{}</p>', _("Nothing to preview yet."))
        )
    return HttpResponse(
        format_html(
            '<div class="content card" dir="auto">{}</div>', mark_safe(render_markdown(body))
        )
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """Return a cell a spreadsheet will not run: text starting like a formula gets a quote.

    Every CSV export (the Portfolio, the audit trail) writes its cells through this."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
