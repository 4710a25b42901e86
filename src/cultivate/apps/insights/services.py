"""Record activities; every community service calls `activity_record` inside its own transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from cultivate.core.activity import Verb

from .models import ActivityRecord


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
    return ActivityRecord.objects.create(
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
