"""What every API module shares: who is writing, and how a list is cut into pages.

Responses are shaped by the schemas (`schemas.py` of each app); these pieces are the same
everywhere, so they are written once here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, get_type_hints

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import PaginationBase, paginate

from cultivate.apps.accounts.models import User
from cultivate.apps.keyset import decode_cursor, encode_cursor, older_than


def writer(request: HttpRequest) -> User:
    """Return the authenticated person; the WRITE auth list has already refused anyone else."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise AuthenticationError()
    return user


@dataclass(frozen=True, slots=True)
class Shaped:
    """Rows whose page needs one more step once it is cut (a rank, what the reader may see).

    The step sees only the page's rows, so loading what they need costs one page, not the list.
    """

    rows: QuerySet[Any] | Sequence[Any]
    shape: Callable[[list[Any]], list[Any]]


class Paging(Schema):
    """Which page of a list: the query parameters every list endpoint takes."""

    limit: int = Field(20, ge=1, le=100, description="How many items to return (1-100).")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many items to skip.")
    after: str = Field(
        "",
        max_length=200,
        description=(
            "The `next` of the page before: the page after it, found from where that page "
            "ended, as fast deep in the list as at its start. Lists ordered newest first only."
        ),
    )


NEWEST_FIRST = (("-created_at", "-id"), ("-created_at", "-pk"))
"""The orders a cursor can follow: a row's time and id say where the page after it starts."""


class LimitOffset(PaginationBase):
    """ninja's pagination with the API's page shape: {count, limit, offset, items, next}.

    A list endpoint returns its rows (a queryset, a list, or `Shaped`); this cuts the page with
    two queries for a queryset. A newest-first list also gives `next`, a cursor to the page
    after this one (`after=`): an offset walks every row it skips, a cursor starts at its page
    through the (community, created_at) index. The OpenAPI names each page schema
    `Paged<ItemSchema>`.
    """

    Input = Paging  # type: ignore[assignment]  # ninja names the OpenAPI component after the class

    class Output(Schema):
        count: int
        limit: int
        offset: int
        items: list[Any]
        next: str | None = Field(
            None,
            description="Pass as `after` for the next page; null on the last page, and on "
            "lists not ordered newest first.",
        )

    def paginate_queryset(
        self, queryset: Any, pagination: Paging, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        shaped = queryset if isinstance(queryset, Shaped) else Shaped(queryset, list)
        rows = shaped.rows
        follows = _follows_a_cursor(rows)
        count = rows.count() if isinstance(rows, QuerySet) else len(rows)
        if pagination.after:
            start = _cursor_start(pagination, follows)
            assert isinstance(rows, QuerySet)  # a list cannot follow a cursor (refused above)
            window = list(rows.filter(older_than(*start))[: pagination.limit + 1])
        else:
            end = pagination.offset + pagination.limit + (1 if follows else 0)
            window = list(rows[pagination.offset : end])
        more = len(window) > pagination.limit
        window = window[: pagination.limit]
        return {
            "count": count,
            "limit": pagination.limit,
            "offset": pagination.offset,
            "items": shaped.shape(window),
            "next": encode_cursor(window[-1]) if follows and more and window else None,
        }


def _follows_a_cursor(rows: Any) -> bool:
    """A cursor fits rows of one model, newest first: not a union (the wins of two tables,
    whose ids overlap) nor `.values()` rows, which carry no row to take a position from."""
    return (
        isinstance(rows, QuerySet)
        and not rows.query.combinator
        and issubclass(rows._iterable_class, ModelIterable)
        and tuple(rows.query.order_by) in NEWEST_FIRST
    )


def _cursor_start(pagination: Paging, follows: bool) -> tuple[Any, int]:
    """Return where `after` says the page starts; refuse, naming the field, what cannot be."""
    if not follows:
        message = _("This list pages by offset only: leave out after.")
    elif pagination.offset:
        message = _("Give after or offset, not both.")
    else:
        start = decode_cursor(pagination.after)
        if start is not None:
            return start
        message = _("This is not a cursor from a page's next.")
    raise ValidationError({"after": ValidationError(message, code="bad_cursor")})


Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def paginated(endpoint: Endpoint) -> Endpoint:
    """ninja's `paginate(LimitOffset)` for a module with postponed annotations.

    ninja reads the wrapped endpoint's annotations in its own module, where `Query` and the
    filters are unknown; they are resolved here, in the endpoint's module, first.
    """
    endpoint.__annotations__ = get_type_hints(endpoint, include_extras=True)
    wrapped: Endpoint = paginate(LimitOffset)(endpoint)
    return wrapped
