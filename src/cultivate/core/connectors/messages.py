"""What the message-based connectors (Slack, mailing lists) share: verbs inferred from text.

Chat messages and e-mails carry no type, so the contribution classifier decides whether a
message opened a question or shared something; every inferred verb says so in its meta.
"""

from __future__ import annotations

from typing import Any

from cultivate.core.activity import Verb
from cultivate.core.language import Classification, Kind, classify

from .base import ReadStats

__all__ = ["ReadStats", "inferred_meta", "opening_verb"]


def classify_opening(text: str) -> Classification:
    """Classify a message that starts a thread."""
    return classify(text, is_thread_start=True)


def opening_verb(classification: Classification) -> Verb:
    """Return ask for a question and share for anything else that opens a thread."""
    return Verb.ASK if classification.kind is Kind.QUESTION else Verb.SHARE


def inferred_meta(classification: Classification, **extra: Any) -> dict[str, Any]:
    """Return the meta that records an inferred verb: the kind and how sure the classifier was."""
    return {
        "kind": classification.kind.value,
        "inferred": True,
        "confidence": classification.confidence,
        **extra,
    }
