"""Reads about people that respect privacy: a profile never reveals a private community."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from cultivate.apps.communities.models import Membership, MembershipState
from cultivate.apps.communities.selectors import visible_community_ids
from cultivate.apps.sharing.models import Answer, Question

from .models import User

RECENT_LIMIT = 10


def person_get(username: str) -> User:
    """Return the active person with this user name and their expertise, or 404."""
    person = (
        User.objects.filter(username=username, is_active=True).prefetch_related("expertise").first()
    )
    if person is None:
        raise Http404("No such person.")
    return person


def memberships_visible_to(viewer: User | AnonymousUser, person: User) -> QuerySet[Membership]:
    """Return the person's active memberships in communities the viewer may see."""
    return (
        Membership.objects.filter(
            user=person,
            state=MembershipState.ACTIVE,
            community_id__in=visible_community_ids(viewer),
        )
        .select_related("community")
        .order_by("community__name")
    )


def recent_questions_visible_to(
    viewer: User | AnonymousUser, person: User, limit: int = RECENT_LIMIT
) -> list[Question]:
    """Return the person's latest shown questions in communities the viewer may see."""
    return list(
        Question.objects.filter(
            author=person, is_hidden=False, community_id__in=visible_community_ids(viewer)
        )
        .select_related("community")
        .order_by("-created_at", "-id")[:limit]
    )


def recent_answers_visible_to(
    viewer: User | AnonymousUser, person: User, limit: int = RECENT_LIMIT
) -> list[Answer]:
    """Return the person's latest shown answers to shown questions the viewer may see."""
    return list(
        Answer.objects.filter(
            author=person,
            is_hidden=False,
            question__is_hidden=False,
            community_id__in=visible_community_ids(viewer),
        )
        .select_related("question", "question__community")
        .order_by("-created_at", "-id")[:limit]
    )
