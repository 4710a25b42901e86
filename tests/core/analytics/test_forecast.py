"""Early warning: snapshots, outcomes, the logistic model, and the measures of the back-test."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from cultivate.core.activity import Activity, to_frame
from cultivate.core.analytics.forecast import (
    FEATURES,
    LogisticModel,
    auc,
    brier,
    features_at,
    fit_logistic,
    snapshots,
    trend_rule,
)

START = datetime(2024, 1, 1, tzinfo=UTC)


def lively_then_gone(months_alive: int = 8, total_months: int = 14):
    """Five people ask and answer every week for `months_alive` months, then nobody speaks."""
    rows, n = [], 0
    for week in range(months_alive * 4):
        when = START + timedelta(weeks=week)
        for person in range(5):
            n += 1
            rows.append(
                Activity(
                    id=f"x:{n}",
                    source="t",
                    community="c",
                    actor=f"p{person}",
                    verb="ask" if person % 2 else "answer",
                    object_id=f"o{n}",  # type: ignore[arg-type]
                    at=when + timedelta(hours=person),
                )
            )
    return to_frame(rows), START + timedelta(days=30 * total_months)


def test_snapshots_mark_the_months_before_silence_as_positive():
    frame, data_end = lively_then_gone()
    snaps = snapshots(frame, "c", data_end=data_end)
    last_activity = frame["at"].max()
    for snap in snaps:
        assert snap.level > 0
        if snap.silent_within_horizon is None:
            assert snap.at + timedelta(days=90) > data_end
    positives = [s for s in snaps if s.silent_within_horizon]
    negatives = [s for s in snaps if s.silent_within_horizon is False]
    assert positives and negatives
    assert all(s.at > last_activity - timedelta(days=90) for s in positives)
    assert all(s.at <= last_activity - timedelta(days=30) for s in negatives)


def test_features_see_a_falling_trend():
    frame, _ = lively_then_gone()
    busy = features_at(frame, START + timedelta(days=120))
    fading = features_at(frame, START + timedelta(days=8 * 30 + 20))
    assert set(busy) == set(FEATURES)
    assert fading["trend_30_vs_90"] < busy["trend_30_vs_90"]
    assert trend_rule(fading) > trend_rule(busy)


def test_auc_and_brier_by_hand():
    assert auc([0.9, 0.8, 0.3, 0.1], [True, False, True, False]) == pytest.approx(0.75)
    assert auc([0.5, 0.5], [True, False]) == pytest.approx(0.5)
    assert auc([0.2], [True]) is None
    assert brier([1.0, 0.0, 0.5], [True, False, True]) == pytest.approx(0.25 / 3)


def test_logistic_regression_learns_a_clear_signal_and_round_trips():
    rng = random.Random(3)
    rows, labels = [], []
    for _ in range(300):
        x = rng.gauss(0, 1)
        rows.append({"signal": x, "noise": rng.gauss(0, 1)})
        labels.append(rng.random() < 1 / (1 + 2.718281828 ** (-3 * x)))
    model = fit_logistic(rows, labels, features=("signal", "noise"), l2=0.1)
    assert model.weights[0] > 2 * abs(model.weights[1])
    scores = [model.probability(r) for r in rows]
    assert auc(scores, labels) > 0.85
    again = LogisticModel.from_json(model.to_json())
    assert again.probability(rows[0]) == pytest.approx(scores[0])
    assert model.drivers(rows[0], top=1)[0][0] in ("signal", "noise")


def test_fitting_needs_both_outcomes():
    with pytest.raises(ValueError, match="both outcomes"):
        fit_logistic([{"a": 1.0}], [True], features=("a",))


def test_the_back_test_splits_by_time_and_scores_model_and_rule():
    from cultivate.core.analytics.training import back_test

    frame, _ = lively_then_gone()
    result, model = back_test(
        [("c", frame)],
        cutoffs=[datetime(2015, 1, 1, tzinfo=UTC), datetime(2017, 1, 1, tzinfo=UTC)],
        synthetic=12,
        seed=1,
    )
    assert (result.real_communities, result.communities) == (1, 13)
    assert result.positives > 0
    for fold in result.folds:
        assert fold.train > 0 and fold.test > 0
        assert 0.0 <= fold.model_brier <= 1.0
    assert model.features == FEATURES
