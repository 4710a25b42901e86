"""Record activities (every community service calls `activity_record` in its own transaction),
and compute the stored health snapshots the Health and Portfolio pages read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
from django.db import models, transaction
from django.utils import timezone

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.freshness import community_changed
from cultivate.apps.communities.models import Community
from cultivate.apps.deferred import defer, flush_deferred
from cultivate.apps.rows import append_rows
from cultivate.core.activity import Verb
from cultivate.core.analytics import analyze, health_at
from cultivate.core.analytics.metrics import contributions
from cultivate.core.reports import Report, build_report
from cultivate.core.reports.charts import network_layout

from .mappers import community_activity_frame
from .models import ActivityRecord, HealthSnapshot
from .presenters import network_edges


def _kind(obj: models.Model) -> str:
    return obj._meta.model_name or type(obj).__name__.lower()


def activity_record(
    *,
    verb: Verb,
    actor_id: int,
    community_id: int,
    obj: models.Model,
    parent: models.Model | None = None,
    target_actor_id: int | None = None,
    at: datetime | None = None,
    text: str = "",
    meta: dict[str, Any] | None = None,
) -> ActivityRecord:
    """Store one Activity; must run inside the caller's transaction so the two land together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("activity_record must run inside the service's transaction.atomic block")
    record = ActivityRecord(
        verb=verb.value,
        actor_id=actor_id,
        community_id=community_id,
        object_type=_kind(obj),
        object_pk=obj.pk,
        parent_type=_kind(parent) if parent is not None else "",
        parent_pk=parent.pk if parent is not None else None,
        target_actor_id=target_actor_id if target_actor_id != actor_id else None,
        at=at or timezone.now(),
        text=text[:2000],
        meta=meta or {},
    )
    if not defer(_write_records, record):
        record.save(force_insert=True)
    community_changed(community_id)
    return record


def _write_records(records: list[ActivityRecord]) -> None:
    append_rows(records)


def activity_retarget(
    *,
    verb: Verb,
    parent: models.Model,
    obj: models.Model,
    actor_id: int,
    target_actor_id: int | None,
) -> bool:
    """Point a parent's existing activity of this verb at another object; say whether one was.

    One act, one count: switching a question's accepted answer moves its one acceptance to the
    new answer (and its author) instead of recording another. Must run in the caller's
    transaction, like `activity_record`.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("activity_retarget must run inside the service's transaction.atomic")
    flush_deferred()  # the activity to move may still be waiting to be written
    existing = (
        ActivityRecord.objects.select_for_update()
        .filter(verb=verb.value, parent_type=_kind(parent), parent_pk=parent.pk)
        .order_by("-at", "-pk")
        .first()
    )
    if existing is None:
        return False
    existing.object_type = _kind(obj)
    existing.object_pk = obj.pk
    existing.actor_id = actor_id
    existing.target_actor_id = target_actor_id if target_actor_id != actor_id else None
    existing.save(update_fields=["object_type", "object_pk", "actor_id", "target_actor_id"])
    community_changed(existing.community_id)
    return True


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
    frame = community_activity_frame(community)
    moment = as_of or history_as_of(frame, timezone.now())
    if timezone.is_naive(moment):
        raise ValueError(f"as_of {moment} is naive; give it a time zone")
    names = actor_names(frame)
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
        "network_layout": network_layout(network_edges(stored)).to_dict(),
    }


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
