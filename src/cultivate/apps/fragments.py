"""Rendered parts of community pages kept in the cache, so a busy page is not rebuilt per view.

A part is keyed by everything that changes what it shows: the community and its content
version (moved by every write, `communities/freshness.py`), the audience (coordinators see
hidden content, members and readers see different invitations: `permissions.content_audience`),
the language and the reader's time zone. A part therefore never needs deleting: a write makes
a new key, and the old part expires. It must hold nothing personal (no CSRF token, no "you"):
those stay in the page around it. The permission check runs before a part is looked up, so a
cached part of a private community is only ever served to someone who may see it.

Relative times ("3 minutes ago") and people's names, which change without a write to the
community, may lag by at most `FRAGMENT_SECONDS`.

The cache is Django's default: local memory in each process, or Redis where
`CULTIVATE_REDIS_URL` is set (`config/settings/base.py`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

__all__ = ["FRAGMENT_SECONDS", "cached_fragment", "fragment_key"]

FRAGMENT_SECONDS = 120


def fragment_key(name: str, scope: tuple[object, ...]) -> str:
    """Return the cache key of one part as this reader would see it."""
    return ":".join(
        (
            "fragment",
            name,
            *map(str, scope),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
        )
    )


def cached_fragment(name: str, scope: tuple[object, ...], render: Callable[[], str]) -> SafeString:
    """Return the part from the cache, or render it (`render` returns escaped HTML) and keep it.

    `scope` is everything the part shows depends on besides language and time zone: for a
    community's content its id, content version and the reader's audience.
    """
    key = fragment_key(name, scope)
    html: str | None = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)  # rendered by a template, which escaped what it holds
