"""Early warning: will this community go silent, or decline, within 90 days, and why.

A community is judged against its own history, not only against large ones: this quarter
against the previous one and the same quarter a year ago, the slope of its active members and
of its questions, months without a contribution, how much its top three people carry. Two
outcomes are forecast: **silence** (level 0 within 90 days, the headline) and a **decline**
(fewer contributions in the next 90 days than half of the last 90). For each, a small logistic
regression, fitted and back-tested on real histories by `make model` (`cultivate.tools`;
figures in docs/metrics.md), is shipped as JSON with bootstrap refits for its uncertainty, and
used only where it beat the trend rule in the back-test; otherwise the trend rule speaks.

The risk **level** also reads what already happened: a community whose contributions halved
within a quarter (against the previous quarter or the same quarter a year ago) has declined,
and reads as high risk whatever the forecast says.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

import numpy as np
import polars as pl

from cultivate.core.text import Number, Text, _, ngettext

from .maturity import LevelThresholds, classify
from .metrics import Metrics, Window, compute_metrics, contributions

HORIZON_DAYS = 90
MODEL_FILE = "early_warning.json"
DECLINE_RATIO = 0.5
"""A decline: the next 90 days bring fewer than this share of the last 90 days' contributions."""
HIGH_RISK = 0.5
MODERATE_RISK = 0.25
TREND_RULE = _("trend rule")
_MODEL_NAMES: dict[str, str] = {  # the model file names its model in English; these say it
    name: name for name in (_("logistic regression on the community's own trends"),)
}

FEATURES: tuple[str, ...] = (
    "log_contributions_90d",
    "trend_30_vs_90",
    "quarter_vs_previous",
    "quarter_vs_last_year",
    "active_members_slope",
    "questions_slope",
    "empty_months",
    "top3_share",
    "log_active_members",
    "answered_share",
    "days_since_last_contribution",
    "log_age_days",
)
"""What the model reads; the first eight compare the community with its own past."""

_MONTH = 30.0


@dataclass(frozen=True, slots=True)
class Trend:
    """The raw numbers behind the features, kept to say the drivers in words."""

    contributions_90d: int
    contributions_previous_90d: int
    contributions_last_year_90d: int | None
    active_members_90d: int
    active_members_previous_90d: int
    questions_90d: int
    questions_previous_90d: int
    days_since_last: float
    empty_months: int
    top3_share: float


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One community at one month end: features and, when the future is known, the outcomes."""

    community: str
    at: datetime
    features: dict[str, float]
    level: int
    silent_within_horizon: bool | None = None
    declines_within_horizon: bool | None = None


def _slope(values: Sequence[float]) -> float:
    """Return the least-squares slope per step of a short series, relative to its mean (+1)."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    numerator = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    denominator = sum((i - mean_x) ** 2 for i in range(n))
    return numerator / denominator / (mean_y + 1.0)


def trend_at(frame: pl.DataFrame, at: datetime) -> Trend:
    """Return the community's recent numbers as of `at`, each beside its own earlier ones."""
    done = contributions(frame.filter(pl.col("at") <= at)).select("actor", "verb", "at")

    def between(days_from: float, days_to: float) -> pl.DataFrame:
        start, end = at - timedelta(days=days_from), at - timedelta(days=days_to)
        return done.filter((pl.col("at") > start) & (pl.col("at") <= end))

    now, before = between(90, 0), between(180, 90)
    first = done["at"].min()
    year_ago: int | None = None
    if isinstance(first, datetime) and first <= at - timedelta(days=455):
        year_ago = between(455, 365).height
    last = done["at"].max()
    since_last = (at - last).total_seconds() / 86400 if isinstance(last, datetime) else 365.0
    months = [between(_MONTH * (k + 1), _MONTH * k).height for k in range(6)]
    counts = now.group_by("actor").len().sort("len", descending=True)["len"].to_list()
    top3 = sum(counts[:3]) / now.height if now.height else 0.0
    return Trend(
        contributions_90d=now.height,
        contributions_previous_90d=before.height,
        contributions_last_year_90d=year_ago,
        active_members_90d=now["actor"].n_unique(),
        active_members_previous_90d=before["actor"].n_unique(),
        questions_90d=now.filter(pl.col("verb") == "ask").height,
        questions_previous_90d=before.filter(pl.col("verb") == "ask").height,
        days_since_last=min(since_last, 365.0),
        empty_months=sum(1 for m in months if m == 0),
        top3_share=top3,
    )


