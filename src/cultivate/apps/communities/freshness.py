"""A community's content version: the one writer of `Community.content_version`.

Cached page parts (`cultivate.apps.fragments`) are keyed by the version, so any write to a
community's content makes every server process render them anew. The version lives in the
community's row, which every community page reads anyway, not in a cache: with the default
local-memory cache each process has its own, and a version kept there would not reach the others.

Every write to a community's content records an Activity (`activity.activity_record`), whose
`activity_recorded` signal calls `community_changed`; bulk writers (imports) call it once per
batch. The version moves once the writer's transaction has committed, in a statement of its own:
a rollback moves nothing, and the community's row is never locked while a writer holds other
rows (a vote locks its question, then the community; an import batch the other way round: inside
one transaction the two could deadlock). A reader rendering between the commit and the bump
stores the new content under the old key, which is harmless."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from cultivate.apps.deferred import defer

from .models import Community

__all__ = ["community_changed"]


def community_changed(community_id: int) -> None:
    """Move the community's content version on after the transaction commits; inside a long
    replay (the demo, one writer), once at its end."""
    if not defer(_bump, community_id):
        transaction.on_commit(lambda: _bump([community_id]), robust=True)


def on_activity_recorded(sender: object, *, community_id: int, **kwargs: object) -> None:
    """An activity was recorded in the community: its content changed."""
    community_changed(community_id)


def _bump(community_ids: list[int]) -> None:
    Community.objects.filter(pk__in=set(community_ids)).update(
        content_version=F("content_version") + 1
    )
