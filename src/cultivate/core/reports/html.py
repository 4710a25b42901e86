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

from cultivate.core.text import Text, Translations, _, ngettext, say, trusted

from . import charts
from .formatting import (
    LEVEL_COLOURS,
    day_text,
    display_name,
    edges_of,
    hours_text,
    is_number,
    level_name,
    month_labels,
    next_level,
    percent,
    role_text,
    series_of,
    value_text,
    warning_headline,
    when_text,
    window_text,
)
from .network import network_chart
from .privacy import without_addresses
from .report import Report, reading_sentences, say_again, sentences_said
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


def _render(template: str, tr: Translations | None, **context: Any) -> Markup:
    """Render a template whose words are `_("...")` (then `|format(name=value)` for values).

    The words are said through `tr`; `make messages` collects them from the templates.
    """

    def say(msgid: str) -> Markup:
        # The catalogue is ours, so its words are trusted markup; `|format` escapes the values.
        said = Text(msgid).in_language(tr)
        if "%" in msgid:  # `|format` fills it: a broken entry falls back to English
            said = trusted(said, msgid)
        return Markup(said)  # noqa: S704 - the project's own catalogue

    info = getattr(tr, "info", None)  # a standard-library catalogue names its language
    language = str(info().get("language", "en")) if callable(info) else "en"
    page = _environment().get_template(template).render(_=say, lang=language, **context)
    return Markup(page)  # noqa: S704 - autoescaped


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


def _gap(report: Report, tr: Translations | None) -> dict[str, Any]:
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
    return {"next": nxt, "name": level_name(nxt, tr) if nxt is not None else "", "needs": items}


def _ladder(report: Report, tr: Translations | None) -> list[dict[str, Any]]:
    steps = []
    for s in report.steps:
        lit = bool(s.get("lit"))
        count = int(s.get("count_in_window", 0))
        when = (
            ngettext("%(n)s time in the window", "%(n)s times in the window", count)
            if lit
            else _("not in the window")
        ).in_language(tr)
        steps.append(
            {
                "lit": lit,
                "number": s.get("number", ""),
                "name": s.get("name", ""),
                "when": when,
                "last": day_text(s.get("last_at"), tr),
            }
        )
    return steps


def _cards(report: Report, tr: Translations | None) -> list[tuple[str, str]]:
    m = report.metrics
    cards = [
        (_("members"), value_text("members", m.get("members"))),
        (_("took part ever"), value_text("members", m.get("took_part_ever"))),
        (_("took part in 12 months"), value_text("members", m.get("took_part_last_12_months"))),
        (_("active members"), value_text("active", m.get("active_members"))),
        (_("interactive share"), percent(m.get("interactive_share"))),
        (_("questions"), value_text("questions", m.get("questions"))),
        (_("broadcasts"), value_text("shares", m.get("shares"))),
        (_("answered within 7 days"), percent(m.get("answered_share"))),
        (
            _("median time to first response"),
            hours_text(m.get("median_hours_to_first_response"), tr),
        ),
        (_("reciprocity"), percent(m.get("reciprocity"))),
        (_("retention"), percent(m.get("retention"))),
        (_("newcomers replied to"), percent(m.get("newcomer_reply_rate"))),
    ]
    return [(label.in_language(tr), value) for label, value in cards]


