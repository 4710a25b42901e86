"""Render a Report as JSON, in a terminal (rich) and as one self-contained, offline HTML file.

Every piece of text in a report may come from people (community and member names, titles), so the
HTML escapes all of it and the terminal never reads it as rich markup.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeGuard

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cultivate.core.analytics.maturity import LEVEL_NAMES

from . import charts
from .charts import esc, format_number, sparkline
from .report import Report, reading_sentences

LEVEL_COLOURS = {0: "#595959", 1: "#005a8c", 2: "#006b4f", 3: "#7a3370"}
"""Badge backgrounds; each gives white text a contrast above 7:1."""
MEMBERS_SHOWN_HTML = 50
MEMBERS_SHOWN_TERMINAL = 10


# --- JSON ----------------------------------------------------------------------------------------


def _non_finite(value: Any, path: str = "report") -> str | None:
    """Return the path of the first NaN or infinity in a JSON-ready value, if any."""
    if isinstance(value, float) and not math.isfinite(value):
        return path
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = _non_finite(item, f"{path}.{key}")
            if found:
                return found
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            found = _non_finite(item, f"{path}[{i}]")
            if found:
                return found
    return None


def to_json(report: Report, *, indent: int | None = 2) -> str:
    """Return the report as JSON with sorted keys (stable diffs); raise ValueError on NaN."""
    data = report.to_dict()
    bad = _non_finite(data)
    if bad:
        raise ValueError(f"{bad} is not a finite number; JSON cannot hold it")
    return json.dumps(data, indent=indent, sort_keys=True, allow_nan=False, ensure_ascii=False)


# --- shared formatting ---------------------------------------------------------------------------


def _percent(value: Any) -> str:
    return "n/a" if not _is_number(value) else f"{float(value):.0%}"


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _value(name: str, value: Any) -> str:
    """Return a criterion's or metric's value for people: shares as percentages."""
    if not _is_number(value):
        return "n/a"
    words = set(re.split(r"[ _]", name))
    if words & {"share", "rate", "retention", "reciprocity"}:
        return _percent(value)
    return format_number(float(value))


def _hours(value: Any) -> str:
    if not _is_number(value):
        return "n/a"
    hours = float(value)
    return f"{format_number(hours, 1)} h" if hours < 48 else f"{format_number(hours / 24, 1)} days"


def _when(value: Any) -> str:
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


def _day(value: Any) -> str:
    return _when(value)[:10] if value else "never"


def _window(report: Report) -> str:
    window = report.metrics.get("window") or {}
    start, end = window.get("start"), window.get("end") or report.as_of
    days = window.get("days", report.window_days)
    return f"{days} days, {_day(start)} to {_day(end)}" if start else f"{days} days"


def _next_level(report: Report) -> int | None:
    number = int(report.level.get("number", 0))
    return number + 1 if number < 3 else None


def _level_name(number: int) -> str:
    return LEVEL_NAMES.get(number, "")


def _series(report: Report, key: str) -> list[float | None]:
    values: list[float | None] = []
    for point in report.series:
        value = point.get(key)
        values.append(float(value) if _is_number(value) else None)
    return values


def _edges(report: Report) -> list[tuple[str, str, int]]:
    return [
        (str(e.get("helper", "")), str(e.get("helped", "")), int(e.get("weight", 0)))
        for e in report.network
    ]


def _display_name(member: Mapping[str, Any]) -> str:
    return str(member.get("name") or member.get("actor") or "")


KEY_SERIES = (
    ("questions", "questions", "questions"),
    ("shares", "broadcasts (shares)", "shares"),
    ("answers", "answers", None),
    ("active_members", "active members", "active_members"),
    ("median_hours_to_first_response", "median hours to first response", None),
    ("level", "maturity level", None),
)
"""(series key, label, matching window metric) for the key-metrics sparklines."""


# --- terminal ------------------------------------------------------------------------------------


def _badge(report: Report) -> Text:
    number = int(report.level.get("number", 0))
    colour = LEVEL_COLOURS.get(number, LEVEL_COLOURS[0])
    return Text(
        f" Level {number} · {report.level.get('name', _level_name(number))} ",
        style=f"bold white on {colour}",
    )


def _criteria_table(report: Report) -> Table:
    gap = {(c.get("level"), c.get("name")) for c in report.level.get("gap", [])}
    table = Table(title="Evidence: each criterion of the maturity model", title_justify="left")
    table.add_column("Level", justify="right")
    table.add_column("Criterion")
    table.add_column("Value", justify="right")
    table.add_column("Threshold", justify="right")
    table.add_column("Held", justify="center")
    for c in report.level.get("criteria", []):
        name = str(c.get("name", ""))
        held = bool(c.get("held"))
        in_gap = (c.get("level"), c.get("name")) in gap
        table.add_row(
            Text(str(c.get("level", ""))),
            Text(name + ("  ← gap to the next level" if in_gap else "")),
            Text(_value(name, c.get("value"))),
            Text(f"{c.get('comparison', '>=')} {_value(name, c.get('threshold'))}"),
            Text("✓", style="green") if held else Text("✗", style="red"),
            style="bold yellow" if in_gap else None,
        )
    return table


def _health_table(report: Report) -> Table:
    table = Table(
        title=f"Health {report.health.get('score', 0)}/100: what each part contributed",
        title_justify="left",
    )
    table.add_column("Component")
    table.add_column("Value", justify="right")
    table.add_column("Weight", justify="right")
    table.add_column("Points", justify="right")
    table.add_column("Evidence")
    for c in report.health.get("components", []):
        points = float(c.get("points", 0.0)) + 0.0  # never show "-0.0"
        table.add_row(
            Text(str(c.get("name", ""))),
            Text(_percent(c.get("value"))),
            Text(format_number(float(c.get("weight", 0.0)), 0)),
            Text(f"{points:+.1f}", style="red" if points < 0 else ""),
            Text(str(c.get("evidence", ""))),
        )
    return table


def _steps_table(report: Report) -> Table:
    table = Table(title="The relationship ladder", title_justify="left")
    table.add_column("Step", justify="right")
    table.add_column("")
    table.add_column("In the window", justify="right")
    table.add_column("Last happened")
    for s in report.steps:
        lit = bool(s.get("lit"))
        table.add_row(
            Text(str(s.get("number", ""))),
            Text(("● " if lit else "○ ") + str(s.get("name", "")), style="bold" if lit else "dim"),
            Text(str(s.get("count_in_window", 0))),
            Text(_day(s.get("last_at"))),
        )
    return table


def _metrics_table(report: Report) -> Table:
    months = [str(p.get("month", "")) for p in report.series]
    span = f"{months[0]} to {months[-1]}" if months else "no months"
    table = Table(title=f"Key metrics by month ({span})", title_justify="left")
    table.add_column("Metric")
    table.add_column("By month")
    table.add_column("Latest month", justify="right")
    table.add_column("In the window", justify="right")
    for key, label, metric in KEY_SERIES:
        values = _series(report, key)
        latest = next((v for v in reversed(values) if v is not None), None)
        shown = _hours(latest) if "hours" in key else _value(key, latest)
        window_value = report.metrics.get(metric) if metric else None
        if key == "median_hours_to_first_response":
            window_value_text = _hours(report.metrics.get(key))
        elif key == "level":
            window_value_text = str(report.level.get("number", ""))
        else:
            window_value_text = _value(key, window_value) if metric else ""
        table.add_row(
            Text(label),
            Text(sparkline(values), style="cyan"),
            Text(shown),
            Text(window_value_text),
        )
    m = report.metrics
    for label, key in (
        ("people who ever took part", "took_part_ever"),
        ("people who took part in 12 months", "took_part_last_12_months"),
        ("interactive share", "interactive_share"),
        ("answered share", "answered_share"),
        ("reciprocity", "reciprocity"),
        ("retention", "retention"),
    ):
        table.add_row(Text(label), Text(""), Text(""), Text(_value(key, m.get(key))))
    return table


def _members_table(report: Report) -> Table:
    shown = report.members[:MEMBERS_SHOWN_TERMINAL]
    more = len(report.members) - len(shown)
    table = Table(
        title=f"Top members ({len(shown)} of {len(report.members)})", title_justify="left"
    )
    table.add_column("Member")
    table.add_column("Role")
    table.add_column("Persona")
    table.add_column("Contributions", justify="right")
    table.add_column("Questions", justify="right")
    table.add_column("Responses", justify="right")
    table.add_column("Helped by others", justify="right")
    for m in shown:
        table.add_row(
            Text(_display_name(m)),
            Text(str(m.get("role", ""))),
            Text(str(m.get("persona", ""))),
            Text(str(m.get("contributions", 0))),
            Text(str(m.get("questions", 0))),
            Text(str(m.get("responses", 0))),
            Text(str(m.get("responses_received", 0))),
        )
    if more > 0:
        table.caption = f"and {more} more"
    return table


def _header(report: Report) -> Panel:
    score = report.health.get("score", 0)
    line = Text.assemble(
        _badge(report),
        "   ",
        (f"Health {score}/100", "bold"),
    )
    lines: list[Text] = [line, Text(f"As of {_when(report.as_of)} · window {_window(report)}")]
    nxt = _next_level(report)
    gap = report.level.get("gap", [])
    if nxt is None:
        lines.append(Text("The highest level: keep the habits that got the community here."))
    elif gap:
        lines.append(
            Text(
                f"To reach level {nxt} ({_level_name(nxt)}): "
                + "; ".join(
                    f"{c.get('name')} is {_value(str(c.get('name')), c.get('value'))}, needs "
                    f"{c.get('comparison', '>=')} {_value(str(c.get('name')), c.get('threshold'))}"
                    for c in gap
                )
            )
        )
    if report.risk:
        alarming = report.risk.get("level") == "high"
        lines.append(Text(warning_headline(report.risk), style="bold red" if alarming else ""))
        for driver in report.risk.get("drivers") or []:
            lines.append(Text(f"  · {driver}", style="dim"))
    return Panel(Group(*lines), title=Text(report.community_name), title_align="left")


def _advice(report: Report) -> Group:
    lines: list[Text] = [Text("What to do next", style="bold underline")]
    if not report.advice:
        lines.append(Text("No advice: nothing stands between this community and its next step."))
    for i, item in enumerate(report.advice, start=1):
        lines.append(Text.assemble((f"{i}. ", "bold"), (str(item.get("action", "")), "bold")))
        lines.append(Text(f"   Why: {item.get('evidence', '')}", style="dim"))
    return Group(*lines)


def render_terminal(report: Report, console: Console | None = None) -> None:
    """Print the report to a terminal: level and health, evidence, ladder, trends, advice."""
    console = console or Console()
    console.print(_header(report))
    console.print(_criteria_table(report))
    console.print(_health_table(report))
    console.print(_steps_table(report))
    console.print(_metrics_table(report))
    console.print(_members_table(report))
    if report.network:
        ties = sorted(report.network, key=lambda e: -int(e.get("weight", 0)))[:5]
        console.print(
            Text(
                "Strongest helping ties: "
                + "; ".join(
                    f"{e.get('helper')} → {e.get('helped')} ({e.get('weight')})" for e in ties
                )
            )
        )
    console.print(_advice(report))
    notes = reading_sentences(report.reading)
    if notes:
        console.print(Text("Reading the export", style="bold underline"))
        for note in notes:
            console.print(Text(f"- {note}", style="dim"))


# --- HTML ----------------------------------------------------------------------------------------

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f4f1; color: #1a1a1a;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 16px 48px; }
section.report, section.summary { background: #fff; border: 1px solid #d6d6d0;
  border-radius: 8px; padding: 24px; margin: 0 0 32px; }
h1, h2, h3, h4 { line-height: 1.25; margin: 1.2em 0 0.4em; }
h1:first-child, h2:first-child { margin-top: 0; }
a { color: #005a8c; }
.muted { color: #555; }
.small { font-size: 0.875rem; }
.badge { display: inline-block; padding: 3px 12px; border-radius: 999px; color: #fff;
  font-weight: 600; white-space: nowrap; }
.level-0 { background: #595959; } .level-1 { background: #005a8c; }
.level-2 { background: #006b4f; } .level-3 { background: #7a3370; }
.headline { display: flex; flex-wrap: wrap; gap: 24px; align-items: center; }
.score { font-size: 2.25rem; font-weight: 700; line-height: 1; }
.meter { display: block; height: 10px; width: 200px; background: #e4e4e4; border-radius: 5px;
  overflow: hidden; margin-top: 6px; }
.meter > span { display: block; height: 100%; background: #0072b2; }
.risk { border-left: 4px solid #a33b00; padding: 4px 12px; background: #fff4ec; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e3e3;
  vertical-align: top; }
th { background: #f7f7f5; font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.gap td { background: #fff3cd; }
.held { color: #006b4f; font-weight: 600; } .missed { color: #a33b00; font-weight: 600; }
.bar { display: inline-block; height: 8px; background: #0072b2; vertical-align: middle; }
.bar.negative { background: #d55e00; }
ol.ladder { list-style: none; padding: 0; margin: 8px 0 16px; display: flex;
  flex-direction: column-reverse; gap: 4px; }
ol.ladder li { padding: 6px 10px; border: 1px solid #d6d6d0; border-radius: 6px; }
ol.ladder li.lit { border-color: #006b4f; background: #e8f5ef; }
ol.ladder .mark { font-weight: 700; margin-right: 6px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px;
  margin: 8px 0 16px; }
.card { border: 1px solid #e3e3e3; border-radius: 6px; padding: 10px 12px; }
.card .value { display: block; font-size: 1.35rem; font-weight: 700; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 640px), 1fr));
  gap: 16px; }
figure { margin: 0; }
figure svg { display: block; max-width: 100%; height: auto; border: 1px solid #ececec; }
ol.advice li { margin-bottom: 10px; }
ol.advice .evidence { display: block; color: #555; }
footer { margin-top: 24px; font-size: 0.875rem; color: #555; }
@media print { body { background: #fff; } section.report { border: 0; padding: 0;
  break-after: page; } .charts { display: block; } figure { break-inside: avoid; } }
"""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "community"


