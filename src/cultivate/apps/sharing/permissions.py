"""Who may edit, vote on and accept answers to shared content.

Each `check_*` raises PermissionDenied with a sentence a person can act on; `can_*` answers yes
or no (for templates). The rules of membership they build on are in communities.permissions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import check_contribute, is_coordinator

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def check_edit(user: User | AnonymousUser, community: Community, author_id: int) -> None:
    """The author edits their own words; coordinators may fix anything in their community."""
    check_contribute(user, community)
    if user.pk != author_id and not is_coordinator(user, community):
        raise PermissionDenied(_("Only the author or a coordinator can edit this."))


def check_accept_answer(user: User | AnonymousUser, community: Community, asker_id: int) -> None:
    """The asker decides which answer solved their question; a coordinator may decide for them."""
    check_contribute(user, community)
    if user.pk != asker_id and not is_coordinator(user, community):
        raise PermissionDenied(
            _("Only the person who asked or a coordinator can accept an answer.")
        )


def check_vote(user: User | AnonymousUser, community: Community, author_id: int) -> None:
    check_contribute(user, community)
    if user.pk == author_id:
        raise PermissionDenied(_("You cannot vote for your own contribution."))


def can_see_experts(user: User | AnonymousUser, community: Community, asker_id: int) -> bool:
    """Who can answer a question is for the asker and the coordinators: a list of names ranked
    by expertise is not for everyone to read."""
    return user.is_authenticated and (user.pk == asker_id or is_coordinator(user, community))


def check_see_experts(user: User | AnonymousUser, community: Community, asker_id: int) -> None:
    if not can_see_experts(user, community, asker_id):
        raise PermissionDenied(
            _("Only the person who asked or a coordinator can see who could answer.")
        )
