"""Render a Report as JSON and in a terminal (rich); the HTML file is `html.py`'s.

Every piece of text in a report may come from people (community and member names, titles), so
the terminal never reads it as rich markup.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .charts import sparkline
from .formatting import (
    LEVEL_COLOURS,
    day_text,
    display_name,
    hours_text,
    level_name,
    next_level,
    percent,
    series_of,
    value_text,
    warning_headline,
    when_text,
    window_text,
)
from .report import Report, reading_sentences
from .svg import format_number

MEMBERS_SHOWN_TERMINAL = 10
KEY_SERIES = (
    ("questions", "questions", "questions"),
    ("shares", "broadcasts (shares)", "shares"),
    ("answers", "answers", None),
    ("active_members", "active members", "active_members"),
    ("median_hours_to_first_response", "median hours to first response", None),
    ("level", "maturity level", None),
)
"""(series key, label, matching window metric) for the key-metrics sparklines."""


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


# --- terminal ------------------------------------------------------------------------------------


def _badge(report: Report) -> Text:
    number = int(report.level.get("number", 0))
    colour = LEVEL_COLOURS.get(number, LEVEL_COLOURS[0])
    return Text(
        f" Level {number} · {report.level.get('name', level_name(number))} ",
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
            Text(value_text(name, c.get("value"))),
            Text(f"{c.get('comparison', '>=')} {value_text(name, c.get('threshold'))}"),
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
            Text(percent(c.get("value"))),
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
            Text(day_text(s.get("last_at"))),
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
        values = series_of(report, key)
        latest = next((v for v in reversed(values) if v is not None), None)
        shown = hours_text(latest) if "hours" in key else value_text(key, latest)
        window_value = report.metrics.get(metric) if metric else None
        if key == "median_hours_to_first_response":
            window_value_text = hours_text(report.metrics.get(key))
        elif key == "level":
            window_value_text = str(report.level.get("number", ""))
        else:
            window_value_text = value_text(key, window_value) if metric else ""
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
        table.add_row(Text(label), Text(""), Text(""), Text(value_text(key, m.get(key))))
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
            Text(display_name(m)),
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
    moment = f"As of {when_text(report.as_of)} · window {window_text(report)}"
    lines: list[Text] = [line, Text(moment)]
    nxt = next_level(report)
    gap = report.level.get("gap", [])
    if nxt is None:
        lines.append(Text("The highest level: keep the habits that got the community here."))
    elif gap:
        lines.append(
            Text(
                f"To reach level {nxt} ({level_name(nxt)}): "
                + "; ".join(
                    f"{c.get('name')} is {value_text(str(c.get('name')), c.get('value'))}, "
                    f"needs {c.get('comparison', '>=')} "
                    f"{value_text(str(c.get('name')), c.get('threshold'))}"
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
