"""Community and membership services against the real database."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cultivate.apps.communities.models import (
    Community,
    Membership,
    MembershipState,
    ModerationLogEntry,
    Role,
    Visibility,
)
from cultivate.apps.communities.selectors import communities_visible_to, community_directory
from cultivate.apps.communities.services import (
    community_create,
    community_join,
    community_leave,
    member_promote,
    member_remove,
    membership_approve,
    membership_decline,
    membership_invite,
    membership_request,
)


def test_the_founder_becomes_the_first_coordinator(coordinator):
    community = community_create(by=coordinator, name="Data Science", practice="data")
    membership = Membership.objects.get(community=community, user=coordinator)
    assert membership.role == Role.COORDINATOR
    assert community.slug == "data-science"
    assert community.member_count == 1


def test_a_taken_address_or_name_is_refused_naming_the_field(community, coordinator):
    with pytest.raises(ValidationError) as error:
        community_create(by=coordinator, name="Mechanical engineering", practice="x")
    assert set(error.value.message_dict) == {"name", "slug"}


def test_joining_a_public_community_counts_the_member(community, outsider):
    community_join(community=community, user=outsider)
    community.refresh_from_db()
    assert community.member_count == 2


def test_nobody_joins_a_private_community_without_an_invitation(private_community, outsider):
    with pytest.raises(PermissionDenied):
        community_join(community=private_community, user=outsider)


def test_a_request_to_join_waits_for_a_coordinator(private_community, coordinator, outsider):
    membership = membership_request(community=private_community, user=outsider)
    assert membership.state == MembershipState.REQUESTED
    membership_approve(membership=membership, by=coordinator)
    membership.refresh_from_db()
    assert membership.state == MembershipState.ACTIVE
    assert ModerationLogEntry.objects.filter(community=private_community, action="approve").exists()


def test_a_declined_request_is_logged_and_can_be_made_again(
    private_community, coordinator, outsider
):
    membership_decline(
        membership=membership_request(community=private_community, user=outsider),
        by=coordinator,
        reason="Not in the safety team",
    )
    assert ModerationLogEntry.objects.get(action="decline").reason == "Not in the safety team"
    membership_request(community=private_community, user=outsider)


def test_only_a_coordinator_approves_invites_or_removes(
    private_community, member, outsider, coordinator, join
):
    join(member, private_community)
    request = membership_request(community=private_community, user=outsider)
    with pytest.raises(PermissionDenied):
        membership_approve(membership=request, by=member)
    with pytest.raises(PermissionDenied):
        membership_invite(community=private_community, user=outsider, by=member)
    target = Membership.objects.get(community=private_community, user=coordinator)
    with pytest.raises(PermissionDenied):
        member_remove(membership=target, by=member)


def test_an_invitation_lets_a_person_into_a_private_community(
    private_community, coordinator, outsider
):
    membership_invite(community=private_community, user=outsider, by=coordinator)
    community_join(community=private_community, user=outsider)
    assert Membership.objects.get(community=private_community, user=outsider).is_active


def test_the_last_coordinator_cannot_leave_while_others_remain(community, coordinator, member):
    with pytest.raises(ValidationError):
        community_leave(community=community, user=coordinator)
    member_promote(
        membership=Membership.objects.get(community=community, user=member), by=coordinator
    )
    community_leave(community=community, user=coordinator)
    assert Community.objects.get(pk=community.pk).member_count == 1


def test_a_removed_member_is_gone_and_the_act_is_logged(community, coordinator, member):
    member_remove(
        membership=Membership.objects.get(community=community, user=member),
        by=coordinator,
        reason="left the company",
    )
    assert not Membership.objects.filter(community=community, user=member).exists()
    entry = ModerationLogEntry.objects.get(action="remove_member")
    assert (entry.actor, entry.subject, entry.reason) == (
        coordinator,
        member.username,
        "left the company",
    )


def test_private_communities_are_invisible_to_non_members(
    community, private_community, outsider, coordinator
):
    assert set(communities_visible_to(outsider)) == {community}
    assert set(communities_visible_to(coordinator)) == {community, private_community}
    assert list(community_directory(outsider, query="safety")) == []
    assert private_community.visibility == Visibility.PRIVATE


def test_guessing_a_private_community_name_answers_like_any_taken_name_and_makes_nothing(
    private_community, community, outsider
):
    def refusal(name: str) -> dict[str, list[str]]:
        with pytest.raises(ValidationError) as refused:
            community_create(by=outsider, name=name, practice="guessing")
        return refused.value.message_dict

    count = Community.objects.count()
    secret = refusal(private_community.name)
    public = refusal(community.name)
    assert set(secret) == set(public) == {"name", "slug"}
    assert secret["name"][0].replace(private_community.name, "N") == public["name"][0].replace(
        community.name, "N"
    )
    assert Community.objects.count() == count
