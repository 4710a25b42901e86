"""Reads of tags: who watches them, and which tags a person may watch."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cultivate.apps.communities.selectors import visible_community_ids

from .models import Tag, TagWatch

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cultivate.apps.accounts.models import User


def tag_watchers(tag_ids: Iterable[int]) -> set[int]:
    """Return the ids of the people who watch any of the tags."""
    tag_ids = list(tag_ids)
    if not tag_ids:
        return set()
    return set(TagWatch.objects.filter(tag_id__in=tag_ids).values_list("user_id", flat=True))


def watched_tags(user: User) -> QuerySet[Tag]:
    """Return the tags the person watches, by name."""
    return Tag.objects.filter(pk__in=TagWatch.objects.filter(user=user).values("tag_id")).order_by(
        "name"
    )


def is_watching_tag(user: User | AnonymousUser, name: str) -> bool:
    """Whether the person watches the tag of this name (a visitor watches nothing)."""
    if not user.is_authenticated:
        return False
    return TagWatch.objects.filter(user_id=user.pk, tag__name=name).exists()


def watchable_tag_get(user: User, name: str) -> Tag:
    """Return a tag used in a community the person may see (or one they already watch), else 404.

    Tags are shared by all communities; requiring a visible use keeps a tag that only a private
    community uses from being discovered by guessing its name.
    """
    tag = (
        Tag.objects.filter(name=name)
        .filter(
            Q(questions__community_id__in=visible_community_ids(user))
            | Q(pk__in=TagWatch.objects.filter(user=user).values("tag_id"))
        )
        .distinct()
        .first()
    )
    if tag is None:
        raise Http404(_("No such tag."))
    return tag
