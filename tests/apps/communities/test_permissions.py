"""Whose persona and activity figures a person may see: their own, and as a coordinator all."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from cultivate.apps.communities.permissions import (
    can_view_everyones_figures,
    can_view_member_figures,
)
from cultivate.apps.communities.services import community_create


def test_a_member_sees_their_own_figures_and_nobody_elses(
    community, member, make_user, join, coordinator
):
    other = make_user("otto", display_name="Otto Other")
    join(other, community)

    assert can_view_member_figures(member, community, member.pk)
    assert not can_view_member_figures(member, community, other.pk)
    assert not can_view_member_figures(member, community, coordinator.pk)
    assert not can_view_everyones_figures(member, community)


def test_a_coordinator_and_a_km_lead_see_every_members_figures(
    community, member, coordinator, make_user
):
    lead = make_user("kim", display_name="Kim Lead", is_km_lead=True)

    for reader in (coordinator, lead):
        assert can_view_everyones_figures(reader, community)
        assert can_view_member_figures(reader, community, member.pk)


def test_coordinating_another_community_outsiders_and_visitors_see_no_ones_figures(
    community, member, make_user, outsider
):
    elsewhere = make_user("ella", display_name="Ella Elsewhere")
    community_create(by=elsewhere, name="Data Analytics", practice="data")

    for reader in (elsewhere, outsider, AnonymousUser()):
        assert not can_view_everyones_figures(reader, community)
        assert not can_view_member_figures(reader, community, member.pk)
    assert not can_view_member_figures(AnonymousUser(), community, None)
