"""Turn a stored report (plain JSON data) into what the Health page shows: values and SVG charts.

A report names people (the who-helps-whom network, the advice, every member's role and persona).
`health_page(..., named=False)` leaves them out for readers who may see aggregates only
(`communities.permissions.can_view_everyones_figures`); `own_part` is one member's own row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
from cultivate.core.reports.formatting import (
    RISK_LEVEL_WORDS,
    display_name,
    month_labels,
    role_text,
)
from cultivate.core.reports.report import say_again, sentences_said
from cultivate.core.text import Text, stored_text

from .mappers import actor_of_user
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


def network_summary(edges: Iterable[tuple[str, str, int]]) -> dict[str, int]:
    """Return the who-helps-whom network in aggregate: people in it, helping ties, two-way ties."""
    ties = {(helper, helped) for helper, helped, weight in edges if helper != helped and weight > 0}
    people = {person for tie in ties for person in tie}
    mutual = sum(1 for helper, helped in ties if (helped, helper) in ties)
    return {"people": len(people), "ties": len(ties), "mutual": mutual}


def health_charts(
    report: dict[str, Any],
    layout: network.NetworkLayout | None = None,
    *,
    named: bool = True,
) -> dict[str, SafeString]:
    """Return the four monthly charts and the who-helps-whom picture, or none without data.

    The picture uses the snapshot's stored `layout` where it has one: laying it out is most of
    the page's work. It names people and says how often each helped: without `named` it is
    left out (the page says the network in aggregate instead).
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
    if edges and named:
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


MEMBERS_SHOWN = 40
"""The members' table shows the busiest 40 (the picture draws 40 people); the rest are counted."""

PERSONA_MEANINGS = {
    "engager": gettext_noop("helps others and is helped, with ties that go both ways"),
    "catalyst": gettext_noop("asks, and gets answers"),
    "responder": gettext_noop("mostly answers others"),
    "broadcaster": gettext_noop("mostly shares news and posts"),
    "observer": gettext_noop("reads without contributing in the window"),
}
"""What each persona (`analytics.roles`) means, for the member reading their own."""


MEMBER_FIGURES = ("contributions", "questions", "shares", "responses", "responses_received")
"""A member's counts over the window (`analytics.roles.MemberProfile`)."""


def member_row(member: Mapping[str, Any]) -> dict[str, Any]:
    """Return one member's role, persona and figures as the page shows them."""
    persona = str(member.get("persona") or "")
    meaning = PERSONA_MEANINGS.get(persona)
    return {
        "name": display_name(member),
        "role": role_text(member.get("role"), READER),
        "persona": role_text(persona, READER),
        "persona_meaning": _(meaning) if meaning else "",
        **{
            figure: int(member.get(figure) or 0)
            for figure in (
                "contributions",
                "questions",
                "shares",
                "responses",
                "responses_received",
            )
        },
    }


def own_part(snapshot: HealthSnapshot, user_id: int) -> dict[str, Any] | None:
    """Return the member's own row of the snapshot (role, persona, figures), if they are in it.

    Callers check `communities.permissions.can_view_member_figures` first.
    """
    actor = actor_of_user(user_id)
    for member in snapshot.report.get("members") or []:
        if isinstance(member, Mapping) and member.get("actor") == actor:
            return member_row(member)
    return None


SOME_MEMBERS = gettext_noop("some members")
"""Who the advice says to ask, for a reader who may not see who did what."""


def _advice_unnamed(
    advice: list[dict[str, Any]], said: list[dict[str, Any]], words: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """Return the advice (as `said` in the reader's language) without the people it names:
    a sentence that names them is said again with "some members" in their place, or left out
    where the stored report cannot say it again."""
    unnamed = []
    for item, shown in zip(advice, said, strict=True):
        if not item.get("people"):
            unnamed.append(shown)
            continue
        stored = stored_text((words or {}).get(str(item.get("action"))))
        if stored is None or "people" not in stored.params:
            continue
        action = Text(
            stored.msgid,
            {**stored.params, "people": Text(SOME_MEMBERS)},
            plural=stored.plural,
            n=stored.n,
        )
        unnamed.append({**shown, "action": action.in_language(READER), "people": []})
    return unnamed


def health_page(snapshot: HealthSnapshot, *, named: bool) -> dict[str, Any]:
    """Return the Health page's content from a snapshot's stored report.

    `named`: the reader may see every member's persona and figures (coordinators, KM leads):
    the who-helps-whom picture and its ties, the names in the advice and the members' table.
    Without it the page holds aggregates only.
    """
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
    members = [m for m in report.get("members") or [] if isinstance(m, Mapping)]
    edges = network_edges(report)
    advice = [a for a in report.get("advice") or [] if isinstance(a, dict)]
    advice_said = say_again(advice, said)
    return {
        "snapshot": snapshot,
        "named": named,
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
        "advice": advice_said
        if named
        else _advice_unnamed(advice, advice_said, report.get("words")),
        "charts": health_charts(
            report, network.NetworkLayout.from_dict(snapshot.network_layout or {}), named=named
        ),
        "network_summary": network_summary(edges),
        "ties": (report.get("network") or [])[:MEMBERS_SHOWN] if named else [],
        "members": [member_row(m) for m in members[:MEMBERS_SHOWN]] if named else [],
        "members_more": max(0, len(members) - MEMBERS_SHOWN) if named else 0,
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
