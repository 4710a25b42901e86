"""Every community's level, health, metrics, steps and monthly series from one frame, at once.

`analyze` diagnoses one community and recomputes the metrics for each month of its series; a
portfolio of a thousand communities would call it a thousand times. `analyze_many` reads the
multi-community frame once with Polars group-bys and joins and returns, for every community, the
same numbers `analyze` gives (tests/core/analytics/test_batch.py holds it to that).

How the windows are shared: all communities are diagnosed as of the same moment, so every
window the engine looks at (the report's window, the previous one for retention, and the
rolling window ending at each month of the series) has the same bounds for all of them. The
sorted set of those bounds cuts time into a few dozen segments; each activity is labelled with
its segment once, facts are aggregated per (community, segment[, person]), and a small
segment-to-window table turns them into per-window figures. Distinct counts (active members,
askers, responders, document contributors) are de-duplicated per segment first, so the join to
the windows stays small.

Member roles and personas, advice, the help network and the early-warning risk are not here:
they read whole histories per person and are cheap for one community, so callers compute them
with `analyze` only for the communities they show.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import polars as pl

from cultivate.core.activity import CONTRIBUTION_VERBS, Verb

from .frame import prepare_frame, verbs
from .health import Health, HealthWeights, health
from .maturity import Level, LevelThresholds, classify
from .metrics import (
    ORIGINAL_VERBS,
    RESPONSE_VERBS,
    SELF_PROMOTION_KINDS,
    CoCreation,
    Metrics,
    Window,
)
from .series import MonthPoint, months_before
from .steps import STEPS, Step

_CONTRIBUTIONS = sorted(v.value for v in CONTRIBUTION_VERBS)
_SERIES_RESPONSE_DAYS = 7  # each month is classified with compute_metrics' default


@dataclass(frozen=True, slots=True)
class BatchResult:
    """One community's report figures: what `analyze` gives less members, advice, network, risk."""

    community: str
    as_of: datetime
    metrics: Metrics
    level: Level
    health: Health
    steps: tuple[Step, ...]
    series: tuple[MonthPoint, ...]


@dataclass(frozen=True, slots=True)
class _Windows:
    """Every window of the run, the segment bounds that cut time, and the series months."""

    table: pl.DataFrame  # wid, end, start, idx_end, idx_start, idx_30, response_days
    bounds: pl.Series  # sorted distinct window bounds; segment = how many bounds lie before `at`
    month_bounds: pl.Series  # the series' month starts, then as_of
    months: int
    main: int
    previous: int


def _windows(as_of: datetime, window_days: int, months: int, response_days: int) -> _Windows:
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
    return _Windows(
        table=table,
        bounds=pl.Series("bounds", marks, dtype=pl.Datetime("us", "UTC")),
        month_bounds=pl.Series("months", [*starts, as_of], dtype=pl.Datetime("us", "UTC")),
        months=months,
        main=months,
        previous=months + 1,
    )


def _segment_map(w: _Windows) -> pl.LazyFrame:
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


_ENGINE: Final = "streaming"
"""Polars' streaming engine runs these group-bys and joins in parallel morsels: faster here
and lighter than the in-memory engine on ten million rows (docs/benchmarks.md)."""
_VERB = pl.Enum([v.value for v in Verb])
_KEYS = ("community", "actor", "target_actor", "object_id", "parent_id")


def _key(name: str) -> pl.Expr:
    """Return the column as a 64-bit hash, null kept null.

    Ten million ids as strings cost 16 bytes each per copy and slow every join; their hashes cost
    8 and compare in one instruction. The same expression on any subset gives the same keys, so
    frames built separately still join. Two different ids collide with odds near n^2 / 2^65 (about
    1e-5 for 20 million ids), and a collision matters only inside one community.
    """
    column = pl.col(name)
    return pl.when(column.is_not_null()).then(column.hash(seed=0)).alias(name)


def _meta(path: str) -> pl.Expr:
    return pl.col("meta").str.json_path_match(path)


def _history(prepared: pl.DataFrame, as_of: datetime) -> pl.LazyFrame:
    """Return the history up to as_of, each row numbered by its place in the prepared frame."""
    return prepared.lazy().with_row_index("_row").filter(pl.col("at") <= as_of)