def _monthly(frame: pl.DataFrame, at: datetime, *, questions: bool) -> list[float]:
    """Return the last six 30-day months, oldest first: active members, or questions."""
    done = contributions(frame.filter(pl.col("at") <= at))
    series: list[float] = []
    for k in range(5, -1, -1):
        start, end = at - timedelta(days=_MONTH * (k + 1)), at - timedelta(days=_MONTH * k)
        month = done.filter((pl.col("at") > start) & (pl.col("at") <= end))
        if questions:
            series.append(float(month.filter(pl.col("verb") == "ask").height))
        else:
            series.append(float(month["actor"].n_unique()))
    return series


RISK_WINDOW_DAYS = 90
RISK_RESPONSE_DAYS = 7
"""The window and response time of the metrics the early warning's features read."""


def features_at(
    frame: pl.DataFrame,
    at: datetime,
    window_days: int = RISK_WINDOW_DAYS,
    metrics: Metrics | None = None,
) -> tuple[dict[str, float], Trend]:
    """Return the features of the community in the frame as of `at`, and their raw numbers.

    `metrics`: the frame's metrics over the `window_days` before `at` (seven days to respond),
    where the caller has them already; otherwise they are computed here.
    """
    history = frame.filter(pl.col("at") <= at)
    if metrics is None:
        metrics = compute_metrics(
            history, Window(end=at, days=window_days), response_days=RISK_RESPONSE_DAYS
        )
    trend = trend_at(history, at)
    first = history["at"].min()
    age = (at - first).total_seconds() / 86400 if isinstance(first, datetime) else 0.0
    per_30 = metrics.contributions * 30 / window_days
    last_year = trend.contributions_last_year_90d
    features = {
        "log_contributions_90d": math.log1p(metrics.contributions),
        "trend_30_vs_90": (metrics.contributions_last_30_days + 1) / (per_30 + 1),
        "quarter_vs_previous": math.log(
            (trend.contributions_90d + 1) / (trend.contributions_previous_90d + 1)
        ),
        "quarter_vs_last_year": (
            0.0 if last_year is None else math.log((trend.contributions_90d + 1) / (last_year + 1))
        ),
        "active_members_slope": _slope(_monthly(history, at, questions=False)),
        "questions_slope": _slope(_monthly(history, at, questions=True)),
        "empty_months": float(trend.empty_months),
        "top3_share": trend.top3_share,
        "log_active_members": math.log1p(metrics.active_members),
        "answered_share": metrics.answered_share,
        "days_since_last_contribution": trend.days_since_last / 30.0,
        "log_age_days": math.log1p(max(age, 0.0)),
    }
    return features, trend


def _month_ends(first: datetime, last: datetime) -> list[datetime]:
    ends: list[datetime] = []
    year, month = first.year, first.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = first.replace(
            year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0
        )
        if end > last:
            return ends
        ends.append(end)


