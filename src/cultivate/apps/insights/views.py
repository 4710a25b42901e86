"""The Health page of a community and the Portfolio of every community, read from snapshots."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tasks.backends.immediate import ImmediateBackend

from cultivate.apps.audit.services import audit_record
from cultivate.apps.communities.permissions import (
    can_view_everyones_figures,
    can_view_member_figures,
)
from cultivate.apps.communities.views import community_context
from cultivate.apps.fragments import cached_fragment
from cultivate.apps.replica import replica_reads
from cultivate.apps.webutils import csv_cell
from cultivate.core.analytics.forecast import HIGH_RISK, MODERATE_RISK

from . import selectors
from .figures import health_figures
from .forms import PortfolioFilterForm
from .method import method_sections
from .models import HealthSnapshot
from .permissions import can_recompute_health, check_recompute_health, check_view_portfolio
from .presenters import (
    HEALTH_GOOD,
    HEALTH_POOR,
    health_heading,
    health_page,
    own_part,
    portfolio_rows,
)
from .services import health_snapshot_compute, health_snapshot_preview
from .tasks import recompute_health_snapshots

PORTFOLIO_HEADERS: tuple[tuple[str, Any], ...] = (
    ("name", gettext_lazy("Community")),
    ("practice", gettext_lazy("Practice")),
    ("private", gettext_lazy("Private?")),
    ("members", gettext_lazy("Members")),
    ("level", gettext_lazy("Level")),
    ("health", gettext_lazy("Health")),
    ("trend", gettext_lazy("Trend")),
    ("risk", gettext_lazy("Risk of going silent")),
    ("computed", gettext_lazy("Last computed")),
)


def health(request: HttpRequest, slug: str) -> HttpResponse:
    """Show where the community stands and why, from its latest snapshot (computed if none yet)."""
    try:
        community = selectors.community_for_health(request.user, slug)
    except PermissionDenied:
        if not request.user.is_authenticated:  # a public community: members may log in to see
            return redirect_to_login(request.get_full_path())
        raise
    chosen, problem = _as_of_asked(request)
    if chosen is not None:
        snapshot = health_snapshot_preview(community=community, as_of=chosen)
    else:
        snapshot = selectors.latest_snapshot(community) or health_snapshot_compute(
            community=community
        )
    context = community_context(request, community, "health")
    context |= health_heading(snapshot)
    # Every member's persona and figures are for coordinators and KM leads; others read
    # aggregates, and their own part beside them (communities.permissions).
    named = can_view_everyones_figures(request.user, community)
    context["health_report"] = _health_report(snapshot, named=named)
    reader = request.user.pk
    if reader is not None and can_view_member_figures(request.user, community, reader):
        context["own_part"] = own_part(snapshot, reader)
    window = timedelta(days=int(snapshot.report.get("window_days") or 90))
    context["figures"] = health_figures(community, snapshot.as_of - window, snapshot.as_of)
    context |= {"as_of_asked": request.GET.get("as_of", ""), "as_of_problem": problem}
    context["can_recompute"] = can_recompute_health(request.user, community)
    return render(request, "insights/health.html", context)


def _health_report(snapshot: HealthSnapshot, *, named: bool) -> SafeString:
    """Render the report part once per stored snapshot and audience (a recompute makes a new
    key); a day asked with ?as_of= is a preview, not stored, and is rendered each time.

    `named` (coordinators and KM leads) and the aggregate part are kept apart: a part that
    names people is never served to a reader who may see aggregates only.
    """

    def render() -> str:
        return render_to_string("insights/_health_report.html", health_page(snapshot, named=named))

    if snapshot.pk is None:
        return mark_safe(render())  # rendered by a template, which escaped what it holds
    audience = "named" if named else "aggregate"
    scope = (snapshot.community_id, snapshot.pk, snapshot.computed_at.timestamp(), audience)
    return cached_fragment("health-report", scope, render)


EARLIEST_AS_OF = date(1970, 1, 1)
"""No community's history starts before this; earlier days would overflow the windows."""


