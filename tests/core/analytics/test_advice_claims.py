"""No advice line contradicts the evidence beside it, on real exports and on made-up cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cultivate.core.activity import Activity, to_frame
from cultivate.core.analytics import analyze
from cultivate.core.analytics.advice import check_claims
from cultivate.core.connectors import detect_and_read

FOLDERS = [
    "discourse-askci",
    "ml-3gpp-listserv-mbox",
    "ml-numpy-discussion",
    "se-ai",
    "se-beer-meta",
    "se-conlang-meta",
    "se-french-meta",
    "se-history-meta",
    "slack-api-julialang",
    "slack-houstondatavis",
]


def asked_and_answered(source: str) -> list[Activity]:
    """Four people who ask and answer each other every other day for two months."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        Activity(
            id=f"x:{n}",
            source=source,
            community="c",
            actor=f"p{n % 4}",
            verb="ask" if n % 2 else "answer",  # type: ignore[arg-type]
            object_id=f"o{n}",
            parent_id=None if n % 2 else f"o{n - 1}",
            at=start + timedelta(days=n),
        )
        for n in range(1, 60)
    ]


@pytest.mark.data
@pytest.mark.parametrize("folder", FOLDERS)
def test_every_advice_claim_holds_on_every_real_community_at_every_quarter(
    data_dir: Path, folder: str
) -> None:
    activities = [a for batch in detect_and_read(data_dir / folder) for a in batch]
    frame = to_frame(activities)
    checked = 0
    for community in sorted(set(frame["community"].to_list())):
        part = frame.filter(frame["community"] == community)
        first, last = part["at"].min(), part["at"].max()
        assert isinstance(first, datetime)
        assert isinstance(last, datetime)
        moment = last
        while moment >= first:  # the last activity, then every quarter back
            analysis = analyze(part, community, as_of=moment, on_platform=False)
            assert (
                check_claims(analysis.advice, analysis.metrics, analysis.level, analysis.steps)
                == []
            )
            assert all(a.claims for a in analysis.advice)
            checked += len(analysis.advice)
            moment -= timedelta(days=91)
    assert checked > 0


def test_a_community_that_never_met_reads_no_meeting_yet_and_an_export_is_offered_the_import():
    rows = asked_and_answered("slack")
    analysis = analyze(to_frame(rows), "c", on_platform=False)
    meeting = next(a for a in analysis.advice if "meetup" in a.action)
    assert meeting.evidence == "no meeting or pairing yet."
    assert "cultivate import" in meeting.action
    on_platform = analyze(to_frame(rows), "c")
    assert any(a.action.startswith("Run a coffee-pairing round") for a in on_platform.advice)


def test_the_claim_checker_catches_advice_that_contradicts_its_page():
    from cultivate.core.analytics.advice import Advice, Claim

    rows = asked_and_answered("cultivate")
    analysis = analyze(to_frame(rows), "c")
    wrong = Advice(
        "Agree a topic agenda.",
        "no agenda topic.",
        claims=(
            Claim("criterion", "answered share", False),  # it held
            Claim("step", "3", "not lit"),  # people asked and answered
            Claim("level", "number", ("==", 0)),  # the community is active
        ),
    )
    broken = check_claims([wrong], analysis.metrics, analysis.level, analysis.steps)
    assert len(broken) == 3