def snapshots(
    frame: pl.DataFrame,
    community: str,
    *,
    data_end: datetime | None = None,
    thresholds: LevelThresholds | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> list[Snapshot]:
    """Return a snapshot at every month end at which the community was active (not silent).

    `data_end` is when the export was taken (default: its last activity). Outcomes are known
    only for snapshots at least `horizon_days` before it: silent means level 0 at some month end
    in the horizon; declines means fewer contributions in the horizon than half of the 90 days
    before.
    """
    if frame.height == 0:
        return []
    first: datetime = frame["at"].min()  # type: ignore[assignment]
    end_of_data: datetime = data_end or frame["at"].max()  # type: ignore[assignment]
    ends = _month_ends(first, end_of_data)
    levels = {e: classify(compute_metrics(frame, Window(end=e)), thresholds).number for e in ends}
    times = contributions(frame)["at"]
    horizon = timedelta(days=horizon_days)
    result = []
    for end in ends:
        if levels[end] == 0:
            continue
        silent: bool | None = None
        declines: bool | None = None
        if end + horizon <= end_of_data:
            silent = any(levels[e] == 0 for e in ends if end < e <= end + horizon)
            past = int(((times > end - horizon) & (times <= end)).sum())
            future = int(((times > end) & (times <= end + horizon)).sum())
            declines = future < DECLINE_RATIO * past
        features, _ = features_at(frame, end)
        result.append(Snapshot(community, end, features, levels[end], silent, declines))
    return result


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """Standardised logistic regression: coefficients per feature, plus the scaling used.

    `bootstrap` holds refits on resampled communities, (bias, weights) each: the spread of their
    probabilities is the uncertainty the report shows.
    """

    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    meta: dict[str, Any]
    bootstrap: tuple[tuple[float, tuple[float, ...]], ...] = field(default=())

    def _standard(self, features: dict[str, float]) -> list[float]:
        return [
            (features[name] - m) / s
            for name, m, s in zip(self.features, self.means, self.scales, strict=True)
        ]

    def probability(self, features: dict[str, float]) -> float:
        return _sigmoid(self.bias, self.weights, self._standard(features))

    def interval(self, features: dict[str, float]) -> tuple[float, float] | None:
        """Return the 10th and 90th percentiles of the bootstrap refits' probabilities."""
        if not self.bootstrap:
            return None
        x = self._standard(features)
        values = sorted(_sigmoid(bias, weights, x) for bias, weights in self.bootstrap)
        low = values[int(0.1 * (len(values) - 1))]
        high = values[math.ceil(0.9 * (len(values) - 1))]
        return low, high

    def drivers(self, features: dict[str, float], top: int = 3) -> list[tuple[str, float]]:
        """Return the features that push the risk most, with their signed log-odds contribution."""
        parts = [
            (name, w * v)
            for name, w, v in zip(
                self.features, self.weights, self._standard(features), strict=True
            )
        ]
        return sorted(parts, key=lambda p: -abs(p[1]))[:top]

    @property
    def uses_model(self) -> bool:
        """Whether the back-test chose the model over the trend rule (see docs/metrics.md)."""
        return str(self.meta.get("uses", "model")) == "model"

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": self.features,
                "means": self.means,
                "scales": self.scales,
                "weights": self.weights,
                "bias": self.bias,
                "meta": self.meta,
                "bootstrap": [[b, list(w)] for b, w in self.bootstrap],
            },
            indent=1,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> LogisticModel:
        data = json.loads(text)
        return cls(
            tuple(data["features"]),
            tuple(data["means"]),
            tuple(data["scales"]),
            tuple(data["weights"]),
            float(data["bias"]),
            dict(data.get("meta", {})),
            tuple((float(b), tuple(float(x) for x in w)) for b, w in data.get("bootstrap", [])),
        )


def _sigmoid(bias: float, weights: Sequence[float], x: Sequence[float]) -> float:
    z = bias + sum(w * v for w, v in zip(weights, x, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-35.0, min(35.0, z))))


