"""What one person's memberships are, read once and kept until a membership changes.

Every permission rule starts from the person's membership of a community. `access_of(user)`
gives the person's `Access`: all their memberships in one query on first use, kept on the user
object (so a request, whose user lives as long as it does, reads them once). Any membership
saved or deleted anywhere in the process moves a generation counter, and an `Access` whose
generation is behind reads again: no caller forgets a cached membership by hand. Writers that
bypass model signals (bulk inserts) call `memberships_changed()`.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from .models import Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cultivate.apps.accounts.models import User

_ATTRIBUTE = "_cultivate_access"
_lock = threading.Lock()
_generation = 0


def memberships_changed() -> None:
    """Say that some membership changed: every `Access` reads again on its next question."""
    global _generation
    with _lock:
        _generation += 1


class Access:
    """One person's memberships (any state), by community id."""

    __slots__ = ("_generation", "_memberships", "user_id")

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        self._memberships: dict[int, Membership] = {}
        self._generation = -1

    def membership(self, community_id: int) -> Membership | None:
        """Return the person's membership of the community, or None."""
        if self._generation != _generation:
            seen = _generation
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


def on_membership_written(sender: Any, **kwargs: Any) -> None:
    """A Membership was saved or deleted (connected in CommunitiesConfig.ready)."""
    memberships_changed()