def _placed(frame: pl.LazyFrame, w: _Windows) -> pl.LazyFrame:
    """Add each row's segment and series month, and the verb as an enum, the ids as hashes."""
    return frame.with_columns(
        *(_key(name) for name in _KEYS),
        pl.col("verb").cast(_VERB),
        pl.lit(w.bounds).search_sorted(pl.col("at"), side="left").alias("seg"),
        (pl.lit(w.month_bounds).search_sorted(pl.col("at"), side="right").cast(pl.Int32) - 1).alias(
            "month"
        ),
    )


def _events(prepared: pl.DataFrame, as_of: datetime, w: _Windows) -> pl.LazyFrame:
    """Return the compact history: hashed ids, segment, series month and verb.

    Only what most figures read is kept (no text, source, id or meta strings), so the copy costs
    a fraction of the input frame; the few figures that need more read a `_subset`.
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


def _extras(prepared: pl.DataFrame, as_of: datetime, w: _Windows) -> pl.LazyFrame:
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


def _subset(extras: pl.LazyFrame, names: Sequence[str], *extra: str | pl.Expr) -> pl.LazyFrame:
    """Return the rows of some of the extra verbs, with the columns asked for."""
    return extras.filter(pl.col("verb").is_in(names)).select(
        "_row", *_KEYS, "verb", "at", "seg", "month", *extra
    )


def _window_counts(ev: pl.LazyFrame, segmap: pl.LazyFrame) -> pl.LazyFrame:
    verb = pl.col("verb")
    counted = {
        "asks": Verb.ASK,
        "shares": Verb.SHARE,
        "requests": Verb.REQUEST,
        "decisions": Verb.DECIDE,
        "completions": Verb.COMPLETE,
    }
    per_seg = ev.group_by("community", "seg").agg(
        pl.col("contrib").sum().alias("contributions"),
        *((verb == v.value).sum().alias(name) for name, v in counted.items()),
    )
    return (
        per_seg.join(segmap, on="seg")
        .group_by("community", "wid")
        .agg(
            pl.col("contributions").sum(),
            pl.col("contributions").filter(pl.col("last_30")).sum().alias("last_30"),
            *(pl.col(name).sum() for name in counted),
        )
    )


def _people(ev: pl.LazyFrame, segmap: pl.LazyFrame) -> pl.LazyFrame:
    """Return (community, wid, actor, asked, responded) for everyone who contributed in a window."""
    return (
        ev.filter(pl.col("contrib"))
        .group_by("community", "seg", "actor")
        .agg(
            (pl.col("verb") == Verb.ASK.value).any().alias("asked"),
            pl.col("edge").any().alias("responded"),
        )
        .join(segmap.select("seg", "wid"), on="seg")
        .group_by("community", "wid", "actor")
        .agg(pl.col("asked").any(), pl.col("responded").any())
    )


def _asks(ev: pl.LazyFrame, w: _Windows) -> pl.LazyFrame:
    """Return every ask with its first response by someone else and that question's answers."""
    asks = ev.filter(pl.col("verb") == Verb.ASK.value).select(
        "_row",
        "community",
        "seg",
        "month",
        pl.col("object_id").alias("question"),
        pl.col("actor").alias("asker"),
        pl.col("at").alias("asked_at"),
    )
    responses = ev.filter(pl.col("response") & pl.col("parent_id").is_not_null()).select(
        "community",
        pl.col("parent_id").alias("question"),
        pl.col("actor").alias("responder"),
        pl.col("at").alias("responded_at"),
        (pl.col("verb") == Verb.ANSWER.value).alias("is_answer"),
    )
    firsts = (
        asks.select("_row", "community", "question", "asker", "asked_at")
        .join(responses, on=["community", "question"])
        .filter(
            (pl.col("responder") != pl.col("asker"))
            & (pl.col("responded_at") >= pl.col("asked_at"))
        )
        .group_by("_row")
        .agg(
            pl.col("responded_at").min().alias("first_response_at"),
            pl.col("is_answer").sum().alias("answers"),
        )
    )
    accepted = (
        ev.filter(pl.col("verb") == Verb.ACCEPT.value)
        .select("community", pl.col("parent_id").alias("question"))
        .unique()
        .with_columns(pl.lit(True).alias("accepted"))
    )
    return (
        asks.join(firsts, on="_row", how="left")
        .join(accepted, on=["community", "question"], how="left")
        .with_columns(
            pl.col("answers").fill_null(0),
            pl.col("accepted").fill_null(False),
            pl.lit(w.bounds)
            .search_sorted(pl.col("first_response_at"), side="left")
            .alias("first_seg"),
            ((pl.col("first_response_at") - pl.col("asked_at")).dt.total_seconds() / 3600.0).alias(
                "hours_to_first_response"
            ),
        )
    )


