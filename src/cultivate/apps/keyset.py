"""Pages of a newest-first list found from where the last page ended, not by rows to skip.

With OFFSET the database walks every row before the page: the last page of a community with
30,000 questions reads all of them. A cursor (the `created_at` and id of the row at the edge
of the page shown) lets it start at the page through the (community, created_at) index, so
every page costs what the first one does. Links carry `after=` (older rows) or `before=`
(newer rows); a malformed cursor gives the first page, as a malformed page number does.
The total is counted up to `COUNT_LIMIT` and read as "10,000+" beyond it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

__all__ = [
    "COUNT_LIMIT",
    "KeysetPage",
    "cursors",
    "decode_cursor",
    "encode_cursor",
    "keyset_page",
    "older_than",
    "position_key",
]

COUNT_LIMIT = 10_000

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class KeysetPage(Generic[M]):
    """One page of rows with the cursors of the pages beside it ("" where there is none)."""

    object_list: list[M]
    newer: str
    older: str
    count: int
    """The rows in the whole list, at most COUNT_LIMIT + 1 (then `count_capped`)."""

    @property
    def count_capped(self) -> bool:
        return self.count > COUNT_LIMIT

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer or self.older)

    def __iter__(self) -> Iterator[M]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def encode_cursor(row: Model) -> str:
    raw = f"{row.created_at.isoformat()}~{row.pk}"  # type: ignore[attr-defined]
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    """Return the (created_at, id) a cursor points at, or None when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, _, pk = raw.partition("~")
        at = datetime.fromisoformat(moment)
        if at.tzinfo is None:
            return None
        # In UTC, and within the years a database stores: 9999-12-31 at -05:00 is not.
        return at.astimezone(UTC), int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError):
        return None


def older_than(at: datetime, pk: int) -> Q:
    """The rows after this position in a newest-first list (older, or as old with a lower id)."""
    # The first term bounds an index range; the second breaks ties on the same instant.
    return Q(created_at__lte=at) & (Q(created_at__lt=at) | Q(pk__lt=pk))


def _newer_than(at: datetime, pk: int) -> Q:
    return Q(created_at__gte=at) & (Q(created_at__gt=at) | Q(pk__gt=pk))


def cursors(
    request: HttpRequest,
) -> tuple[tuple[datetime, int] | None, tuple[datetime, int] | None]:
    """Return the (after, before) positions the request asks for; None where it asks for none
    or the cursor is not one of ours (`after` wins when both are given)."""
    after = decode_cursor(request.GET.get("after", "")[:200])
    before = None if after else decode_cursor(request.GET.get("before", "")[:200])
    return after, before


def position_key(request: HttpRequest) -> str:
    """Name the page a request asks for, for a cache key: junk cursors name the first page."""
    after, before = cursors(request)
    if after is not None:
        return f"after~{after[0].isoformat()}~{after[1]}"
    return f"before~{before[0].isoformat()}~{before[1]}" if before is not None else "first"


def keyset_page(request: HttpRequest, items: QuerySet[M], per_page: int = 20) -> KeysetPage[M]:
    """Return the page of `items` (newest first) that the request's cursor asks for.

    A cursor past either end (its rows hidden or deleted since) gives the first page."""
    after, before = cursors(request)
    page = _page(items, after, before, per_page)
    if not page.object_list and (after or before):
        return _page(items, None, None, per_page)
    return page


def _page(
    items: QuerySet[M],
    after: tuple[datetime, int] | None,
    before: tuple[datetime, int] | None,
    per_page: int,
) -> KeysetPage[M]:
    if before is not None:
        rows = list(items.filter(_newer_than(*before)).order_by("created_at", "pk")[: per_page + 1])
        more_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        has_newer, has_older = more_newer, True
    else:
        newest_first = items.order_by("-created_at", "-pk")
        if after is not None:
            newest_first = newest_first.filter(older_than(*after))
        rows = list(newest_first[: per_page + 1])
        has_older = len(rows) > per_page
        rows = rows[:per_page]
        has_newer = after is not None
    count = items.order_by()[: COUNT_LIMIT + 1].count()
    return KeysetPage(
        object_list=rows,
        newer=encode_cursor(rows[0]) if rows and has_newer else "",
        older=encode_cursor(rows[-1]) if rows and has_older else "",
        count=count,
    )
