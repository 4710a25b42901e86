"""How a report's values read for people, the same in the terminal and in HTML.

Shares as percentages, hours or days, ISO times in UTC, "n/a" for what is not a number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypeGuard

from cultivate.core.analytics.maturity import LEVEL_NAMES

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


def hours_text(value: Any) -> str:
    if not is_number(value):
        return "n/a"
    hours = float(value)
    return f"{format_number(hours, 1)} h" if hours < 48 else f"{format_number(hours / 24, 1)} days"


def when_text(value: Any) -> str:
    """Return an ISO time as "2025-04-01 00:00 UTC" (or "never")."""
    if not value:
        return "never"
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return f"{moment:%Y-%m-%d %H:%M}"
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def day_text(value: Any) -> str:
    return when_text(value)[:10] if value else "never"


def window_text(report: Report) -> str:
    window = report.metrics.get("window") or {}
    start, end = window.get("start"), window.get("end") or report.as_of
    days = window.get("days", report.window_days)
    return f"{days} days, {day_text(start)} to {day_text(end)}" if start else f"{days} days"


def next_level(report: Report) -> int | None:
    number = int(report.level.get("number", 0))
    return number + 1 if number < 3 else None


def level_name(number: int) -> str:
    return LEVEL_NAMES.get(number, "")


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


def display_name(member: Mapping[str, Any]) -> str:
    return str(member.get("name") or member.get("actor") or "")


def warning_headline(risk: Mapping[str, Any]) -> str:
    """Say the early warning in one line: level, chance of silence with its interval, decline."""
    probability = risk.get("probability")
    interval = risk.get("interval")
    spread = (
        f" ({percent(interval[0])} to {percent(interval[1])})"
        if isinstance(interval, list) and len(interval) == 2
        else ""
    )
    level = risk.get("level")
    head = f"Early warning: {level} risk. " if level else "Early warning: "
    text = (
        f"{head}{percent(probability)}{spread} chance of going silent within "
        f"{risk.get('horizon_days', 90)} days"
    )
    decline = risk.get("decline_probability")
    if is_number(decline):
        text += f"; {percent(decline)} chance contributions halve"
    if risk.get("already_declined"):
        text += "; contributions already halved within a quarter"
    return text + "."