def _first_per(frame: pl.LazyFrame, keys: Sequence[str], duplicates: bool) -> pl.LazyFrame:
    """Keep the first row (in frame order) of each key, as `unique(keep="first")` does."""
    if not duplicates:
        return frame
    return frame.sort("_row").unique(list(keys), keep="first")


def _window_questions(asks: pl.LazyFrame, segmap: pl.LazyFrame, duplicates: bool) -> pl.LazyFrame:
    in_windows = _first_per(
        asks.join(segmap.select("seg", "wid", "idx_end", "response_days"), on="seg"),
        ("community", "wid", "question"),
        duplicates,
    )
    answered = (
        pl.col("first_response_at").is_not_null()
        & (pl.col("first_seg") <= pl.col("idx_end"))
        & (
            (pl.col("first_response_at") - pl.col("asked_at"))
            <= pl.duration(days=pl.col("response_days"))
        )
    )
    return in_windows.group_by("community", "wid").agg(
        pl.len().alias("questions"), answered.sum().alias("answered")
    )


def _co_creation(
    ev: pl.LazyFrame, segmap: pl.LazyFrame, extras: pl.LazyFrame
) -> list[pl.LazyFrame]:
    verb = pl.col("verb")
    seg_wid = segmap.select("seg", "wid", "idx_end")
    plans = (
        _subset(extras, [Verb.PLAN.value], _meta("$.deliverable").alias("d"))
        .select("community", "seg", "object_id", pl.col("d").is_not_null())
        .join(seg_wid, on="seg")
        .group_by("community", "wid")
        .agg(
            pl.col("object_id").n_unique().alias("agenda_topics_active"),
            pl.col("object_id").filter(pl.col("d")).n_unique().alias("with_deliverable"),
        )
    )
    published = (
        _subset(extras, [Verb.PUBLISH.value], _meta("$.on_time").alias("on_time"))
        .select("community", "seg", "object_id", (pl.col("on_time") == "true").fill_null(False))
        .join(seg_wid, on="seg")
        .group_by("community", "wid")
        .agg(
            pl.col("object_id").n_unique().alias("topics_delivered"),
            pl.col("object_id").filter(pl.col("on_time")).n_unique().alias("on_time"),
        )
    )
    documents = (
        ev.filter((verb == Verb.CONTRIBUTE.value) & pl.col("parent_id").is_not_null())
        .select("community", "seg", "parent_id", "actor")
        .unique()
        .join(seg_wid, on="seg")
        .group_by("community", "wid", "parent_id")
        .agg(pl.col("actor").n_unique().alias("people"))
        .group_by("community", "wid")
        .agg(
            pl.col("people").max().alias("max_contributors"),
            (pl.col("people") >= 3).sum().alias("documents_with_three"),
        )
    )
    requests = ev.filter(verb == Verb.REQUEST.value).select(
        "community",
        pl.col("object_id").alias("request"),
        pl.col("actor").alias("requester"),
        pl.col("seg").alias("request_seg"),
    )
    fulfilled = (
        ev.filter(verb == Verb.HELP.value)
        .select("community", "seg", pl.col("parent_id").alias("request"), pl.col("actor"))
        .join(requests, on=["community", "request"])
        .filter(pl.col("actor") != pl.col("requester"))
        .join(seg_wid, on="seg")
        .filter(pl.col("request_seg") <= pl.col("idx_end"))
        .group_by("community", "wid")
        .agg(pl.col("request").n_unique().alias("fulfilled"))
    )
    return [plans, published, documents, fulfilled]


