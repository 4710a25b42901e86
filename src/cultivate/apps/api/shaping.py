"""What every API module shares: who is writing, and one page of items.

Responses are shaped by the schemas (`schemas.py` of each app); these two pieces are the same
everywhere, so they are written once here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.errors import AuthenticationError

from cultivate.apps.accounts.models import User

from .schemas import Paging


def writer(request: HttpRequest) -> User:
    """Return the authenticated person; the WRITE auth list has already refused anyone else."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise AuthenticationError()
    return user


def page(
    items: QuerySet[Any] | list[Any], paging: Paging, shape: Callable[[Any], Any] = lambda x: x
) -> dict[str, Any]:
    """Return one page as {count, limit, offset, items}; two queries for a queryset.

    `shape` prepares each item of the page (a dict, or a model its schema reads).
    """
    count = items.count() if isinstance(items, QuerySet) else len(items)
    window = items[paging.offset : paging.offset + paging.limit]
    return {
        "count": count,
        "limit": paging.limit,
        "offset": paging.offset,
        "items": [shape(item) for item in window],
    }
