"""Memberships the company's directory grants: its groups, read at each single sign-on.

The contract: the directory is the authority for the communities it maps. A person in a mapped
group is an active member (a coordinator where the mapping says so), private community or not;
a membership the directory gave ends when the group no longer holds the person. Memberships
people made themselves are never taken away by the directory, only raised to the role it grants.
Every change is an Activity and an audit entry, in one transaction with the change.
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

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def memberships_from_directory(
    *, user: User, granted: Mapping[str, str], mapped: set[str]
) -> list[str]:
    """Bring the person's memberships of the mapped communities (slugs) in line with the roles
    their groups grant (slug -> role); return what changed, for the log."""
    communities = {c.slug: c for c in Community.objects.filter(slug__in=mapped)}
    changes: list[str] = []
    with transaction.atomic():
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
            elif membership is not None and membership.granted_by_directory:
                change = _withdraw(user, community, membership)
            else:
                change = ""
            if change:
                changes.append(f"{change} {slug}")
    return changes


def _grant(user: User, community: Community, membership: Membership | None, role: str) -> str:
    now = timezone.now()
    if membership is None:
        membership = Membership(community=community, user=user, created_at=now)
        membership.granted_by_directory = True
    before = {"state": membership.state, "role": membership.role} if membership.pk else {}
    joins = membership.pk is None or membership.state != MembershipState.ACTIVE
    raises = role == Role.COORDINATOR and membership.role != Role.COORDINATOR
    if not joins and not raises:
        return ""
    if joins:
        membership.state = MembershipState.ACTIVE
        membership.joined_at = now
        membership.granted_by_directory = True
    if raises:
        membership.role = Role.COORDINATOR
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
    audit_record(
        action="membership.directory_grant",
        actor=None,
        community=community,
        subject=user.username,
        before=before,
        after={"state": membership.state, "role": membership.role},
        at=now,
    )
    return "granted" if joins else "raised"


def _withdraw(user: User, community: Community, membership: Membership) -> str:
    if membership.role == Role.COORDINATOR and not (
        Membership.objects.filter(
            community=community, role=Role.COORDINATOR, state=MembershipState.ACTIVE
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        return "kept (last coordinator)"  # a community without a coordinator is stuck
    was_active = membership.state == MembershipState.ACTIVE
    before = {"state": membership.state, "role": membership.role}
    if was_active:
        activity_record(
            verb=Verb.LEAVE, actor_id=user.pk, community_id=community.pk, obj=membership
        )
    membership.delete()
    if was_active:
        Community.objects.filter(pk=community.pk).update(member_count=F("member_count") - 1)
    audit_record(
        action="membership.directory_withdraw",
        actor=None,
        community=community,
        subject=user.username,
        before=before,
        after={"state": "removed"},
    )
    return "withdrew"
