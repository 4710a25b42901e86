"""Turn stored activity rows into the core Activity contract: the one bridge to analytics."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC

import polars as pl

from cultivate.apps.communities.models import Community
from cultivate.core.activity import FRAME_SCHEMA, Activity, Verb

from .models import ActivityRecord

_BATCH = 5000


def activity_from_record(record: ActivityRecord, community_slug: str) -> Activity:
    """Return the core Activity for one row; ids are qualified by source so they never clash."""
    source = record.source
    return Activity(
        id=record.external_id or f"{source}:activity:{record.pk}",
        source=source,
        community=community_slug,
        actor=f"cultivate:user:{record.actor_id}",
        verb=Verb(record.verb),
        object_id=f"cultivate:{record.object_type}:{record.object_pk}",
        parent_id=(
            f"cultivate:{record.parent_type}:{record.parent_pk}" if record.parent_pk else None
        ),
        target_actor=(
            f"cultivate:user:{record.target_actor_id}" if record.target_actor_id else None
        ),
        at=record.at.astimezone(UTC),
        text=record.text or None,
        meta=record.meta or {},
    )


def community_activities(community: Community) -> Iterator[Activity]:
    """Yield the community's activities in time order without loading them all at once."""
    rows = ActivityRecord.objects.filter(community=community).order_by("at", "id")
    for record in rows.iterator(chunk_size=_BATCH):
        yield activity_from_record(record, community.slug)


def community_activity_frame(community: Community) -> pl.DataFrame:
    """Return the community's activities as a Polars frame with the contract's schema."""
    columns = (
        "id",
        "source",
        "external_id",
        "actor_id",
        "verb",
        "object_type",
        "object_pk",
        "parent_type",
        "parent_pk",
        "target_actor_id",
        "at",
        "text",
        "meta",
    )
    rows = list(
        ActivityRecord.objects.filter(community=community)
        .order_by("at", "id")
        .values_list(*columns)
    )
    if not rows:
        return pl.DataFrame(schema=dict(FRAME_SCHEMA))
    raw = pl.DataFrame(rows, schema=list(columns), orient="row", infer_schema_length=None)
    return raw.select(
        pl.coalesce(pl.col("external_id"), pl.format("{}:activity:{}", "source", "id")).alias("id"),
        pl.col("source").cast(pl.String),
        pl.lit(community.slug).alias("community"),
        pl.format("cultivate:user:{}", "actor_id").alias("actor"),
        pl.col("verb").cast(pl.String),
        pl.format("cultivate:{}:{}", "object_type", "object_pk").alias("object_id"),
        pl.when(pl.col("parent_pk").is_not_null())
        .then(pl.format("cultivate:{}:{}", "parent_type", "parent_pk"))
        .alias("parent_id"),
        pl.when(pl.col("target_actor_id").is_not_null())
        .then(pl.format("cultivate:user:{}", "target_actor_id"))
        .alias("target_actor"),
        pl.col("at")
        .dt.replace_time_zone(None)
        .dt.replace_time_zone("UTC")
        .cast(pl.Datetime("us", "UTC"))
        if raw.schema["at"] == pl.Datetime("us")
        else pl.col("at").dt.convert_time_zone("UTC").cast(pl.Datetime("us", "UTC")),
        pl.when(pl.col("text") != "").then(pl.col("text")).alias("text"),
        pl.col("meta").map_elements(
            lambda m: json.dumps(m or {}, sort_keys=True, default=str), return_dtype=pl.String
        ),
    )
