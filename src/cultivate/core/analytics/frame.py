"""Check and normalise an Activity frame before any metric reads it.

Every error names the offending rows by their activity id, so a person can find them in the source.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from cultivate.core.activity import FRAME_SCHEMA, Verb

REQUIRED: tuple[str, ...] = ("id", "community", "actor", "verb", "object_id", "at")
OPTIONAL: tuple[str, ...] = ("source", "parent_id", "target_actor", "text", "meta")
_SHOWN = 5


class FrameError(ValueError):
    """An activity frame the engine cannot trust; the message names the columns or rows."""


def _ids(rows: pl.DataFrame) -> str:
    ids = rows["id"].head(_SHOWN).to_list()
    more = rows.height - len(ids)
    return ", ".join(repr(i) for i in ids) + (f" and {more} more" if more > 0 else "")


def prepare_frame(frame: pl.DataFrame, community: str | None = None) -> pl.DataFrame:
    """Return the frame checked and normalised (UTC times, every column), or raise FrameError.

    When `community` is given, every row must belong to it.
    """
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise FrameError(
            f"the activity frame lacks column(s) {', '.join(missing)}; "
            f"it needs {', '.join(REQUIRED)} (and may have {', '.join(OPTIONAL)})"
        )
    for name in OPTIONAL:
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=FRAME_SCHEMA[name]).alias(name))
    at_type = frame.schema["at"]
    if not isinstance(at_type, pl.Datetime):
        raise FrameError(f"column 'at' must hold datetimes, not {at_type}")
    if at_type.time_zone is None:
        if frame.height:
            raise FrameError(
                f"column 'at' has naive timestamps (rows {_ids(frame)}); give them a time zone"
            )
        frame = frame.with_columns(pl.col("at").dt.replace_time_zone("UTC"))
    frame = frame.with_columns(
        pl.col("at").dt.convert_time_zone("UTC").cast(pl.Datetime("us", "UTC")),
        *(pl.col(c).cast(pl.String) for c in ("id", "community", "actor", "verb", "object_id")),
        *(pl.col(c).cast(pl.String) for c in OPTIONAL),
    ).select(list(FRAME_SCHEMA))
    nulls = frame.filter(pl.any_horizontal(pl.col(c).is_null() for c in REQUIRED))
    if nulls.height:
        empty = [c for c in REQUIRED if nulls[c].null_count()]
        raise FrameError(f"rows {_ids(nulls)} have no value in {', '.join(empty)}")
    known = [v.value for v in Verb]
    unknown = frame.filter(~pl.col("verb").is_in(known))
    if unknown.height:
        verbs = sorted(set(unknown["verb"].to_list()))
        raise FrameError(
            f"rows {_ids(unknown)} have unknown verb(s) {', '.join(map(repr, verbs))}; "
            f"known verbs: {', '.join(known)}"
        )
    if community is not None:
        foreign = frame.filter(pl.col("community") != community)
        if foreign.height:
            others = sorted(set(foreign["community"].to_list()))
            raise FrameError(
                f"rows {_ids(foreign)} belong to other communities "
                f"({', '.join(map(repr, others))}), not {community!r}"
            )
    return frame


def verbs(*names: Verb) -> Sequence[str]:
    """Return the verbs' string values, for `is_in` filters."""
    return [n.value for n in names]
