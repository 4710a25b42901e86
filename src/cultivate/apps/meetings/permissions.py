"""Who may plan and run events, answer invitations and take part in coffee pairing.

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


def check_create_event(user: User | AnonymousUser, community: Community) -> None:
    """Any active member may invite the community to meet: a coffee chat needs no permission."""
    check_contribute(user, community)


def can_plan_for_another(user: User | AnonymousUser, community: Community) -> bool:
    """Coordinators may plan an event for another member to host; others host their own."""
    return is_coordinator(user, community)


def check_plan_for_another(user: User | AnonymousUser, community: Community) -> None:
    if not can_plan_for_another(user, community):
        raise PermissionDenied(_("Only a coordinator plans an event for someone else to host."))


def check_rsvp(user: User | AnonymousUser, community: Community) -> None:
    """Only active members answer an event's invitation."""
    check_contribute(user, community)


def can_manage_event(user: User | AnonymousUser, community: Community, host_id: int) -> bool:
    """The host or a coordinator takes attendance and writes the notes afterwards."""
    return is_member(user, community) and (user.pk == host_id or is_coordinator(user, community))


def check_manage_event(user: User | AnonymousUser, community: Community, host_id: int) -> None:
    check_contribute(user, community)
    if not can_manage_event(user, community, host_id):
        raise PermissionDenied(_("Only the host or a coordinator can do that for this event."))


def check_join_coffee(user: User | AnonymousUser, community: Community) -> None:
    """Only active members opt in to coffee pairing (anyone may opt out)."""
    check_contribute(user, community)


def check_run_coffee_round(user: User | AnonymousUser, community: Community) -> None:
    """Coordinators run a pairing round by hand; the scheduler runs them without a person."""
    if not is_coordinator(user, community):
        raise PermissionDenied(
            _("Only coordinators of %(name)s can run a coffee round.") % {"name": community.name}
        )


def check_report_coffee_met(
    user: User | AnonymousUser, community: Community, member_ids: set[int]
) -> None:
    """Only someone in the pair says the pair met."""
    check_contribute(user, community)
    if user.pk not in member_ids:
        raise PermissionDenied(_("Only the people in this pair can say they met."))
