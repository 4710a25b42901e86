"""Imported messages light the steps they speak of: thanks celebrate, a meetup announced meets."""

from __future__ import annotations

from pathlib import Path

import pytest

from cultivate.cli.analyze_path import diagnose_export
from cultivate.core.activity import Verb
from cultivate.core.connectors import detect_and_read
from cultivate.core.connectors.messages import follow_up_verb, opening_verb, reaction_verb
from cultivate.core.language import Classification, Kind
from cultivate.core.language.occasions import announces_meeting


@pytest.mark.parametrize(
    "text",
    [
        "Meetup tonight at 7pm at the Ion, join us!",
        "Data jam this Saturday, 10:00 at the library. RSVP on meetup.com",
        "Reminder: our monthly call is on Thursday, everyone is welcome",
    ],
)
def test_an_announced_gathering_is_a_meeting(text: str) -> None:
    assert announces_meeting(text)
    assert opening_verb(Classification(Kind.BROADCAST, 0.9), text) is Verb.MEET


@pytest.mark.parametrize(
    "text",
    [
        "The function call fails with a stack overflow",
        "Here are the meeting notes from 2019 for the archive",
        "New release of the plotting library, see the changelog",
    ],
)
def test_a_mention_of_a_meeting_word_without_a_time_or_invitation_is_not(text: str) -> None:
    assert not announces_meeting(text)


def test_thanks_celebrate_and_cheering_reactions_too() -> None:
    thanks = Classification(Kind.APPRECIATION, 0.8)
    assert opening_verb(thanks, "Huge thanks to Ana for the workshop") is Verb.CELEBRATE
    assert follow_up_verb(thanks) is Verb.CELEBRATE
    assert follow_up_verb(Classification(Kind.REPLY, 0.8)) is Verb.REPLY
    assert reaction_verb("tada") is Verb.CELEBRATE
    assert reaction_verb("+1") is Verb.REACT


@pytest.mark.data
def test_a_real_slack_channel_lights_meeting_and_celebrating_from_its_messages(
    data_dir: Path,
) -> None:
    export = data_dir / "slack-houstondatavis"
    verbs = {a.verb for b in detect_and_read(export) for a in b}
    assert {Verb.MEET, Verb.CELEBRATE} <= verbs
    general = next(r for r in diagnose_export(export).reports if r.community.endswith("-general"))
    steps = {s["number"]: s for s in general.steps}
    assert steps[1]["last_at"] is not None
    assert steps[6]["last_at"] is not None
    assert not any("last meeting or pairing was never" in a["evidence"] for a in general.advice)
