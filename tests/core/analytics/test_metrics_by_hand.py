"""A small community whose every number was worked out by hand (the arithmetic is in comments)."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import polars as pl
import pytest

from cultivate.core.activity import Activity, to_frame
from cultivate.core.analytics import LevelThresholds, analyze

AS_OF = datetime(2025, 4, 1, tzinfo=UTC)  # the 90-day window is (2025-01-01, 2025-04-01]


def at(month: int, day: int, hour: int = 0, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def act(
    n: int,
    actor: str,
    verb: str,
    obj: str,
    when: datetime,
    parent: str | None = None,
    target: str | None = None,
    **meta: object,
) -> Activity:
    return Activity(
        id=f"t:{n}",
        source="test",
        community="c",
        actor=actor,
        verb=verb,  # type: ignore[arg-type]
        object_id=obj,
        at=when,
        parent_id=parent,
        target_actor=target,
        meta=meta,
    )


def hand_frame() -> pl.DataFrame:
    rows = [
        # previous window: a and b were active
        act(1, "a", "share", "p0", at(12, 1, year=2024)),
        act(2, "b", "ask", "q0", at(12, 5, year=2024)),
        # this window
        act(3, "x", "join", "m:x", at(1, 2)),
        act(4, "a", "ask", "q1", at(1, 10), tags=["pumps"]),
        act(5, "b", "answer", "a1", at(1, 10, 6), parent="q1", target="a"),  # 6 h after q1
        act(6, "c", "answer", "a2", at(1, 11), parent="q1", target="a"),
        act(7, "a", "accept", "a1", at(1, 11, 1), parent="q1", target="b"),
        act(8, "b", "ask", "q2", at(2, 1), tags=["seals"]),
        act(9, "a", "reply", "r1", at(2, 1, 12), parent="q2", target="b"),  # 12 h after q2
        act(10, "c", "ask", "q3", at(2, 10), tags=["pumps"]),
        act(11, "d", "reply", "r2", at(2, 25), parent="q3", target="c"),  # 15 days: too late
        act(12, "d", "share", "p1", at(3, 1), kind="article"),
        act(13, "a", "ask", "q5", at(3, 1), tags=["pumps"]),  # never answered
        act(14, "b", "react", "v1", at(3, 2, 12), parent="p1", target="d"),
        act(15, "e", "share", "p2", at(3, 20), kind="self-promotion"),
        act(16, "c", "ask", "q4", at(3, 28)),  # too young to count as unanswered
    ]
    return to_frame(rows)


@pytest.fixture(scope="module")
def analysis():
    return analyze(hand_frame(), "c", as_of=AS_OF)


def test_members_and_activity_counts(analysis):
    m = analysis.metrics
    assert m.members == 6  # a b c d e contributed, x joined
    assert m.active_members == 5
    assert m.contributions == 13  # rows 4-16 less the join
    assert m.contributions_last_30_days == 3  # react (Mar 2 12:00), share (Mar 20), ask (Mar 28)
    assert m.interactive_share == pytest.approx(5 / 6)


def test_question_and_broadcast_shares(analysis):
    m = analysis.metrics
    assert (m.questions, m.shares, m.self_promotions) == (5, 2, 1)
    assert m.question_share == pytest.approx(5 / 7)
    assert m.broadcast_share == pytest.approx(2 / 7)
    assert m.self_promotion_share == pytest.approx(1 / 7)
    assert m.questions_per_active_member_30d == pytest.approx(5 / 5 * 30 / 90)


def test_responsiveness(analysis):
    m = analysis.metrics
    assert m.answered_share == pytest.approx(2 / 5)  # q1 and q2 within 7 days
    assert m.median_hours_to_first_response == pytest.approx(12.0)  # of 6, 12 and 360 hours
    assert m.accepted_share == pytest.approx(1 / 5)
    assert m.answers_per_answered_question == pytest.approx(2.0)  # q1 got two answers
    assert m.unanswered_question_ids == ("q5",)


def test_network_reciprocity_and_breadth(analysis):
    m = analysis.metrics
    assert m.reciprocity == pytest.approx(1 / 3)  # {a,b} both ways; {a,c} and {c,d} one way
    assert (m.distinct_askers, m.distinct_responders) == (3, 4)
    assert m.absence_factor == 2  # four people made one response each
    assert set(analysis.network) == {("b", "a", 1), ("c", "a", 1), ("a", "b", 1), ("d", "c", 1)}


def test_newcomers_and_retention(analysis):
    m = analysis.metrics
    assert m.newcomers == 3  # c, d and e posted first in the window
    assert m.newcomer_reply_rate == pytest.approx(1 / 3)  # only c's question got a reply
    assert m.retention == pytest.approx(1.0)  # a and b came back


def test_the_level_is_one_with_the_gap_to_two(analysis):
    level = analysis.level
    assert (level.number, level.name) == (1, "reaching people")
    assert [(c.name, c.held) for c in level.gap] == [("answered share", False)]
    answered = next(c for c in level.criteria if c.name == "answered share")
    assert (answered.value, answered.threshold) == (pytest.approx(0.4), 0.6)


def test_thresholds_passed_in_are_honoured():
    relaxed = analyze(
        hand_frame(), "c", as_of=AS_OF, thresholds=LevelThresholds(min_answered_share=0.4)
    )
    assert relaxed.level.number == 2


def test_health_adds_up_from_its_components(analysis):
    points = {c.name: c.points for c in analysis.health.components}
    assert points["liveliness"] == pytest.approx(20.0)  # 83% of members, over the 38% target
    assert points["questions"] == pytest.approx(20.0)
    assert points["responsiveness"] == pytest.approx(20 * 0.4 / 0.9)
    assert points["reciprocity"] == pytest.approx(10.0)
    assert points["retention"] == pytest.approx(15.0)
    assert points["joint work"] == pytest.approx(0.0)
    assert points["self-promotion"] == pytest.approx(-25 / 7)
    assert analysis.health.score == 70


def test_the_steps_ladder_shows_only_sharing_lit(analysis):
    lit = {s.name: (s.count_in_window, s.last_at) for s in analysis.steps if s.lit}
    assert lit == {"interacting and sharing": (11, at(3, 28))}


def test_roles_and_personas(analysis):
    by_actor = {p.actor: (p.role, p.persona) for p in analysis.members}
    assert by_actor == {
        "a": ("core", "engager"),
        "b": ("core", "engager"),
        "c": ("active", "catalyst"),
        "d": ("active", "responder"),
        "e": ("peripheral", "broadcaster"),
        "x": ("observer", "observer"),
    }


def test_advice_names_who_answered_similar_questions(analysis):
    first = analysis.advice[0]
    assert "1 unanswered question" in first.action
    assert first.people[:2] == ("b", "c")  # they answered q1, tagged pumps like q5


def test_the_monthly_series_counts_each_month(analysis):
    march = next(p for p in analysis.series if p.month == "2025-03")
    assert (march.questions, march.shares, march.answers, march.active_members) == (2, 2, 0, 5)
    january = next(p for p in analysis.series if p.month == "2025-01")
    assert january.median_hours_to_first_response == pytest.approx(6.0)


def test_the_whole_analysis_serialises_without_nan(analysis):
    json.dumps(dataclasses.asdict(analysis), default=str, allow_nan=False)
