"""Words for a running import: how far it is, how fast it goes, and about how long is left."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

__all__ = ["progress_line"]

_STAGES = {"checking": "Checking the export", "importing": "Importing"}


def _duration(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 90:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 90 else f"{minutes / 60:.1f} h"


def progress_line(running: Mapping[str, Any], now: datetime) -> str:
    """Say where a running import stands from what its progress hook stored ('' if nothing yet).

    `running` is {stage, done, total, since}: the rate is counted from when the stage began.
    """
    stage, done, total = running.get("stage"), running.get("done"), running.get("total")
    if stage not in _STAGES or not isinstance(done, int):
        return ""
    words = f"{_STAGES[stage]}: {done:,}" + (f" of {total:,}" if total else "") + " activities"
    try:
        elapsed = (now - datetime.fromisoformat(str(running.get("since")))).total_seconds()
    except (TypeError, ValueError):
        return words
    if elapsed <= 0 or done <= 0:
        return words
    rate = done / elapsed
    words += f" · {rate:,.0f} a second"
    if total and total > done:
        words += f" · about {_duration((total - done) / rate)} left"
    return words
