"""What every API module shares: who is writing, and how a list is cut into pages.

Responses are shaped by the schemas (`schemas.py` of each app); these pieces are the same
everywhere, so they are written once here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, get_type_hints

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import PaginationBase, paginate

from cultivate.apps.accounts.models import User


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


class LimitOffset(PaginationBase):
    """ninja's pagination with the API's page shape: {count, limit, offset, items}.

    A list endpoint returns its rows (a queryset, a list, or `Shaped`); this cuts the page with
    two queries for a queryset. The OpenAPI names each page schema `Paged<ItemSchema>`.
    """

    Input = Paging  # type: ignore[assignment]  # ninja names the OpenAPI component after the class

    class Output(Schema):
        count: int
        limit: int
        offset: int
        items: list[Any]

    def paginate_queryset(
        self, queryset: Any, pagination: Paging, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        shaped = queryset if isinstance(queryset, Shaped) else Shaped(queryset, list)
        rows = shaped.rows
        count = rows.count() if isinstance(rows, QuerySet) else len(rows)
        window = list(rows[pagination.offset : pagination.offset + pagination.limit])
        return {
            "count": count,
            "limit": pagination.limit,
            "offset": pagination.offset,
            "items": shaped.shape(window),
        }


Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def paginated(endpoint: Endpoint) -> Endpoint:
    """ninja's `paginate(LimitOffset)` for a module with postponed annotations.

    ninja reads the wrapped endpoint's annotations in its own module, where `Query` and the
    filters are unknown; they are resolved here, in the endpoint's module, first.
    """
    endpoint.__annotations__ = get_type_hints(endpoint, include_extras=True)
    wrapped: Endpoint = paginate(LimitOffset)(endpoint)
    return wrapped
