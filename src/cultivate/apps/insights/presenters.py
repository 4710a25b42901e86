"""Turn a stored report (plain JSON data) into what the Health page shows: values and SVG charts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cultivate.apps.catalogue import READER
from cultivate.core.analytics.forecast import risk_level
from cultivate.core.analytics.maturity import LEVEL_NAMES
from cultivate.core.reports import charts, network
from cultivate.core.reports.formatting import RISK_LEVEL_WORDS, month_labels
from cultivate.core.reports.report import say_again, sentences_said
from cultivate.core.text import stored_text

from .models import HealthSnapshot

LEVELS = 3


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _svg(markup: str) -> SafeString:
    # charts.py and network.py escape every label they draw, so their SVG is safe to embed as is.
    return mark_safe(markup)


COMPARISONS = {">=": "≥", "<": "<"}


def _criteria(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **row,
            "value_shown": _number(row.get("value"), share=_is_share(row)),
            "threshold_shown": _number(row.get("threshold"), share=_is_share(row)),
            "comparison_shown": COMPARISONS.get(str(row.get("comparison")), row.get("comparison")),
        }
        for row in rows
    ]


def _is_share(row: dict[str, Any]) -> bool:
    return str(row.get("name", "")).endswith("share")


def _number(value: Any, *, share: bool = False) -> str:
    """Show shares as percentages, counts as integers and other ratios with two decimals,
    written the reader's way (0,33 in French)."""
    if share and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{formats.number_format(round(100 * value))}%"
    if isinstance(value, bool) or value is None:
        return "-" if value is None else str(int(value))
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return formats.number_format(int(value), force_grouping=True)
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=2)
    return str(value)


def network_edges(report: dict[str, Any]) -> list[tuple[str, str, int]]:
    """Return the report's who-helps-whom ties as (helper, helped, weight)."""
    return [
        (str(e["helper"]), str(e["helped"]), int(e["weight"])) for e in report.get("network") or []
    ]


def health_charts(
    report: dict[str, Any], layout: network.NetworkLayout | None = None
) -> dict[str, SafeString]:
    """Return the four monthly charts and the who-helps-whom picture, or none without data.

    The picture uses the snapshot's stored `layout` where it has one: laying it out is most of
    the page's work.
    """
    series = report.get("series") or []
    drawn: dict[str, SafeString] = {}
    if series:
        months = month_labels([str(p["month"]) for p in series], report.get("as_of"), READER)
        drawn["questions"] = _svg(
            charts.bar_chart(
                months,
                {
                    _("Questions"): [float(p["questions"]) for p in series],
                    _("Broadcasts (posts)"): [float(p["shares"]) for p in series],
                },
                title=_("Questions against broadcasts, by month"),
                translations=READER,
            )
        )
        drawn["response"] = _svg(
            charts.line_chart(
                months,
                {_("Median hours"): [p.get("median_hours_to_first_response") for p in series]},
                title=_("Median hours to the first response"),
                y_label=_("hours"),
                translations=READER,
            )
        )
        drawn["active"] = _svg(
            charts.line_chart(
                months,
                {_("Active members"): [float(p["active_members"]) for p in series]},
                title=_("Active members, by month"),
                y_label=_("people"),
                translations=READER,
            )
        )
        drawn["level"] = _svg(
            charts.step_chart(
                months,
                [int(p["level"]) for p in series],
                title=_("Level over time"),
                translations=READER,
            )
        )
    edges = network_edges(report)
    if edges:
        days = report.get("window_days") or 90
        drawn["network"] = _svg(
            network.network_chart(
                edges,
                title=_("Who helped whom in the last %(days)s days") % {"days": days},
                layout=layout,
                translations=READER,
            )
        )
    return drawn


def health_heading(snapshot: HealthSnapshot) -> dict[str, Any]:
    """Return what the page shows above the report: the day it reads and how far it looks back."""
    report: dict[str, Any] = snapshot.report
    return {
        "snapshot": snapshot,
        "as_of": _moment(report.get("as_of")) or snapshot.as_of,
        "window_days": report.get("window_days"),
    }


