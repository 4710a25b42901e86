"""How a report's values read for people, the same in the terminal and in HTML.

Shares as percentages, hours or days, ISO times in UTC, "n/a" for what is not a number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeGuard

from cultivate.core.analytics.maturity import LEVEL_NAMES
from cultivate.core.text import Translations, _

from .report import Report
from .svg import format_number

LEVEL_COLOURS = {0: "#595959", 1: "#005a8c", 2: "#006b4f", 3: "#7a3370"}
"""Badge backgrounds; each gives white text a contrast above 7:1."""


def percent(value: Any) -> str:
    return "n/a" if not is_number(value) else f"{float(value):.0%}"


def is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def value_text(name: str, value: Any) -> str:
    """Return a criterion's or metric's value for people: shares as percentages."""
    if not is_number(value):
        return "n/a"
    words = set(re.split(r"[ _]", name))
    if words & {"share", "rate", "retention", "reciprocity"}:
        return percent(value)
    return format_number(float(value))


def hours_text(value: Any, tr: Translations | None = None) -> str:
    if not is_number(value):
        return "n/a"
    hours = float(value)
    if hours < 48:
        return _("%(hours)s h", hours=format_number(hours, 1)).in_language(tr)
    return _("%(days)s days", days=format_number(hours / 24, 1)).in_language(tr)


def when_text(value: Any, tr: Translations | None = None) -> str:
    """Return an ISO time as "2025-04-01 00:00 UTC" (or "never")."""
    if not value:
        return _("never").in_language(tr)
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return f"{moment:%Y-%m-%d %H:%M}"
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def day_text(value: Any, tr: Translations | None = None) -> str:
    return when_text(value)[:10] if value else _("never").in_language(tr)


def window_text(report: Report, tr: Translations | None = None) -> str:
    window = report.metrics.get("window") or {}
    start, end = window.get("start"), window.get("end") or report.as_of
    days = window.get("days", report.window_days)
    if not start:
        return _("%(days)s days", days=days).in_language(tr)
    return _(
        "%(days)s days, %(start)s to %(end)s", days=days, start=day_text(start), end=day_text(end)
    ).in_language(tr)


def next_level(report: Report) -> int | None:
    number = int(report.level.get("number", 0))
    return number + 1 if number < 3 else None


def level_name(number: int, tr: Translations | None = None) -> str:
    name = LEVEL_NAMES.get(number)
    return name.in_language(tr) if name is not None else ""


def month_labels(months: list[str], as_of: Any, tr: Translations | None = None) -> list[str]:
    """Label each month 'YYYY-MM'; the month "as of" falls in is marked as partial unless the
    report reads its last day, so a month half over never looks like a collapse."""
    try:
        moment = datetime.fromisoformat(str(as_of)) if as_of else None
    except ValueError:
        moment = None
    if not months or moment is None or months[-1] != f"{moment:%Y-%m}":
        return list(months)
    if (moment + timedelta(minutes=1)).month == moment.month:  # not the month's last minute
        partial = _("%(month)s (so far)", month=months[-1]).in_language(tr)
        return [*months[:-1], partial]
    return list(months)


def series_of(report: Report, key: str) -> list[float | None]:
    values: list[float | None] = []
    for point in report.series:
        value = point.get(key)
        values.append(float(value) if is_number(value) else None)
    return values


def edges_of(report: Report) -> list[tuple[str, str, int]]:
    return [
        (str(e.get("helper", "")), str(e.get("helped", "")), int(e.get("weight", 0)))
        for e in report.network
    ]


_ROLE_WORDS = {
    "core": _("core"),
    "active": _("active"),
    "peripheral": _("peripheral"),
    "observer": _("observer"),
    "engager": _("engager"),
    "catalyst": _("catalyst"),
    "responder": _("responder"),
    "broadcaster": _("broadcaster"),
}
"""Member roles and personas (`analytics.roles`), as the report stores them (English words)."""


def role_text(value: Any, tr: Translations | None = None) -> str:
    """A member's role or persona in the reader's language (unknown words as they are)."""
    word = _ROLE_WORDS.get(str(value))
    return word.in_language(tr) if word is not None else str(value or "")


def display_name(member: Mapping[str, Any]) -> str:
    return str(member.get("name") or member.get("actor") or "")


RISK_LEVEL_WORDS = {"low": _("low"), "moderate": _("moderate"), "high": _("high")}
"""The early warning's levels (`forecast.risk_level`) in words, for every page that names one."""


def warning_headline(risk: Mapping[str, Any], tr: Translations | None = None) -> str:
    """Say the early warning in one line: level, chance of silence with its interval, decline."""
    probability = risk.get("probability")
    interval = risk.get("interval")
    spread = (
        " "
        + _(
            "(%(low)s to %(high)s)", low=percent(interval[0]), high=percent(interval[1])
        ).in_language(tr)
        if isinstance(interval, list) and len(interval) == 2
        else ""
    )
    level = risk.get("level")
    said_level = RISK_LEVEL_WORDS.get(str(level))
    head = (
        _("Early warning: %(level)s risk.", level=said_level or str(level)).in_language(tr) + " "
        if level
        else _("Early warning:").in_language(tr) + " "
    )
    text = head + _(
        "%(chance)s%(spread)s chance of going silent within %(days)s days",
        chance=percent(probability),
        spread=spread,
        days=risk.get("horizon_days", 90),
    ).in_language(tr)
    decline = risk.get("decline_probability")
    if is_number(decline):
        text += "; " + _(
            "%(chance)s chance contributions halve", chance=percent(decline)
        ).in_language(tr)
    if risk.get("already_declined"):
        text += "; " + _("contributions already halved within a quarter").in_language(tr)
    return text + "."
