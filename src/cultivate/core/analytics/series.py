"""Monthly series for charts: questions against broadcasts, response time, active members, level.

The series are computed by `batch.analyze_many` (for one community too); the month-by-month
reference the tests hold them to is `tests/core/analytics/reference_series.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class MonthPoint:
    month: str  # "2025-03"
    questions: int
    shares: int
    answers: int
    active_members: int
    median_hours_to_first_response: float | None
    level: int


def months_before(as_of: datetime, count: int) -> datetime:
    """Return the first day of the month `count` months before "as of"'s month."""
    year, month = as_of.year, as_of.month - count
    while month <= 0:
        year, month = year - 1, month + 12
    return datetime(year, month, 1, tzinfo=UTC)
