"""Health snapshots: computed from the activity stream, stored once a day, with a 30-day trend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from cultivate.apps.insights.mappers import community_activity_frame
from cultivate.apps.insights.models import HealthSnapshot
from cultivate.apps.insights.services import (
    actor_names,
    community_report,
    health_snapshot_compute,
    health_snapshots_compute_all,
)
from cultivate.apps.insights.tasks import recompute_health_snapshots
from cultivate.core.reports import Report
from cultivate.core.text import Text

from .helpers import make_lively


def test_a_snapshot_stores_the_level_health_and_the_whole_report(
    community, make_user, join, django_assert_max_num_queries
):
    members = make_lively(community, make_user, join)

    snapshot = health_snapshot_compute(community=community)

    report = Report.from_dict(snapshot.report)
    assert snapshot.level == report.level["number"] == 2
    assert snapshot.health_score == report.health["score"] > 0
    assert report.community == community.slug
    assert report.community_name == community.name
    assert snapshot.risk is not None
    assert 0.0 < snapshot.risk < 1.0
    assert snapshot.risk == report.risk["probability"]
    helper_names = {e["helper"] for e in report.network}
    assert members[1].name in helper_names  # actor ids became people's names
    assert not any(n.startswith("cultivate:user:") for n in helper_names)
    assert abs(snapshot.as_of - timezone.now()) < timedelta(minutes=1)
    said = [*report.risk["drivers"], *(a["evidence"] for a in report.advice)]
    assert snapshot.reason["msgid"]  # the Portfolio's one line, kept as a sentence to say again
    assert Text.from_json(snapshot.reason) == said[0]


def test_names_for_everyone_in_the_frame_come_from_one_query(
    community, make_user, join, django_assert_num_queries
):
    members = make_lively(community, make_user, join, people=5)
    frame = community_activity_frame(community)

    with django_assert_num_queries(1):
        names = actor_names(frame)

    assert names[f"cultivate:user:{members[0].pk}"] == members[0].name
    assert names[f"cultivate:user:{community.created_by_id}"] == "Coco Coordinator"


def test_recomputing_on_the_same_day_updates_the_snapshot_instead_of_adding_one(
    community, make_user, join
):
    first = health_snapshot_compute(community=community)
    assert first.level == 0
    make_lively(community, make_user, join)

    second = health_snapshot_compute(community=community)

    assert HealthSnapshot.objects.filter(community=community).count() == 1
    assert second.pk == first.pk
    second.refresh_from_db()
    assert second.level == 2
    assert second.health_score > first.health_score


def test_another_day_keeps_the_older_snapshot_as_history(community, make_user, join):
    make_lively(community, make_user, join)
    now = timezone.now()

    health_snapshot_compute(community=community, as_of=now - timedelta(days=2))
    health_snapshot_compute(community=community, as_of=now)

    days = list(HealthSnapshot.objects.filter(community=community).values_list("day", flat=True))
    assert len(days) == 2
    assert days[0] > days[1]


def test_the_trend_is_the_health_now_minus_the_health_thirty_days_earlier(
    community, make_user, join
):
    now = timezone.now()
    make_lively(community, make_user, join, days_ago=10, now=now)

    snapshot = health_snapshot_compute(community=community, as_of=now)

    earlier, _ = community_report(community=community, as_of=now - timedelta(days=30))
    assert earlier.health["score"] == 0  # nothing had happened yet
    assert snapshot.trend == snapshot.health_score - earlier.health["score"] > 0


def test_a_fading_community_has_a_negative_trend(community, make_user, join):
    now = timezone.now()
    make_lively(community, make_user, join, days_ago=100, now=now)

    snapshot = health_snapshot_compute(community=community, as_of=now)

    assert snapshot.trend < 0


def test_a_naive_as_of_is_refused(community):
    with pytest.raises(ValueError, match="naive"):
        health_snapshot_compute(community=community, as_of=datetime(2025, 3, 31))
    assert not HealthSnapshot.objects.exists()


def test_the_job_recomputes_every_community_in_batches_or_just_one(community, private_community):
    assert recompute_health_snapshots.call() == 1  # one batch holds both communities
    assert HealthSnapshot.objects.count() == 2

    assert recompute_health_snapshots.call(community_id=community.pk) == 1
    assert recompute_health_snapshots.call(community_id=987654) == 0
    assert HealthSnapshot.objects.count() == 2


def test_the_job_enqueued_on_the_immediate_backend_stores_snapshots(community):
    result = recompute_health_snapshots.enqueue(community_id=community.pk)

    assert result.status == "SUCCESSFUL", result.errors
    assert HealthSnapshot.objects.filter(community=community).exists()


def test_computing_all_reports_progress_for_each_community(community, private_community):
    seen = []
    as_of = datetime(2030, 1, 1, tzinfo=UTC)

    snapshots = health_snapshots_compute_all(as_of=as_of, on_progress=seen.append)

    assert {s.community_id for s in snapshots} == {community.pk, private_community.pk}
    assert {c.pk for c in seen} == {community.pk, private_community.pk}
    assert all(s.as_of == as_of for s in snapshots)