def _months(ev: pl.LazyFrame, asks: pl.LazyFrame, months: int, duplicates: bool) -> pl.LazyFrame:
    in_series = (pl.col("month") >= 0) & (pl.col("month") < months)
    counts = (
        ev.filter(in_series)
        .group_by("community", "month")
        .agg(
            (pl.col("verb") == Verb.ASK.value).sum().alias("questions"),
            (pl.col("verb") == Verb.SHARE.value).sum().alias("shares"),
            (pl.col("verb") == Verb.ANSWER.value).sum().alias("answers"),
            pl.col("actor").filter(pl.col("contrib")).n_unique().alias("active_members"),
        )
    )
    medians = (
        _first_per(asks.filter(in_series), ("community", "month", "question"), duplicates)
        .filter(pl.col("first_response_at").is_not_null())
        .group_by("community", "month")
        .agg(pl.col("hours_to_first_response").median().alias("median"))
    )
    return counts.join(medians, on=["community", "month"], how="left")


def _main(
    extras: pl.LazyFrame,
    ev: pl.LazyFrame,
    asks: pl.LazyFrame,
    people: pl.LazyFrame,
    w: _Windows,
    response_days: int,
    duplicates: bool,
) -> list[pl.LazyFrame]:
    """Return the report window's figures that the level of a month does not need."""
    main_row = w.table.row(w.main, named=True)
    lo, hi = main_row["idx_start"], main_row["idx_end"]
    in_main = (pl.col("seg") > lo) & (pl.col("seg") <= hi)
    as_of: datetime = main_row["end"]
    start: datetime = w.table.row(w.previous, named=True)["end"]
    verb = pl.col("verb")

    active = people.filter(pl.col("wid") == w.main).select(
        "community", "actor", pl.lit(True).alias("active")
    )
    previous = people.filter(pl.col("wid") == w.previous).select(
        "community", "actor", pl.lit(True).alias("before")
    )
    membership = (
        _subset(extras, verbs(Verb.JOIN, Verb.LEAVE), "id")
        .group_by("community", "actor")
        .agg(verb.sort_by("at", "id").last().alias("last"))
    )
    contributors = (
        ev.filter(pl.col("contrib"))
        .select("community", "actor")
        .unique()
        .with_columns(pl.lit(True).alias("contributed"))
    )
    keys = ["community", "actor"]
    members = (
        membership.join(contributors, on=keys, how="full", coalesce=True)
        .join(active, on=keys, how="full", coalesce=True)
        .join(previous, on=keys, how="full", coalesce=True)
        .group_by("community")
        .agg(
            (
                (pl.col("last") == Verb.JOIN.value).fill_null(False)
                | (
                    pl.col("contributed").fill_null(False) & (pl.col("last") != Verb.LEAVE.value)
                ).fill_null(pl.col("contributed").fill_null(False))
                | pl.col("active").fill_null(False)
            )
            .sum()
            .alias("members"),
            pl.col("before").fill_null(False).sum().alias("previous_active"),
            (pl.col("before").fill_null(False) & pl.col("active").fill_null(False))
            .sum()
            .alias("returned"),
        )
    )
    promotions = (
        _subset(extras, [Verb.SHARE.value], _meta("$.kind").alias("kind"))
        .filter(in_main)
        .group_by("community")
        .agg(pl.col("kind").is_in(SELF_PROMOTION_KINDS).sum().alias("self_promotions"))
    )
    questions = _first_per(asks.filter(in_main), ("community", "question"), duplicates).sort(
        "asked_at", "_row"
    )
    responded = pl.col("first_response_at").is_not_null()
    too_old = as_of - timedelta(days=response_days)
    answers = questions.group_by("community").agg(
        pl.col("accepted").sum().alias("accepted"),
        pl.col("hours_to_first_response").filter(responded).median().alias("median_hours"),
        (pl.col("answers") > 0).sum().alias("with_answers"),
        pl.col("answers").sum().alias("answer_total"),
        pl.len().alias("questions"),
        pl.col("_row").filter(~responded & (pl.col("asked_at") <= too_old)).alias("unanswered"),
    )
    ties = (
        ev.filter(in_main & pl.col("edge"))
        .group_by("community", "actor", "target_actor")
        .agg(pl.len().alias("weight"))
    )
    mutual = ties.join(
        ties.select(
            "community",
            pl.col("target_actor").alias("actor"),
            pl.col("actor").alias("target_actor"),
        ),
        on=["community", "actor", "target_actor"],
    )
    reciprocity = (
        ties.group_by("community")
        .agg(pl.len().alias("ties"))
        .join(
            mutual.group_by("community").agg(pl.len().alias("mutual_ties")),
            on="community",
            how="left",
        )
    )
    per_helper = ties.group_by("community", "actor").agg(pl.col("weight").sum())
    absence = (
        per_helper.sort("community", "weight", descending=[False, True])
        .with_columns(
            pl.col("weight").cum_sum().over("community").alias("running"),
            pl.col("weight").sum().over("community").alias("total"),
        )
        .group_by("community")
        .agg(
            (2 * (pl.col("running") - pl.col("weight")) < pl.col("total"))
            .sum()
            .alias("absence_factor")
        )
    )
    firsts = (
        _subset(extras, ORIGINAL_VERBS, "id")
        .group_by("community", "actor")
        .agg(
            pl.col("object_id").sort_by("at", "id").first().alias("first_object"),
            pl.col("at").min().alias("first_at"),
        )
        .filter((pl.col("first_at") > start) & (pl.col("first_at") <= as_of))
    )
    replied = (
        firsts.join(
            ev.filter(pl.col("response") & pl.col("parent_id").is_not_null()).select(
                "community",
                pl.col("parent_id").alias("first_object"),
                pl.col("actor").alias("responder"),
            ),
            on=["community", "first_object"],
        )
        .filter(pl.col("responder") != pl.col("actor"))
        .group_by("community")
        .agg(pl.col("actor").n_unique().alias("newcomers_replied"))
    )
    newcomers = (
        firsts.group_by("community")
        .agg(pl.len().alias("newcomers"))
        .join(replied, on="community", how="left")
    )
    step_cols = []
    for number, _, step_verbs in STEPS:
        hit = verb.is_in([v.value for v in step_verbs])
        step_cols += [
            pl.col("at").filter(hit).max().alias(f"last_{number}"),
            (hit & in_main).sum().alias(f"count_{number}"),
        ]
    steps = ev.group_by("community").agg(*step_cols)
    return [members, promotions, answers, reciprocity, absence, newcomers, steps]