def fit_logistic(
    rows: Sequence[dict[str, float]],
    labels: Sequence[bool],
    *,
    features: Sequence[str] = FEATURES,
    l2: float = 1.0,
    iterations: int = 50,
) -> LogisticModel:
    """Fit an L2-regularised logistic regression by Newton's method on standardised features."""
    n = len(rows)
    if n == 0 or len(set(labels)) < 2:
        raise ValueError("fitting needs snapshots of both outcomes")
    raw = np.array([[r[f] for f in features] for r in rows], dtype=np.float64)
    means = raw.mean(axis=0)
    scales = raw.std(axis=0)
    scales[scales == 0] = 1.0
    x = np.hstack([np.ones((n, 1)), (raw - means) / scales])
    y = np.array([1.0 if label else 0.0 for label in labels])
    penalty = np.eye(x.shape[1]) * l2
    penalty[0, 0] = 0.0
    beta = np.zeros(x.shape[1])
    for _step in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -35.0, 35.0)))
        gradient = x.T @ (p - y) + penalty @ beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hessian + np.eye(x.shape[1]) * 1e-9, gradient)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return LogisticModel(
        tuple(features),
        tuple(float(m) for m in means),
        tuple(float(s) for s in scales),
        tuple(float(b) for b in beta[1:]),
        float(beta[0]),
        {"l2": l2, "samples": n, "positives": int(y.sum())},
    )


def trend_rule(features: dict[str, float]) -> float:
    """The baseline: risk rises as the last 30 days, or this quarter, fall below what came before.

    Either ratio at 1 (no change) gives 0.5; a fall to a fifth gives 0.9.
    """
    month = features["trend_30_vs_90"]
    quarter = math.exp(features["quarter_vs_previous"])
    return max(0.0, min(1.0, 1.0 - min(month, quarter) / 2.0))


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """Return the area under the ROC curve (ties count half), or None with one class only."""
    positives = sorted(s for s, y in zip(scores, labels, strict=True) if y)
    negatives = sorted(s for s, y in zip(scores, labels, strict=True) if not y)
    if not positives or not negatives:
        return None
    # Rank-sum form: O(n log n), so a back-test over thousands of snapshots stays instant.
    wins = 0.0
    below = equal = 0
    for p in positives:
        while below < len(negatives) and negatives[below] < p:
            below += 1
        equal = below
        while equal < len(negatives) and negatives[equal] == p:
            equal += 1
        wins += below + 0.5 * (equal - below)
    return wins / (len(positives) * len(negatives))


