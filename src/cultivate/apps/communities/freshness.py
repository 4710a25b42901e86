"""A community's content version: the one writer of `Community.content_version`.

Cached page parts (`cultivate.apps.fragments`) are keyed by the version, so any write to a
community's content makes every server process render them anew. The version lives in the
community's row, which every community page reads anyway, not in a cache: with the default
local-memory cache each process has its own, and a version kept there would not reach the others.

Every write to a community's content records an Activity (`insights.activity_record`), which
calls `community_changed`; bulk writers (imports) call it once per batch. The bump runs in the
writer's transaction, so a rollback undoes it with the content.
"""

from __future__ import annotations

from django.db.models import F

from cultivate.apps.deferred import defer

from .models import Community

__all__ = ["community_changed"]


def community_changed(community_id: int) -> None:
    """Move the community's content version on; inside a long replay, once at its end."""
    if not defer(_bump, community_id):
        _bump([community_id])


def _bump(community_ids: list[int]) -> None:
    Community.objects.filter(pk__in=set(community_ids)).update(
        content_version=F("content_version") + 1
    )
