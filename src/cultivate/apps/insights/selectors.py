"""Reads for the Health and Portfolio pages: the latest stored snapshot, never a recompute."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from threading import Lock
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Lower
from django.http import Http404
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community, Visibility
from cultivate.apps.communities.permissions import can_view_community, can_view_health

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

from .models import HealthSnapshot
from .permissions import check_view_health

PORTFOLIO_COLUMNS: dict[str, str] = {
    "attention": "attention",
    "name": "name",
    "practice": "practice",
    "private": "private",
    "members": "member_count",
    "level": "level",
    "health": "health",
    "trend": "trend",
    "risk": "risk",
    "computed": "computed_at",
}
"""Sort key in the URL -> the field or annotation it orders by."""


_REPORTS_KEPT = 64
"""Decoded reports kept per process: a report is 80-190 KB of JSON at 100,000 documents, and
decoding it was an eighth of every Health page (about 1 ms), although the page's report part
is a cached fragment."""
_DECODED_ONCE = ("report", "network_layout")
_decoded_reports: OrderedDict[tuple[int, datetime], tuple[Any, ...]] = OrderedDict()
_decoded_lock = Lock()


def _json_field(name: str) -> JSONField[Any]:
    field = HealthSnapshot._meta.get_field(name)
    assert isinstance(field, JSONField)
    return field


def forget_decoded_reports() -> None:
    """Empty this process's decoded reports (the suite does before each test: a rolled-back
    test's snapshot ids come back, and frozen clocks give the same `computed_at`)."""
    with _decoded_lock:
        _decoded_reports.clear()


def latest_snapshot(community: Community) -> HealthSnapshot | None:
    """Return the community's most recent snapshot (by the moment it describes), if any.

    Its `report` and `network_layout` are decoded once per process and shared by the requests
    that read the same snapshot (a snapshot is only ever replaced, with a new `computed_at`):
    read them, never change them (tests/apps/insights/test_snapshot_reads.py holds the Health
    page to that).
    """
    snapshot = (
        HealthSnapshot.objects.filter(community=community)
        .order_by("-as_of", "-computed_at", "-id")
        .defer(*_DECODED_ONCE)
        .annotate(**{f"{name}_text": Cast(name, TextField()) for name in _DECODED_ONCE})
        .first()
    )
    if snapshot is None:
        return None
    key = (snapshot.pk, snapshot.computed_at)
    with _decoded_lock:
        decoded = _decoded_reports.get(key)
        if decoded is not None:
            _decoded_reports.move_to_end(key)
    if decoded is None:
        decoded = tuple(  # as the fields themselves would have read them
            _json_field(name).from_db_value(
                getattr(snapshot, f"{name}_text"),
                None,  # type: ignore[arg-type]  # the expression is not read; Django passes one
                connection,
            )
            for name in _DECODED_ONCE
        )
        with _decoded_lock:
            _decoded_reports[key] = decoded
            while len(_decoded_reports) > _REPORTS_KEPT:
                _decoded_reports.popitem(last=False)
    for name, value in zip(_DECODED_ONCE, decoded, strict=True):
        setattr(snapshot, name, value)
    return snapshot


def portfolio(
    *,
    sort: str = "attention",
    descending: bool = True,
    level: int | None = None,
    practice: str = "",
    query: str = "",
) -> QuerySet[Community]:
    """Return every community with its latest level, health, trend, risk and computed time.

    Communities never analysed have None there and sort last (first when "attention" is
    sorted ascending: it orders them as the least urgent). Callers check
    `check_view_portfolio` first: this lists private communities too.
    """
    latest = HealthSnapshot.objects.filter(community=OuterRef("pk")).order_by(
        "-as_of", "-computed_at", "-id"
    )
    annotations: dict[str, Any] = {
        name: Subquery(latest.values(field)[:1])
        for name, field in (
            ("level", "level"),
            ("health", "health_score"),
            ("trend", "trend"),
            ("risk", "risk"),
            ("computed_at", "computed_at"),
            ("snapshot_as_of", "as_of"),
            ("reason", "reason"),
        )
    }
    # What needs attention first: silent communities, then the highest risk; never analysed last.
    annotations["attention"] = Case(
        When(level=0, then=Value(2.0)),
        When(risk__isnull=False, then=F("risk")),
        When(level__isnull=False, then=Value(-0.5)),
        default=Value(-1.0),
        output_field=FloatField(),
    )
    annotations["private"] = Case(
        When(visibility=Visibility.PRIVATE, then=Value(1)), default=Value(0)
    )
    communities = Community.objects.annotate(**annotations)
    if query:
        communities = communities.filter(
            Q(name__icontains=query) | Q(practice__icontains=query) | Q(slug__icontains=query)
        )
    if practice:
        communities = communities.filter(practice__iexact=practice)
    if level is not None:
        communities = communities.filter(Q(level=level))
    field = PORTFOLIO_COLUMNS.get(sort, "name")
    expression = Lower(field) if field in ("name", "practice") else F(field)
    ordering = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return communities.order_by(ordering, Lower("name"), "pk")


def portfolio_practices() -> list[str]:
    """Return every practice named by any community, private ones included (KM leads only)."""
    return list(
        Community.objects.order_by("practice").values_list("practice", flat=True).distinct()
    )


def community_for_health(user: User | AnonymousUser, slug: str) -> Community:
    """Return the community whose health the person may see.

    Raise Http404 when it does not exist or is invisible to them (a private community stays a
    secret), PermissionDenied when they can see the community but not its health.
    """
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise Http404(_("No such community."))
    if not can_view_health(user, community) and not can_view_community(user, community):
        raise Http404(_("No such community."))
    check_view_health(user, community)
    return community
