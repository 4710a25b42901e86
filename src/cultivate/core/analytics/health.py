"""The health score: a transparent weighted sum, each component shown with its contribution."""

from __future__ import annotations

from dataclasses import dataclass

from cultivate.core.text import Number, _, ngettext

from .metrics import Metrics


@dataclass(frozen=True, slots=True)
class HealthWeights:
    """Points each component can add (they sum to 100) and the self-promotion penalty.

    Targets are where a component earns its full points (docs/metrics.md gives the sources).
    """

    liveliness: float = 20.0
    questions: float = 20.0
    responsiveness: float = 20.0
    reciprocity: float = 10.0
    retention: float = 15.0
    co_creation: float = 15.0
    self_promotion_penalty: float = 25.0
    interactive_share_target: float = 0.38  # SWOOP: >38% of members interacting
    questions_per_member_target: float = 0.25  # 2.5x the level-2 floor
    answered_share_target: float = 0.90  # Area 51 "excellent"
    reciprocity_target: float = 0.30


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    value: float
    """The measured value, 0..1 after dividing by the target and capping."""
    weight: float
    points: float
    evidence: str


@dataclass(frozen=True, slots=True)
class Health:
    score: int
    components: tuple[Component, ...]


def _capped(value: float, target: float) -> float:
    return max(0.0, min(1.0, value / target)) if target > 0 else 0.0


def health(metrics: Metrics, weights: HealthWeights | None = None) -> Health:
    """Return the 0-100 health score and how each component contributed to it."""
    w = weights or HealthWeights()
    co = metrics.co_creation
    co_signals = [
        co.agenda_topics_with_deliverable > 0,
        co.max_contributors_per_document >= 3 or co.help_requests_fulfilled > 0,
        co.decisions_made > 0 or co.action_items_completed > 0,
    ]
    parts = [
        (
            _("liveliness"),
            _capped(metrics.interactive_share, w.interactive_share_target),
            w.liveliness,
            ngettext(
                "%(active)s of %(n)s member contributed (%(share)s; target %(target)s)",
                "%(active)s of %(n)s members contributed (%(share)s; target %(target)s)",
                metrics.members,
                active=metrics.active_members,
                share=Number.percent(metrics.interactive_share),
                target=Number.percent(w.interactive_share_target),
            ),
        ),
        (
            _("questions"),
            _capped(metrics.questions_per_active_member_30d, w.questions_per_member_target),
            w.questions,
            _(
                "%(rate)s questions per active member a month (target %(target)s)",
                rate=Number.ratio(metrics.questions_per_active_member_30d),
                target=Number.ratio(w.questions_per_member_target),
            ),
        ),
        (
            _("responsiveness"),
            _capped(metrics.answered_share, w.answered_share_target),
            w.responsiveness,
            _(
                "%(share)s of questions answered within 7 days (target %(target)s)",
                share=Number.percent(metrics.answered_share),
                target=Number.percent(w.answered_share_target),
            ),
        ),
        (
            _("reciprocity"),
            _capped(metrics.reciprocity, w.reciprocity_target),
            w.reciprocity,
            _(
                "%(share)s of helping ties go both ways (target %(target)s)",
                share=Number.percent(metrics.reciprocity),
                target=Number.percent(w.reciprocity_target),
            ),
        ),
        (
            _("retention"),
            metrics.retention or 0.0,
            w.retention,
            _("no one was active in the previous window")
            if metrics.retention is None
            else _(
                "%(share)s of the previous window's active members came back",
                share=Number.percent(metrics.retention),
            ),
        ),
        (
            _("joint work"),  # not "co-creation": that is level 3's narrower criterion
            sum(co_signals) / len(co_signals),
            w.co_creation,
            ngettext(
                "%(n)s of 3 signs: agenda with a deliverable, shared documents or fulfilled "
                "help requests, decisions or completed actions",
                "%(n)s of 3 signs: agenda with a deliverable, shared documents or fulfilled "
                "help requests, decisions or completed actions",
                sum(co_signals),
            ),
        ),
    ]
    components = [Component(n, v, wt, v * wt, e) for n, v, wt, e in parts]
    penalty = metrics.self_promotion_share * w.self_promotion_penalty
    components.append(
        Component(
            _("self-promotion"),
            metrics.self_promotion_share,
            -w.self_promotion_penalty,
            -penalty,
            _(
                "%(share)s of original posts promote their author",
                share=Number.percent(metrics.self_promotion_share),
            ),
        )
    )
    total = sum(c.points for c in components)
    return Health(score=round(max(0.0, min(100.0, total))), components=tuple(components))