def _criteria_html(report: Report) -> str:
    gap = {(c.get("level"), c.get("name")) for c in report.level.get("gap", [])}
    rows = []
    for c in report.level.get("criteria", []):
        name = str(c.get("name", ""))
        held = bool(c.get("held"))
        in_gap = (c.get("level"), c.get("name")) in gap
        verdict = (
            '<span class="held">✓ held</span>' if held else '<span class="missed">✗ not held</span>'
        )
        rows.append(
            ('<tr class="gap">' if in_gap else "<tr>")
            + f'<td class="num">{esc(c.get("level", ""))}</td>'
            f"<td>{esc(name)}"
            f"{' <strong>(gap)</strong>' if in_gap else ''}"
            f'<br><span class="muted small">{esc(c.get("explanation", ""))}</span></td>'
            f'<td class="num">{esc(_value(name, c.get("value")))}</td>'
            f'<td class="num">{esc(c.get("comparison", ">="))} '
            f"{esc(_value(name, c.get('threshold')))}</td>"
            f"<td>{verdict}</td></tr>"
        )
    return (
        "<table><caption>Every criterion, its value, its threshold and whether it held"
        '</caption><thead><tr><th class="num">Level</th><th>Criterion</th>'
        '<th class="num">Value</th><th class="num">Threshold</th><th>Verdict</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _gap_html(report: Report) -> str:
    nxt = _next_level(report)
    if nxt is None:
        return "<p>This is the highest level: keep the habits that got the community here.</p>"
    gap = report.level.get("gap", [])
    if not gap:
        return f"<p>Nothing is missing for level {nxt}.</p>"
    items = "".join(
        f"<li><strong>{esc(c.get('name', ''))}</strong> is "
        f"{esc(_value(str(c.get('name', '')), c.get('value')))}; it needs "
        f"{esc(c.get('comparison', '>='))} "
        f"{esc(_value(str(c.get('name', '')), c.get('threshold')))} "
        f'<span class="muted">({esc(c.get("explanation", ""))})</span></li>'
        for c in gap
    )
    return (
        f"<p>To reach level {nxt}, <em>{esc(_level_name(nxt))}</em>, the community needs:</p>"
        f"<ul>{items}</ul>"
    )


def _ladder_html(report: Report) -> str:
    items = []
    for s in report.steps:
        lit = bool(s.get("lit"))
        count = int(s.get("count_in_window", 0))
        when = f"{count} time{'s' * (count != 1)} in the window" if lit else "not in the window"
        items.append(
            f'<li class="{"lit" if lit else "unlit"}"><span class="mark" aria-hidden="true">'
            f"{'●' if lit else '○'}</span><strong>{esc(s.get('number', ''))}. "
            f"{esc(s.get('name', ''))}</strong>: {esc(when)}; last "
            f"{esc(_day(s.get('last_at')))}</li>"
        )
    return (
        '<ol class="ladder" aria-label="The six relationship steps, the first at the bottom">'
        f"{''.join(items)}</ol>"
    )


def _cards_html(report: Report) -> str:
    m = report.metrics
    cards = [
        ("members", _value("members", m.get("members"))),
        ("took part ever", _value("members", m.get("took_part_ever"))),
        ("took part in 12 months", _value("members", m.get("took_part_last_12_months"))),
        ("active members", _value("active", m.get("active_members"))),
        ("interactive share", _percent(m.get("interactive_share"))),
        ("questions", _value("questions", m.get("questions"))),
        ("broadcasts", _value("shares", m.get("shares"))),
        ("answered within 7 days", _percent(m.get("answered_share"))),
        ("median time to first response", _hours(m.get("median_hours_to_first_response"))),
        ("reciprocity", _percent(m.get("reciprocity"))),
        ("retention", _percent(m.get("retention"))),
        ("newcomers replied to", _percent(m.get("newcomer_reply_rate"))),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><span class="value">{esc(v)}</span>'
            f'<span class="muted small">{esc(k)}</span></div>'
            for k, v in cards
        )
        + "</div>"
    )


