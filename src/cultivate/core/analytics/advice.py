"""The few actions that close the gap to the next level or revive a missing step, with evidence."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import polars as pl

from cultivate.core.activity import Verb
from cultivate.core.text import Number, Text, _, ngettext

from .maturity import Level
from .metrics import Metrics
from .steps import Step

MEETING_GAP_DAYS = 120


@dataclass(frozen=True, slots=True)
class Claim:
    """One fact an advice line states, checkable against the same analysis (`check_claims`).

    kinds: "criterion" (name; expect = whether it held), "metric" (name; expect = (op, value)),
    "step" (name = step number; expect = "lit", "not lit" or days: not within that many days),
    "level" (expect = (op, number)).
    """

    kind: str
    name: str
    expect: Any


@dataclass(frozen=True, slots=True)
class Advice:
    action: Text
    evidence: Text
    people: tuple[str, ...] = ()
    """Actor ids the advice names (the report turns them into names)."""
    claims: tuple[Claim, ...] = ()
    """What the evidence says, so a test can prove no advice contradicts the page it is on."""


_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
    ">": lambda a, b: a > b,
}


def check_claims(
    advice: Iterable[Advice], metrics: Metrics, level: Level, steps: tuple[Step, ...]
) -> list[str]:
    """Return every claim of the advice that the metrics, criteria or steps contradict."""
    criteria = {c.name: c for c in level.criteria}
    by_number = {s.number: s for s in steps}
    broken: list[str] = []
    for item in advice:
        for claim in item.claims:
            if claim.kind == "criterion":
                criterion = criteria.get(claim.name)
                ok = criterion is not None and criterion.held == claim.expect
            elif claim.kind == "metric":
                op, value = claim.expect
                measured = getattr(metrics, claim.name)
                measured = len(measured) if isinstance(measured, tuple) else measured
                ok = measured is not None and _OPS[op](float(measured), float(value))
            elif claim.kind == "level":
                op, value = claim.expect
                ok = _OPS[op](level.number, value)
            elif claim.kind == "step":
                step = by_number[int(claim.name)]
                if claim.expect == "lit":
                    ok = step.lit
                elif claim.expect == "not lit":
                    ok = not step.lit
                else:
                    ok = step.last_at is None or (
                        metrics.window.end - step.last_at > timedelta(days=int(claim.expect))
                    )
            else:
                ok = False
            if not ok:
                broken.append(f"{item.action!r} claims {claim}")
    return broken


def _tags(meta: str | None) -> set[str]:
    if not meta or '"tags"' not in meta:  # most activities carry none: skip parsing their JSON
        return set()
    try:
        tags = json.loads(meta).get("tags") or []
    except (ValueError, AttributeError):
        return set()
    return {str(t) for t in tags} if isinstance(tags, list) else set()


def likely_helpers(frame: pl.DataFrame, question_ids: tuple[str, ...], limit: int = 3) -> list[str]:
    """Return who answered questions sharing tags with these (else the busiest responders)."""
    asks = frame.filter(pl.col("verb") == Verb.ASK.value).select("object_id", "actor", "meta")
    tags_of = {row[0]: _tags(row[2]) for row in asks.iter_rows()}
    askers = {row[0]: row[1] for row in asks.iter_rows()}
    wanted = set().union(*(tags_of.get(q, set()) for q in question_ids)) if question_ids else set()
    exclude = {askers.get(q) for q in question_ids}
    answers = frame.filter(
        (pl.col("verb") == Verb.ANSWER.value) & pl.col("parent_id").is_not_null()
    ).select("parent_id", "actor")
    similar: Counter[str] = Counter()
    anyone: Counter[str] = Counter()
    for parent, actor in answers.iter_rows():
        if actor in exclude:
            continue
        anyone[actor] += 1
        if wanted & tags_of.get(parent, set()):
            similar[actor] += 1
    ranked = [a for a, _ in similar.most_common()] + [a for a, _ in anyone.most_common()]
    return list(dict.fromkeys(ranked))[:limit]


def _names(people: list[str], names: Mapping[str, str]) -> str | Text:
    shown = [names.get(p, p) for p in people]
    if len(shown) < 2:
        return "".join(shown)
    return _("%(first)s and %(last)s", first=", ".join(shown[:-1]), last=shown[-1])


def _only(what: str, count: int) -> Text:
    """'only 2 people asked in the window', or 'nobody asked' (never 'only 0 people')."""
    if what == "asked":
        if not count:
            return _("nobody asked in the window.")
        return ngettext(
            "only %(n)s person asked in the window.",
            "only %(n)s people asked in the window.",
            count,
        )
    if not count:
        return _("nobody answered in the window.")
    return ngettext(
        "only %(n)s person answered in the window.",
        "only %(n)s people answered in the window.",
        count,
    )


def advise(
    frame: pl.DataFrame,
    metrics: Metrics,
    level: Level,
    steps: tuple[Step, ...],
    names: Mapping[str, str] | None = None,
    limit: int = 5,
    *,
    imported: bool = False,
) -> tuple[Advice, ...]:
    """Return up to `limit` pieces of advice, most urgent first, each tied to its evidence.

    Every line states its evidence as claims (`check_claims`), so none can contradict the
    criteria and steps beside it. `imported`: the history came from another platform, so what
    only the platform can do (coffee pairing) says so and offers the import.
    """
    names = names or {}
    items: list[Advice] = []
    end = metrics.window.end
    if level.number == 0:
        items.append(
            Advice(
                _(
                    "Restart the conversation: ask the members one concrete question yourself, "
                    "and invite them to a short informal meetup."
                ),
                ngettext(
                    "%(n)s contribution in %(days)s days, %(recent)s in the last 30.",
                    "%(n)s contributions in %(days)s days, %(recent)s in the last 30.",
                    metrics.contributions,
                    days=metrics.window.days,
                    recent=metrics.contributions_last_30_days,
                ),
                claims=(Claim("level", "number", ("==", 0)),),
            )
        )
    unanswered = metrics.unanswered_question_ids
    if unanswered:
        helpers = likely_helpers(frame.filter(pl.col("at") <= end), unanswered)
        count = len(unanswered)
        action = (
            ngettext(
                "Get the %(n)s unanswered question answered: ask %(people)s, who answered "
                "similar ones.",
                "Get the %(n)s unanswered questions answered: ask %(people)s, who answered "
                "similar ones.",
                count,
                people=_names(helpers, names),
            )
            if helpers
            else ngettext(
                "Get the %(n)s unanswered question answered.",
                "Get the %(n)s unanswered questions answered.",
                count,
            )
        )
        items.append(
            Advice(
                action,
                ngettext(
                    "%(n)s question has waited more than 7 days without an answer from someone "
                    "else.",
                    "%(n)s questions have waited more than 7 days without an answer from someone "
                    "else.",
                    count,
                ),
                tuple(helpers),
                claims=(Claim("metric", "unanswered_question_ids", ("==", len(unanswered))),),
            )
        )
    if metrics.self_promotion_share >= 0.3:
        items.append(
            Advice(
                _("Ask members to end each success story with an open question to the community."),
                _(
                    "%(share)s of original posts promote their author; communities heavy on "
                    "self-promotion do not last.",
                    share=Number.percent(metrics.self_promotion_share),
                ),
                claims=(Claim("metric", "self_promotion_share", (">=", 0.3)),),
            )
        )
    gap = {c.name: c for c in level.gap}
    for name in ("question share", "questions per active member per 30 days"):
        if name in gap:
            c = gap[name]
            items.append(
                Advice(
                    _(
                        "Turn broadcasts into questions: ask each poster what they would like "
                        "to learn, and have coordinators ask one real question a week."
                    ),
                    _(
                        "%(criterion)s is %(value)s, below the %(threshold)s that leveraging the "
                        "network needs (%(questions)s questions, %(posts)s posts).",
                        criterion=c.name,
                        value=Number.ratio(c.value),
                        threshold=Number.ratio(c.threshold),
                        questions=metrics.questions,
                        posts=metrics.shares,
                    ),
                    claims=(Claim("criterion", c.name, False),),
                )
            )
            break
    if "distinct responders" in gap:
        items.append(
            Advice(
                _(
                    "Widen the circle of helpers: invite members with the right expertise to "
                    "answer."
                ),
                _only("answered", int(gap["distinct responders"].value)),
                claims=(Claim("criterion", "distinct responders", False),),
            )
        )
    if "distinct askers" in gap:
        items.append(
            Advice(
                _("Encourage more people to ask: thank first-time askers publicly."),
                _only("asked", int(gap["distinct askers"].value)),
                claims=(Claim("criterion", "distinct askers", False),),
            )
        )
    if level.number == 2 and "agenda topics with a deliverable" in gap:
        items.append(
            Advice(
                _(
                    "Agree a topic agenda: pick one best practice to write together this month, "
                    "with an owner and a deliverable."
                ),
                _(
                    "the community leverages its network but has no agenda topic with a "
                    "deliverable in the window."
                ),
                claims=(Claim("criterion", "agenda topics with a deliverable", False),),
            )
        )
    elif level.number == 2 and "co-creation" in gap:
        items.append(
            Advice(
                _(
                    "Write the agenda topic's best practice together: ask three members to "
                    "revise it, or fulfil an open help request."
                ),
                _(
                    "an agenda topic is active, but no best practice was revised by three "
                    "people and no help request was fulfilled by someone else in the window."
                ),
                claims=(
                    Claim("criterion", "agenda topics with a deliverable", True),
                    Claim("criterion", "co-creation", False),
                ),
            )
        )
    meetings = [s for s in steps if s.number in (1, 2)]
    last_meeting = max((s.last_at for s in meetings if s.last_at), default=None)
    if level.number > 0 and (
        last_meeting is None or end - last_meeting > timedelta(days=MEETING_GAP_DAYS)
    ):
        evidence = (
            _("no meeting or pairing yet.")
            if last_meeting is None
            else _(
                "the last meeting or pairing was %(days)s days ago.",
                days=(end - last_meeting).days,
            )
        )
        action = (
            _(
                "Invite members to an informal meetup or call. Coffee pairing runs on the "
                "Cultivate platform: import this history (`cultivate import PATH --community "
                "SLUG`) to pair its members."
            )
            if imported
            else _("Run a coffee-pairing round so members meet informally.")
        )
        items.append(
            Advice(
                action,
                evidence,
                claims=(
                    Claim("step", "1", MEETING_GAP_DAYS),
                    Claim("step", "2", MEETING_GAP_DAYS),
                ),
            )
        )
    if metrics.newcomer_reply_rate is not None and metrics.newcomer_reply_rate < 0.5:
        items.append(
            Advice(
                _("Welcome newcomers: reply to each first post within a day."),
                ngettext(
                    "%(n)s newcomer posted; %(share)s got a reply (a reply raises the chance a "
                    "newcomer returns, Joyce & Kraut 2006).",
                    "%(n)s newcomers posted; %(share)s got a reply (a reply raises the chance a "
                    "newcomer returns, Joyce & Kraut 2006).",
                    metrics.newcomers,
                    share=Number.percent(metrics.newcomer_reply_rate),
                ),
                claims=(Claim("metric", "newcomer_reply_rate", ("<", 0.5)),),
            )
        )
    celebrate = next(s for s in steps if s.number == 6)
    if level.number >= 1 and not celebrate.lit:
        items.append(
            Advice(
                _("Celebrate a success: thank the people whose answers helped most this quarter."),
                _("no celebration or thanks in the window."),
                claims=(Claim("step", "6", "not lit"),),
            )
        )
    return tuple(items[:limit])
