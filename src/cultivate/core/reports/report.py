"""One Report object per community: the engine's Analysis with names, ready for any renderer.

A Report is plain data (str, int, float, None, lists, dicts), so it round-trips through JSON
exactly: the platform stores it as a snapshot and renders pages, files and terminals from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cultivate.core.analytics.engine import Analysis
from cultivate.core.text import Number, Translations, _, collect, ngettext, stored_text

from .privacy import without_addresses

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Report:
    """Where a community stands, why, what to do next; see docs/report-schema.md."""

    community: str
    community_name: str
    as_of: str
    window_days: int
    level: dict[str, Any]
    health: dict[str, Any]
    metrics: dict[str, Any]
    steps: list[dict[str, Any]]
    members: list[dict[str, Any]]
    advice: list[dict[str, Any]]
    series: list[dict[str, Any]]
    network: list[dict[str, Any]]
    risk: dict[str, Any] | None = None
    """Early warning: {"probability": 0..1, "horizon_days": 90, "model": str, "drivers": [...]}."""
    source: str = "cultivate"
    reading: dict[str, Any] | None = None
    """How the export was read (None on the platform): skips, replaced bytes, missing files."""
    words: dict[str, Any] = field(default_factory=dict)
    """Each English sentence of the report with its message id and values, so a reader in
    another language gets it in theirs (`localised`)."""
    schema_version: int = SCHEMA_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return a copy as plain dicts and lists (the report holds nothing else).

        Lists and dicts are copied, leaves (strings, numbers, sentences) shared: they cannot
        change. `dataclasses.asdict` deep-copied every leaf too, 0.15 s for a large community.
        """
        return {f.name: _copied(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """Rebuild a report from its dict form; unknown keys are kept in `extra`."""
        names = {f.name for f in dataclasses.fields(cls)}
        known = {k: v for k, v in data.items() if k in names}
        extra = {k: v for k, v in data.items() if k not in names}
        if extra:
            known["extra"] = {**known.get("extra", {}), **extra}
        return cls(**known)


def _copied(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_copied(v) for v in value)
    return value


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(value: Any) -> Any:
    """Turn dataclasses, datetimes and tuples into JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def build_report(
    analysis: Analysis,
    *,
    community_name: str = "",
    names: Mapping[str, str] | None = None,
    source: str = "cultivate",
    risk: dict[str, Any] | None = None,
    reading: dict[str, Any] | None = None,
) -> Report:
    """Return the report for an analysis, with actor ids replaced by the names given."""
    names = names or {}

    def name(actor: str) -> str:
        return without_addresses(names.get(actor, actor))

    level = analysis.level
    metrics = _plain(analysis.metrics)
    metrics["took_part_ever"] = analysis.took_part_ever
    metrics["took_part_last_12_months"] = analysis.took_part_last_12_months
    metrics["window"] = {
        "end": _iso(analysis.metrics.window.end),
        "start": _iso(analysis.metrics.window.start),
        "days": analysis.metrics.window.days,
    }
    report = Report(
        community=analysis.community,
        community_name=community_name or analysis.community,
        as_of=analysis.as_of.isoformat(),
        window_days=analysis.metrics.window.days,
        level={
            "number": level.number,
            "name": level.name,
            "criteria": _plain(level.criteria),
            "gap": _plain(level.gap),
        },
        health={"score": analysis.health.score, "components": _plain(analysis.health.components)},
        metrics=metrics,
        steps=[
            {
                "number": s.number,
                "name": s.name,
                "last_at": _iso(s.last_at),
                "count_in_window": s.count_in_window,
                "lit": s.lit,
            }
            for s in analysis.steps
        ],
        members=[{**_plain(m), "name": name(m.actor)} for m in analysis.members],
        advice=[
            {"action": a.action, "evidence": a.evidence, "people": [name(p) for p in a.people]}
            for a in analysis.advice
        ],
        series=_plain(analysis.series),
        network=[
            {"helper": name(h), "helped": name(t), "weight": w} for h, t, w in analysis.network
        ],
        risk=risk if risk is not None else analysis.risk,
        source=source,
        reading=reading,
    )
    fields = [getattr(report, f.name) for f in dataclasses.fields(report)]
    return dataclasses.replace(report, words=collect(fields))


def sentences_said(
    words: Mapping[str, Any] | None, translations: Translations | None
) -> dict[str, str]:
    """Return {English: said in the catalogue's language} for a stored report's `words`."""
    if translations is None or not words:
        return {}
    said = {english: stored_text(message) for english, message in words.items()}
    return {english: text.in_language(translations) for english, text in said.items() if text}


def say_again(value: Any, said: Mapping[str, str]) -> Any:
    """Return `value` (strings, lists, dicts) with each sentence found in `said` replaced."""
    if isinstance(value, str):
        return said.get(value, value)
    if isinstance(value, list | tuple):
        return [say_again(v, said) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "words" else say_again(v, said) for k, v in value.items()}
    return value


def localised(data: Mapping[str, Any], translations: Translations | None) -> dict[str, Any]:
    """Return a stored report (its dict form) with every sentence it knows said in a language.

    Only the strings listed in its `words` change: names, numbers and a report stored before
    there were words stay as they are.
    """
    said = sentences_said(data.get("words"), translations)
    return {k: v if k == "words" else say_again(v, said) for k, v in data.items()}


def reading_sentences(reading: Mapping[str, Any] | None) -> list[str]:
    """Say in sentences what reading the export left out or repaired, so nothing is silent."""
    if not reading:
        return []
    lines: list[str] = [str(note) for note in reading.get("notes", [])]
    replaced = int(reading.get("encoding_errors", 0) or 0)
    if replaced:
        lines.append(
            ngettext(
                "%(count)s message had undecodable bytes, shown as replacement characters.",
                "%(count)s messages had undecodable bytes, shown as replacement characters.",
                replaced,
                count=Number.count(replaced),
            )
        )
    skipped = sorted(dict(reading.get("skipped", {})).items(), key=lambda item: (-item[1], item[0]))
    if skipped:
        total = sum(count for _why, count in skipped)
        shown = ", ".join(f"{why} ({count:,})" for why, count in skipped[:6])
        lines.append(
            _(
                "Left out %(total)s rows or messages: %(shown)s.",
                total=Number.count(total),
                shown=shown,
            )
            if len(skipped) <= 6
            else _(
                "Left out %(total)s rows or messages: %(shown)s and %(more)s more kinds.",
                total=Number.count(total),
                shown=shown,
                more=len(skipped) - 6,
            )
        )
    robots = sorted(dict(reading.get("system_accounts", {})).items(), key=lambda i: (-i[1], i[0]))
    if robots:
        listed = ", ".join(f"{name} ({count:,})" for name, count in robots[:8])
        lines.append(
            _(
                "System accounts left out, not counted as members (acts left out): %(listed)s.",
                listed=listed,
            )
            if len(robots) <= 8
            else _(
                "System accounts left out, not counted as members (acts left out): %(listed)s "
                "and %(more)s more.",
                listed=listed,
                more=len(robots) - 8,
            )
        )
    for skipped_file in reading.get("skipped_files", []):
        lines.append(
            _(
                "Skipped file %(file)s: %(why)s.",
                file=skipped_file.get("file"),
                why=skipped_file.get("why"),
            )
        )
    return lines