def _charts_html(report: Report, prefix: str) -> str:
    months = [str(p.get("month", "")) for p in report.series]
    name = report.community_name
    figures = [
        charts.bar_chart(
            months,
            {"questions": _series(report, "questions"), "broadcasts": _series(report, "shares")},
            title=f"Questions and broadcasts per month, {name}",
            y_label="posts",
            chart_id=f"{prefix}-posts",
        ),
        charts.line_chart(
            months,
            {"median hours": _series(report, "median_hours_to_first_response")},
            title=f"Median hours to first response, {name}",
            y_label="hours",
            chart_id=f"{prefix}-response",
        ),
        charts.line_chart(
            months,
            {"active members": _series(report, "active_members")},
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
    return '<div class="charts">' + "".join(f"<figure>{f}</figure>" for f in figures) + "</div>"


def _health_html(report: Report) -> str:
    rows = []
    for c in report.health.get("components", []):
        points = float(c.get("points", 0.0)) + 0.0  # never show "-0.0"
        weight = abs(float(c.get("weight", 0.0))) or 1.0
        width = round(min(1.0, abs(points) / weight) * 120)
        rows.append(
            f"<tr><td>{esc(c.get('name', ''))}</td>"
            f'<td class="num">{esc(_percent(c.get("value")))}</td>'
            f'<td class="num">{esc(format_number(float(c.get("weight", 0.0)), 0))}</td>'
            f'<td class="num">{points:+.1f} <span class="bar{" negative" if points < 0 else ""}"'
            f' style="width:{width}px" aria-hidden="true"></span></td>'
            f"<td>{esc(c.get('evidence', ''))}</td></tr>"
        )
    return (
        f"<table><caption>Health {esc(report.health.get('score', 0))} of 100: each "
        "component's points (value times weight)</caption><thead><tr><th>Component</th>"
        '<th class="num">Value</th><th class="num">Weight</th><th class="num">Points</th>'
        f"<th>Evidence</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _members_html(report: Report) -> str:
    shown = report.members[:MEMBERS_SHOWN_HTML]
    more = len(report.members) - len(shown)
    rows = "".join(
        f"<tr><td>{esc(_display_name(m))}</td><td>{esc(m.get('role', ''))}</td>"
        f"<td>{esc(m.get('persona', ''))}</td>"
        + "".join(
            f'<td class="num">{esc(m.get(k, 0))}</td>'
            for k in ("contributions", "questions", "shares", "responses", "responses_received")
        )
        + "</tr>"
        for m in shown
    )
    note = f'<p class="muted small">and {more} more members.</p>' if more > 0 else ""
    if not shown:
        return '<p class="muted">No members yet.</p>'
    return (
        f"<table><caption>Members, busiest first ({len(shown)} of {len(report.members)})"
        "</caption><thead><tr><th>Member</th><th>Role</th><th>Persona</th>"
        '<th class="num">Contributions</th><th class="num">Questions</th>'
        '<th class="num">Posts</th><th class="num">Responses</th>'
        f'<th class="num">Helped by others</th></tr></thead><tbody>{rows}</tbody></table>{note}'
    )


def _advice_html(report: Report) -> str:
    if not report.advice:
        return "<p>No advice: nothing stands between this community and its next step.</p>"
    items = "".join(
        f"<li><strong>{esc(a.get('action', ''))}</strong>"
        f'<span class="evidence">Why: {esc(a.get("evidence", ""))}</span></li>'
        for a in report.advice
    )
    return f'<ol class="advice">{items}</ol>'


def warning_headline(risk: Mapping[str, Any]) -> str:
    """Say the early warning in one line: level, chance of silence with its interval, decline."""
    probability = risk.get("probability")
    interval = risk.get("interval")
    spread = (
        f" ({_percent(interval[0])} to {_percent(interval[1])})"
        if isinstance(interval, list) and len(interval) == 2
        else ""
    )
    level = risk.get("level")
    head = f"Early warning: {level} risk. " if level else "Early warning: "
    text = (
        f"{head}{_percent(probability)}{spread} chance of going silent within "
        f"{risk.get('horizon_days', 90)} days"
    )
    decline = risk.get("decline_probability")
    if _is_number(decline):
        text += f"; {_percent(decline)} chance contributions halve"
    if risk.get("already_declined"):
        text += "; contributions already halved within a quarter"
    return text + "."


def _risk_html(report: Report) -> str:
    if not report.risk:
        return ""
    risk = report.risk
    drivers = [d for d in risk.get("drivers") or [] if isinstance(d, str)]
    listed = "<ul>" + "".join(f"<li>{esc(d)}</li>" for d in drivers) + "</ul>" if drivers else ""
    return (
        f'<div class="risk"><p><strong>{esc(warning_headline(risk))}</strong> '
        f'<span class="muted small">(by: {esc(risk.get("model", "unknown"))})</span></p>'
        f"{listed}</div>"
    )


def _reading_html(report: Report, heading: str) -> str:
    notes = reading_sentences(report.reading)
    if not notes:
        return ""
    items = "".join(f"<li>{esc(note)}</li>" for note in notes)
    return f'<{heading}>Reading the export</{heading}><ul class="muted small">{items}</ul>'


def _section(report: Report, anchor: str, depth: int) -> str:
    """Return one community's report as an HTML <section>; headings start at h`depth`."""
    h, sub = f"h{depth}", f"h{depth + 1}"
    number = int(report.level.get("number", 0))
    score = report.health.get("score", 0)
    score_width = max(0, min(100, int(score))) if _is_number(score) else 0
    network = charts.network_chart(
        _edges(report),
        title=f"Who helps whom, {report.community_name}",
        chart_id=f"{anchor}-network",
    )
    return f"""<section class="report" id="{esc(anchor)}" aria-labelledby="{esc(anchor)}-name">
<{h} id="{esc(anchor)}-name">{esc(report.community_name)}</{h}>
<p class="muted">As of {esc(_when(report.as_of))} · window {esc(_window(report))}</p>
<div class="headline">
<div><span class="badge level-{number if number in LEVEL_COLOURS else 0}">Level {number}:
{esc(report.level.get("name", _level_name(number)))}</span></div>
<div><span class="score">{esc(score)}</span> <span class="muted">/ 100 health</span>
<span class="meter" role="img" aria-label="health {esc(score)} of 100"><span
style="width:{score_width}%"></span></span></div>
</div>
{_risk_html(report)}
<{sub}>Why this level</{sub}>
{_criteria_html(report)}
<{sub}>The gap to the next level</{sub}>
{_gap_html(report)}
<{sub}>The relationship ladder</{sub}>
{_ladder_html(report)}
<{sub}>Key numbers in the window</{sub}>
{_cards_html(report)}
<{sub}>Trends by month</{sub}>
{_charts_html(report, anchor)}
<{sub}>Who helps whom</{sub}>
<figure>{network}</figure>
<{sub}>Health</{sub}>
{_health_html(report)}
<{sub}>Members</{sub}>
{_members_html(report)}
<{sub}>What to do next</{sub}>
{_advice_html(report)}
{_reading_html(report, sub)}
<footer>Community id {esc(report.community)} · source {esc(report.source)} · report schema
version {esc(report.schema_version)} · made by Cultivate</footer>
</section>"""


def _document(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{CSS}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


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
            f'<tr><td><a href="#{esc(anchor)}">{esc(report.community_name)}</a></td>'
            f'<td><span class="badge level-{number if number in LEVEL_COLOURS else 0}">'
            f"{number} {esc(report.level.get('name', ''))}</span></td>"
            f'<td class="num">{esc(report.health.get("score", 0))}</td>'
            f'<td class="num">{esc(_value("active", m.get("active_members")))}</td>'
            f'<td class="num">{esc(_value("members", m.get("members")))}</td>'
            f'<td class="num">{esc(_percent(m.get("answered_share")))}</td>'
            f'<td class="num">{esc(_percent((report.risk or {}).get("probability")))}</td>'
            f"<td>{esc(_day(report.as_of))}</td></tr>"
        )
    summary = (
        '<section class="summary" aria-labelledby="summary-title">'
        f'<h1 id="summary-title">Community reports ({len(listed)})</h1>'
        + (
            "<table><caption>Every community at a glance; follow a name to its report</caption>"
            '<thead><tr><th>Community</th><th>Level</th><th class="num">Health</th>'
            '<th class="num">Active</th><th class="num">Members</th>'
            '<th class="num">Answered</th><th class="num">Risk of silence</th><th>As of</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            if listed
            else '<p class="muted">No reports.</p>'
        )
        + "</section>"
    )
    sections = "\n".join(
        _section(report, anchor, depth=2) for report, anchor in zip(listed, anchors, strict=True)
    )
    return _document("Community reports", summary + "\n" + sections)
