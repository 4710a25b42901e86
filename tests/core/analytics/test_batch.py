"""analyze_many must give, community by community, exactly what analyze gives."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from cultivate.core.activity import FRAME_SCHEMA
from cultivate.core.analytics import HealthWeights, LevelThresholds, analyze, prepare_frame
from cultivate.core.analytics.batch import analyze_many

from .reference_series import monthly_series
from .test_metrics_by_hand import AS_OF, hand_frame

START = datetime(2023, 6, 1, tzinfo=UTC)


def random_community(rng: random.Random, name: str, rows: int, span_days: int) -> list[dict]:
    """Return a community's activities: asks answered by others, shares, joins, co-creation."""
    people = [f"{name}-p{i}" for i in range(rng.randint(3, 25))]
    out: list[dict] = []
    questions: list[tuple[str, str, datetime]] = []
    requests: list[tuple[str, datetime]] = []
    n = 0

    def add(actor, verb, obj, when, parent=None, target=None, meta=None):
        nonlocal n
        n += 1
        out.append(
            {
                "id": f"{name}:{n}",
                "source": "test",
                "community": name,
                "actor": actor,
                "verb": verb,
                "object_id": obj,
                "parent_id": parent,
                "target_actor": target,
                "at": when,
                "text": None,
                "meta": json.dumps(meta) if meta else None,
            }
        )

    # Some communities start late or go quiet, so series start mid-way and levels change.
    begin = START + timedelta(days=rng.randint(0, span_days // 2))
    length = rng.randint(30, span_days)
    for _ in range(rows):
        when = begin + timedelta(seconds=rng.randint(0, length * 86400))
        who = rng.choice(people)
        roll = rng.random()
        if roll < 0.2:
            q = f"{name}-q{n}"
            if questions and rng.random() < 0.05:
                q = rng.choice(questions)[0]  # the same question id twice
            questions.append((q, who, when))
            add(who, "ask", q, when, meta={"tags": ["x"]})
        elif roll < 0.45 and questions:
            q, asker, asked = rng.choice(questions)
            later = asked + timedelta(hours=rng.choice([1, 5, 30, 200, 400]))
            responder = rng.choice(people)
            verb = rng.choice(["answer", "reply"])
            add(responder, verb, f"{name}-r{n}", later, parent=q, target=asker)
        elif roll < 0.5 and questions:
            q, asker, asked = rng.choice(questions)
            add(asker, "accept", f"{name}-acc{n}", asked + timedelta(days=2), parent=q)
        elif roll < 0.62:
            kind = rng.choice(["article", "tip", "self-promotion", None])
            add(who, "share", f"{name}-s{n}", when, meta={"kind": kind} if kind else None)
        elif roll < 0.68:
            add(who, rng.choice(["join", "join", "leave"]), f"{name}-m{n}", when)
        elif roll < 0.71:
            meta = {"deliverable": "guide"} if rng.random() < 0.5 else None
            add(who, "plan", f"{name}-topic{rng.randint(0, 3)}", when, meta=meta)
        elif roll < 0.76:
            add(who, "contribute", f"{name}-rev{n}", when, parent=f"{name}-doc{rng.randint(0, 2)}")
        elif roll < 0.78:
            add(who, "publish", f"{name}-topic{rng.randint(0, 3)}", when, meta={"on_time": True})
        elif roll < 0.81:
            r = f"{name}-req{n}"
            requests.append((r, when))
            add(who, "request", r, when)
        elif roll < 0.84 and requests:
            r, asked = rng.choice(requests)
            add(who, "help", f"{name}-h{n}", asked + timedelta(days=rng.randint(0, 40)), parent=r)
        else:
            verb = rng.choice(
                ["react", "meet", "attend", "celebrate", "decide", "complete", "edit"]
            )
            add(who, verb, f"{name}-o{n}", when)
    return out


def random_frame(seed: int, communities: int) -> pl.DataFrame:
    rng = random.Random(seed)
    rows: list[dict] = []
    for i in range(communities):
        rows += random_community(rng, f"r{seed}-{i}", rng.randint(0, 400), 700)
    return pl.DataFrame(rows, schema=dict(FRAME_SCHEMA))


def several() -> pl.DataFrame:
    hand = hand_frame()
    copies = [hand.with_columns(pl.lit(name).alias("community")) for name in ("hand-a", "hand-b")]
    # one community whose every activity comes after "as of"
    late = hand.with_columns(
        pl.lit("late").alias("community"), (pl.col("at") + timedelta(days=800)).alias("at")
    )
    randoms = random_frame(7, 8).with_columns(pl.col("at") + timedelta(days=400))
    return pl.concat([*copies, late, randoms.select(hand.columns)], how="vertical")


def assert_same(frame: pl.DataFrame, as_of: datetime, **options: object) -> int:
    batch = analyze_many(frame, as_of=as_of, **options)  # type: ignore[arg-type]
    names = sorted(set(frame["community"].to_list()))
    assert sorted(batch) == names
    points = 0
    for name in names:
        one = analyze(frame.filter(pl.col("community") == name), name, as_of=as_of, **options)  # type: ignore[arg-type]
        got = batch[name]
        assert got.metrics == one.metrics, name
        assert got.level == one.level, name
        assert got.health == one.health, name
        assert got.steps == one.steps, name
        assert got.series == one.series, name
        # analyze takes its series from the batch: check both against the month-by-month one
        history = prepare_frame(frame.filter(pl.col("community") == name), name)
        reference = monthly_series(
            history,
            as_of,
            months=int(options.get("series_months", 18)),  # type: ignore[call-overload]
            window_days=int(options.get("window_days", 90)),  # type: ignore[call-overload]
            thresholds=options.get("thresholds"),  # type: ignore[arg-type]
        )
        assert got.series == reference, name
        points += len(one.series)
    return points


def test_every_community_gets_what_analyze_gives_it():
    frame = several()
    assert assert_same(frame, AS_OF + timedelta(days=400)) > 50
    assert assert_same(frame, AS_OF) > 0


def test_the_hand_community_keeps_its_hand_worked_numbers_in_a_batch():
    got = analyze_many(several(), as_of=AS_OF)["hand-b"]
    assert got.metrics.members == 6
    assert got.metrics.median_hours_to_first_response == pytest.approx(12.0)
    assert got.metrics.unanswered_question_ids == ("q5",)
    assert got.level.number == 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_portfolios_agree_with_the_engine_month_by_month(seed):
    frame = random_frame(seed, 6)
    as_of = datetime(2025, 2, 14, 15, 30, tzinfo=UTC)
    levels = set()
    assert assert_same(frame, as_of) > 0
    for result in analyze_many(frame, as_of=as_of).values():
        levels |= {p.level for p in result.series}
    assert len(levels) >= 2  # the series really moves between levels


def test_other_windows_thresholds_and_a_month_start_as_of_agree_too():
    frame = random_frame(11, 5)
    assert_same(
        frame,
        datetime(2024, 11, 1, tzinfo=UTC),
        window_days=60,
        response_days=3,
        thresholds=LevelThresholds(min_contributions=2, min_answered_share=0.3, min_askers=2),
        weights=HealthWeights(retention=25.0, co_creation=5.0),
    )


def test_a_naive_as_of_is_refused():
    with pytest.raises(ValueError, match="naive"):
        analyze_many(several(), as_of=datetime(2025, 1, 1))
