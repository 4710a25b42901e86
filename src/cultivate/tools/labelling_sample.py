"""Draw messages to label by hand, reproducibly, from the real community data.

`python -m cultivate.tools.labelling_sample --data DIR --out FILE` writes one JSON object per
line (id, folder, thread_start, text) for messages not yet in `labelled_messages.csv`: a random
draw per folder (seeded, strata sorted by id) plus a keyword draw that enriches the rare kinds
(self-promotion, announcements, thanks). The texts go to a scratch file for the annotator, never
into the repository; docs/labelling.md says how each draw was made.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cultivate.core.activity import Activity, Verb
from cultivate.core.connectors import detect_and_read

from .classifier_evaluation import classified_text, load_labels

__all__ = ["QUOTAS", "Candidate", "candidates", "draw"]

QUOTAS: Mapping[str, int] = {
    "slack-houstondatavis": 450,
    "slack-api-julialang": 550,
    "discourse-askci": 330,
    "ml-numpy-discussion": 100,
    "ml-3gpp-listserv-mbox": 60,
    "se-ai": 150,
    "se-beer-meta": 80,
    "se-conlang-meta": 60,
    "se-french-meta": 110,
    "se-history-meta": 110,
}
"""Second draw (2026-12): how many new messages to take from each folder at random."""
KEYWORD_QUOTA = 150
SEED = 2026
_TEXT_VERBS = frozenset({Verb.ASK, Verb.SHARE, Verb.REPLY, Verb.ANSWER, Verb.CELEBRATE, Verb.MEET})
_RARE = re.compile(
    r"\b(?:my|our) (?:new |latest )?(?:talk|blog|post|article|book|course|video|package|library|"
    r"project|paper|slides|company|startup|product|site|tool|app)\b|\bi (?:wrote|made|built|"
    r"released|published)\b|\bhiring\b|\bjob\b|\bposition\b|\bcall for\b|\bannounc|"
    r"\brelease[sd]?\b|"
    r"\bworkshop\b|\bconference\b|\bwebinar\b|\bmeetup\b|\bthanks?\b|\bthank you\b|\bkudos\b|"
    r"\bcongrat",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A message that may be drawn: where it is, whether it opens a thread, its text."""

    id: str
    folder: str
    thread_start: bool
    text: str


def candidates(data: Path, folder: str) -> Iterator[Candidate]:
    """Yield every message of a folder that the classifier would read, as the reader hands it."""
    for batch in detect_and_read(data / folder):
        for activity in batch:
            if _classifiable(activity):
                is_reply = activity.source == "mail" and activity.parent_id is not None
                text = classified_text(activity.text or "", activity.meta, is_reply)
                yield Candidate(activity.id, folder, activity.parent_id is None, text)


def _classifiable(activity: Activity) -> bool:
    if activity.verb not in _TEXT_VERBS or not (activity.text or "").strip():
        return False
    return activity.meta.get("kind") not in {"file", "file comment"}


def draw(data: Path, *, seed: int = SEED, known: set[str] | None = None) -> list[Candidate]:
    """Return the random draw per folder, then the keyword draw, none of them already known."""
    rng = random.Random(seed)
    known = set(known or ())
    chosen: list[Candidate] = []
    rest: list[Candidate] = []
    for folder, quota in sorted(QUOTAS.items()):
        pool = sorted((c for c in candidates(data, folder) if c.id not in known), key=_id)
        rng.shuffle(pool)
        chosen += pool[:quota]
        rest += pool[quota:]
    rest = [c for c in sorted(rest, key=_id) if not c.folder.startswith("se-")]
    keyworded = [c for c in rest if _RARE.search(c.text)]
    rng.shuffle(keyworded)
    return chosen + keyworded[:KEYWORD_QUOTA]


_OWN_WORK = re.compile(
    r"\b(?:my|our) (?:new |latest |own |first |free )?(?:talk|blog|blog post|post|article|book|"
    r"course|video|videos|podcast|package|library|project|paper|preprint|slides|company|startup|product|"
    r"site|website|tool|app|newsletter|tutorial|workshop|thesis|repo|demo|channel|service|lab)\b|"
    r"\bi (?:wrote|made|built|created|released|published|started|launched)\b|\bcheck (?:it )?out\b|"
    r"\bshameless(?:ly)? plug\b|\bfeedback (?:welcome|appreciated)\b|\bwe (?:built|made|released|"
    r"launched|published)\b|\bhiring\b|\bsign up\b|\bdiscount\b|\bfree trial\b",
    re.IGNORECASE,
)
"""Messages that may point at the author's own work: the third draw enriches self-promotion."""
THIRD_DRAW_SEED = 2027
PROMOTION_QUOTA = 600
"""At most this many own-work matches (2026-12: all 213 that were left)."""
RANDOM_QUOTAS: Mapping[str, int] = {
    "slack-houstondatavis": 150,
    "slack-api-julialang": 250,
    "discourse-askci": 100,
    "se-ai": 80,
    "se-french-meta": 60,
    "se-history-meta": 60,
}
"""Third draw (2026-12): more random messages where questions and chat are."""


def third_draw(data: Path, *, known: set[str]) -> list[Candidate]:
    """Return the third draw: own-work keyword matches, then a random sample per folder."""
    rng = random.Random(THIRD_DRAW_SEED)
    every = {
        folder: sorted((c for c in candidates(data, folder) if c.id not in known), key=_id)
        for folder in sorted(QUOTAS)
    }
    own = [c for rows in every.values() for c in rows if _OWN_WORK.search(c.text)]
    rng.shuffle(own)
    chosen = own[:PROMOTION_QUOTA]
    taken = {c.id for c in chosen}
    for folder, quota in sorted(RANDOM_QUOTAS.items()):
        pool = [c for c in every[folder] if c.id not in taken]
        rng.shuffle(pool)
        chosen += pool[:quota]
    return chosen


def _id(candidate: Candidate) -> str:
    return candidate.id


def main(argv: Sequence[str] | None = None) -> int:
    """Write the draw as JSON Lines for the annotator."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--third", action="store_true", help="the third draw (own work, random)")
    args = parser.parse_args(argv)
    known = {item.id for item in load_labels()}
    if args.third:
        drawn = third_draw(args.data, known=known)
    else:
        drawn = draw(args.data, seed=args.seed, known=known)
    with args.out.open("w", encoding="utf-8") as handle:
        for c in drawn:
            row = {"id": c.id, "folder": c.folder, "thread_start": c.thread_start, "text": c.text}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(drawn)} messages written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
