"""The windows `analyze_many` shares between communities, and the history placed in them.

Every window of a run (the report's, the previous one, each series month's) has the same bounds
for all communities; their sorted bounds cut time into segments. Each activity is labelled once
with its segment and series month, its ids hashed, into a compact history (`compact_history`)
and the few rows that need their text (`extra_rows`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl

from cultivate.core.activity import CONTRIBUTION_VERBS, Verb

from .frame import verbs
from .metrics import ORIGINAL_VERBS, RESPONSE_VERBS
from .series import months_before

_CONTRIBUTIONS = sorted(v.value for v in CONTRIBUTION_VERBS)
_SERIES_RESPONSE_DAYS = 7  # each month is classified with compute_metrics' default


@dataclass(frozen=True, slots=True)
class RunWindows:
    """Every window of the run, the segment bounds that cut time, and the series months."""

    table: pl.DataFrame  # wid, end, start, idx_end, idx_start, idx_30, response_days
    bounds: pl.Series  # sorted distinct window bounds; segment = how many bounds lie before `at`
    month_bounds: pl.Series  # the series' month starts, then as_of
    months: int
    main: int
    previous: int


def run_windows(as_of: datetime, window_days: int, months: int, response_days: int) -> RunWindows:
    starts = [months_before(as_of, months - 1 - i) for i in range(months)]
    ends = [*starts[1:], as_of]
    rows: list[tuple[datetime, int]] = [(end, _SERIES_RESPONSE_DAYS) for end in ends]
    rows.append((as_of, response_days))
    rows.append((as_of - timedelta(days=window_days), response_days))
    span = timedelta(days=window_days)
    thirty = timedelta(days=30)
    marks = sorted({m for end, _ in rows for m in (end, end - span, end - thirty)})
    index = {m: i for i, m in enumerate(marks)}
    table = pl.DataFrame(
        {
            "wid": list(range(len(rows))),
            "end": [end for end, _ in rows],
            "idx_end": [index[end] for end, _ in rows],
            "idx_start": [index[end - span] for end, _ in rows],
            "idx_30": [index[end - thirty] for end, _ in rows],
            "response_days": [days for _, days in rows],
        },
        schema={
            "wid": pl.Int32,
            "end": pl.Datetime("us", "UTC"),
            "idx_end": pl.UInt32,
            "idx_start": pl.UInt32,
            "idx_30": pl.UInt32,
            "response_days": pl.Int64,
        },
    )
    return RunWindows(
        table=table,
        bounds=pl.Series("bounds", marks, dtype=pl.Datetime("us", "UTC")),
        month_bounds=pl.Series("months", [*starts, as_of], dtype=pl.Datetime("us", "UTC")),
        months=months,
        main=months,
        previous=months + 1,
    )


def segment_map(w: RunWindows) -> pl.LazyFrame:
    """Return (seg, wid, last_30, idx_end, response_days) for every segment inside a window."""
    segs = pl.DataFrame({"seg": pl.arange(0, w.bounds.len() + 1, eager=True).cast(pl.UInt32)})
    return (
        segs.lazy()
        .join(w.table.lazy(), how="cross")
        .filter((pl.col("seg") > pl.col("idx_start")) & (pl.col("seg") <= pl.col("idx_end")))
        .select(
            "seg",
            "wid",
            (pl.col("seg") > pl.col("idx_30")).alias("last_30"),
            "idx_end",
            "response_days",
        )
    )


_VERB = pl.Enum([v.value for v in Verb])
_KEYS = ("community", "actor", "target_actor", "object_id", "parent_id")


def hashed_column(name: str) -> pl.Expr:
    """Return the column as a 64-bit hash, null kept null.

    Ten million ids as strings cost 16 bytes each per copy and slow every join; their hashes cost
    8 and compare in one instruction. The same expression on any subset gives the same keys, so
    frames built separately still join. Two different ids collide with odds near n^2 / 2^65 (about
    1e-5 for 20 million ids), and a collision matters only inside one community.
    """
    column = pl.col(name)
    return pl.when(column.is_not_null()).then(column.hash(seed=0)).alias(name)


def _history(prepared: pl.DataFrame, as_of: datetime) -> pl.LazyFrame:
    """Return the history up to as_of, each row numbered by its place in the prepared frame."""
    return prepared.lazy().with_row_index("_row").filter(pl.col("at") <= as_of)


def _placed(frame: pl.LazyFrame, w: RunWindows) -> pl.LazyFrame:
    """Add each row's segment and series month, and the verb as an enum, the ids as hashes."""
    return frame.with_columns(
        *(hashed_column(name) for name in _KEYS),
        pl.col("verb").cast(_VERB),
        pl.lit(w.bounds).search_sorted(pl.col("at"), side="left").alias("seg"),
        (pl.lit(w.month_bounds).search_sorted(pl.col("at"), side="right").cast(pl.Int32) - 1).alias(
            "month"
        ),
    )


def compact_history(prepared: pl.DataFrame, as_of: datetime, w: RunWindows) -> pl.LazyFrame:
    """Return the compact history: hashed ids, segment, series month and verb.

    Only what most figures read is kept (no text, source, id or meta strings), so the copy costs
    a fraction of the input frame; the few figures that need more read an `extras_subset`.
    """
    verb = pl.col("verb")
    return _placed(
        _history(prepared, as_of).select(
            "_row",
            *_KEYS,
            "verb",
            "at",
        ),
        w,
    ).with_columns(
        verb.is_in(_CONTRIBUTIONS).alias("contrib"),
        verb.is_in(RESPONSE_VERBS).alias("response"),
        (
            verb.is_in(RESPONSE_VERBS)
            & pl.col("target_actor").is_not_null()
            & (pl.col("target_actor") != pl.col("actor"))
        ).alias("edge"),
    )


_EXTRA_VERBS = sorted({*ORIGINAL_VERBS, *verbs(Verb.JOIN, Verb.LEAVE, Verb.PLAN, Verb.PUBLISH)})


def extra_rows(prepared: pl.DataFrame, as_of: datetime, w: RunWindows) -> pl.LazyFrame:
    """Return the rows the compact history cannot answer for, with their id and meta text.

    Activity ids break ties in time as `analyze` does (first posts, the last join or leave);
    meta fields tell self-promotion, a topic's deliverable and on-time publishing. Only these
    verbs' rows (about a third) keep their text columns.
    """
    return _placed(
        _history(prepared, as_of)
        .filter(pl.col("verb").is_in(_EXTRA_VERBS))
        .select("_row", *_KEYS, "verb", "at", "id", "meta"),
        w,
    )


def extras_subset(
    extras: pl.LazyFrame, names: Sequence[str], *extra: str | pl.Expr
) -> pl.LazyFrame:
    """Return the rows of some of the extra verbs, with the columns asked for."""
    return extras.filter(pl.col("verb").is_in(names)).select(
        "_row", *_KEYS, "verb", "at", "seg", "month", *extra
    )
