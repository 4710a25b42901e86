"""Background jobs: recompute the health snapshots the Health and Portfolio pages read.

Every community's snapshot is one job per batch of communities (`health_snapshots_fan_out`),
so the workers of every machine share the portfolio and adding workers shortens it;
`health_snapshots_gather` waits for the batches and adds up what they did.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django_tasks import TaskResult, task

from cultivate.apps.communities.models import Community

from .services import health_snapshot_compute

BATCH = 20
"""Communities per job: a batch takes seconds, so jobs spread evenly over the workers."""


@task()
def recompute_health_snapshots(community_id: int | None = None) -> int:
    """Recompute one community's snapshot (by id), or queue every community's in batches.

    Return how many snapshots were computed (one community) or batches queued (all).
    """
    if community_id is None:
        return len(health_snapshots_fan_out())
    community = Community.objects.filter(pk=community_id).first()
    if community is None:  # deleted between the click and the job: nothing to do
        return 0
    health_snapshot_compute(community=community)
    return 1


@task()
def recompute_health_batch(community_ids: list[int]) -> int:
    """Recompute the snapshots of these communities (those still there); return how many."""
    done = 0
    for community in Community.objects.filter(pk__in=community_ids).order_by("pk"):
        health_snapshot_compute(community=community)
        done += 1
    return done


def health_snapshots_fan_out(
    *, batch_size: int = BATCH, backend: str | None = None
) -> list[TaskResult[Any]]:
    """Queue one job per batch of communities; return the jobs, to gather."""
    ids = list(Community.objects.order_by("pk").values_list("pk", flat=True))
    job = (
        recompute_health_batch if backend is None else recompute_health_batch.using(backend=backend)
    )
    return [
        job.enqueue(ids[start : start + batch_size]) for start in range(0, len(ids), batch_size)
    ]


@dataclass(frozen=True, slots=True)
class Gathered:
    communities: int
    batches: int
    failed_batches: int
    waiting_batches: int


def health_snapshots_gather(
    results: list[TaskResult[Any]], *, timeout: float = 3600.0, poll: float = 0.5
) -> Gathered:
    """Wait until every batch has finished (or the timeout), then count what they did."""
    deadline = time.monotonic() + timeout
    pending = [r for r in results if not r.is_finished]
    while pending and time.monotonic() < deadline:
        time.sleep(poll)
        for result in pending:
            result.refresh()
        pending = [r for r in pending if not r.is_finished]
    done = [r for r in results if r.is_finished and r.status.name == "SUCCESSFUL"]
    return Gathered(
        communities=sum(int(r.return_value or 0) for r in done),
        batches=len(results),
        failed_batches=sum(1 for r in results if r.status.name == "FAILED"),
        waiting_batches=len(pending),
    )
