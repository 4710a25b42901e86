"""Words for a running import: how far it is, how fast it goes, and about how long is left."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

__all__ = ["progress_line"]

_STAGES = {"checking": gettext_lazy("Checking the export"), "importing": gettext_lazy("Importing")}


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
    counts = {"stage": _STAGES[stage], "done": f"{done:,}", "total": f"{total:,}" if total else ""}
    words = (
        _("%(stage)s: %(done)s of %(total)s activities")
        if total
        else _("%(stage)s: %(done)s activities")
    ) % counts
    try:
        elapsed = (now - datetime.fromisoformat(str(running.get("since")))).total_seconds()
    except (TypeError, ValueError):
        return words
    if elapsed <= 0 or done <= 0:
        return words
    rate = done / elapsed
    words += " · " + _("%(rate)s a second") % {"rate": f"{rate:,.0f}"}
    if total and total > done:
        words += " · " + _("about %(duration)s left") % {
            "duration": _duration((total - done) / rate)
        }
    return words
