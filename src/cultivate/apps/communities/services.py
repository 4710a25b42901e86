"""Writes about communities and membership; each records its Activity in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cultivate.apps.activity.services import activity_record
from cultivate.apps.audit.services import audit_record
from cultivate.core.activity import Verb

from .access import memberships_changed
from .models import (
    Community,
    Membership,
    MembershipState,
    ModerationAction,
    ModerationLogEntry,
    Role,
    Visibility,
)
from .permissions import check_coordinate, check_join, membership_of

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


_MEMBERSHIP_BEFORE_AFTER = {
    ModerationAction.APPROVE: ({"state": "requested"}, {"state": "active"}),
    ModerationAction.DECLINE: ({"state": "requested"}, {"state": "declined"}),
    ModerationAction.INVITE: ({}, {"state": "invited"}),
    ModerationAction.REMOVE_MEMBER: ({"state": "active"}, {"state": "removed"}),
    ModerationAction.PROMOTE: ({"role": "member"}, {"role": "coordinator"}),
}


def _log(
    *,
    community: Community,
    actor: User,
    action: ModerationAction,
    subject: str,
    reason: str = "",
    at: datetime | None = None,
) -> None:
    """Note a coordinator's act in the community's moderation log and in the audit trail."""
    when = at or timezone.now()
    ModerationLogEntry.objects.create(
        community=community,
        actor=actor,
        action=action,
        subject=subject[:300],
        reason=reason[:500],
        created_at=when,
    )
    before, after = _MEMBERSHIP_BEFORE_AFTER.get(action, ({}, {}))
    audit_record(
        action=f"membership.{action.value}",
        actor=actor,
        community=community,
        subject=subject,
        before=before,
        after=after | ({"reason": reason} if reason else {}),
        at=when,
    )


def community_create(
    *,
    by: User,
    name: str,
    practice: str,
    description: str = "",
    visibility: str = Visibility.PUBLIC,
    slug: str = "",
    at: datetime | None = None,
) -> Community:
    """Found a community; its founder becomes its first coordinator."""
    name, practice = name.strip(), practice.strip()
    slug = slugify(slug or name)[:60]
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the community a name.")
    if not practice:
        errors["practice"] = _("Say which practice the community is about.")
    if not slug:
        errors["slug"] = _("The address needs at least one letter or digit.")
    if visibility not in Visibility.values:
        errors["visibility"] = _("Choose one of %(join)s.") % {"join": ", ".join(Visibility.values)}
    if slug and Community.objects.filter(slug=slug).exists():
        # the same words whether or not the clash is a private community nobody may see
        errors["slug"] = _("The address %(slug)s is not available; choose another.") % {
            "slug": repr(slug)
        }
    if name and Community.objects.filter(name__iexact=name).exists():
        errors["name"] = _("The name %(name)s is not available; choose another.") % {
            "name": repr(name)
        }
    if errors:
        raise ValidationError(errors)
    when = at or timezone.now()
    with transaction.atomic():
        community = Community.objects.create(
            name=name,
            slug=slug,
            practice=practice,
            description=description.strip(),
            visibility=visibility,
            created_by=by,
            created_at=when,
            member_count=1,
        )
        membership = Membership.objects.create(
            community=community, user=by, role=Role.COORDINATOR, joined_at=when, created_at=when
        )
        audit_record(
            action="community.create",
            actor=by,
            community=community,
            subject=community.name,
            after={"name": name, "slug": slug, "visibility": visibility},
            at=when,
        )
        activity_record(
            verb=Verb.JOIN,
            actor_id=by.pk,
            community_id=community.pk,
            obj=membership,
            at=when,
            meta={"role": Role.COORDINATOR, "founder": True},
        )
    return community


def _activate(membership: Membership, when: datetime) -> None:
    """Make the person a member from `when` (a membership not saved yet is written at once)."""
    membership.state = MembershipState.ACTIVE
    membership.joined_at = when
    if membership.pk is None:
        membership.save()
    else:
        membership.save(update_fields=["state", "joined_at"])
    Community.objects.filter(pk=membership.community_id).update(member_count=F("member_count") + 1)


def community_join(*, community: Community, user: User, at: datetime | None = None) -> Membership:
    """Join a public community, or accept an invitation to a private one.

    A person who is not invited to a private community asks to join instead (`membership_request`).
    """
    check_join(user, community)
    when = at or timezone.now()
    with transaction.atomic():
        existing = (
            Membership.objects.select_for_update().filter(community=community, user=user).first()
        )
        if community.is_private and (existing is None or existing.state != MembershipState.INVITED):
            raise PermissionDenied(
                _("%(name)s is private: ask to join, or wait for an invitation.")
                % {"name": community.name}
            )
        membership = existing or Membership(community=community, user=user, created_at=when)
        _activate(membership, when)
        activity_record(
            verb=Verb.JOIN,
            actor_id=user.pk,
            community_id=community.pk,
            obj=membership,
            at=when,
            meta={"invited": existing is not None},
        )
    return membership


def membership_request(*, community: Community, user: User) -> Membership:
    """Ask to join a private community; a coordinator approves or declines.

    The person is not in the community yet, so this records no Activity: joining does, on approval.
    """
    check_join(user, community)
    if not community.is_private:
        raise ValidationError(_("%(name)s is public: join it directly.") % {"name": community.name})
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                community=community, user=user, state=MembershipState.REQUESTED
            )
    except IntegrityError:
        raise ValidationError(
            _("You have already asked to join or been invited."), code="already_asked"
        ) from None
    return membership


def membership_approve(*, membership: Membership, by: User) -> Membership:
    """Let a person who asked into the private community."""
    community = membership.community
    check_coordinate(by, community)
    if membership.state != MembershipState.REQUESTED:
        raise ValidationError(_("Only a pending request can be approved."))
    with transaction.atomic():
        when = timezone.now()
        _activate(membership, when)
        _log(
            community=community,
            actor=by,
            action=ModerationAction.APPROVE,
            subject=f"{membership.user.username} joined",
        )
        activity_record(
            verb=Verb.JOIN,
            actor_id=membership.user_id,
            community_id=community.pk,
            obj=membership,
            at=when,
            meta={"approved_by": by.pk},
        )
    return membership


def membership_decline(*, membership: Membership, by: User, reason: str = "") -> None:
    """Turn down a request to join; the person may ask again later."""
    community = membership.community
    check_coordinate(by, community)
    if membership.state != MembershipState.REQUESTED:
        raise ValidationError(_("Only a pending request can be declined."))
    with transaction.atomic():
        _log(
            community=community,
            actor=by,
            action=ModerationAction.DECLINE,
            subject=f"{membership.user.username} asked to join",
            reason=reason,
        )
        activity_record(
            verb=Verb.MODERATE,
            actor_id=by.pk,
            community_id=community.pk,
            obj=membership,
            target_actor_id=membership.user_id,
            meta={"action": "decline"},
        )
        membership.delete()


def membership_invite(
    *, community: Community, user: User, by: User, at: datetime | None = None
) -> Membership:
    """Invite a person; they join by accepting (`community_join`)."""
    check_coordinate(by, community)
    existing = membership_of(user, community)
    if existing is not None and existing.state == MembershipState.ACTIVE:
        raise ValidationError(_("%(name)s is already a member.") % {"name": user.name})
    with transaction.atomic():
        membership, _unused = Membership.objects.update_or_create(
            community=community,
            user=user,
            defaults={"state": MembershipState.INVITED, "invited_by": by},
            create_defaults={
                "state": MembershipState.INVITED,
                "invited_by": by,
                "created_at": at or timezone.now(),
            },
        )
        _log(
            community=community,
            actor=by,
            action=ModerationAction.INVITE,
            subject=user.username,
            at=at,
        )
        activity_record(
            verb=Verb.INVITE,
            actor_id=by.pk,
            community_id=community.pk,
            obj=membership,
            target_actor_id=user.pk,
            at=at,
        )
    return membership


def invitation_decline(*, community: Community, user: User) -> None:
    """Turn an invitation down; the person never joined, so no Activity is recorded."""
    deleted, _unused = Membership.objects.filter(
        community=community, user=user, state=MembershipState.INVITED
    ).delete()
    if not deleted:
        raise ValidationError(_("There is no invitation to decline."))


def community_leave(*, community: Community, user: User, at: datetime | None = None) -> None:
    """Leave a community; its last coordinator must hand over first."""
    membership = membership_of(user, community)
    if membership is None or membership.state != MembershipState.ACTIVE:
        raise ValidationError(_("You are not a member of %(name)s.") % {"name": community.name})
    with transaction.atomic():
        if membership.role == Role.COORDINATOR:
            others = Membership.objects.filter(
                community=community, role=Role.COORDINATOR, state=MembershipState.ACTIVE
            ).exclude(pk=membership.pk)
            if not others.exists():
                # a community without a coordinator could never approve anyone again
                raise ValidationError(
                    _("You are the last coordinator: make another member a coordinator first.")
                )
        membership_end(membership, at=at)


def memberships_end_for_closed_account(*, user: User) -> int:
    """End every membership of a person whose account closes: each active one is a leave (an
    Activity, the count updated); requests and invitations just go. Return how many ended.

    Whoever closes checks `communities_only_they_coordinate` first: this does not refuse."""
    ended = 0
    with transaction.atomic():
        for membership in Membership.objects.select_for_update().filter(user=user):
            membership_end(membership, meta={"account_closed": True})
            ended += 1
    return ended


def membership_end(
    membership: Membership, *, meta: dict[str, bool] | None = None, at: datetime | None = None
) -> None:
    """Delete a membership: an active one is a leave (an Activity, the count one less).

    The writes every ending shares; call it inside the caller's transaction, after its checks
    (the last coordinator, the right to remove)."""
    if membership.state == MembershipState.ACTIVE:
        activity_record(
            verb=Verb.LEAVE,
            actor_id=membership.user_id,
            community_id=membership.community_id,
            obj=membership,
            meta=meta,
            at=at,
        )
        Community.objects.filter(pk=membership.community_id).update(
            member_count=F("member_count") - 1
        )
    membership.delete()


def member_remove(*, membership: Membership, by: User, reason: str = "") -> None:
    """Remove a member (a coordinator's act, logged)."""
    community = membership.community
    check_coordinate(by, community)
    if membership.user_id == by.pk:
        raise ValidationError(_("Use 'leave' to leave the community yourself."))
    if membership.state != MembershipState.ACTIVE:
        raise ValidationError(_("Only a member can be removed."))
    with transaction.atomic():
        _log(
            community=community,
            actor=by,
            action=ModerationAction.REMOVE_MEMBER,
            subject=membership.user.username,
            reason=reason,
        )
        activity_record(
            verb=Verb.MODERATE,
            actor_id=by.pk,
            community_id=community.pk,
            obj=membership,
            target_actor_id=membership.user_id,
            meta={"action": "remove_member"},
        )
        membership.delete()
        Community.objects.filter(pk=community.pk).update(member_count=F("member_count") - 1)


def member_promote(*, membership: Membership, by: User, at: datetime | None = None) -> Membership:
    """Make a member a coordinator."""
    community = membership.community
    check_coordinate(by, community)
    if membership.state != MembershipState.ACTIVE:
        raise ValidationError(_("Only a member can become a coordinator."))
    if membership.role == Role.COORDINATOR:
        raise ValidationError(
            _("%(name)s is already a coordinator.") % {"name": membership.user.name}
        )
    with transaction.atomic():
        membership.role = Role.COORDINATOR
        membership.save(update_fields=["role"])
        _log(
            community=community,
            actor=by,
            action=ModerationAction.PROMOTE,
            subject=membership.user.username,
            at=at,
        )
        activity_record(
            verb=Verb.MODERATE,
            actor_id=by.pk,
            community_id=community.pk,
            obj=membership,
            target_actor_id=membership.user_id,
            meta={"action": "promote"},
            at=at,
        )
    return membership


def memberships_bulk_create(*, community: Community, joined: Mapping[int, datetime]) -> int:
    """Make each person (user id -> when) an active member from that moment; return how many new.

    For imports, whose history records the joins itself, so this records no Activity. People who
    already have a membership keep it as it is; call `community_member_count_refresh` once the
    batch is written.
    """
    existing = set(
        Membership.objects.filter(community=community, user_id__in=joined).values_list(
            "user_id", flat=True
        )
    )
    new = [
        Membership(
            community=community,
            user_id=user_id,
            role=Role.MEMBER,
            state=MembershipState.ACTIVE,
            created_at=at,
            joined_at=at,
        )
        for user_id, at in joined.items()
        if user_id not in existing
    ]
    Membership.objects.bulk_create(new, batch_size=1000)
    memberships_changed([m.user_id for m in new])  # bulk inserts send no signals
    return len(new)


def community_routing_set(*, community: Community, by: User, hours: int) -> Community:
    """Set after how many hours an unanswered question is routed to people (0: never)."""
    check_coordinate(by, community)
    if not 0 <= hours <= 24 * 14:
        raise ValidationError(
            {"route_after_hours": _("Choose between 0 (off) and 336 hours (two weeks).")}
        )
    with transaction.atomic():
        before = community.route_after_hours
        Community.objects.filter(pk=community.pk).update(route_after_hours=hours)
        audit_record(
            action="community.settings",
            actor=by,
            community=community,
            subject=community.name,
            before={"route_after_hours": before},
            after={"route_after_hours": hours},
        )
    community.route_after_hours = hours
    return community


def community_member_count_refresh(community: Community) -> None:
    """Count the community's active members again (after bulk writes)."""
    Community.objects.filter(pk=community.pk).update(
        member_count=Membership.objects.filter(
            community=community, state=MembershipState.ACTIVE
        ).count()
    )
