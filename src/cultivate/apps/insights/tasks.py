"""Background jobs: recompute the health snapshots the Health and Portfolio pages read."""

from __future__ import annotations

from django_tasks import task

from cultivate.apps.communities.models import Community

from .services import health_snapshot_compute, health_snapshots_compute_all


@task()
def recompute_health_snapshots(community_id: int | None = None) -> int:
    """Recompute one community's snapshot (by id) or every community's; return how many."""
    if community_id is None:
        return len(health_snapshots_compute_all())
    community = Community.objects.filter(pk=community_id).first()
    if community is None:  # deleted between the click and the job: nothing to do
        return 0
    health_snapshot_compute(community=community)
    return 1
