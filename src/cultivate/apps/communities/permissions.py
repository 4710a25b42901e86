"""Every rule about who may see or do what in a community; views, the API and services all ask here.

Each `check_*` raises PermissionDenied with a sentence a person can act on;
`can_*` answers yes or no.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from .models import Community, Membership, MembershipState

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


class CommunityContent(Protocol):
    """Anything that belongs to a community and has an author."""

    community_id: int
    author_id: int


_CACHE_ATTR = "_membership_cache"


def membership_of(user: User | AnonymousUser, community: Community) -> Membership | None:
    """Return the person's membership (any state), cached on the community per request."""
    if not user.is_authenticated:
        return None
    cache: dict[int, Membership | None] = community.__dict__.setdefault(_CACHE_ATTR, {})
    if user.pk not in cache:
        cache[user.pk] = Membership.objects.filter(community=community, user_id=user.pk).first()
    return cache[user.pk]


def forget_membership(user: Any, community: Community) -> None:
    """Drop the cached membership after a service changed it."""
    community.__dict__.get(_CACHE_ATTR, {}).pop(getattr(user, "pk", None), None)


def is_member(user: User | AnonymousUser, community: Community) -> bool:
    membership = membership_of(user, community)
    return membership is not None and membership.state == MembershipState.ACTIVE


def is_coordinator(user: User | AnonymousUser, community: Community) -> bool:
    membership = membership_of(user, community)
    return membership is not None and membership.is_coordinator


def can_view_community(user: User | AnonymousUser, community: Community) -> bool:
    """Public communities are open to all; a private one exists only for its members."""
    return not community.is_private or is_member(user, community)


def check_view_community(user: User | AnonymousUser, community: Community) -> None:
    if not can_view_community(user, community):
        raise PermissionDenied("This community is private.")


def check_contribute(user: User | AnonymousUser, community: Community) -> None:
    """Only active members write in a community."""
    if not user.is_authenticated:
        raise PermissionDenied("Log in to take part.")
    if not is_member(user, community):
        raise PermissionDenied(f"Join {community.name} to take part.")


def check_coordinate(user: User | AnonymousUser, community: Community) -> None:
    if not is_coordinator(user, community):
        raise PermissionDenied(f"Only coordinators of {community.name} can do that.")


def check_import(user: User | AnonymousUser, community: Community) -> None:
    """Only a community's coordinators load another platform's history into it."""
    if not is_coordinator(user, community):
        raise PermissionDenied(f"Only coordinators of {community.name} can import history into it.")


def check_join(user: User | AnonymousUser, community: Community) -> None:
    if not user.is_authenticated:
        raise PermissionDenied("Log in to join a community.")
    membership = membership_of(user, community)
    if membership is not None and membership.state == MembershipState.ACTIVE:
        raise PermissionDenied(f"You are already a member of {community.name}.")


def check_edit(user: User | AnonymousUser, community: Community, author_id: int) -> None:
    """The author edits their own words; coordinators may fix anything in their community."""
    check_contribute(user, community)
    if user.pk != author_id and not is_coordinator(user, community):
        raise PermissionDenied("Only the author or a coordinator can edit this.")


def check_accept_answer(user: User | AnonymousUser, community: Community, asker_id: int) -> None:
    """The asker decides which answer solved their question; a coordinator may decide for them."""
    check_contribute(user, community)
    if user.pk != asker_id and not is_coordinator(user, community):
        raise PermissionDenied("Only the person who asked or a coordinator can accept an answer.")


def check_vote(user: User | AnonymousUser, community: Community, author_id: int) -> None:
    check_contribute(user, community)
    if user.pk == author_id:
        raise PermissionDenied("You cannot vote for your own contribution.")


def is_km_lead(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and bool(getattr(user, "is_km_lead", False))


def can_view_health(user: User | AnonymousUser, community: Community) -> bool:
    """Members see their own community's health; KM leads see every community's, even private."""
    return is_km_lead(user) or is_member(user, community)


def check_view_health(user: User | AnonymousUser, community: Community) -> None:
    if not can_view_health(user, community):
        raise PermissionDenied(f"Only members of {community.name} see its health.")


def can_recompute_health(user: User | AnonymousUser, community: Community) -> bool:
    """Coordinators and KM leads may ask for a fresh report instead of waiting for the job."""
    return is_km_lead(user) or is_coordinator(user, community)


def check_recompute_health(user: User | AnonymousUser, community: Community) -> None:
    if not can_recompute_health(user, community):
        raise PermissionDenied("Only coordinators and knowledge-management leads can recompute.")


def check_view_portfolio(user: User | AnonymousUser) -> None:
    """The portfolio of every community, private ones included, is for KM leads only."""
    if not is_km_lead(user):
        raise PermissionDenied("The portfolio is for knowledge-management leads.")
