"""Put the unread count on every page, for the bell in the header."""

from __future__ import annotations

from django.http import HttpRequest

from cultivate.apps.communities.selectors import visible_community_ids

from .models import Notification


def unread_count(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {
        "unread_notifications": Notification.objects.filter(
            recipient=user,
            read_at__isnull=True,
            community_id__in=visible_community_ids(user),
        ).count()
    }
