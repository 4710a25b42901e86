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

from cultivate.core.text import Text as Sentence
from cultivate.core.text import Translations, _

from .charts import sparkline
from .formatting import (
    LEVEL_COLOURS,
    day_text,
    display_name,
    hours_text,
    level_name,
    next_level,
    percent,
    role_text,
    series_of,
    value_text,
    warning_headline,
    when_text,
    window_text,
)
from .report import Report, reading_sentences, say_again, sentences_said
from .svg import format_number

MEMBERS_SHOWN_TERMINAL = 10
KEY_SERIES = (
    ("questions", _("questions"), "questions"),
    ("shares", _("broadcasts (shares)"), "shares"),
    ("answers", _("answers"), None),
    ("active_members", _("active members"), "active_members"),
    ("median_hours_to_first_response", _("median hours to first response"), None),
    ("level", _("maturity level"), None),
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


class _Reader:
    """What the terminal needs to speak the reader's language: the catalogue and the report's
    own sentences said in it."""

    def __init__(self, report: Report, tr: Translations | None) -> None:
        self.tr = tr
        self.said = sentences_said(report.words, tr)

    def __call__(self, text: Any) -> str:
        """Say a sentence of the terminal (`_`) or of the report (its words) in the language."""
        if isinstance(text, Sentence):
            return text.in_language(self.tr)
        return str(say_again(str(text), self.said))


def _badge(report: Report, say: _Reader) -> Text:
    number = int(report.level.get("number", 0))
    colour = LEVEL_COLOURS.get(number, LEVEL_COLOURS[0])
    name = say(report.level.get("name", level_name(number)))
    return Text(
        " " + say(_("Level %(number)s · %(name)s", number=number, name=name)) + " ",
        style=f"bold white on {colour}",
    )


def _criteria_table(report: Report, say: _Reader) -> Table:
    gap = {(c.get("level"), c.get("name")) for c in report.level.get("gap", [])}
    table = Table(
        title=say(_("Evidence: each criterion of the maturity model")), title_justify="left"
    )
    table.add_column(say(_("Level")), justify="right")
    table.add_column(say(_("Criterion")))
    table.add_column(say(_("Value")), justify="right")
    table.add_column(say(_("Threshold")), justify="right")
    table.add_column(say(_("Held")), justify="center")
    for c in report.level.get("criteria", []):
        name = str(c.get("name", ""))
        held = bool(c.get("held"))
        in_gap = (c.get("level"), c.get("name")) in gap
        table.add_row(
            Text(str(c.get("level", ""))),
            Text(say(name) + ("  " + say(_("← gap to the next level")) if in_gap else "")),
            Text(value_text(name, c.get("value"))),
            Text(f"{c.get('comparison', '>=')} {value_text(name, c.get('threshold'))}"),
            Text("✓", style="green") if held else Text("✗", style="red"),
            style="bold yellow" if in_gap else None,
        )
    return table


def _health_table(report: Report, say: _Reader) -> Table:
    score = report.health.get("score", 0)
    table = Table(
        title=say(_("Health %(score)s/100: what each part contributed", score=score)),
        title_justify="left",
    )
    table.add_column(say(_("Component")))
    table.add_column(say(_("Value")), justify="right")
    table.add_column(say(_("Weight")), justify="right")
    table.add_column(say(_("Points")), justify="right")
    table.add_column(say(_("Evidence")))
    for c in report.health.get("components", []):
        points = float(c.get("points", 0.0)) + 0.0  # never show "-0.0"
        table.add_row(
            Text(say(c.get("name", ""))),
            Text(percent(c.get("value"))),
            Text(format_number(float(c.get("weight", 0.0)), 0)),
            Text(f"{points:+.1f}", style="red" if points < 0 else ""),
            Text(say(c.get("evidence", ""))),
        )
    return table


def _steps_table(report: Report, say: _Reader) -> Table:
    table = Table(title=say(_("The relationship ladder")), title_justify="left")
    table.add_column(say(_("Step")), justify="right")
    table.add_column("")
    table.add_column(say(_("In the window")), justify="right")
    table.add_column(say(_("Last happened")))
    for s in report.steps:
        lit = bool(s.get("lit"))
        table.add_row(
            Text(str(s.get("number", ""))),
            Text(("● " if lit else "○ ") + say(s.get("name", "")), style="bold" if lit else "dim"),
            Text(str(s.get("count_in_window", 0))),
            Text(day_text(s.get("last_at"), say.tr)),
        )
    return table


def _metrics_table(report: Report, say: _Reader) -> Table:
    months = [str(p.get("month", "")) for p in report.series]
    span = (
        say(_("%(first)s to %(last)s", first=months[0], last=months[-1]))
        if months
        else say(_("no months"))
    )
    table = Table(title=say(_("Key metrics by month (%(span)s)", span=span)), title_justify="left")
    table.add_column(say(_("Metric")))
    table.add_column(say(_("By month")))
    table.add_column(say(_("Latest month")), justify="right")
    table.add_column(say(_("In the window")), justify="right")
    for key, label, metric in KEY_SERIES:
        values = series_of(report, key)
        latest = next((v for v in reversed(values) if v is not None), None)
        shown = hours_text(latest, say.tr) if "hours" in key else value_text(key, latest)
        window_value = report.metrics.get(metric) if metric else None
        if key == "median_hours_to_first_response":
            window_value_text = hours_text(report.metrics.get(key), say.tr)
        elif key == "level":
            window_value_text = str(report.level.get("number", ""))
        else:
            window_value_text = value_text(key, window_value) if metric else ""
        table.add_row(
            Text(say(label)),
            Text(sparkline(values), style="cyan"),
            Text(shown),
            Text(window_value_text),
        )
    m = report.metrics
    for label, key in (
        (_("people who ever took part"), "took_part_ever"),
        (_("people who took part in 12 months"), "took_part_last_12_months"),
        (_("interactive share"), "interactive_share"),
        (_("answered share"), "answered_share"),
        (_("reciprocity"), "reciprocity"),
        (_("retention"), "retention"),
    ):
        table.add_row(Text(say(label)), Text(""), Text(""), Text(value_text(key, m.get(key))))
    return table


def _members_table(report: Report, say: _Reader) -> Table:
    shown = report.members[:MEMBERS_SHOWN_TERMINAL]
    more = len(report.members) - len(shown)
    title = _("Top members (%(shown)s of %(count)s)", shown=len(shown), count=len(report.members))
    table = Table(title=say(title), title_justify="left")
    table.add_column(say(_("Member")))
    table.add_column(say(_("Role")))
    table.add_column(say(_("Persona")))
    table.add_column(say(_("Contributions")), justify="right")
    table.add_column(say(_("Questions")), justify="right")
    table.add_column(say(_("Responses")), justify="right")
    table.add_column(say(_("Helped by others")), justify="right")
    for m in shown:
        table.add_row(
            Text(display_name(m)),
            Text(role_text(m.get("role"), say.tr)),
            Text(role_text(m.get("persona"), say.tr)),
            Text(str(m.get("contributions", 0))),
            Text(str(m.get("questions", 0))),
            Text(str(m.get("responses", 0))),
            Text(str(m.get("responses_received", 0))),
        )
    if more > 0:
        table.caption = say(_("and %(count)s more", count=more))
    return table


def _header(report: Report, say: _Reader) -> Panel:
    score = report.health.get("score", 0)
    line = Text.assemble(
        _badge(report, say),
        "   ",
        (say(_("Health %(score)s/100", score=score)), "bold"),
    )
    moment = _(
        "As of %(when)s · window %(window)s",
        when=when_text(report.as_of, say.tr),
        window=window_text(report, say.tr),
    )
    lines: list[Text] = [line, Text(say(moment))]
    nxt = next_level(report)
    gap = report.level.get("gap", [])
    if nxt is None:
        lines.append(
            Text(say(_("The highest level: keep the habits that got the community here.")))
        )
    elif gap:
        needs = "; ".join(
            say(
                _(
                    "%(criterion)s is %(value)s, needs %(comparison)s %(threshold)s",
                    criterion=say(c.get("name")),
                    value=value_text(str(c.get("name")), c.get("value")),
                    comparison=c.get("comparison", ">="),
                    threshold=value_text(str(c.get("name")), c.get("threshold")),
                )
            )
            for c in gap
        )
        reach = _(
            "To reach level %(number)s (%(name)s): %(needs)s",
            number=nxt,
            name=level_name(nxt, say.tr),
            needs=needs,
        )
        lines.append(Text(say(reach)))
    if report.risk:
        alarming = report.risk.get("level") == "high"
        headline = warning_headline(report.risk, say.tr)
        lines.append(Text(headline, style="bold red" if alarming else ""))
        for driver in report.risk.get("drivers") or []:
            lines.append(Text(f"  · {say(driver)}", style="dim"))
    return Panel(Group(*lines), title=Text(report.community_name), title_align="left")


def _advice(report: Report, say: _Reader) -> Group:
    lines: list[Text] = [Text(say(_("What to do next")), style="bold underline")]
    if not report.advice:
        none = _("No advice: nothing stands between this community and its next step.")
        lines.append(Text(say(none)))
    for i, item in enumerate(report.advice, start=1):
        lines.append(Text.assemble((f"{i}. ", "bold"), (say(item.get("action", "")), "bold")))
        why = _("Why: %(evidence)s", evidence=say(item.get("evidence", "")))
        lines.append(Text("   " + say(why), style="dim"))
    return Group(*lines)


def render_terminal(
    report: Report, console: Console | None = None, translations: Translations | None = None
) -> None:
    """Print the report to a terminal: level and health, evidence, ladder, trends, advice.

    `translations` (`cultivate.core.text.catalogue`) says it in another language than English.
    """
    console = console or Console()
    say = _Reader(report, translations)
    console.print(_header(report, say))
    console.print(_criteria_table(report, say))
    console.print(_health_table(report, say))
    console.print(_steps_table(report, say))
    console.print(_metrics_table(report, say))
    console.print(_members_table(report, say))
    if report.network:
        ties = sorted(report.network, key=lambda e: -int(e.get("weight", 0)))[:5]
        strongest = "; ".join(
            f"{e.get('helper')} → {e.get('helped')} ({e.get('weight')})" for e in ties
        )
        console.print(Text(say(_("Strongest helping ties: %(ties)s", ties=strongest))))
    console.print(_advice(report, say))
    notes = reading_sentences(report.reading)
    if notes:
        console.print(Text(say(_("Reading the export")), style="bold underline"))
        for note in notes:
            console.print(Text(f"- {say(note)}", style="dim"))
