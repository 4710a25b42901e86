"""Render reports as one self-contained, offline HTML file, through Jinja2 templates.

Every piece of text in a report may come from people (community and member names, titles), so
the templates autoescape everything; the charts are SVG that `charts` escapes as it writes them.
Python here only shapes the values (`formatting`); the page's words and structure are in
`templates/`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from . import charts
from .formatting import (
    LEVEL_COLOURS,
    day_text,
    display_name,
    edges_of,
    hours_text,
    is_number,
    level_name,
    next_level,
    percent,
    series_of,
    value_text,
    warning_headline,
    when_text,
    window_text,
)
from .network import network_chart
from .report import Report, reading_sentences
from .svg import format_number, without_unholdable

MEMBERS_SHOWN_HTML = 50
_MEMBER_NUMBERS = ("contributions", "questions", "shares", "responses", "responses_received")


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("cultivate.core.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        # What XML cannot hold (control characters) is dropped before escaping, as in the charts.
        finalize=lambda value: value if isinstance(value, Markup) else without_unholdable(value),
    )


def _render(template: str, **context: Any) -> Markup:
    return Markup(_environment().get_template(template).render(**context))  # noqa: S704 - autoescaped


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "community"


def _badge(number: int) -> int:
    return number if number in LEVEL_COLOURS else 0


def _criteria(report: Report) -> list[dict[str, Any]]:
    gap = {(c.get("level"), c.get("name")) for c in report.level.get("gap", [])}
    rows = []
    for c in report.level.get("criteria", []):
        name = str(c.get("name", ""))
        rows.append(
            {
                "level": c.get("level", ""),
                "name": name,
                "in_gap": (c.get("level"), c.get("name")) in gap,
                "explanation": c.get("explanation", ""),
                "value": value_text(name, c.get("value")),
                "comparison": c.get("comparison", ">="),
                "threshold": value_text(name, c.get("threshold")),
                "held": bool(c.get("held")),
            }
        )
    return rows


def _gap(report: Report) -> dict[str, Any]:
    nxt = next_level(report)
    items = [
        {
            "name": c.get("name", ""),
            "value": value_text(str(c.get("name", "")), c.get("value")),
            "comparison": c.get("comparison", ">="),
            "threshold": value_text(str(c.get("name", "")), c.get("threshold")),
            "explanation": c.get("explanation", ""),
        }
        for c in report.level.get("gap", [])
    ]
    return {"next": nxt, "name": level_name(nxt) if nxt is not None else "", "needs": items}


def _ladder(report: Report) -> list[dict[str, Any]]:
    steps = []
    for s in report.steps:
        lit = bool(s.get("lit"))
        count = int(s.get("count_in_window", 0))
        when = f"{count} time{'s' * (count != 1)} in the window" if lit else "not in the window"
        steps.append(
            {
                "lit": lit,
                "number": s.get("number", ""),
                "name": s.get("name", ""),
                "when": when,
                "last": day_text(s.get("last_at")),
            }
        )
    return steps


def _cards(report: Report) -> list[tuple[str, str]]:
    m = report.metrics
    return [
        ("members", value_text("members", m.get("members"))),
        ("took part ever", value_text("members", m.get("took_part_ever"))),
        ("took part in 12 months", value_text("members", m.get("took_part_last_12_months"))),
        ("active members", value_text("active", m.get("active_members"))),
        ("interactive share", percent(m.get("interactive_share"))),
        ("questions", value_text("questions", m.get("questions"))),
        ("broadcasts", value_text("shares", m.get("shares"))),
        ("answered within 7 days", percent(m.get("answered_share"))),
        ("median time to first response", hours_text(m.get("median_hours_to_first_response"))),
        ("reciprocity", percent(m.get("reciprocity"))),
        ("retention", percent(m.get("retention"))),
        ("newcomers replied to", percent(m.get("newcomer_reply_rate"))),
    ]


def _charts(report: Report, prefix: str) -> list[Markup]:
    months = [str(p.get("month", "")) for p in report.series]
    name = report.community_name
    figures = [
        charts.bar_chart(
            months,
            {
                "questions": series_of(report, "questions"),
                "broadcasts": series_of(report, "shares"),
            },
            title=f"Questions and broadcasts per month, {name}",
            y_label="posts",
            chart_id=f"{prefix}-posts",
        ),
        charts.line_chart(
            months,
            {"median hours": series_of(report, "median_hours_to_first_response")},
            title=f"Median hours to first response, {name}",
            y_label="hours",
            chart_id=f"{prefix}-response",
        ),
        charts.line_chart(
            months,
            {"active members": series_of(report, "active_members")},
            title=f"Active members per month, {name}",
            y_label="people",
            chart_id=f"{prefix}-active",
        ),
        charts.step_chart(
            months,
            [int(p.get("level", 0)) for p in report.series],
            title=f"Maturity level over time, {name}",
            chart_id=f"{prefix}-level",
        ),
    ]
    return [Markup(figure) for figure in figures]  # noqa: S704 - charts escape what they write


def _health(report: Report) -> dict[str, Any]:
    rows = []
    for c in report.health.get("components", []):
        points = float(c.get("points", 0.0)) + 0.0  # never show "-0.0"
        weight = abs(float(c.get("weight", 0.0))) or 1.0
        rows.append(
            {
                "name": c.get("name", ""),
                "value": percent(c.get("value")),
                "weight": format_number(float(c.get("weight", 0.0)), 0),
                "points": f"{points:+.1f}",
                "negative": points < 0,
                "width": round(min(1.0, abs(points) / weight) * 120),
                "evidence": c.get("evidence", ""),
            }
        )
    return {"score": report.health.get("score", 0), "rows": rows}


def _members(report: Report) -> dict[str, Any]:
    shown = report.members[:MEMBERS_SHOWN_HTML]
    rows = [
        {
            "name": display_name(m),
            "role": m.get("role", ""),
            "persona": m.get("persona", ""),
            "numbers": [m.get(k, 0) for k in _MEMBER_NUMBERS],
        }
        for m in shown
    ]
    return {"rows": rows, "total": len(report.members), "more": len(report.members) - len(shown)}


def _risk(report: Report) -> dict[str, Any] | None:
    if not report.risk:
        return None
    risk = report.risk
    return {
        "headline": warning_headline(risk),
        "model": risk.get("model", "unknown"),
        "drivers": [d for d in risk.get("drivers") or [] if isinstance(d, str)],
    }


def _section(report: Report, anchor: str, depth: int) -> Markup:
    """Return one community's report as an HTML <section>; headings start at h`depth`."""
    number = int(report.level.get("number", 0))
    score = report.health.get("score", 0)
    network = network_chart(
        edges_of(report),
        title=f"Who helps whom, {report.community_name}",
        chart_id=f"{anchor}-network",
    )
    view = {
        "anchor": anchor,
        "h": f"h{depth}",
        "sub": f"h{depth + 1}",
        "name": report.community_name,
        "as_of": when_text(report.as_of),
        "window": window_text(report),
        "badge": _badge(number),
        "number": number,
        "level_name": report.level.get("name", level_name(number)),
        "score": score,
        "score_width": max(0, min(100, int(score))) if is_number(score) else 0,
        "risk": _risk(report),
        "criteria": _criteria(report),
        "gap": _gap(report),
        "ladder": _ladder(report),
        "cards": _cards(report),
        "charts": _charts(report, anchor),
        "network": Markup(network),  # noqa: S704 - charts escape what they write
        "health": _health(report),
        "members": _members(report),
        "advice": report.advice,
        "reading": reading_sentences(report.reading),
        "community": report.community,
        "source": report.source,
        "schema_version": report.schema_version,
    }
    return _render("section.html.j2", s=view)


