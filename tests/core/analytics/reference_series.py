"""The month-by-month monthly series: a full set of metrics per month, computed eagerly.

Too slow for pages (the engine takes its series from `batch.analyze_many`), but written as one
would by hand, so the tests hold the fast series to it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from cultivate.core.activity import Verb
from cultivate.core.analytics.maturity import LevelThresholds, classify
from cultivate.core.analytics.metrics import (
    Window,
    compute_metrics,
    contributions,
    questions_with_responses,
)
from cultivate.core.analytics.series import MonthPoint, months_before


def _month_starts(first: datetime, last: datetime) -> list[datetime]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(datetime(year, month, 1, tzinfo=UTC))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_series(
    frame: pl.DataFrame,
    as_of: datetime,
    *,
    months: int = 18,
    window_days: int = 90,
    thresholds: LevelThresholds | None = None,
) -> tuple[MonthPoint, ...]:
    """Return one point per calendar month for the last `months` months up to "as of"."""
    history = frame.filter(pl.col("at") <= as_of)
    if history.height == 0:
        return ()
    earliest: datetime = history["at"].min()  # type: ignore[assignment]
    starts = _month_starts(max(earliest, months_before(as_of, months - 1)), as_of)
    points = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else as_of
        month = history.filter((pl.col("at") >= start) & (pl.col("at") < end))
        asks = month.filter(pl.col("verb") == Verb.ASK.value)
        answered = questions_with_responses(history, asks, 7).filter(
            pl.col("first_response_at").is_not_null()
        )
        median = answered["hours_to_first_response"].median() if answered.height else None
        metrics = compute_metrics(history, Window(end=end, days=window_days))
        points.append(
            MonthPoint(
                month=f"{start:%Y-%m}",
                questions=asks.height,
                shares=month.filter(pl.col("verb") == Verb.SHARE.value).height,
                answers=month.filter(pl.col("verb") == Verb.ANSWER.value).height,
                active_members=contributions(month)["actor"].n_unique(),
                median_hours_to_first_response=float(median) if median is not None else None,  # type: ignore[arg-type]
                level=classify(metrics, thresholds).number,
            )
        )
    return tuple(points)
