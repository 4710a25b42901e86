"""Early warning: the probability that a community goes silent within the next 90 days.

A small logistic regression over trend features of monthly snapshots, fitted on real community
histories (`make model`; see docs/metrics.md for the back-test) and shipped as a JSON file of
coefficients, so applying it needs nothing but Python. A plain trend rule is the baseline to beat.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

import polars as pl

from .maturity import LevelThresholds, classify
from .metrics import Window, compute_metrics, contributions

HORIZON_DAYS = 90
MODEL_FILE = "early_warning.json"

FEATURES: tuple[str, ...] = (
    "log_contributions_30d",
    "log_contributions_90d",
    "trend_30_vs_90",
    "log_active_members",
    "question_share",
    "answered_share",
    "log_distinct_responders",
    "days_since_last_contribution",
    "log_age_days",
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One community at one moment: its features and, when the future is known, the outcome."""

    community: str
    at: datetime
    features: dict[str, float]
    level: int
    silent_within_horizon: bool | None = None


def features_at(frame: pl.DataFrame, at: datetime, window_days: int = 90) -> dict[str, float]:
    """Return the trend features of the community in the frame as of `at`."""
    history = frame.filter(pl.col("at") <= at)
    metrics = compute_metrics(history, Window(end=at, days=window_days))
    done = contributions(history)
    last = done["at"].max()
    first = history["at"].min()
    since_last = (at - last).total_seconds() / 86400 if isinstance(last, datetime) else 365.0
    age = (at - first).total_seconds() / 86400 if isinstance(first, datetime) else 0.0
    per_30 = metrics.contributions * 30 / window_days
    return {
        "log_contributions_30d": math.log1p(metrics.contributions_last_30_days),
        "log_contributions_90d": math.log1p(metrics.contributions),
        "trend_30_vs_90": (metrics.contributions_last_30_days + 1) / (per_30 + 1),
        "log_active_members": math.log1p(metrics.active_members),
        "question_share": metrics.question_share,
        "answered_share": metrics.answered_share,
        "log_distinct_responders": math.log1p(metrics.distinct_responders),
        "days_since_last_contribution": min(since_last, 365.0) / 30.0,
        "log_age_days": math.log1p(max(age, 0.0)),
    }


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

    `data_end` is when the export was taken (default: its last activity). An outcome is known
    only for snapshots at least `horizon_days` before it: silent within the horizon means
    level 0 at some month end in the horizon.
    """
    if frame.height == 0:
        return []
    first: datetime = frame["at"].min()  # type: ignore[assignment]
    end_of_data: datetime = data_end or frame["at"].max()  # type: ignore[assignment]
    ends = _month_ends(first, end_of_data)
    levels = {e: classify(compute_metrics(frame, Window(end=e)), thresholds).number for e in ends}
    horizon = timedelta(days=horizon_days)
    result = []
    for end in ends:
        if levels[end] == 0:
            continue
        outcome: bool | None = None
        if end + horizon <= end_of_data:
            outcome = any(levels[e] == 0 for e in ends if end < e <= end + horizon)
        result.append(Snapshot(community, end, features_at(frame, end), levels[end], outcome))
    return result


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """Standardised logistic regression: coefficients per feature, plus the scaling used."""

    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    meta: dict[str, Any]

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(
            w * (features[name] - m) / s
            for name, m, s, w in zip(
                self.features, self.means, self.scales, self.weights, strict=True
            )
        )
        return 1.0 / (1.0 + math.exp(-max(-35.0, min(35.0, z))))

    def drivers(self, features: dict[str, float], top: int = 3) -> list[tuple[str, float]]:
        """Return the features that push the risk most, with their signed log-odds contribution."""
        parts = [
            (name, w * (features[name] - m) / s)
            for name, m, s, w in zip(
                self.features, self.means, self.scales, self.weights, strict=True
            )
        ]
        return sorted(parts, key=lambda p: -abs(p[1]))[:top]

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": self.features,
                "means": self.means,
                "scales": self.scales,
                "weights": self.weights,
                "bias": self.bias,
                "meta": self.meta,
            },
            indent=2,
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
        )


def fit_logistic(
    rows: Sequence[dict[str, float]],
    labels: Sequence[bool],
    *,
    features: Sequence[str] = FEATURES,
    l2: float = 1.0,
    iterations: int = 50,
) -> LogisticModel:
    """Fit an L2-regularised logistic regression by Newton's method (small data, pure Python)."""
    n, k = len(rows), len(features)
    if n == 0 or len(set(labels)) < 2:
        raise ValueError("fitting needs snapshots of both outcomes")
    means = [sum(r[f] for r in rows) / n for f in features]
    scales = [
        math.sqrt(sum((r[f] - m) ** 2 for r in rows) / n) or 1.0
        for f, m in zip(features, means, strict=True)
    ]
    x = [
        [1.0] + [(r[f] - m) / s for f, m, s in zip(features, means, scales, strict=True)]
        for r in rows
    ]
    y = [1.0 if label else 0.0 for label in labels]
    beta = [0.0] * (k + 1)
    for _ in range(iterations):
        p = [
            1
            / (
                1
                + math.exp(
                    -max(-35.0, min(35.0, sum(b * v for b, v in zip(beta, xi, strict=True))))
                )
            )
            for xi in x
        ]
        grad = [
            sum((p[i] - y[i]) * x[i][j] for i in range(n)) + (l2 * beta[j] if j else 0.0)
            for j in range(k + 1)
        ]
        hess = [
            [
                sum(p[i] * (1 - p[i]) * x[i][a] * x[i][b] for i in range(n))
                + (l2 if a == b and a else 0.0)
                for b in range(k + 1)
            ]
            for a in range(k + 1)
        ]
        step = _solve(hess, grad)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return LogisticModel(
        tuple(features),
        tuple(means),
        tuple(scales),
        tuple(beta[1:]),
        beta[0],
        {"l2": l2, "samples": n, "positives": int(sum(y))},
    )


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve a small linear system by Gaussian elimination with partial pivoting."""
    size = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-12:
            a[col][col] = 1e-12
        for r in range(col + 1, size):
            factor = a[r][col] / a[col][col]
            for c in range(col, size + 1):
                a[r][c] -= factor * a[col][c]
    solution = [0.0] * size
    for r in range(size - 1, -1, -1):
        solution[r] = (a[r][size] - sum(a[r][c] * solution[c] for c in range(r + 1, size))) / a[r][
            r
        ]
    return solution


def trend_rule(features: dict[str, float]) -> float:
    """The baseline: risk rises as the last 30 days fall below the 90-day monthly average."""
    trend = features["trend_30_vs_90"]
    return max(0.0, min(1.0, 1.0 - trend / 2.0))


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """Return the area under the ROC curve (ties count half), or None with one class only."""
    positives = [s for s, y in zip(scores, labels, strict=True) if y]
    negatives = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not positives or not negatives:
        return None
    wins = sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in positives for q in negatives)
    return wins / (len(positives) * len(negatives))


def brier(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Return the mean squared error of the probabilities against the outcomes."""
    return sum((s - (1.0 if y else 0.0)) ** 2 for s, y in zip(scores, labels, strict=True)) / len(
        scores
    )


def load_model() -> LogisticModel | None:
    """Return the shipped model, or None when it has not been fitted yet."""
    try:
        text = resources.files(__package__).joinpath(MODEL_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return LogisticModel.from_json(text)


def risk(
    frame: pl.DataFrame, at: datetime, model: LogisticModel | None = None
) -> dict[str, Any] | None:
    """Return the early warning for the community as of `at`, or None without a model."""
    model = model or load_model()
    if model is None:
        return None
    features = features_at(frame, at)
    return {
        "probability": model.probability(features),
        "horizon_days": HORIZON_DAYS,
        "model": model.meta.get("name", "logistic regression on trend features"),
        "drivers": [{"feature": f, "log_odds": v} for f, v in model.drivers(features)],
        "baseline_trend_rule": trend_rule(features),
    }


def labelled(snaps: Iterable[Snapshot]) -> list[Snapshot]:
    return [s for s in snaps if s.silent_within_horizon is not None]
