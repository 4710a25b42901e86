"""Early warning: snapshots, outcomes, the logistic model, and the measures of the back-test."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from cultivate.core.activity import Activity, to_frame
from cultivate.core.analytics.forecast import (
    FEATURES,
    EarlyWarning,
    LogisticModel,
    auc,
    brier,
    explain,
    features_at,
    fit_logistic,
    load_model,
    risk,
    snapshots,
    trend_at,
    trend_rule,
)
from cultivate.core.connectors import detect_and_read

START = datetime(2024, 1, 1, tzinfo=UTC)


def lively_then_gone(months_alive: int = 8, total_months: int = 14, people: int = 5):
    """`people` ask and answer every week for `months_alive` months, then nobody speaks."""
    rows, n = [], 0
    for week in range(months_alive * 4):
        when = START + timedelta(weeks=week)
        for person in range(people):
            n += 1
            rows.append(
                Activity(
                    id=f"x:{n}",
                    source="t",
                    community=f"c{people}",
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
    assert positives
    assert negatives
    assert all(s.at > last_activity - timedelta(days=90) for s in positives)
    assert all(s.at <= last_activity - timedelta(days=30) for s in negatives)


def test_features_see_a_falling_trend():
    frame, _ = lively_then_gone()
    busy, _ = features_at(frame, START + timedelta(days=120))
    fading, _ = features_at(frame, START + timedelta(days=8 * 30 + 20))
    assert set(busy) == set(FEATURES)
    assert fading["trend_30_vs_90"] < busy["trend_30_vs_90"]
    assert fading["quarter_vs_previous"] < busy["quarter_vs_previous"]
    assert trend_rule(fading) > trend_rule(busy)


def test_a_decline_is_fewer_than_half_the_last_ninety_days_in_the_next_ninety():
    frame, data_end = lively_then_gone()
    snaps = snapshots(frame, "c", data_end=data_end)
    last_activity = frame["at"].max()
    for snap in snaps:
        if snap.declines_within_horizon is None:
            continue
        # Steady weekly activity declines only when the end of activity falls in the horizon,
        # early enough to lose more than half of it.
        assert snap.declines_within_horizon == (snap.at + timedelta(days=45) > last_activity)


def test_the_drivers_say_in_words_what_the_community_s_own_history_shows():
    frame, _ = lively_then_gone(months_alive=12, total_months=14, people=6)
    from cultivate.core.activity import to_frame as rebuild

    # Keep one person of six for the last quarter: members fall from 6 to 1.
    rows = [
        r for r in frame.to_dicts() if r["at"] < START + timedelta(days=270) or r["actor"] == "p0"
    ]
    thinned = rebuild([]).vstack(frame.filter(frame["id"].is_in([r["id"] for r in rows])))
    words = explain(trend_at(thinned, START + timedelta(days=360)))
    assert any(w.startswith("active members fell from 6 to 1 in a quarter") for w in words)
    assert all(isinstance(w, str) and "{" not in w for w in words)


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


def test_the_back_test_leaves_each_community_out_and_scores_model_rule_and_base_rate():
    from cultivate.tools.early_warning import back_test, back_test_markdown

    histories = []
    taken = START + timedelta(days=30 * 20)
    for people, months in ((4, 6), (5, 8), (6, 10), (7, 12), (8, 9)):
        frame, _ = lively_then_gone(months_alive=months, total_months=months + 5, people=people)
        histories.append((f"c{people}", frame, taken))
    result, warning = back_test(histories, bootstrap=5, seed=1)
    assert result.communities == 5
    assert result.positives["silence"] > 0
    assert result.positives["decline"] > 0
    for scores in result.scores.values():
        assert set(scores) == {"model", "trend rule", "base rate"}
        assert 0.0 <= scores["model"].brier <= 1.0
    assert set(warning.models) == {"silence", "decline"}
    assert all(len(m.bootstrap) == 5 for m in warning.models.values())
    assert EarlyWarning.from_json(warning.to_json()) == warning
    text = back_test_markdown(result, warning, "make model")
    assert "within-community AUC" in text
    assert "the report uses" in text


def test_the_shipped_file_says_which_scorer_the_report_uses_for_each_outcome():
    warning = load_model()
    assert warning is not None
    assert set(warning.models) == {"silence", "decline"}
    for model in warning.models.values():
        assert model.meta["uses"] in ("model", "trend rule")
        assert model.features == FEATURES


def test_the_warning_carries_an_interval_and_drivers_in_words():
    frame, _ = lively_then_gone(months_alive=12, total_months=14, people=6)
    warning = risk(frame, START + timedelta(days=300))
    assert warning is not None
    assert 0.0 <= warning["probability"] <= 1.0
    if warning["interval"] is not None:
        low, high = warning["interval"]
        assert 0.0 <= low <= high <= 1.0
    assert warning["level"] in ("low", "moderate", "high")
    assert all(isinstance(d, str) for d in warning["drivers"])


@pytest.mark.data
def test_a_long_archive_whose_volume_falls_by_80_percent_in_a_quarter_reads_as_high_risk(
    data_dir,
):
    import polars as pl

    from cultivate.core.activity import to_frame as rebuild

    activities = [a for batch in detect_and_read(data_dir / "se-french-meta") for a in batch]
    frame = rebuild(activities)
    cut = datetime(2016, 7, 1, tzinfo=UTC)
    quarter = cut - timedelta(days=90)
    kept = frame.filter(pl.col("at") <= cut).with_row_index("n")
    # Drop four in five of the last quarter's activities: a steady archive loses 80% at once.
    thinned = kept.filter((pl.col("at") <= quarter) | (pl.col("n") % 5 == 0)).drop("n")
    after = risk(thinned, cut)
    assert after is not None
    assert after["level"] == "high"
    assert after["already_declined"]
    assert any("fell from" in d for d in after["drivers"])


@pytest.mark.parametrize("months_alive", [6, 14])
def test_a_diagnosis_reuses_its_window_metrics_and_warns_as_the_warning_alone_would(months_alive):
    from cultivate.core.analytics.engine import analyze
    from cultivate.core.analytics.frame import prepare_frame

    frame, _ = lively_then_gone(months_alive=months_alive, total_months=14)
    as_of = START + timedelta(days=30 * months_alive - 20)  # still lively, the week after a lull
    diagnosis = analyze(frame, "c5", as_of=as_of)

    assert diagnosis.risk is not None
    assert diagnosis.risk == risk(prepare_frame(frame, "c5"), as_of)
    shorter = analyze(frame, "c5", as_of=as_of, window_days=60)  # not the warning's own window
    assert shorter.risk == diagnosis.risk
