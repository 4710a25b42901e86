"""What one person's memberships are, read once and kept until a membership changes.

Every permission rule starts from the person's membership of a community. `access_of(user)`
gives the person's `Access`: all their memberships in one query on first use, kept on the user
object (so a request, whose user lives as long as it does, reads them once). A membership saved
or deleted anywhere in the process moves its person's generation, and an `Access` whose
generation is behind reads again: no caller forgets a cached membership by hand. Writers that
bypass model signals (bulk inserts, `QuerySet.update`) call `memberships_changed(user_ids)`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from .models import Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cultivate.apps.accounts.models import User

_ATTRIBUTE = "_cultivate_access"
_lock = threading.Lock()
_generation = 0
"""Moves when memberships changed for people not named: every Access reads again."""
_person_generation: dict[int, int] = {}
"""Moves per person whose membership changed: only their Access reads again."""


def memberships_changed(user_ids: Iterable[int] | None = None) -> None:
    """Say whose memberships changed (everyone's when not said): their Access reads again."""
    global _generation
    with _lock:
        if user_ids is None:
            _generation += 1
            return
        for user_id in user_ids:
            _person_generation[user_id] = _person_generation.get(user_id, 0) + 1


def _seen(user_id: int) -> tuple[int, int]:
    return _generation, _person_generation.get(user_id, 0)


class Access:
    """One person's memberships (any state), by community id."""

    __slots__ = ("_generation", "_memberships", "user_id")

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        self._memberships: dict[int, Membership] = {}
        self._generation = (-1, -1)

    def membership(self, community_id: int) -> Membership | None:
        """Return the person's membership of the community, or None."""
        seen = _seen(self.user_id)
        if self._generation != seen:
            self._memberships = {
                m.community_id: m for m in Membership.objects.filter(user_id=self.user_id)
            }
            self._generation = seen
        return self._memberships.get(community_id)


def access_of(user: User | AnonymousUser) -> Access | None:
    """Return the person's Access (None for someone not logged in), kept on the user object."""
    if not user.is_authenticated:
        return None
    access: Access | None = user.__dict__.get(_ATTRIBUTE)
    if access is None or access.user_id != user.pk:
        access = Access(user.pk)
        user.__dict__[_ATTRIBUTE] = access
    return access


def on_membership_written(sender: Any, instance: Membership, **kwargs: Any) -> None:
    """A Membership was saved or deleted (connected in CommunitiesConfig.ready).

    Moved now, for the writer's own later questions, and again once the transaction ends, so
    an Access that read inside it (or during a rollback) reads the settled state once more.
    """
    user_id = instance.user_id
    memberships_changed([user_id])
    transaction.on_commit(lambda: memberships_changed([user_id]), robust=True)
