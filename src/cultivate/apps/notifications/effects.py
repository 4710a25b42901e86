"""A service's tail in one call: record the act as an Activity, then tell the people concerned.

Every community service ends the same way inside its transaction; `act_done` keeps that tail to
one call, so a service reads as its checks, its write and this.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models

from cultivate.apps.activity.services import activity_record
from cultivate.core.activity import Verb

from .models import Kind
from .phrases import Phrase
from .services import notify

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User
    from cultivate.apps.activity.models import ActivityRecord
    from cultivate.apps.communities.models import Community


@dataclass(frozen=True, slots=True)
class Tell:
    """Who hears of an act, with which kind of notice, what it says and where it leads."""

    recipient_ids: Iterable[int]
    kind: Kind
    summary: str | Phrase
    url: str


def act_done(
    *,
    verb: Verb,
    actor: User,
    community: Community,
    obj: models.Model,
    at: datetime | None = None,
    parent: models.Model | None = None,
    target_actor_id: int | None = None,
    text: str = "",
    meta: dict[str, Any] | None = None,
    tell: Sequence[Tell] = (),
) -> ActivityRecord:
    """Record the act and send each notice (the actor never hears of their own act)."""
    record = activity_record(
        verb=verb,
        actor_id=actor.pk,
        community_id=community.pk,
        obj=obj,
        parent=parent,
        target_actor_id=target_actor_id,
        at=at,
        text=text,
        meta=meta,
    )
    notify_all(actor=actor, community=community, at=at, tell=tell)
    return record


def notify_all(
    *, actor: User, community: Community, at: datetime | None, tell: Sequence[Tell]
) -> None:
    """Send each notice of an act (for acts that record no new Activity, like a moved one)."""
    for notice in tell:
        notify(
            recipient_ids=notice.recipient_ids,
            kind=notice.kind,
            actor=actor,
            community=community,
            summary=notice.summary,
            url=notice.url,
            at=at,
        )
