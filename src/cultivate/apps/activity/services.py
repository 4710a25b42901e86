"""Record activities: every community service calls `activity_record` in its own transaction.

Recording an activity means the community's content changed; the apps above that care (the
content version in communities) listen to `activity_recorded` instead of being imported here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from cultivate.apps.deferred import defer, flush_deferred
from cultivate.apps.rows import append_rows
from cultivate.core.activity import Verb

from .models import ActivityRecord
from .signals import activity_recorded


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
    activity_recorded.send(ActivityRecord, community_id=community_id)
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
    activity_recorded.send(ActivityRecord, community_id=existing.community_id)
    return True
