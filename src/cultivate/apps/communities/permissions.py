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


# --- meetings ---


def check_create_event(user: User | AnonymousUser, community: Community) -> None:
    """Any active member may invite the community to meet: a coffee chat needs no permission."""
    check_contribute(user, community)


def check_rsvp(user: User | AnonymousUser, community: Community) -> None:
    """Only active members answer an event's invitation."""
    check_contribute(user, community)


def can_manage_event(user: User | AnonymousUser, community: Community, host_id: int) -> bool:
    """The host or a coordinator takes attendance and writes the notes afterwards."""
    return is_member(user, community) and (user.pk == host_id or is_coordinator(user, community))


def check_manage_event(user: User | AnonymousUser, community: Community, host_id: int) -> None:
    check_contribute(user, community)
    if not can_manage_event(user, community, host_id):
        raise PermissionDenied("Only the host or a coordinator can do that for this event.")


def check_join_coffee(user: User | AnonymousUser, community: Community) -> None:
    """Only active members opt in to coffee pairing (anyone may opt out)."""
    check_contribute(user, community)


def check_run_coffee_round(user: User | AnonymousUser, community: Community) -> None:
    """Coordinators run a pairing round by hand; the scheduler runs them without a person."""
    if not is_coordinator(user, community):
        raise PermissionDenied(f"Only coordinators of {community.name} can run a coffee round.")


def check_report_coffee_met(
    user: User | AnonymousUser, community: Community, member_ids: set[int]
) -> None:
    """Only someone in the pair says the pair met."""
    check_contribute(user, community)
    if user.pk not in member_ids:
        raise PermissionDenied("Only the people in this pair can say they met.")


# --- decisions ---


def check_propose(user: User | AnonymousUser, community: Community) -> None:
    """Any active member may put a proposal to the community."""
    check_contribute(user, community)


def check_take_stance(user: User | AnonymousUser, community: Community) -> None:
    """Only active members take part in a decision."""
    if not user.is_authenticated:
        raise PermissionDenied("Log in to take part in this decision.")
    if not is_member(user, community):
        raise PermissionDenied(f"Only members of {community.name} take part in its decisions.")


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
        raise PermissionDenied("Only the proposer or a coordinator can close this proposal.")


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
            "Only the owner, the person who created it or a coordinator can change this item."
        )


# --- celebrations ---


def check_view_wins(user: User | AnonymousUser, community: Community) -> None:
    """The wins feed is as visible as the community: a private one's wins are for members only."""
    check_view_community(user, community)


def can_celebrate(user: User | AnonymousUser, community: Community) -> bool:
    """Members give kudos and cheer wins; the page shows the forms only to them."""
    return is_member(user, community)


def check_give_kudos(user: User | AnonymousUser, community: Community, receiver: User) -> None:
    """Only members give kudos, only to another member, never to themselves."""
    check_contribute(user, community)
    if receiver.pk == user.pk:
        raise PermissionDenied("Kudos are for someone else; you cannot give kudos to yourself.")
    if not is_member(receiver, community):
        raise PermissionDenied(f"{receiver.name} is not a member of {community.name}.")


def check_cheer(user: User | AnonymousUser, community: Community) -> None:
    """Only members cheer their community's wins."""
    check_contribute(user, community)


# --- practices ---


def check_write_document(user: User | AnonymousUser, community: Community) -> None:
    """Best practices are written together: any member starts one or saves a revision."""
    check_contribute(user, community)


def can_steer_document(
    user: User | AnonymousUser,
    community: Community,
    author_id: int,
    steward_id: int | None = None,
) -> bool:
    """The document's author, its steward (a topic's owner) or a coordinator asks for reviews
    and publishes."""
    return is_member(user, community) and (
        user.pk in (author_id, steward_id) or is_coordinator(user, community)
    )


def check_steer_document(
    user: User | AnonymousUser,
    community: Community,
    author_id: int,
    steward_id: int | None = None,
) -> None:
    check_contribute(user, community)
    if not can_steer_document(user, community, author_id, steward_id):
        raise PermissionDenied(
            "Only the document's author, its owner or a coordinator can do that."
        )


def check_review_document(
    user: User | AnonymousUser, community: Community, reviewer_ids: set[int]
) -> None:
    """Only the people asked to review give a verdict."""
    check_contribute(user, community)
    if user.pk not in reviewer_ids:
        raise PermissionDenied("Only the reviewers the author asked can review this document.")


def check_mark_outdated(user: User | AnonymousUser, community: Community) -> None:
    """Any member may say a published practice is out of date; the reason tells why."""
    check_contribute(user, community)


def can_rereview_document(user: User | AnonymousUser, community: Community) -> bool:
    """A coordinator vouches again for a published practice, clearing the outdated mark."""
    return is_member(user, community) and is_coordinator(user, community)


def check_rereview_document(user: User | AnonymousUser, community: Community) -> None:
    check_contribute(user, community)
    if not can_rereview_document(user, community):
        raise PermissionDenied(f"Only coordinators of {community.name} can re-review a practice.")


# --- agenda ---


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
            f"Only coordinators of {community.name} prioritise and schedule agenda topics."
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
        raise PermissionDenied("This is your own request; the others contribute to it.")


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
        raise PermissionDenied("Only the person who asked for help can thank its contributors.")


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
            "Only the person who asked for help or a coordinator can accept a contribution."
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
            "Only its author, the person who asked or a coordinator can promote this into a "
            "best practice."
        )
