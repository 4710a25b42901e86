"""What every connector shares: activity batches, source errors that name file and position.

A connector reads another platform's export and yields lists of Activities (batches), streaming,
so memory stays flat however large the export is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cultivate.core.activity import Activity

BATCH_SIZE = 5000

Batches = Iterator[list[Activity]]


class SourceError(ValueError):
    """An unreadable export; the message names the file, the position and what was expected."""

    def __init__(self, path: Path | str, where: str, expected: str) -> None:
        self.path = str(path)
        self.where = where
        self.expected = expected
        super().__init__(f"{self.path}: {where}: {expected}")


@dataclass(frozen=True, slots=True)
class Person:
    """Someone seen in an export: keyed per source, merged across sources by e-mail when known."""

    key: str  # e.g. "stackexchange:ai:user:17"
    name: str
    email: str | None = None


def batched(activities: Iterator[Activity], size: int = BATCH_SIZE) -> Batches:
    """Group a stream of activities into lists of at most `size`."""
    batch: list[Activity] = []
    for activity in activities:
        batch.append(activity)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