def health_page(snapshot: HealthSnapshot) -> dict[str, Any]:
    """Return the Health page's content from a snapshot's stored report."""
    report: dict[str, Any] = snapshot.report
    said = sentences_said(report.get("words"), READER)
    level = report.get("level") or {}  # English: a criterion's name says how to show its value
    number = int(level.get("number", snapshot.level))
    criteria = say_again(_criteria(level.get("criteria") or []), said)
    steps = [
        {**step, "last": _moment(step.get("last_at"))}
        for step in say_again(report.get("steps") or [], said)
    ]
    components = say_again(report.get("health", {}).get("components") or [], said)
    metrics = report.get("metrics") or {}
    return {
        "snapshot": snapshot,
        "report": report,
        "level_number": number,
        "level_name": say_again(level.get("name", ""), said),
        "next_level": number + 1 if number < LEVELS else None,
        "criteria": criteria,
        "gap": say_again(_criteria(level.get("gap") or []), said),
        "steps": steps,
        "lit_steps": sum(1 for s in steps if s.get("lit")),
        "health_score": report.get("health", {}).get("score", snapshot.health_score),
        "components": [
            {**c, "percent": round(100 * float(c.get("value") or 0))} for c in components
        ],
        "advice": say_again(report.get("advice") or [], said),
        "charts": health_charts(
            report, network.NetworkLayout.from_dict(snapshot.network_layout or {})
        ),
        "as_of": _moment(report.get("as_of")) or snapshot.as_of,
        "window_days": report.get("window_days"),
        "metrics": metrics,
        "risk": snapshot.risk,
        "risk_percent": round(100 * snapshot.risk) if snapshot.risk is not None else None,
        "warning": _warning(say_again(report.get("risk"), said)),
        "notes": _notes(level.get("criteria") or []),
    }


def _notes(criteria: list[dict[str, Any]]) -> list[str]:
    """Explain what would otherwise look like a contradiction between two criteria."""
    values = {str(c.get("name")): c.get("value") for c in criteria}
    notes = []
    if not values.get("distinct askers") and values.get("distinct responders"):
        notes.append(
            _(
                "People answered in the window but nobody asked: the answers went to questions "
                "asked before it."
            )
        )
    return notes


def _warning(risk: Any) -> dict[str, Any] | None:
    """Return the early warning's words for the page: level, interval, decline, drivers."""
    if not isinstance(risk, dict):
        return None
    interval = risk.get("interval")
    decline = risk.get("decline_probability")
    return {
        "level": _risk_words(risk.get("level")),
        "interval": [round(100 * float(v)) for v in interval] if interval else None,
        "decline_percent": round(100 * float(decline)) if decline is not None else None,
        "already_declined": bool(risk.get("already_declined")),
        "drivers": [d for d in risk.get("drivers") or [] if isinstance(d, str)],
        "model": risk.get("model"),
    }


HEALTH_POOR = 40
HEALTH_GOOD = 70
"""The Portfolio colours health below 40 as poor and from 70 as good; risk as the early warning
names it (high from 50%, moderate from 25%)."""


HEALTH_BANDS = {
    "poor": gettext_noop("poor"),
    "fair": gettext_noop("fair"),
    "good": gettext_noop("good"),
}


def _risk_words(level: Any) -> str:
    """An early-warning level in the reader's language ('silent' for a silent community)."""
    if level == "silent":
        return LEVEL_NAMES[0].in_language(READER)
    words = RISK_LEVEL_WORDS.get(str(level))
    return words.in_language(READER) if words is not None else str(level or "")


def risk_band(risk: float | None) -> str:
    return "" if risk is None else risk_level(risk)


def health_band(score: int | None) -> str:
    if score is None:
        return ""
    return "poor" if score < HEALTH_POOR else "good" if score >= HEALTH_GOOD else "fair"


def portfolio_rows(communities: Iterable[Any]) -> list[Any]:
    """Add what a Portfolio row shows besides the figures: the level's name, the bands the
    risk and health fall in, and the snapshot's one-line reason, in the reader's language."""
    rows = list(communities)
    for row in rows:
        name = LEVEL_NAMES.get(row.level) if row.level is not None else None
        row.level_name = name.in_language(READER) if name is not None else ""
        row.risk_band = "silent" if row.level == 0 else risk_band(row.risk)
        row.health_band = health_band(row.health)
        row.health_band_name = _(HEALTH_BANDS[row.health_band]) if row.health_band else ""
        row.risk_band_name = _risk_words(row.risk_band) if row.risk_band else ""
        reason = stored_text(row.reason)
        row.reason_text = reason.in_language(READER) if reason is not None else ""
    return rows
