"""Who may propose, take a stance, close proposals and move action items along.

Each `check_*` raises PermissionDenied with a sentence a person can act on; `can_*` answers yes
or no (for templates). The rules of membership they build on are in communities.permissions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import check_contribute, is_coordinator, is_member

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def check_propose(user: User | AnonymousUser, community: Community) -> None:
    """Any active member may put a proposal to the community."""
    check_contribute(user, community)


def check_take_stance(user: User | AnonymousUser, community: Community) -> None:
    """Only active members take part in a decision."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to take part in this decision."))
    if not is_member(user, community):
        raise PermissionDenied(
            _("Only members of %(name)s take part in its decisions.") % {"name": community.name}
        )


def can_close_proposal(user: User | AnonymousUser, community: Community, proposer_id: int) -> bool:
    """The proposer or a coordinator closes a proposal with its outcome."""
    return is_member(user, community) and (
        user.pk == proposer_id or is_coordinator(user, community)
    )


def check_close_proposal(
    user: User | AnonymousUser, community: Community, proposer_id: int
) -> None:
    check_contribute(user, community)
    if not can_close_proposal(user, community, proposer_id):
        raise PermissionDenied(_("Only the proposer or a coordinator can close this proposal."))


def can_change_action_item(
    user: User | AnonymousUser, community: Community, owner_id: int, creator_id: int
) -> bool:
    """The owner, whoever created the item, and coordinators move an action item along."""
    return is_member(user, community) and (
        user.pk in (owner_id, creator_id) or is_coordinator(user, community)
    )


def check_change_action_item(
    user: User | AnonymousUser, community: Community, owner_id: int, creator_id: int
) -> None:
    check_contribute(user, community)
    if not can_change_action_item(user, community, owner_id, creator_id):
        raise PermissionDenied(
            _("Only the owner, the person who created it or a coordinator can change this item.")
        )