def brier(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Return the mean squared error of the probabilities against the outcomes."""
    return sum((s - (1.0 if y else 0.0)) ** 2 for s, y in zip(scores, labels, strict=True)) / len(
        scores
    )


OUTCOMES: tuple[str, ...] = ("silence", "decline")


@dataclass(frozen=True, slots=True)
class EarlyWarning:
    """The shipped models, one per outcome, and whether the back-test chose each over the rule."""

    models: dict[str, LogisticModel]

    def to_json(self) -> str:
        return json.dumps(
            {name: json.loads(model.to_json()) for name, model in self.models.items()},
            indent=1,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> EarlyWarning:
        data = json.loads(text)
        return cls({name: LogisticModel.from_json(json.dumps(data[name])) for name in data})


def load_model() -> EarlyWarning | None:
    """Return the shipped models, or None when they have not been fitted yet."""
    try:
        text = resources.files(__package__).joinpath(MODEL_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return EarlyWarning.from_json(text)


_CHANGES = {  # one whole sentence per subject and direction, so each language can word it
    ("active members", "fell"): _("active members fell from %(before)s to %(now)s in a quarter"),
    ("active members", "rose"): _("active members rose from %(before)s to %(now)s in a quarter"),
    ("contributions", "fell"): _("contributions fell from %(before)s to %(now)s in a quarter"),
    ("contributions", "rose"): _("contributions rose from %(before)s to %(now)s in a quarter"),
    ("questions", "fell"): _("questions fell from %(before)s to %(now)s in a quarter"),
    ("questions", "rose"): _("questions rose from %(before)s to %(now)s in a quarter"),
}


def _fell_or_rose(what: str, before: int, now: int) -> Text | None:
    if before == now or max(before, now) < 5 or abs(now - before) < 0.2 * max(before, now):
        return None
    change = "fell" if now < before else "rose"
    return Text(
        _CHANGES[what, change].msgid, {"before": Number.count(before), "now": Number.count(now)}
    )


def explain(trend: Trend) -> list[Text]:
    """Say in words what the community's own history shows, most telling first."""
    sentences: list[Text] = []
    members = _fell_or_rose(
        "active members", trend.active_members_previous_90d, trend.active_members_90d
    )
    volume = _fell_or_rose(
        "contributions", trend.contributions_previous_90d, trend.contributions_90d
    )
    for sentence in (volume, members):
        if sentence is not None:
            sentences.append(sentence)
    last_year = trend.contributions_last_year_90d
    if last_year and last_year >= 5:
        share = trend.contributions_90d / last_year
        if share <= 0.6 or share >= 1.5:
            sentences.append(
                _(
                    "this quarter brought %(share)s of the contributions of the same quarter a "
                    "year ago (%(now)s against %(before)s)",
                    share=Number.percent(share),
                    now=Number.count(trend.contributions_90d),
                    before=Number.count(last_year),
                )
            )
    questions = _fell_or_rose("questions", trend.questions_previous_90d, trend.questions_90d)
    if questions is not None:
        sentences.append(questions)
    if trend.days_since_last >= 30:
        sentences.append(
            _("no contribution for %(days)s days", days=Number.count(round(trend.days_since_last)))
        )
    elif trend.empty_months >= 2:
        sentences.append(
            ngettext(
                "%(n)s of the last 6 months had no contribution",
                "%(n)s of the last 6 months had no contribution",
                trend.empty_months,
            )
        )
    if trend.top3_share >= 0.7 and trend.active_members_90d >= 5:
        sentences.append(
            _(
                "three people made %(share)s of this quarter's contributions",
                share=Number.percent(trend.top3_share),
            )
        )
    return sentences


def risk_level(probability: float) -> str:
    """Name a chance of going silent or declining: high from 50%, moderate from 25%."""
    return (
        "high"
        if probability >= HIGH_RISK
        else "moderate"
        if probability >= MODERATE_RISK
        else "low"
    )


def already_declined(trend: Trend) -> bool:
    """Whether contributions halved within a quarter, against the last one or a year ago."""
    references = [trend.contributions_previous_90d, trend.contributions_last_year_90d or 0]
    return any(
        reference >= 10 and trend.contributions_90d <= DECLINE_RATIO * reference
        for reference in references
    )


def _forecast(
    warning: EarlyWarning | None, outcome: str, features: dict[str, float]
) -> tuple[float, list[float] | None, str]:
    model = warning.models.get(outcome) if warning is not None else None
    if model is None or not model.uses_model:
        return trend_rule(features), None, TREND_RULE
    interval = model.interval(features)
    named = str(model.meta.get("name", "logistic regression on the community's own trends"))
    name = _MODEL_NAMES.get(named, named)
    return model.probability(features), list(interval) if interval else None, name


def risk(
    frame: pl.DataFrame,
    at: datetime,
    model: EarlyWarning | None = None,
    *,
    metrics: Metrics | None = None,
) -> dict[str, Any] | None:
    """Return the early warning as of `at`: both forecasts, the level, and why in words.

    `metrics` as in `features_at`: the 90 days before `at`, seven days to respond.
    """
    warning = model or load_model()
    features, trend = features_at(frame, at, metrics=metrics)
    silence, silence_interval, name = _forecast(warning, "silence", features)
    decline, decline_interval, _ = _forecast(warning, "decline", features)
    declined = already_declined(trend)
    level = "high" if declined else risk_level(max(silence, decline))
    return {
        "probability": silence,
        "interval": silence_interval,
        "decline_probability": decline,
        "decline_interval": decline_interval,
        "already_declined": declined,
        "level": level,
        "horizon_days": HORIZON_DAYS,
        "model": name,
        "drivers": explain(trend),
        "baseline_trend_rule": trend_rule(features),
    }


def labelled(snaps: Iterable[Snapshot]) -> list[Snapshot]:
    return [s for s in snaps if s.declines_within_horizon is not None]
