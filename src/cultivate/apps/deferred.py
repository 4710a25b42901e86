"""Rows that may wait until the end of a long replay: one bulk insert instead of thousands.

The demo replays months of eight communities through the real services, so every act keeps its
rules. Three of the rows each act leaves are only appended, and nobody reads them while the
replay runs: its Activity, its notices and its search-index entry. Inside `writes_deferred()`
their writers hand them here (`defer`), and they are written in bulk, in the order they came,
when the block ends or when a service about to read or change them asks (`flush_deferred`).
Outside such a block `defer` returns False and each writer writes at once, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

__all__ = ["defer", "flush_deferred", "writes_deferred"]

Writer = Callable[[list[Any]], object]

_pending: ContextVar[dict[Writer, list[Any]] | None] = ContextVar("deferred_rows", default=None)


def defer(write: Writer, item: Any) -> bool:
    """Keep `item` for `write` (a module-level function writing a list) when a block is open.

    Return False when no block is open: the caller then writes the item itself, now.
    """
    pending = _pending.get()
    if pending is None:
        return False
    pending.setdefault(write, []).append(item)
    return True


def flush_deferred() -> None:
    """Write everything kept so far, each writer's items in the order they came."""
    pending = _pending.get()
    if not pending:
        return
    batches = list(pending.items())
    pending.clear()
    for write, items in batches:
        write(items)


@contextmanager
def writes_deferred() -> Iterator[None]:
    """Keep deferrable rows until the block ends; open it inside the caller's transaction.

    Outside a transaction the content would commit while its rows still wait, so it is refused.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("writes_deferred must run inside transaction.atomic")
    token = _pending.set({})
    try:
        yield
        flush_deferred()
    finally:
        _pending.reset(token)
