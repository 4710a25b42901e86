"""Compute the stored health snapshots the Health and Portfolio pages read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.replica import replica_reads
from cultivate.core.analytics import analyze, health_at
from cultivate.core.analytics.metrics import contributions
from cultivate.core.reports import Report, build_report
from cultivate.core.reports.network import network_layout
from cultivate.core.text import Text

from .mappers import community_activity_frame
from .models import HealthSnapshot
from .presenters import network_edges

TREND_DAYS = 30
"""The trend compares today's health with the same analysis this many days earlier."""


def actor_names(frame: pl.DataFrame) -> dict[str, str]:
    """Return actor id -> the person's name for everyone in the frame, in one query."""
    ids: set[str] = set()
    for column in ("actor", "target_actor"):
        if column in frame.columns:
            ids.update(v for v in frame[column].unique().to_list() if v)
    pks = {int(i.removeprefix(_USER_PREFIX)) for i in ids if _is_platform_user(i)}
    if not pks:
        return {}
    people = User.objects.filter(pk__in=pks).only(
        "pk", "display_name", "first_name", "last_name", "username"
    )
    return {f"{_USER_PREFIX}{person.pk}": person.name for person in people}


_USER_PREFIX = "cultivate:user:"


def _is_platform_user(actor: str) -> bool:
    return actor.startswith(_USER_PREFIX) and actor.removeprefix(_USER_PREFIX).isdigit()


def _risk(report: Report) -> float | None:
    """Return the early warning's probability once the report carries one."""
    if not report.risk:
        return None
    probability = report.risk.get("probability")
    return float(probability) if isinstance(probability, int | float) else None


def history_as_of(frame: pl.DataFrame, now: datetime) -> datetime:
    """Return the moment to read a community at: now, or the end of its imported history.

    A community whose latest contribution came from an import (a Slack channel, a Stack
    Exchange site) is read as of that contribution, in its own time: its history ended when
    the export was taken, which says nothing about it falling silent since.
    """
    done = contributions(frame.filter(pl.col("at") <= now))
    if done.is_empty():
        return now
    latest = done.sort("at").row(-1, named=True)
    if latest["source"] == "cultivate":
        return now
    moment = latest["at"]
    return moment if isinstance(moment, datetime) else now


def community_report(*, community: Community, as_of: datetime | None = None) -> tuple[Report, int]:
    """Return the community's report as of a moment and its 30-day trend.

    Without a moment: now, or for an imported history the moment it ended (`history_as_of`).
    """
    if as_of is not None and timezone.is_naive(as_of):
        raise ValueError(f"as_of {as_of} is naive; give it a time zone")
    with replica_reads():  # the whole history: a replica a few seconds behind reads the same
        frame = community_activity_frame(community)
        names = actor_names(frame)
    moment = as_of or history_as_of(frame, timezone.now())
    analysis = analyze(frame, community.slug, as_of=moment, names=names)
    earlier = health_at(frame, community.slug, as_of=moment - timedelta(days=TREND_DAYS))
    report = build_report(analysis, community_name=community.name, names=names)
    return report, analysis.health.score - earlier.score


def health_snapshot_preview(*, community: Community, as_of: datetime) -> HealthSnapshot:
    """Return the community's report as of a chosen moment as an unsaved snapshot, to show."""
    report, trend = community_report(community=community, as_of=as_of)
    return HealthSnapshot(community=community, **_snapshot_values(report, trend))


def health_snapshot_compute(
    *, community: Community, as_of: datetime | None = None
) -> HealthSnapshot:
    """Analyse the community and store the result; a second run on the same day updates it.

    Older days' snapshots stay, so the history of a community's health survives.
    """
    report, trend = community_report(community=community, as_of=as_of)
    values = _snapshot_values(report, trend)
    with transaction.atomic():
        snapshot, _ = HealthSnapshot.objects.update_or_create(
            community=community, day=values["as_of"].astimezone(UTC).date(), defaults=values
        )
    return snapshot


def _snapshot_values(report: Report, trend: int) -> dict[str, Any]:
    stored = report.to_dict()
    return {
        "as_of": datetime.fromisoformat(report.as_of),
        "computed_at": timezone.now(),
        "level": int(report.level["number"]),
        "health_score": int(report.health["score"]),
        "trend": trend,
        "risk": _risk(report),
        "report": stored,
        "reason": _reason(report),
        "network_layout": network_layout(network_edges(stored)).to_dict(),
    }


def _reason(report: Report) -> dict[str, Any]:
    """What the Portfolio says in one line: the early warning's first driver, else the first
    advice's evidence; {} when the report has neither.

    The Portfolio shows aggregates only, so a sentence that names people (a value called
    `people`, as advice names whom to ask) is never its reason.
    """
    drivers = (report.risk or {}).get("drivers") or []
    said = [*drivers, *(item.get("evidence") for item in report.advice)]
    first = next(
        (s for s in said if isinstance(s, Text) and not _names_people(s)),
        None,
    )
    return first.to_json() if first is not None else {}


def _names_people(sentence: Text) -> bool:
    """Whether a sentence, or one of the sentences it holds, carries people's names."""
    return "people" in sentence.params or any(
        isinstance(value, Text) and _names_people(value) for value in sentence.params.values()
    )


def health_snapshots_compute_all(
    *, as_of: datetime | None = None, on_progress: Callable[[Community], None] | None = None
) -> list[HealthSnapshot]:
    """Recompute every community's snapshot, one community at a time (each its own transaction).

    Without `as_of`, each community is read now, or an imported one as of its history's end.
    """
    snapshots = []
    for community in Community.objects.order_by("name").iterator(chunk_size=200):
        snapshots.append(health_snapshot_compute(community=community, as_of=as_of))
        if on_progress is not None:
            on_progress(community)
    return snapshots
