"""What the message-based connectors (Slack, mailing lists) share: verbs inferred from text.

Chat messages and e-mails carry no type, so the contribution classifier decides whether a
message opened a question or shared something; every inferred verb says so in its meta.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cultivate.core.activity import Activity, Verb
from cultivate.core.language import Classification, Kind
from cultivate.core.language.occasions import CELEBRATORY_REACTIONS, announces_meeting
from cultivate.core.language.parallel import MessageToClassify, classify_stream

from .base import ReadStats

__all__ = [
    "ReadStats",
    "Unclassified",
    "classified_in_order",
    "follow_up_verb",
    "inferred_meta",
    "opening_verb",
    "reaction_verb",
]


@dataclass(frozen=True, slots=True)
class Unclassified:
    """A message read to its text whose activity waits for the classifier's verdict.

    Readers yield these where nothing they read later depends on the verdict (a mail once its
    archive is threaded, a Slack thread reply), so a long export is classified on every core.
    """

    id: str
    """The activity's id, known before its verb (readers skip ids already read)."""
    message: MessageToClassify
    build: Callable[[Classification], Activity]


def classified_in_order(
    items: Iterable[Activity | Unclassified], *, workers: int | None = None
) -> Iterator[Activity]:
    """Yield the reader's activities in its order, each waiting one built from its verdict.

    The classifications run through `classify_stream` (worker processes for a long export);
    a ready activity passes through it as None, so it is handed on as soon as every item
    before it is: memory holds at most the pool's few chunks, whatever the export's size.
    """
    waiting: deque[Activity | Unclassified] = deque()

    def to_classify() -> Iterator[MessageToClassify | None]:
        for item in items:
            waiting.append(item)
            yield item.message if isinstance(item, Unclassified) else None

    for classification in classify_stream(to_classify(), workers=workers):
        item = waiting.popleft()
        if isinstance(item, Activity):
            yield item
        else:
            assert classification is not None  # a message's place holds its verdict
            yield item.build(classification)


def opening_verb(classification: Classification, text: str = "") -> Verb:
    """Return the verb of a message that opens a thread, by the kind it was read as.

    A question asks; thanks or praise celebrates (step 6, celebrating success); a notice that
    announces a meetup, call or workshop meets (step 1: the community gathers); anything else
    shares.
    """
    if classification.kind is Kind.QUESTION:
        return Verb.ASK
    if classification.kind is Kind.APPRECIATION:
        return Verb.CELEBRATE
    if classification.kind is Kind.BROADCAST and announces_meeting(text):
        return Verb.MEET
    return Verb.SHARE


def follow_up_verb(classification: Classification) -> Verb:
    """Return celebrate for thanks in a thread (it helps nobody: no response), else reply."""
    return Verb.CELEBRATE if classification.kind is Kind.APPRECIATION else Verb.REPLY


def reaction_verb(name: str) -> Verb:
    """Return celebrate for a reaction that thanks or cheers (:tada:, :clap:), else react."""
    return Verb.CELEBRATE if name.strip(":").lower() in CELEBRATORY_REACTIONS else Verb.REACT


def inferred_meta(classification: Classification, **extra: Any) -> dict[str, Any]:
    """Return the meta that records an inferred verb: the kind and how sure the classifier was."""
    return {
        "kind": classification.kind.value,
        "inferred": True,
        "confidence": classification.confidence,
        **extra,
    }
