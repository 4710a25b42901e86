"""Writes for tags: the naming rule, creating tags on first use, watching a tag.

The naming rule lives here once, so a question written by hand, through the API or by an
import gets the same tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Tag, TagWatch

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

MAX_TAGS = 5
_TAG = re.compile(r"^[a-z0-9][a-z0-9+#.-]{0,39}$")


def is_tag_name(name: str) -> bool:
    """Tell whether the text could be a tag (used to ignore odd filters in URLs)."""
    return bool(_TAG.match(name))


def clean_tags(raw: list[str] | str) -> list[str]:
    """Normalise tags to lower-case slugs; raise naming the bad tag."""
    items = raw.replace(",", " ").split() if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    for item in items:
        tag = item.strip().lower().lstrip("#")
        if not tag:
            continue
        if not _TAG.match(tag):
            raise ValidationError(
                {
                    "tags": _("Tag %(item)s may use only letters, digits, '+', '#', '.' and '-'.")
                    % {"item": repr(item)}
                }
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError(
            {
                "tags": _("Use at most %(max_tags)s tags (got %(count)s).")
                % {"max_tags": MAX_TAGS, "count": len(tags)}
            }
        )
    return tags


def tags_get_or_create(names: Iterable[str]) -> dict[str, Tag]:
    """Return name -> Tag for already-clean names, creating the missing ones in one insert."""
    names = set(names)
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=n) for n in sorted(names) if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    return existing


def tag_watch_toggle(*, user: User, tag_id: int) -> bool:
    """Start or stop watching a tag's new questions; return whether it is now watched."""
    with transaction.atomic():
        deleted, _unused = TagWatch.objects.filter(user=user, tag_id=tag_id).delete()
        if deleted:
            return False
        TagWatch.objects.get_or_create(user=user, tag_id=tag_id)
    return True
