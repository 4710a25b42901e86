"""What the message-based connectors (Slack, mailing lists) share: verbs inferred from text.

Chat messages and e-mails carry no type, so the contribution classifier decides whether a
message opened a question or shared something; every inferred verb says so in its meta.
"""

from __future__ import annotations

from typing import Any

from cultivate.core.activity import Verb
from cultivate.core.language import Classification, Kind
from cultivate.core.language.occasions import CELEBRATORY_REACTIONS, announces_meeting

from .base import ReadStats

__all__ = ["ReadStats", "follow_up_verb", "inferred_meta", "opening_verb", "reaction_verb"]


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
