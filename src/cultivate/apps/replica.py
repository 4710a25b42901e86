"""Mark the reads that may come from the read replica (config.routers sends them there).

Analytics and reports wrap their reads in `replica_reads()`; without a replica configured the
mark changes nothing. Writes never go to the replica, even inside the mark.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_on_replica: ContextVar[bool] = ContextVar("on_replica", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let the reads inside come from the replica (a few seconds behind the primary)."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def reading_from_replica() -> bool:
    """Say whether the current reads are marked for the replica."""
    return _on_replica.get()