def _document(title: str, body: Markup) -> str:
    return str(_render("document.html.j2", title=title, body=body)) + "\n"


def render_html(report: Report) -> str:
    """Return the report as one self-contained HTML file: inline CSS and SVG, nothing to fetch."""
    anchor = f"c-{_slug(report.community)}"
    return _document(
        f"{report.community_name}: community report",
        _section(report, anchor, depth=1),
    )


def _anchors(reports: Sequence[Report]) -> list[str]:
    return [f"c{i + 1}-{_slug(r.community)}" for i, r in enumerate(reports)]


def render_html_many(reports: Iterable[Report]) -> str:
    """Return several communities' reports in one HTML file, led by a summary that links to each."""
    listed = list(reports)
    anchors = _anchors(listed)
    rows = []
    for report, anchor in zip(listed, anchors, strict=True):
        number = int(report.level.get("number", 0))
        m = report.metrics
        rows.append(
            {
                "anchor": anchor,
                "name": report.community_name,
                "badge": _badge(number),
                "number": number,
                "level_name": report.level.get("name", ""),
                "score": report.health.get("score", 0),
                "active": value_text("active", m.get("active_members")),
                "members": value_text("members", m.get("members")),
                "answered": percent(m.get("answered_share")),
                "risk": percent((report.risk or {}).get("probability")),
                "as_of": day_text(report.as_of),
            }
        )
    summary = _render("summary.html.j2", rows=rows)
    sections = Markup("\n").join(
        _section(report, anchor, depth=2) for report, anchor in zip(listed, anchors, strict=True)
    )
    return _document("Community reports", summary + Markup("\n") + sections)
