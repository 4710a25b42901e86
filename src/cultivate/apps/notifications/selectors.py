"""Reads of a person's notices and watches; nothing from a community they can no longer see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.selectors import visible_community_ids

from .models import CommunityWatch, EmailPreferences, Notification

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User


def notifications_for(user: User) -> QuerySet[Notification]:
    """Return the person's notices, newest first, from communities they may still see."""
    return (
        Notification.objects.filter(recipient=user, community_id__in=visible_community_ids(user))
        .select_related("actor", "community")
        .order_by("-created_at", "-id")
    )


def notification_get_for_user(user: User, pk: int) -> Notification:
    """Return one of the person's own visible notices, or 404 (someone else's notice is unknown)."""
    notification = notifications_for(user).filter(pk=pk).first()
    if notification is None:
        raise Http404(_("No such notification."))
    return notification


def email_preferences_for(user: User) -> EmailPreferences:
    """Return the person's e-mail choices, or the defaults (everything on) without saving them."""
    prefs = EmailPreferences.objects.filter(user=user).first()
    return prefs if prefs is not None else EmailPreferences(user=user)


def watched_communities(user: User) -> QuerySet[Community]:
    """Return the communities the person watches and may still see."""
    return (
        Community.objects.filter(
            pk__in=CommunityWatch.objects.filter(user=user).values("community_id")
        )
        .filter(pk__in=visible_community_ids(user))
        .order_by("name")
    )


def is_watching_community(user: User, community: Community) -> bool:
    return CommunityWatch.objects.filter(user=user, community=community).exists()