def _rows(frame: pl.DataFrame, keys: Sequence[str]) -> dict[Any, dict[str, Any]]:
    out: dict[Any, dict[str, Any]] = {}
    for row in frame.iter_rows(named=True):
        key = tuple(row[k] for k in keys)
        out[key[0] if len(key) == 1 else key] = row
    return out


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator) / float(denominator) if denominator else 0.0


def _int(row: dict[str, Any] | None, name: str) -> int:
    value = row.get(name) if row else None
    return int(value) if value is not None else 0


def _level_metrics(window: Window, rows: dict[str, dict[str, Any] | None]) -> Metrics:
    """Return the window's Metrics with every figure `classify` reads; the rest stay zero."""
    c, q, p, co = rows["c"], rows["q"], rows["p"], rows
    asks, shares = _int(c, "asks"), _int(c, "shares")
    active = _int(p, "active")
    return Metrics(
        window=window,
        members=0,
        active_members=active,
        contributions=_int(c, "contributions"),
        contributions_last_30_days=_int(c, "last_30"),
        interactive_share=0.0,
        questions=asks,
        shares=shares,
        self_promotions=0,
        questions_per_active_member_30d=_ratio(asks, active) * 30 / window.days,
        question_share=_ratio(asks, asks + shares),
        broadcast_share=_ratio(shares, asks + shares),
        self_promotion_share=0.0,
        answered_share=_ratio(_int(q, "answered"), _int(q, "questions")),
        median_hours_to_first_response=None,
        accepted_share=0.0,
        answers_per_answered_question=0.0,
        reciprocity=0.0,
        distinct_askers=_int(p, "askers"),
        distinct_responders=_int(p, "responders"),
        absence_factor=0,
        newcomers=0,
        newcomer_reply_rate=None,
        retention=None,
        unanswered_question_ids=(),
        co_creation=CoCreation(
            agenda_topics_active=_int(co["plans"], "agenda_topics_active"),
            agenda_topics_with_deliverable=_int(co["plans"], "with_deliverable"),
            topics_delivered=_int(co["published"], "topics_delivered"),
            topics_delivered_on_time=_int(co["published"], "on_time"),
            max_contributors_per_document=_int(co["documents"], "max_contributors"),
            documents_with_three_contributors=_int(co["documents"], "documents_with_three"),
            help_requests=_int(c, "requests"),
            help_requests_fulfilled=_int(co["fulfilled"], "fulfilled"),
            decisions_made=_int(c, "decisions"),
            action_items_completed=_int(c, "completions"),
        ),
    )


