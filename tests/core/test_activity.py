"""The Activity contract refuses what analytics could not trust."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import polars as pl
import pytest

from cultivate.core.activity import (
    CONTRIBUTION_VERBS,
    FRAME_SCHEMA,
    Activity,
    ActivityError,
    Verb,
    to_frame,
)

WHEN = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)


def make(**overrides):
    fields = {
        "id": "se:1",
        "source": "stackexchange",
        "community": "ai",
        "actor": "se:user:1",
        "verb": Verb.ASK,
        "object_id": "se:post:1",
        "at": WHEN,
    }
    fields.update(overrides)
    return Activity(**fields)


def test_a_well_formed_activity_is_accepted_and_a_string_verb_is_coerced():
    assert make(verb="answer").verb is Verb.ANSWER


def test_an_unknown_verb_is_refused_naming_the_activity():
    with pytest.raises(ActivityError, match="activity 'se:1': unknown verb 'shout'"):
        make(verb="shout")


def test_a_naive_or_non_utc_timestamp_is_refused():
    with pytest.raises(ActivityError, match="naive"):
        make(at=datetime(2025, 1, 1))
    with pytest.raises(ActivityError, match="UTC"):
        make(at=datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=2))))


def test_an_empty_actor_is_refused():
    with pytest.raises(ActivityError, match="'actor'"):
        make(actor=" ")


def test_membership_and_stewardship_are_not_contributions():
    assert Verb.JOIN not in CONTRIBUTION_VERBS
    assert Verb.MODERATE not in CONTRIBUTION_VERBS
    assert Verb.ASK in CONTRIBUTION_VERBS


def test_activities_become_a_frame_with_the_contract_schema_even_when_empty():
    assert to_frame([]).schema == pl.Schema(FRAME_SCHEMA)
    frame = to_frame(
        [make(), make(id="se:2", verb="answer", target_actor="se:user:2", meta={"a": 1})]
    )
    assert frame["verb"].to_list() == ["ask", "answer"]
    assert frame["meta"].to_list() == ["{}", '{"a": 1}']
