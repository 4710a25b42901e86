"""Memberships the company's directory grants: its groups, read at each single sign-on.

The contract: the directory is the authority for the communities it maps, and for what it gave.
A person in a mapped group is an active member (a coordinator where the mapping says so),
private community or not. What the directory gave, it takes back when the group no longer
holds the person: a membership it made ends, a coordinator role it gave goes back to member.
What people did themselves (joining, a coordinator's promotion) it never takes away. The last
coordinator of a community is never removed or demoted by it. Every change is an Activity
and an audit entry, in one transaction with the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cultivate.apps.activity.services import activity_record
from cultivate.apps.audit.services import audit_record
from cultivate.core.activity import Verb

from .models import Community, Membership, MembershipState, Role
from .services import membership_end

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def memberships_from_directory(
    *, user: User, granted: Mapping[str, str], mapped: set[str]
) -> list[str]:
    """Bring the person's memberships of the mapped communities (slugs) in line with the roles
    their groups grant (slug -> role); return what changed, for the log."""
    changes: list[str] = []
    with transaction.atomic():
        communities = {
            c.slug: c
            for c in Community.objects.select_for_update().filter(slug__in=mapped).order_by("pk")
        }
        held = {
            m.community_id: m
            for m in Membership.objects.select_for_update().filter(
                user=user, community__in=communities.values()
            )
        }
        for slug, community in sorted(communities.items()):
            membership = held.get(community.pk)
            role = granted.get(slug)
            if role is not None:
                change = _grant(user, community, membership, role)
            elif membership is not None:
                change = _ungrant(user, community, membership)
            else:
                change = ""
            if change:
                changes.append(f"{change} {slug}")
    return changes


def _is_last_coordinator(membership: Membership) -> bool:
    others = Membership.objects.filter(
        community_id=membership.community_id, role=Role.COORDINATOR, state=MembershipState.ACTIVE
    ).exclude(pk=membership.pk)
    return membership.role == Role.COORDINATOR and not others.exists()


def _audit(action: str, user: User, community: Community, before: dict[str, str]) -> None:
    audit_record(
        action=action,
        actor=None,
        community=community,
        subject=user.username,
        before=before,
        after={"by": "identity provider groups"},
    )


def _grant(user: User, community: Community, membership: Membership | None, role: str) -> str:
    now = timezone.now()
    if membership is None:
        membership = Membership(community=community, user=user, created_at=now)
    before = {"state": membership.state, "role": membership.role} if membership.pk else {}
    joins = membership.pk is None or membership.state != MembershipState.ACTIVE
    change = ""
    if joins:
        membership.state = MembershipState.ACTIVE
        membership.joined_at = now
        membership.granted_by_directory = True
        membership.role = role
        change = "granted"
    elif role == Role.COORDINATOR and membership.role != Role.COORDINATOR:
        membership.role = Role.COORDINATOR
        change = "raised"
    elif (
        role == Role.MEMBER
        and membership.directory_role == Role.COORDINATOR
        and not _is_last_coordinator(membership)
    ):
        membership.role = Role.MEMBER
        change = "lowered"
    if not change:
        return ""
    membership.directory_role = role  # what the directory gave: what it may take back
    membership.save()
    if joins:
        Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
        activity_record(
            verb=Verb.JOIN,
            actor_id=user.pk,
            community_id=community.pk,
            obj=membership,
            at=now,
            meta={"directory": True},
        )
    _audit(f"membership.directory_{change}", user, community, before)
    return change


def _ungrant(user: User, community: Community, membership: Membership) -> str:
    """Take back what the directory gave, and only that."""
    before = {"state": membership.state, "role": membership.role}
    if membership.granted_by_directory and not _is_last_coordinator(membership):
        membership_end(membership, meta={"directory": True})
        _audit("membership.directory_withdrew", user, community, before)
        return "withdrew"
    if not membership.directory_role:
        return ""
    change = ""
    if membership.directory_role == Role.COORDINATOR and not _is_last_coordinator(membership):
        membership.role = Role.MEMBER
        change = "lowered"
    membership.directory_role = ""
    membership.save(update_fields=["role", "directory_role"])
    if change:
        _audit("membership.directory_lowered", user, community, before)
    return change
