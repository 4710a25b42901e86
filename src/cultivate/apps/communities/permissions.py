"""The rules of membership every app's permissions build on: who sees a community, who takes
part, who coordinates. Each app keeps its own rules in its own `permissions.py`.

Each `check_*` raises PermissionDenied with a sentence a person can act on;
`can_*` answers yes or no.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .access import access_of
from .models import Community, Membership, MembershipState

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


class CommunityContent(Protocol):
    """Anything that belongs to a community and has an author."""

    community_id: int
    author_id: int


def membership_of(user: User | AnonymousUser, community: Community) -> Membership | None:
    """Return the person's membership (any state); read once per person (`access.access_of`)."""
    access = access_of(user)
    return access.membership(community.pk) if access is not None else None


def is_member(user: User | AnonymousUser, community: Community) -> bool:
    membership = membership_of(user, community)
    return membership is not None and membership.state == MembershipState.ACTIVE


def is_coordinator(user: User | AnonymousUser, community: Community) -> bool:
    membership = membership_of(user, community)
    return membership is not None and membership.is_coordinator


def can_view_community(user: User | AnonymousUser, community: Community) -> bool:
    """Public communities are open to all; a private one exists only for its members."""
    return not community.is_private or is_member(user, community)


def content_audience(user: User | AnonymousUser, community: Community) -> str:
    """Name the group whose view of the community's content this person shares.

    Coordinators also see hidden content; members are invited to contribute; everyone else
    reads. Cached page parts are kept per audience (`cultivate.apps.fragments`).
    """
    if is_coordinator(user, community):
        return "coordinator"
    return "member" if is_member(user, community) else "reader"


def check_view_community(user: User | AnonymousUser, community: Community) -> None:
    if not can_view_community(user, community):
        raise PermissionDenied(_("This community is private."))


def check_contribute(user: User | AnonymousUser, community: Community) -> None:
    """Only active members write in a community."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to take part."))
    if not is_member(user, community):
        raise PermissionDenied(_("Join %(name)s to take part.") % {"name": community.name})


def check_coordinate(user: User | AnonymousUser, community: Community) -> None:
    if not is_coordinator(user, community):
        raise PermissionDenied(
            _("Only coordinators of %(name)s can do that.") % {"name": community.name}
        )


def check_join(user: User | AnonymousUser, community: Community) -> None:
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to join a community."))
    membership = membership_of(user, community)
    if membership is not None and membership.state == MembershipState.ACTIVE:
        raise PermissionDenied(
            _("You are already a member of %(name)s.") % {"name": community.name}
        )


def is_km_lead(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and bool(getattr(user, "is_km_lead", False))


def can_view_health(user: User | AnonymousUser, community: Community) -> bool:
    """Members see their own community's health; KM leads see every community's, even private."""
    return is_km_lead(user) or is_member(user, community)


def can_view_everyones_figures(user: User | AnonymousUser, community: Community) -> bool:
    """Every member's persona and activity figures (role, counts, who helped whom, names in the
    advice) are for the community's coordinators, and for KM leads, who look after every
    community's health as its coordinators do (ADR 5). Other members read aggregates."""
    return is_km_lead(user) or is_coordinator(user, community)


def can_view_member_figures(
    user: User | AnonymousUser, community: Community, member_id: int | None
) -> bool:
    """A member's persona and activity figures are theirs and their coordinators' only."""
    if user.is_authenticated and member_id is not None and user.pk == member_id:
        return True
    return can_view_everyones_figures(user, community)
