"""A person's memberships are read once and follow every change without anyone forgetting them."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cultivate.apps.communities.models import Membership
from cultivate.apps.communities.permissions import can_view_community, is_coordinator, is_member
from cultivate.apps.communities.services import (
    community_create,
    community_leave,
    member_promote,
    memberships_bulk_create,
)


def test_many_questions_about_many_communities_read_the_memberships_once(
    coordinator, community, private_community
):
    third = community_create(by=coordinator, name="Data", practice="data")
    coordinator.__dict__.pop("_cultivate_access", None)
    with CaptureQueriesContext(connection) as queries:
        for place in (community, private_community, third) * 3:
            assert is_member(coordinator, place)
            assert is_coordinator(coordinator, place)
            assert can_view_community(coordinator, place)
    assert len(queries) == 1


def test_joining_is_seen_at_once_by_the_same_person_object(private_community, outsider, join):
    assert not can_view_community(outsider, private_community)
    join(outsider, private_community)
    assert can_view_community(outsider, private_community)


def test_leaving_and_promotion_are_seen_without_forgetting_anything(community, member, coordinator):
    assert is_member(member, community)
    assert not is_coordinator(member, community)
    member_promote(
        membership=Membership.objects.get(user=member, community=community), by=coordinator
    )
    assert is_coordinator(member, community)
    community_leave(community=community, user=member)
    assert not is_member(member, community)


def test_bulk_created_memberships_are_seen_by_people_already_asked(community, outsider):
    assert not is_member(outsider, community)
    memberships_bulk_create(
        community=community, joined={outsider.pk: datetime(2024, 1, 1, tzinfo=UTC)}
    )
    assert is_member(outsider, community)


def test_someone_elses_membership_change_does_not_make_a_person_read_again(
    community, coordinator, outsider, join
):
    assert is_coordinator(coordinator, community)
    join(outsider, community)
    with CaptureQueriesContext(connection) as queries:
        assert is_coordinator(coordinator, community)
    assert len(queries) == 0
