"""Who may suggest and steer agenda topics, and ask for, give, thank and accept help.

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


def check_propose_topic(user: User | AnonymousUser, community: Community) -> None:
    """Any active member may suggest what the community should work on next."""
    check_contribute(user, community)


def can_steer_agenda(user: User | AnonymousUser, community: Community) -> bool:
    """Coordinators open the prioritisation poll and schedule topics into time boxes."""
    return is_member(user, community) and is_coordinator(user, community)


def check_steer_agenda(user: User | AnonymousUser, community: Community) -> None:
    check_contribute(user, community)
    if not can_steer_agenda(user, community):
        raise PermissionDenied(
            _("Only coordinators of %(name)s prioritise and schedule agenda topics.")
            % {"name": community.name}
        )


def check_request_help(user: User | AnonymousUser, community: Community) -> None:
    """Any active member may ask the community for input."""
    check_contribute(user, community)


def can_contribute_help(
    user: User | AnonymousUser, community: Community, requester_id: int
) -> bool:
    """Members help someone else; the requester does not answer their own request."""
    return is_member(user, community) and user.pk != requester_id


def check_contribute_help(
    user: User | AnonymousUser, community: Community, requester_id: int
) -> None:
    check_contribute(user, community)
    if not can_contribute_help(user, community, requester_id):
        raise PermissionDenied(_("This is your own request; the others contribute to it."))


def can_thank_contribution(
    user: User | AnonymousUser, community: Community, requester_id: int
) -> bool:
    """Thanks come from the person who asked for the help."""
    return is_member(user, community) and user.pk == requester_id


def check_thank_contribution(
    user: User | AnonymousUser, community: Community, requester_id: int
) -> None:
    check_contribute(user, community)
    if not can_thank_contribution(user, community, requester_id):
        raise PermissionDenied(_("Only the person who asked for help can thank its contributors."))


def can_accept_contribution(
    user: User | AnonymousUser, community: Community, requester_id: int
) -> bool:
    """The requester accepts what helped; a coordinator may do it for them."""
    return is_member(user, community) and (
        user.pk == requester_id or is_coordinator(user, community)
    )


def check_accept_contribution(
    user: User | AnonymousUser, community: Community, requester_id: int
) -> None:
    check_contribute(user, community)
    if not can_accept_contribution(user, community, requester_id):
        raise PermissionDenied(
            _("Only the person who asked for help or a coordinator can accept a contribution.")
        )


def can_promote_to_practice(
    user: User | AnonymousUser, community: Community, people_ids: set[int]
) -> bool:
    """The people concerned (who asked, who wrote it) or a coordinator turn it into a practice."""
    return is_member(user, community) and (user.pk in people_ids or is_coordinator(user, community))


def check_promote_to_practice(
    user: User | AnonymousUser, community: Community, people_ids: set[int]
) -> None:
    check_contribute(user, community)
    if not can_promote_to_practice(user, community, people_ids):
        raise PermissionDenied(
            _(
                "Only its author, the person who asked or a coordinator can promote this "
                "into a best practice."
            )
        )
