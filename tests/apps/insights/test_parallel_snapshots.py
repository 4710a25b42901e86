"""The portfolio's snapshots as jobs of a few communities each, shared by the queue's workers."""

from __future__ import annotations

import pytest

from cultivate.apps.communities.services import community_create
from cultivate.apps.insights.models import HealthSnapshot
from cultivate.apps.insights.tasks import health_snapshots_fan_out, health_snapshots_gather
from cultivate.apps.operations.worker import BeatingWorker

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_communities(coordinator):
    return [
        community_create(by=coordinator, name=f"Practice {n}", practice="Ops", slug=f"practice-{n}")
        for n in range(7)
    ]


def test_every_community_gets_its_snapshot_from_batches_of_the_chosen_size(seven_communities):
    results = health_snapshots_fan_out(batch_size=3)
    assert len(results) == 3
    gathered = health_snapshots_gather(results)
    assert gathered.communities == 7
    assert gathered.failed_batches == gathered.waiting_batches == 0
    assert HealthSnapshot.objects.filter(community__in=seven_communities).count() == 7


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between jobs
def test_batches_on_the_database_queue_wait_for_a_worker_then_are_gathered(seven_communities):
    results = health_snapshots_fan_out(batch_size=2, backend="queue")
    early = health_snapshots_gather(results, timeout=0)
    assert early.waiting_batches == 4
    assert early.communities == 0
    BeatingWorker(
        queue_names=["*"], interval=0, batch=True, backend_name="queue", startup_delay=False,
        max_tasks=None, worker_id="w-portfolio", excluded_queue_names=[],
    ).run()  # fmt: skip
    gathered = health_snapshots_gather(results, timeout=5, poll=0.01)
    assert gathered.communities == 7
    assert gathered.batches == 4
    assert gathered.waiting_batches == 0
