"""Levels 0 and 3, property tests, and the clear errors bad frames get."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cultivate.core.activity import FRAME_SCHEMA, Activity, to_frame
from cultivate.core.analytics import FrameError, LevelThresholds, analyze

from .test_metrics_by_hand import AS_OF, act, at, hand_frame


def co_creating_frame() -> pl.DataFrame:
    """The hand-made community, answering fast enough for level 2, plus an agenda and co-writing."""
    rows = list(hand_frame().iter_rows(named=True))
    extra = [
        act(100, "d", "answer", "a9", at(2, 11), parent="q3", target="c"),
        act(101, "b", "answer", "a10", at(3, 2), parent="q5", target="a"),
        act(102, "a", "plan", "topic1", at(3, 3), deliverable="best practice: pump seals"),
        act(103, "a", "contribute", "rev1", at(3, 5), parent="doc1"),
        act(104, "b", "contribute", "rev2", at(3, 6), parent="doc1"),
        act(105, "c", "contribute", "rev3", at(3, 7), parent="doc1"),
    ]
    return pl.concat([pl.DataFrame(rows, schema=dict(FRAME_SCHEMA)), to_frame(extra)])


def test_an_agenda_with_a_deliverable_and_three_co_authors_reach_level_three():
    analysis = analyze(co_creating_frame(), "c", as_of=AS_OF)
    assert analysis.metrics.answered_share == pytest.approx(4 / 5)
    co = analysis.metrics.co_creation
    assert (co.agenda_topics_with_deliverable, co.max_contributors_per_document) == (1, 3)
    assert analysis.level.number == 3
    assert analysis.level.gap == ()


def test_a_help_request_fulfilled_by_someone_else_counts_as_co_creation():
    rows = list(co_creating_frame().filter(pl.col("verb") != "contribute").iter_rows(named=True))
    frame = pl.concat(
        [
            pl.DataFrame(rows, schema=dict(FRAME_SCHEMA)),
            to_frame(
                [
                    act(200, "e", "request", "h1", at(3, 10)),
                    act(201, "e", "help", "h1c0", at(3, 11), parent="h1"),
                    act(202, "d", "help", "h1c1", at(3, 12), parent="h1", target="e"),
                ]
            ),
        ]
    )
    analysis = analyze(frame, "c", as_of=AS_OF)
    assert analysis.metrics.co_creation.help_requests_fulfilled == 1
    assert analysis.level.number == 3


def test_a_community_quiet_for_a_month_is_silent():
    analysis = analyze(hand_frame(), "c", as_of=AS_OF + timedelta(days=40))
    assert analysis.level.number == 0
    assert analysis.advice[0].action.startswith("Restart the conversation")


def test_an_empty_community_gets_a_level_zero_report_without_nan():
    empty = pl.DataFrame(schema=dict(FRAME_SCHEMA))
    analysis = analyze(empty, "c", as_of=AS_OF)
    assert (analysis.level.number, analysis.metrics.members, analysis.health.score) == (0, 0, 0)
    json.dumps(dataclasses.asdict(analysis), default=str, allow_nan=False)


def test_missing_columns_are_named():
    with pytest.raises(FrameError, match="lacks column\\(s\\) verb, at"):
        analyze(hand_frame().drop("verb", "at"), "c", as_of=AS_OF)


def test_unknown_verbs_name_the_rows():
    frame = hand_frame().with_columns(
        pl.when(pl.col("id") == "t:5").then(pl.lit("shout")).otherwise(pl.col("verb")).alias("verb")
    )
    with pytest.raises(FrameError, match="rows 't:5' have unknown verb\\(s\\) 'shout'"):
        analyze(frame, "c", as_of=AS_OF)


def test_naive_timestamps_are_refused():
    frame = hand_frame().with_columns(pl.col("at").dt.replace_time_zone(None))
    with pytest.raises(FrameError, match="naive timestamps \\(rows 't:1', 't:2'"):
        analyze(frame, "c", as_of=AS_OF)


def test_activities_of_other_communities_name_the_rows():
    frame = hand_frame().with_columns(
        pl.when(pl.col("id").is_in(["t:7", "t:9"]))
        .then(pl.lit("other"))
        .otherwise(pl.col("community"))
        .alias("community")
    )
    with pytest.raises(
        FrameError, match="rows 't:7', 't:9' belong to other communities \\('other'\\)"
    ):
        analyze(frame, "c", as_of=AS_OF)


def test_a_naive_as_of_is_refused():
    with pytest.raises(ValueError, match="naive"):
        analyze(hand_frame(), "c", as_of=datetime(2025, 4, 1))


def _summary(frame: pl.DataFrame) -> tuple:
    a = analyze(frame, "c", as_of=AS_OF, series_months=3)
    return (
        dataclasses.asdict(a.metrics),
        a.level.number,
        a.health.score,
        sorted(dataclasses.astuple(m) for m in a.members),
        sorted(a.network),
    )


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_row_order_never_changes_a_result(rng):
    frame = hand_frame()
    order = list(range(frame.height))
    rng.shuffle(order)
    assert _summary(frame[order]) == _summary(frame)


@settings(max_examples=25, deadline=None)
@given(day=st.integers(min_value=1, max_value=89), promotion=st.booleans())
def test_adding_a_broadcast_never_raises_the_question_share(day, promotion):
    before = analyze(hand_frame(), "c", as_of=AS_OF, series_months=1).metrics.question_share
    post = act(
        999,
        "z",
        "share",
        "pz",
        AS_OF - timedelta(days=day),
        **({"kind": "self-promotion"} if promotion else {}),
    )
    after = analyze(
        pl.concat([hand_frame(), to_frame([post])]), "c", as_of=AS_OF, series_months=1
    ).metrics.question_share
    assert after <= before


@settings(max_examples=25, deadline=None)
@given(days=st.integers(min_value=1, max_value=400), window=st.integers(min_value=7, max_value=365))
def test_no_activity_means_level_zero(days, window):
    empty = pl.DataFrame(schema=dict(FRAME_SCHEMA))
    assert (
        analyze(empty, "c", as_of=AS_OF + timedelta(days=days), window_days=window).level.number
        == 0
    )


@settings(max_examples=25, deadline=None)
@given(share=st.floats(min_value=0.0, max_value=1.0), askers=st.integers(min_value=0, max_value=6))
def test_level_two_thresholds_passed_in_decide_the_verdict(share, askers):
    thresholds = LevelThresholds(min_answered_share=share, min_askers=askers)
    analysis = analyze(hand_frame(), "c", as_of=AS_OF, thresholds=thresholds, series_months=1)
    answered = next(c for c in analysis.level.criteria if c.name == "answered share")
    assert answered.threshold == share
    assert answered.held == (share <= 0.4)
    expected = 2 if (share <= 0.4 and askers <= 3) else 1
    assert analysis.level.number == expected


def test_an_activity_list_with_one_member_only_joining_is_level_zero():
    frame = to_frame(
        [
            Activity(
                id="j",
                source="t",
                community="c",
                actor="a",
                verb="join",  # type: ignore[arg-type]
                object_id="m",
                at=AS_OF - timedelta(days=3),
            )
        ]
    )
    analysis = analyze(frame, "c", as_of=AS_OF)
    assert (analysis.level.number, analysis.metrics.members, analysis.metrics.active_members) == (
        0,
        1,
        0,
    )


@pytest.mark.parametrize("days_back", [0, 10, 30, 200])
def test_health_alone_is_the_health_a_whole_diagnosis_gives(days_back):
    from cultivate.core.analytics import health_at

    for frame in (hand_frame(), co_creating_frame()):
        community = frame["community"][0]
        moment = AS_OF - timedelta(days=days_back)
        assert (
            health_at(frame, community, as_of=moment)
            == analyze(frame, community, as_of=moment).health
        )
