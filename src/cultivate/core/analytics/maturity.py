"""The maturity level, with every criterion's value, threshold and verdict, and the gap to the next.

Levels (docs/maturity.md): 0 silent, 1 reaching people, 2 leveraging the network,
3 faster and more agile.
"""

from __future__ import annotations

from dataclasses import dataclass

from cultivate.core.text import _

from .metrics import Metrics

LEVEL_NAMES = {
    0: _("silent"),
    1: _("reaching people"),
    2: _("leveraging the network"),
    3: _("faster and more agile"),
}


@dataclass(frozen=True, slots=True)
class LevelThresholds:
    """Defaults from docs/maturity.md; a deployment passes its own to `analyze`."""

    min_contributions: int = 4
    """Fewer contributions than this in the window means silent."""
    quiet_days: int = 30
    """No contribution in this many days before "as of" means silent."""
    min_question_share: float = 0.20
    min_questions_per_active_member_30d: float = 0.10
    """At least 1 question per 10 active members per 30 days."""
    min_answered_share: float = 0.60
    min_askers: int = 3
    min_responders: int = 3
    min_agenda_topics_with_deliverable: int = 1
    min_document_contributors: int = 3


@dataclass(frozen=True, slots=True)
class Criterion:
    """One rule of one level: what was measured, what it needed, and whether it held."""

    level: int
    name: str
    value: float
    threshold: float
    comparison: str  # ">=" or "<"
    held: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class Level:
    number: int
    name: str
    criteria: tuple[Criterion, ...]
    gap: tuple[Criterion, ...]
    """The unmet criteria of the next level (empty at level 3)."""


def _at_least(level: int, name: str, value: float, threshold: float, explanation: str) -> Criterion:
    return Criterion(level, name, value, threshold, ">=", value >= threshold, explanation)


def criteria(metrics: Metrics, t: LevelThresholds) -> tuple[Criterion, ...]:
    """Return every criterion of levels 1 to 3 evaluated on the metrics."""
    co = metrics.co_creation
    co_created = max(
        float(co.max_contributors_per_document >= t.min_document_contributors),
        float(co.help_requests_fulfilled >= 1),
    )
    return (
        _at_least(
            1,
            _("contributions in the window"),
            metrics.contributions,
            t.min_contributions,
            _(
                "at least %(count)s contributions in %(days)s days",
                count=t.min_contributions,
                days=metrics.window.days,
            ),
        ),
        _at_least(
            1,
            _("contributions in the last %(days)s days", days=t.quiet_days),
            metrics.contributions_last_30_days,
            1,
            _("the community spoke recently"),
        ),
        _at_least(
            2,
            _("question share"),
            metrics.question_share,
            t.min_question_share,
            _("questions among original contributions (asks and shares)"),
        ),
        _at_least(
            2,
            _("questions per active member per 30 days"),
            metrics.questions_per_active_member_30d,
            t.min_questions_per_active_member_30d,
            _("at least one question per 10 active members a month"),
        ),
        _at_least(
            2,
            _("answered share"),
            metrics.answered_share,
            t.min_answered_share,
            _("questions answered by someone else within 7 days"),
        ),
        _at_least(
            2,
            _("distinct askers"),
            metrics.distinct_askers,
            t.min_askers,
            _("more than a couple of people ask"),
        ),
        _at_least(
            2,
            _("distinct responders"),
            metrics.distinct_responders,
            t.min_responders,
            _("more than a couple of people answer"),
        ),
        _at_least(
            3,
            _("agenda topics with a deliverable"),
            co.agenda_topics_with_deliverable,
            t.min_agenda_topics_with_deliverable,
            _("the community agreed a topic and what it will deliver"),
        ),
        _at_least(
            3,
            _("co-creation"),
            co_created,
            1.0,
            _(
                "a best practice revised by %(count)s+ people, or a help request fulfilled by "
                "someone other than the requester",
                count=t.min_document_contributors,
            ),
        ),
    )


def classify(metrics: Metrics, thresholds: LevelThresholds | None = None) -> Level:
    """Return the highest level whose criteria (and every lower level's) all hold."""
    t = thresholds or LevelThresholds()
    evaluated = criteria(metrics, t)
    number = 0
    for level in (1, 2, 3):
        if all(c.held for c in evaluated if c.level == level):
            number = level
        else:
            break
    gap = tuple(c for c in evaluated if c.level == number + 1 and not c.held)
    return Level(number, LEVEL_NAMES[number], evaluated, gap)
