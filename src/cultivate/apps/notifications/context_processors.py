"""Put the unread count on every page, for the bell in the header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cultivate.apps.communities.selectors import visible_community_ids

from .models import Notification


def unread_count(request: HttpRequest) -> dict[str, Any]:
    """The count, counted once per request and only if a template shows it.

    A page that renders a cached box beside its main template ran this twice; a box never
    shows the bell, so it no longer pays the query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    unread = getattr(request, "_unread_notifications", None)
    if unread is None:
        unread = SimpleLazyObject(
            lambda: Notification.objects.filter(
                recipient=user,
                read_at__isnull=True,
                community_id__in=visible_community_ids(user),
            ).count()
        )
        request._unread_notifications = unread  # type: ignore[attr-defined]
    return {"unread_notifications": unread}
