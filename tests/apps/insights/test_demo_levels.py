"""The demo organisation's communities come out at the maturity levels they were built for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import transaction

from cultivate.apps.communities.models import Community
from cultivate.apps.demo.cast import COMMUNITIES
from cultivate.apps.demo.services import DemoResult, demo_organisation_create
from cultivate.apps.insights.models import HealthSnapshot
from cultivate.apps.insights.services import health_snapshots_compute_all

AS_OF = datetime(2025, 3, 31, tzinfo=UTC)
SMALL = {"seed": 7, "as_of": AS_OF, "people": 80, "months": 6}
EXPECTED = {
    c.slug: {"silent": 0, "broadcast": 1, "agenda": 3}.get(c.profile, 2)
    for c in COMMUNITIES
    if c.profile in ("silent", "broadcast", "questions", "agenda", "private")
}


@pytest.fixture(scope="module")
def _snapshots(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[dict[str, HealthSnapshot]]:
    """Load the small organisation and analyse it once per module, rolled back at the end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            result: DemoResult = demo_organisation_create(**SMALL)
            assert len(result.communities) == len(COMMUNITIES)
            snapshots = {s.community.slug: s for s in health_snapshots_compute_all(as_of=AS_OF)}
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield snapshots
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def snapshots(_snapshots: dict[str, HealthSnapshot], db: None) -> dict[str, HealthSnapshot]:
    return _snapshots


def test_every_demo_community_lands_at_the_level_it_was_built_for(snapshots):
    levels = {slug: s.level for slug, s in snapshots.items()}
    assert levels == {slug: EXPECTED[slug] for slug in levels}
    assert sorted(EXPECTED.values()).count(0) == 1  # one silent community
    assert sorted(EXPECTED.values()).count(1) == 2  # two broadcast-heavy ones


def test_the_agenda_community_reaches_level_three_by_planning_and_co_creating(snapshots):
    agenda = snapshots["quality-engineering"]
    criteria = {c["name"]: c for c in agenda.report["level"]["criteria"] if c["level"] == 3}
    assert criteria["agenda topics with a deliverable"]["held"]
    assert criteria["co-creation"]["held"]
    assert agenda.report["level"]["gap"] == []


def test_every_engaged_community_climbs_all_six_steps_of_the_ladder(snapshots):
    for slug in ("mechanical-reliability", "quality-engineering", "safety-incident-reviews"):
        steps = snapshots[slug].report["steps"]
        assert [s["count_in_window"] > 0 for s in steps] == [True] * 6, (slug, steps)


def test_the_silent_community_has_no_recent_contribution_and_low_health(snapshots):
    silent = next(s for s in snapshots.values() if s.level == 0)
    criteria = {c["name"]: c for c in silent.report["level"]["criteria"]}
    assert not criteria["contributions in the last 30 days"]["held"]
    question_rich = [s.health_score for s in snapshots.values() if s.level == 2]
    assert silent.health_score < min(question_rich)


def test_the_broadcast_heavy_communities_miss_level_two_for_want_of_questions(snapshots):
    for snapshot in (s for s in snapshots.values() if s.level == 1):
        gap = {c["name"] for c in snapshot.report["level"]["gap"]}
        assert "question share" in gap


def test_each_demo_snapshot_is_stored_once_as_of_the_demo_date(snapshots):
    assert HealthSnapshot.objects.count() == Community.objects.count() == len(COMMUNITIES)
    assert {s.as_of for s in snapshots.values()} == {AS_OF}
    assert {s.report["as_of"] for s in snapshots.values()} == {AS_OF.isoformat()}


def test_no_advice_on_any_demo_community_contradicts_its_criteria_or_steps(snapshots):
    from cultivate.apps.insights.services import community_activity_frame
    from cultivate.core.analytics import analyze
    from cultivate.core.analytics.advice import check_claims

    checked = 0
    for slug in snapshots:
        community = Community.objects.get(slug=slug)
        analysis = analyze(community_activity_frame(community), slug, as_of=AS_OF)
        assert check_claims(analysis.advice, analysis.metrics, analysis.level, analysis.steps) == []
        assert all(a.claims for a in analysis.advice)
        checked += len(analysis.advice)
    assert checked > 0
