"""Reads about communities that respect privacy: a private community is invisible to non-members."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cultivate.apps.accounts.models import User

from .models import Community, Membership, MembershipState, ModerationLogEntry, Role, Visibility
from .permissions import can_view_community


def visible_community_ids(user: User | AnonymousUser) -> QuerySet[Community, int]:
    """Return a subquery of the ids of communities this person may see."""
    return communities_visible_to(user).values_list("id", flat=True)


def communities_visible_to(user: User | AnonymousUser) -> QuerySet[Community]:
    """Return public communities and the private ones the person belongs to."""
    public = Q(visibility=Visibility.PUBLIC)
    if not user.is_authenticated:
        return Community.objects.filter(public)
    mine = Q(memberships__user_id=user.pk, memberships__state=MembershipState.ACTIVE)
    return Community.objects.filter(public | mine).distinct()


def community_directory(
    user: User | AnonymousUser,
    *,
    query: str = "",
    practice: str = "",
    mine: bool = False,
    visibility: str = "",
) -> QuerySet[Community]:
    """Return the communities the person may see, filtered for the directory page."""
    communities = communities_visible_to(user)
    if query:
        communities = communities.filter(
            Q(name__icontains=query)
            | Q(practice__icontains=query)
            | Q(description__icontains=query)
        )
    if practice:
        communities = communities.filter(practice__iexact=practice)
    if visibility in Visibility.values:
        communities = communities.filter(visibility=visibility)
    if mine and user.is_authenticated:
        communities = communities.filter(
            id__in=Membership.objects.filter(user_id=user.pk, state=MembershipState.ACTIVE).values(
                "community_id"
            )
        )
    return communities.order_by("name")


def practices() -> list[str]:
    """Return every practice named by a public community, for the directory's filter."""
    return list(
        Community.objects.filter(visibility=Visibility.PUBLIC)
        .order_by("practice")
        .values_list("practice", flat=True)
        .distinct()
    )


def community_get_for_user(user: User | AnonymousUser, slug: str) -> Community:
    """Return the community, or 404 when it does not exist or the person may not see it."""
    community = Community.objects.filter(slug=slug).first()
    if community is None or not can_view_community(user, community):
        raise Http404(_("No such community."))
    return community


def members(community: Community) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(community=community, state=MembershipState.ACTIVE)
        .select_related("user")
        .order_by("user__display_name", "user__username")
    )


def member_choices(community: Community) -> QuerySet[User]:
    """The community's active members by name, for a form's choice of one of them (owner, host)."""
    return User.objects.filter(
        memberships__community=community, memberships__state=MembershipState.ACTIVE
    ).order_by("display_name", "username")


def coordinators(community: Community) -> QuerySet[Membership]:
    return members(community).filter(role=Role.COORDINATOR)


def pending_requests(community: Community) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(community=community, state=MembershipState.REQUESTED)
        .select_related("user")
        .order_by("created_at")
    )


def invitations_for(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, state=MembershipState.INVITED).select_related(
        "community", "invited_by"
    )


def moderation_log(community: Community) -> QuerySet[ModerationLogEntry]:
    return ModerationLogEntry.objects.filter(community=community).select_related("actor")


def person_memberships_visible_to(
    viewer: User | AnonymousUser, person: User
) -> QuerySet[Membership]:
    """Return the person's active memberships in communities the viewer may see."""
    return (
        Membership.objects.filter(
            user=person,
            state=MembershipState.ACTIVE,
            community_id__in=visible_community_ids(viewer),
        )
        .select_related("community")
        .order_by("community__name")
    )


def communities_only_they_coordinate(user: User) -> list[Community]:
    """Communities with other members where this person is the last coordinator: they hand
    over before their account can close, or nobody could approve anyone again."""
    held = Membership.objects.filter(
        user=user, role=Role.COORDINATOR, state=MembershipState.ACTIVE
    ).values("community_id")
    found = []
    for community in Community.objects.filter(pk__in=held).order_by("name"):
        active = Membership.objects.filter(community=community, state=MembershipState.ACTIVE)
        others = active.exclude(user=user)
        if others.exists() and not others.filter(role=Role.COORDINATOR).exists():
            found.append(community)
    return found