def _as_of_asked(request: HttpRequest) -> tuple[datetime | None, str]:
    """Read `?as_of=YYYY-MM-DD` (the CLI's --as-of): the end of that day in UTC, or why not."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return None, ""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None, _("“%(raw)s” is not a date like 2025-03-31; showing the latest report.") % {
            "raw": raw
        }
    if not EARLIEST_AS_OF <= day <= timezone.now().date() + timedelta(days=366):
        return None, _(
            "%(raw)s is outside the dates a report can read (%(earliest)s to next year); showing "
            "the latest report."
        ) % {"raw": raw, "earliest": EARLIEST_AS_OF.year}
    return datetime.combine(day, time.max, tzinfo=UTC), ""


@require_POST
def health_recompute(request: HttpRequest, slug: str) -> HttpResponse:
    """Recompute the community's report now: at once when jobs run inline, else in the queue."""
    community = selectors.community_for_health(request.user, slug)
    check_recompute_health(request.user, community)
    if isinstance(recompute_health_snapshots.get_backend(), ImmediateBackend):
        # Inline jobs swallow errors into their result; calling the service lets them surface.
        health_snapshot_compute(community=community)
        messages.success(
            request, _("Recomputed the health of %(name)s.") % {"name": community.name}
        )
    else:
        recompute_health_snapshots.enqueue(community_id=community.pk)
        messages.info(request, _("Recomputing in the background; reload this page in a minute."))
    return redirect("insights:health", slug=community.slug)


def _portfolio_query(request: HttpRequest) -> tuple[PortfolioFilterForm, dict[str, Any]]:
    form = PortfolioFilterForm(request.GET or None, practices=selectors.portfolio_practices())
    form.is_valid()
    return form, form.filters()


def _sort_links(request: HttpRequest, filters: dict[str, Any]) -> list[dict[str, str]]:
    """Return each column header's link (toggling the direction of the current sort)."""
    current, descending = filters["sort"], filters["descending"]
    headers = []
    for key, label in PORTFOLIO_HEADERS:
        params = request.GET.copy()
        params["sort"] = key
        params["dir"] = (
            "asc" if key == current and descending else ("desc" if key == current else "asc")
        )
        aria = "none"
        if key == current:
            aria = "descending" if descending else "ascending"
        headers.append({"key": key, "label": label, "url": f"?{params.urlencode()}", "aria": aria})
    return headers


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    """List every community with its level, health, trend and risk, for KM leads."""
    check_view_portfolio(request.user)
    form, filters = _portfolio_query(request)
    with replica_reads():
        rows = portfolio_rows(selectors.portfolio(**filters))
    export = request.GET.copy()
    return render(
        request,
        "insights/portfolio.html",
        {
            "form": form,
            "rows": rows,
            "headers": _sort_links(request, filters),
            "csv_query": export.urlencode(),
            "health_poor": HEALTH_POOR,
            "health_good": HEALTH_GOOD,
            "risk_high": round(100 * HIGH_RISK),
            "risk_moderate": round(100 * MODERATE_RISK),
            "filtered": bool(
                filters["query"] or filters["practice"] or filters["level"] is not None
            ),
        },
    )


@login_required
def portfolio_csv(request: HttpRequest) -> HttpResponse:
    """Export the Portfolio, with the same filters and order, as CSV."""
    check_view_portfolio(request.user)
    _unused, filters = _portfolio_query(request)
    audit_record(
        action="export.portfolio", actor=request.user, subject="portfolio.csv", after=filters
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cultivate-portfolio.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "community",
            "slug",
            "practice",
            "private",
            "members",
            "level",
            "health",
            "trend",
            "risk",
            "as_of",
            "last_computed",
        ]
    )
    with replica_reads():  # annotated with the latest snapshot
        rows: Iterable[Any] = list(selectors.portfolio(**filters))
    for c in rows:
        writer.writerow(
            [
                csv_cell(c.name),
                csv_cell(c.slug),
                csv_cell(c.practice),
                "yes" if c.is_private else "no",
                c.member_count,
                "" if c.level is None else c.level,
                "" if c.health is None else c.health,
                "" if c.trend is None else c.trend,
                "" if c.risk is None else f"{c.risk:.3f}",
                c.snapshot_as_of.isoformat() if c.snapshot_as_of else "",
                c.computed_at.isoformat() if c.computed_at else "",
            ]
        )
    return response


def method(request: HttpRequest) -> HttpResponse:
    """How every figure on the Health page is computed (docs/metrics.md, rendered)."""
    sections = method_sections()
    if sections is None:
        raise Http404(_("The method is not installed here: read docs/metrics.md in the source."))
    return render(request, "insights/method.html", {"sections": sections})
