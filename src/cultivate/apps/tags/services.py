"""Writes for tags: the naming rule, creating tags on first use, watching a tag.

The naming rule lives here once, so a question written by hand, through the API or by an
import gets the same tags.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Tag, TagWatch

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

MAX_TAGS = 5
MAX_TAG_LENGTH = 40
_TAG_SIGNS = frozenset("+#.-")
_ZERO_WIDTH_NON_JOINER = "\u200c"


def normal_tag(raw: str) -> str:
    """The one spelling of a tag: trimmed, lower case, without a leading '#', and composed
    (NFKC: 'Café' typed either way, and 'ﬁx' and 'fix', are one tag)."""
    return unicodedata.normalize("NFKC", str(raw).strip()).lower().lstrip("#")


def is_tag_name(name: str) -> bool:
    """Tell whether the text could be a tag: lower-case letters and digits of any script (with
    their accents and vowel signs), then also '+', '#', '.' and '-', up to 40 characters."""
    if not 0 < len(name) <= MAX_TAG_LENGTH or not name[0].isalnum() or name != name.lower():
        return False
    return all(
        ch.isalnum()
        or ch in _TAG_SIGNS
        or unicodedata.category(ch).startswith("M")
        or ch == _ZERO_WIDTH_NON_JOINER  # written inside Persian words
        for ch in name[1:]
    )


def clean_tags(raw: list[str] | str) -> list[str]:
    """Normalise tags to lower-case slugs; raise naming the bad tag."""
    items = raw.replace(",", " ").split() if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    for item in items:
        tag = normal_tag(item)
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationError(
                {
                    "tags": _("Tag %(item)s is longer than %(limit)s characters.")
                    % {"item": repr(item), "limit": MAX_TAG_LENGTH}
                }
            )
        if not is_tag_name(tag):
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