def analyze_many(
    frame: pl.DataFrame,
    *,
    as_of: datetime,
    window_days: int = 90,
    response_days: int = 7,
    thresholds: LevelThresholds | None = None,
    weights: HealthWeights | None = None,
    series_months: int = 18,
) -> dict[str, BatchResult]:
    """Return every community's metrics, level, health, steps and monthly series as of a moment.

    Equal, community by community, to what `analyze(frame_of_that_community, community,
    as_of=as_of, ...)` returns for those parts. Members' roles, advice, the help network and
    the early-warning risk are left to `analyze`, for the few communities a caller shows.
    Raise FrameError when the frame breaks the Activity contract.
    """
    if as_of.tzinfo is None:
        raise ValueError(f"as_of {as_of} is naive; give it a time zone")
    as_of = as_of.astimezone(UTC)
    prepared = prepare_frame(frame)
    w = _windows(as_of, window_days, series_months, response_days)
    segmap = _segment_map(w).collect().lazy()
    ev = _events(prepared, as_of, w).collect(engine=_ENGINE).lazy()
    asks = _asks(ev, w).collect(engine=_ENGINE)
    duplicates = bool(asks.select(pl.struct("community", "question").is_duplicated().any()).item())
    asks_lazy = asks.lazy()
    people = _people(ev, segmap).collect(engine=_ENGINE)
    people_lazy = people.lazy()
    per_window_people = people.group_by("community", "wid").agg(
        pl.len().alias("active"),
        pl.col("asked").sum().alias("askers"),
        pl.col("responded").sum().alias("responders"),
    )
    extras = _extras(prepared, as_of, w).collect(engine=_ENGINE).lazy()
    plans, published, documents, fulfilled = _co_creation(ev, segmap, extras)
    frames = pl.collect_all(
        [
            _window_counts(ev, segmap),
            _window_questions(asks_lazy, segmap, duplicates),
            plans,
            published,
            documents,
            fulfilled,
            _months(ev, asks_lazy, series_months, duplicates),
            ev.group_by("community").agg(
                pl.col("at").min().alias("earliest"), pl.len().alias("rows")
            ),
            *_main(extras, ev, asks_lazy, people_lazy, w, response_days, duplicates),
        ],
        engine=_ENGINE,
    )
    (counts, questions, plans_f, published_f, documents_f, fulfilled_f, months_f, spans) = frames[
        :8
    ]
    members, promotions, answers, recip, absence, newcomers, steps = frames[8:]

    by_window = {
        "c": _rows(counts, ("community", "wid")),
        "q": _rows(questions, ("community", "wid")),
        "p": _rows(per_window_people, ("community", "wid")),
        "plans": _rows(plans_f, ("community", "wid")),
        "published": _rows(published_f, ("community", "wid")),
        "documents": _rows(documents_f, ("community", "wid")),
        "fulfilled": _rows(fulfilled_f, ("community", "wid")),
    }
    month_rows = _rows(months_f, ("community", "month"))
    main_rows = {
        name: _rows(f, ("community",))
        for name, f in (
            ("members", members),
            ("promotions", promotions),
            ("answers", answers),
            ("recip", recip),
            ("absence", absence),
            ("newcomers", newcomers),
            ("steps", steps),
        )
    }
    month_starts: list[datetime] = w.month_bounds.to_list()[:-1]
    ends: list[datetime] = w.table["end"].to_list()

    keys = (
        prepared.lazy()
        .select(pl.col("community").unique())
        .with_columns(_key("community").alias("key"))
    )
    communities = dict(keys.sort("community").collect().iter_rows())
    span_rows = _rows(spans, ("community",))
    results: dict[str, BatchResult] = {}
    for community, key in communities.items():

        def window_metrics(wid: int, key: int = key) -> Metrics:
            rows = {kind: found.get((key, wid)) for kind, found in by_window.items()}
            return _level_metrics(Window(end=ends[wid], days=window_days), rows)

        base = window_metrics(w.main)
        metrics = _complete(
            base, key, main_rows, by_window["p"].get((key, w.previous)), prepared["object_id"]
        )
        level = classify(metrics, thresholds)
        span = span_rows.get(key)
        series: list[MonthPoint] = []
        if span is not None:
            first = max(0, bisect_right(month_starts, span["earliest"]) - 1)
            for month in range(first, series_months):
                row = month_rows.get((key, month))
                median = row["median"] if row else None
                series.append(
                    MonthPoint(
                        month=f"{month_starts[month]:%Y-%m}",
                        questions=_int(row, "questions"),
                        shares=_int(row, "shares"),
                        answers=_int(row, "answers"),
                        active_members=_int(row, "active_members"),
                        median_hours_to_first_response=float(median)
                        if median is not None
                        else None,
                        level=classify(window_metrics(month), thresholds).number,
                    )
                )
        step_row = main_rows["steps"].get(key)
        results[community] = BatchResult(
            community=community,
            as_of=as_of,
            metrics=metrics,
            level=level,
            health=health(metrics, weights),
            steps=tuple(
                Step(
                    number=number,
                    name=name,
                    last_at=step_row[f"last_{number}"] if step_row else None,
                    count_in_window=_int(step_row, f"count_{number}"),
                )
                for number, name, _ in STEPS
            ),
            series=tuple(series),
        )
    return results


