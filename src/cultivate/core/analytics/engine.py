"""One call that turns an Activity frame into the whole diagnosis of a community."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl

from .advice import Advice, advise
from .batch import analyze_many
from .forecast import RISK_RESPONSE_DAYS, RISK_WINDOW_DAYS
from .forecast import risk as early_warning
from .frame import prepare_frame
from .health import Health, HealthWeights, health
from .maturity import Level, LevelThresholds, classify
from .metrics import Metrics, Window, compute_metrics, contributions, help_edges, in_window
from .roles import MemberProfile, member_profiles
from .series import MonthPoint
from .steps import Step, ladder


@dataclass(frozen=True, slots=True)
class Analysis:
    """Where a community stands, why, what to do next: everything a report shows."""

    community: str
    as_of: datetime
    metrics: Metrics
    level: Level
    health: Health
    steps: tuple[Step, ...]
    members: tuple[MemberProfile, ...]
    advice: tuple[Advice, ...]
    series: tuple[MonthPoint, ...]
    network: tuple[tuple[str, str, int], ...]
    """Who helped whom in the window: (helper, helped, times)."""
    risk: dict[str, Any] | None = None
    """Early warning (forecast.risk): probability of going silent within 90 days, and why."""
    took_part_ever: int = 0
    """People who ever contributed up to `as_of`: an imported community's real members."""
    took_part_last_12_months: int = 0


def took_part(frame: pl.DataFrame, as_of: datetime) -> tuple[int, int]:
    """Return how many people contributed ever, and in the 365 days before `as_of`."""
    done = contributions(frame.filter(pl.col("at") <= as_of))
    recent = done.filter(pl.col("at") > as_of - timedelta(days=365))
    return done["actor"].n_unique(), recent["actor"].n_unique()


def health_at(
    frame: pl.DataFrame,
    community: str,
    *,
    as_of: datetime,
    window_days: int = 90,
    response_days: int = 7,
    weights: HealthWeights | None = None,
) -> Health:
    """Return only the health as of a moment, as `analyze` would give it: what a trend compares,
    without the level, steps, roles, advice, series and risk of a whole diagnosis."""
    if as_of.tzinfo is None:
        raise ValueError(f"as_of {as_of} is naive; give it a time zone")
    prepared = prepare_frame(frame, community)
    window = Window(end=as_of.astimezone(UTC), days=window_days)
    return health(compute_metrics(prepared, window, response_days=response_days), weights)


def _series(
    prepared: pl.DataFrame,
    community: str,
    as_of: datetime,
    months: int,
    window_days: int,
    thresholds: LevelThresholds | None,
) -> tuple[MonthPoint, ...]:
    """The monthly series, computed as the portfolio computes it for many communities: one
    lazy pass instead of a full set of metrics per month (three quarters of a Health page's
    engine time at 100,000 activities). The month-by-month reference is in the tests
    (`tests/core/analytics/reference_series.py`)."""
    result = analyze_many(
        prepared,
        as_of=as_of,
        window_days=window_days,
        thresholds=thresholds,
        series_months=months,
    ).get(community)
    return result.series if result is not None else ()


def _risk_metrics(metrics: Metrics, response_days: int) -> Metrics | None:
    """The report window's metrics where they are the early warning's own (the 90 days before,
    seven days to respond), so they are not computed twice."""
    if metrics.window.days == RISK_WINDOW_DAYS and response_days == RISK_RESPONSE_DAYS:
        return metrics
    return None


def analyze(
    frame: pl.DataFrame,
    community: str,
    *,
    as_of: datetime | None = None,
    window_days: int = 90,
    response_days: int = 7,
    thresholds: LevelThresholds | None = None,
    weights: HealthWeights | None = None,
    names: Mapping[str, str] | None = None,
    series_months: int = 18,
    on_platform: bool = True,
) -> Analysis:
    """Diagnose one community from its activities, as of a moment (default: its last activity).

    `on_platform` False: an export read straight from its files, so advice that only the
    platform can act on (coffee pairing) says so.

    Raise FrameError when the frame breaks the Activity contract or holds other communities.
    """
    prepared = prepare_frame(frame, community)
    if as_of is None:
        latest = prepared["at"].max()
        as_of = latest if isinstance(latest, datetime) else datetime.now(UTC)
    if as_of.tzinfo is None:
        raise ValueError(f"as_of {as_of} is naive; give it a time zone")
    as_of = as_of.astimezone(UTC)
    window = Window(end=as_of, days=window_days)
    metrics = compute_metrics(prepared, window, response_days=response_days)
    level = classify(metrics, thresholds)
    steps = ladder(prepared, window)
    edges = help_edges(in_window(prepared.filter(pl.col("at") <= as_of), window)).sort(
        "weight", "helper", "helped", descending=[True, False, False]
    )
    ever, last_year = took_part(prepared, as_of)
    return Analysis(
        community=community,
        as_of=as_of,
        metrics=metrics,
        level=level,
        health=health(metrics, weights),
        steps=steps,
        members=member_profiles(prepared, window),
        advice=advise(prepared, metrics, level, steps, names, imported=not on_platform),
        series=_series(prepared, community, as_of, series_months, window_days, thresholds),
        network=tuple((h, t, int(w)) for h, t, w in edges.iter_rows()),
        risk=early_warning(prepared, as_of, metrics=_risk_metrics(metrics, response_days))
        if level.number > 0
        else None,
        took_part_ever=ever,
        took_part_last_12_months=last_year,
    )
