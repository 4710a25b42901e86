"""The audit trail page: who did what, when, from where, before and after; filterable, and
exported as CSV (the export is itself an entry). Operators read all of it, coordinators the
entries of the communities they coordinate."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, time
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cultivate.apps.audit.models import AuditEntry
from cultivate.apps.audit.services import audit_record
from cultivate.apps.communities.models import Community
from cultivate.apps.webutils import csv_cell

from .permissions import check_read_audit

PAGE = 200


class AuditFilterForm(forms.Form):
    community = forms.ModelChoiceField(
        queryset=Community.objects.none(), required=False, label=gettext_lazy("Community"),
        to_field_name="slug",
    )  # fmt: skip
    action = forms.CharField(required=False, label=gettext_lazy("Action starts with"))
    actor = forms.CharField(required=False, label=gettext_lazy("By (user name)"))
    since = forms.DateField(required=False, label=gettext_lazy("From"))
    until = forms.DateField(required=False, label=gettext_lazy("To"))

    def __init__(self, *args: Any, scope: list[int] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)
        communities = Community.objects.order_by("name")
        field.queryset = communities if scope is None else communities.filter(pk__in=scope)


def audit_entries(scope: list[int] | None, filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    """The entries the reader may see, narrowed by the filters, newest first."""
    entries = (
        AuditEntry.objects.all()
        if scope is None
        else AuditEntry.objects.filter(community_id__in=scope)
    )
    if filters.get("community"):
        entries = entries.filter(community=filters["community"])
    if filters.get("action"):
        entries = entries.filter(action__startswith=filters["action"].strip())
    if filters.get("actor"):
        entries = entries.filter(actor_label__icontains=filters["actor"].strip())
    zone = timezone.get_current_timezone()
    if filters.get("since"):
        entries = entries.filter(at__gte=datetime.combine(filters["since"], time.min, zone))
    if filters.get("until"):
        entries = entries.filter(at__lte=datetime.combine(filters["until"], time.max, zone))
    return entries.order_by("-at", "-id")


def _filters(
    request: HttpRequest, scope: list[int] | None
) -> tuple[AuditFilterForm, dict[str, Any]]:
    form = AuditFilterForm(request.GET or None, scope=scope)
    return form, (form.cleaned_data if form.is_valid() else {})


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    scope = check_read_audit(request.user)
    form, filters = _filters(request, scope)
    entries = list(audit_entries(scope, filters).select_related("community")[: PAGE + 1])
    context = {
        "form": form,
        "entries": entries[:PAGE],
        "more": len(entries) > PAGE,
        "everything": scope is None,
        "query": request.GET.urlencode(),
    }
    return render(request, "operations/audit.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def audit_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every matching entry as CSV, streamed; times in UTC (ISO 8601), as auditors compare them."""
    scope = check_read_audit(request.user)
    _form, filters = _filters(request, scope)
    audit_record(
        action="export.audit",
        actor=request.user,
        subject="audit.csv",
        after={k: str(v) for k, v in filters.items() if v},
    )
    writer = csv.writer(_Echo())
    header = ["at", "actor", "address", "action", "community", "subject", "before", "after"]

    def rows() -> Any:
        yield writer.writerow(header)
        for entry in audit_entries(scope, filters).iterator(chunk_size=2000):
            cells = [
                entry.at.astimezone(UTC).isoformat(),
                entry.actor_label,
                entry.address or "",
                entry.action,
                entry.community_label,
                entry.subject,
                json.dumps(entry.before, sort_keys=True, ensure_ascii=False),
                json.dumps(entry.after, sort_keys=True, ensure_ascii=False),
            ]
            yield writer.writerow([csv_cell(cell) for cell in cells])  # no formula runs

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cultivate-audit.csv"'
    return response
