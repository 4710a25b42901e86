"""Who can answer a question: people ranked by what they did on questions like it.

Each piece of evidence is something a person did (an answer, an accepted answer, a best
practice they co-wrote, help they gave, an expertise they declared) with how close its subject
is to the question (a cosine, or a fixed closeness for a shared tag) and how much it weighs. A
person's score sums closeness x weight x recency over their evidence, then is divided by the
load they already carry, so the same few experts are not asked everything. The same function
ranks people in the product and in the evaluation on Stack Exchange dumps (`bench/`), so the
figures in docs/metrics.md are the product's.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

__all__ = ["Evidence", "RankedPerson", "answer_weight", "rank_people"]

P = TypeVar("P", bound=Hashable)

HALF_LIFE_DAYS = 365.0
"""What someone answered a year ago counts half: people move on, knowledge stays a while."""
LOAD_PENALTY = 0.5
"""Each open question already routed to a person divides their score by 1 + this."""


@dataclass(frozen=True, slots=True)
class Evidence(Generic[P]):
    """One thing a person did that says they may know the answer."""

    person: P
    closeness: float
    """How near its subject is to the question: a cosine in [0, 1]."""
    weight: float
    at: datetime | None = None
    reason: str = ""
    """A short key for why it counts ("answer", "accepted", "practice", "help", "expertise")."""


@dataclass(frozen=True)
class RankedPerson(Generic[P]):
    person: P
    score: float
    reasons: Mapping[str, int]
    """How many pieces of evidence of each reason made the score."""


def answer_weight(score: int, accepted: bool) -> float:
    """An answer counts 1, more with up-votes (log: the tenth vote adds less than the first),
    and 3 more when the asker accepted it."""
    return 1.0 + math.log1p(max(score, 0)) + (3.0 if accepted else 0.0)


def rank_people(
    evidence: Iterable[Evidence[P]],
    *,
    now: datetime,
    load: Mapping[P, int] | None = None,
    exclude: Iterable[P] = (),
    half_life_days: float = HALF_LIFE_DAYS,
) -> list[RankedPerson[P]]:
    """Return every person with evidence, best first (ties by first evidence seen)."""
    left_out = set(exclude)
    scores: dict[P, float] = defaultdict(float)
    reasons: dict[P, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    decay = math.log(2) / (half_life_days * 86_400)
    for item in evidence:
        if item.person in left_out or item.closeness <= 0:
            continue
        age = max((now - item.at).total_seconds(), 0.0) if item.at is not None else 0.0
        scores[item.person] += item.closeness * item.weight * math.exp(-decay * age)
        reasons[item.person][item.reason] += 1
    carried = load or {}
    ranked = [
        RankedPerson(
            person=person,
            score=score / (1.0 + LOAD_PENALTY * carried.get(person, 0)),
            reasons=dict(reasons[person]),
        )
        for person, score in scores.items()
    ]
    order = {r.person: i for i, r in enumerate(ranked)}
    ranked.sort(key=lambda r: (-r.score, order[r.person]))
    return ranked