def _complete(
    base: Metrics,
    key: int,
    main_rows: dict[str, dict[Any, dict[str, Any]]],
    previous: dict[str, Any] | None,
    object_ids: pl.Series,
) -> Metrics:
    """Return the report window's Metrics: the level figures plus everything else."""
    members_row = main_rows["members"].get(key)
    answers = main_rows["answers"].get(key)
    recip = main_rows["recip"].get(key)
    newcomers_row = main_rows["newcomers"].get(key)
    members = _int(members_row, "members")
    previous_active = _int(members_row, "previous_active")
    promotions = _int(main_rows["promotions"].get(key), "self_promotions")
    originals = base.questions + base.shares
    ties = _int(recip, "ties")
    mutual = _int(recip, "mutual_ties") // 2
    median = answers.get("median_hours") if answers else None
    newcomers = _int(newcomers_row, "newcomers")
    return Metrics(
        window=base.window,
        members=members,
        active_members=base.active_members,
        contributions=base.contributions,
        contributions_last_30_days=base.contributions_last_30_days,
        interactive_share=_ratio(base.active_members, members),
        questions=base.questions,
        shares=base.shares,
        self_promotions=promotions,
        questions_per_active_member_30d=base.questions_per_active_member_30d,
        question_share=base.question_share,
        broadcast_share=base.broadcast_share,
        self_promotion_share=_ratio(promotions, originals),
        answered_share=base.answered_share,
        median_hours_to_first_response=float(median) if median is not None else None,
        accepted_share=_ratio(_int(answers, "accepted"), _int(answers, "questions")),
        answers_per_answered_question=_ratio(
            _int(answers, "answer_total"), _int(answers, "with_answers")
        ),
        reciprocity=_ratio(mutual, ties - mutual),
        distinct_askers=base.distinct_askers,
        distinct_responders=base.distinct_responders,
        absence_factor=_int(main_rows["absence"].get(key), "absence_factor"),
        newcomers=newcomers,
        newcomer_reply_rate=_ratio(_int(newcomers_row, "newcomers_replied"), newcomers)
        if newcomers
        else None,
        retention=_ratio(_int(members_row, "returned"), previous_active)
        if previous_active
        else None,
        unanswered_question_ids=tuple(object_ids.gather(answers["unanswered"]).to_list())
        if answers
        else (),
        co_creation=base.co_creation,
    )


__all__ = ["BatchResult", "analyze_many"]