def _charts(report: Report, prefix: str, tr: Translations | None) -> list[Markup]:
    months = month_labels([str(p.get("month", "")) for p in report.series], report.as_of, tr)
    name = report.community_name

    def say(text: Text) -> str:
        return text.in_language(tr)

    figures = [
        charts.bar_chart(
            months,
            {
                say(_("questions")): series_of(report, "questions"),
                say(_("broadcasts")): series_of(report, "shares"),
            },
            title=say(_("Questions and broadcasts per month, %(name)s", name=name)),
            y_label=say(_("posts")),
            chart_id=f"{prefix}-posts",
            translations=tr,
        ),
        charts.line_chart(
            months,
            {say(_("median hours")): series_of(report, "median_hours_to_first_response")},
            title=say(_("Median hours to first response, %(name)s", name=name)),
            y_label=say(_("hours")),
            chart_id=f"{prefix}-response",
            translations=tr,
        ),
        charts.line_chart(
            months,
            {say(_("active members")): series_of(report, "active_members")},
            title=say(_("Active members per month, %(name)s", name=name)),
            y_label=say(_("people")),
            chart_id=f"{prefix}-active",
            translations=tr,
        ),
        charts.step_chart(
            months,
            [int(p.get("level", 0)) for p in report.series],
            title=say(_("Maturity level over time, %(name)s", name=name)),
            chart_id=f"{prefix}-level",
            translations=tr,
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


def _members(report: Report, tr: Translations | None) -> dict[str, Any]:
    shown = report.members[:MEMBERS_SHOWN_HTML]
    rows = [
        {
            "name": display_name(m),
            "role": role_text(m.get("role"), tr),
            "persona": role_text(m.get("persona"), tr),
            "numbers": [m.get(k, 0) for k in _MEMBER_NUMBERS],
        }
        for m in shown
    ]
    return {"rows": rows, "total": len(report.members), "more": len(report.members) - len(shown)}


def _risk(report: Report, tr: Translations | None) -> dict[str, Any] | None:
    if not report.risk:
        return None
    risk = report.risk
    return {
        "headline": warning_headline(risk, tr),
        "model": risk.get("model", "unknown"),
        "drivers": [d for d in risk.get("drivers") or [] if isinstance(d, str)],
    }


def _section(report: Report, anchor: str, depth: int, tr: Translations | None) -> Markup:
    """Return one community's report as an HTML <section>; headings start at h`depth`."""
    number = int(report.level.get("number", 0))
    score = report.health.get("score", 0)
    network = network_chart(
        edges_of(report),
        title=_("Who helps whom, %(name)s", name=report.community_name).in_language(tr),
        chart_id=f"{anchor}-network",
        translations=tr,
    )
    view = {
        "anchor": anchor,
        "h": f"h{depth}",
        "sub": f"h{depth + 1}",
        "name": report.community_name,
        "as_of": when_text(report.as_of, tr),
        "window": window_text(report, tr),
        "badge": _badge(number),
        "number": number,
        "level_name": report.level.get("name", level_name(number, tr)),
        "score": score,
        "score_width": max(0, min(100, int(score))) if is_number(score) else 0,
        "risk": _risk(report, tr),
        "criteria": _criteria(report),
        "gap": _gap(report, tr),
        "ladder": _ladder(report, tr),
        "cards": _cards(report, tr),
        "charts": _charts(report, anchor, tr),
        "network": Markup(network),  # noqa: S704 - charts escape what they write
        "health": _health(report),
        "members": _members(report, tr),
        "advice": report.advice,
        "reading": [say(note, tr) for note in reading_sentences(report.reading)],
        "community": report.community,
        "source": report.source,
        "schema_version": report.schema_version,
    }
    said = sentences_said(report.words, tr)
    return _render("section.html.j2", tr, s=say_again(view, said) if said else view)


def _document(title: str, body: Markup, tr: Translations | None) -> str:
    return without_addresses(str(_render("document.html.j2", tr, title=title, body=body))) + "\n"


def render_html(report: Report, translations: Translations | None = None) -> str:
    """Return the report as one self-contained HTML file: inline CSS and SVG, nothing to fetch.

    `translations` (`cultivate.core.text.catalogue`) says it in another language than English.
    """
    anchor = f"c-{_slug(report.community)}"
    title = _("%(name)s: community report", name=report.community_name)
    return _document(
        title.in_language(translations),
        _section(report, anchor, depth=1, tr=translations),
        translations,
    )


def _anchors(reports: Sequence[Report]) -> list[str]:
    return [f"c{i + 1}-{_slug(r.community)}" for i, r in enumerate(reports)]


def render_html_many(reports: Iterable[Report], translations: Translations | None = None) -> str:
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
                "level_name": say_again(
                    report.level.get("name", ""), sentences_said(report.words, translations)
                ),
                "score": report.health.get("score", 0),
                "active": value_text("active", m.get("active_members")),
                "members": value_text("members", m.get("members")),
                "answered": percent(m.get("answered_share")),
                "risk": percent((report.risk or {}).get("probability")),
                "as_of": day_text(report.as_of),
            }
        )
    summary = _render("summary.html.j2", translations, rows=rows)
    sections = Markup("\n").join(
        _section(report, anchor, depth=2, tr=translations)
        for report, anchor in zip(listed, anchors, strict=True)
    )
    title = _("Community reports").in_language(translations)
    return _document(title, summary + Markup("\n") + sections, translations)
