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
the windows stays small. The windows and the placed history are built in `batch_windows`, the
per-window figures in `batch_figures`; this module puts them together, community by community.

Member roles and personas, advice, the help network and the early-warning risk are not here:
they read whole histories per person and are cheap for one community, so callers compute them
with `analyze` only for the communities they show.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import polars as pl

from .batch_figures import (
    asks_with_responses,
    co_creation_figures,
    main_figures,
    month_figures,
    window_counts,
    window_people,
    window_questions,
)
from .batch_windows import compact_history, extra_rows, hashed_column, run_windows, segment_map
from .frame import prepare_frame
from .health import Health, HealthWeights, health
from .maturity import Level, LevelThresholds, classify
from .metrics import CoCreation, Metrics, Window
from .series import MonthPoint
from .steps import STEPS, Step

_ENGINE: Final = "streaming"
"""Polars' streaming engine runs these group-bys and joins in parallel morsels: faster here
and lighter than the in-memory engine on ten million rows (docs/benchmarks.md)."""


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
    w = run_windows(as_of, window_days, series_months, response_days)
    segmap = segment_map(w).collect().lazy()
    ev = compact_history(prepared, as_of, w).collect(engine=_ENGINE).lazy()
    asks = asks_with_responses(ev, w).collect(engine=_ENGINE)
    duplicates = bool(asks.select(pl.struct("community", "question").is_duplicated().any()).item())
    asks_lazy = asks.lazy()
    people = window_people(ev, segmap).collect(engine=_ENGINE)
    people_lazy = people.lazy()
    per_window_people = people.group_by("community", "wid").agg(
        pl.len().alias("active"),
        pl.col("asked").sum().alias("askers"),
        pl.col("responded").sum().alias("responders"),
    )
    extras = extra_rows(prepared, as_of, w).collect(engine=_ENGINE).lazy()
    plans, published, documents, fulfilled = co_creation_figures(ev, segmap, extras)
    frames = pl.collect_all(
        [
            window_counts(ev, segmap),
            window_questions(asks_lazy, segmap, duplicates),
            plans,
            published,
            documents,
            fulfilled,
            month_figures(ev, asks_lazy, series_months, duplicates),
            ev.group_by("community").agg(
                pl.col("at").min().alias("earliest"), pl.len().alias("rows")
            ),
            *main_figures(extras, ev, asks_lazy, people_lazy, w, response_days, duplicates),
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
        .with_columns(hashed_column("community").alias("key"))
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
