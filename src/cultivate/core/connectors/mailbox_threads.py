"""Place mail messages in threads: In-Reply-To, then References, then a reply's subject.

Kept apart from mailbox.py because threading needs a message's headers only: the reader's first
pass over a file turns each message into an `Envelope`, and `Threading` (a base of the reader)
places every envelope under its parent, remembering only ids, authors and subjects per list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["Envelope", "MailingList", "ThreadPlace", "Threading", "normalise_subject"]

_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|wg|sv|vs|antw|tr|rif|r)\s*(?:\[\d+\]|\(\d+\))?\s*:|\[[^\]]*\])\s*",
    re.IGNORECASE,
)
_REPLY_MARK = re.compile(
    r"^\s*['\"]?\s*(?:\[[^\]]*\]\s*)*(?:re|aw|sv|antw)\s*(?:\[\d+\])?\s*:", re.I
)


def normalise_subject(subject: str) -> str:
    """Return the subject without Re:/Fwd:/AW: prefixes, [list] tags, quotes or extra spaces."""
    text = " ".join(subject.split()).strip().strip("'\"").strip()
    while True:
        stripped = _REPLY_PREFIX.sub("", text, count=1).strip().strip("'\"").strip()
        if stripped == text:
            return text.lower()
        text = stripped


@dataclass(frozen=True, slots=True)
class _Posted:
    object_id: str
    author: str
    root_id: str


@dataclass
class MailingList:
    """Threading memory of one list: message ids and subjects to their threads."""

    community: str
    name: str
    by_id: dict[str, _Posted] = field(default_factory=dict)
    by_subject: dict[str, _Posted] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Envelope:
    """What threading needs of one message: its headers, not its body."""

    number: int
    the_list: MailingList
    message_id: str
    object_id: str
    actor: str
    name: str
    at: datetime
    dated_by: str
    subject: str
    topic: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    header_errors: bool


@dataclass(frozen=True, slots=True)
class ThreadPlace:
    """Where a message sits in its thread; parent None for a thread start."""

    envelope: Envelope
    parent: _Posted | None
    threaded_by: str


class Threading:
    """The reader's threading: where each message sits, from the lists' memory."""

    def thread(self, envelopes: list[Envelope]) -> dict[int, ThreadPlace]:
        """Place messages in threads in the order they were sent (archives are not always)."""
        places: dict[int, ThreadPlace] = {}
        for envelope in sorted(envelopes, key=lambda e: (e.at, e.number)):
            the_list = envelope.the_list
            parent, threaded_by = self.parent(envelope)
            if parent is None and (envelope.in_reply_to or envelope.references):
                # It answers a message the archive does not hold: that message is the thread.
                missing = (envelope.references or envelope.in_reply_to)[0]
                root_id = f"mail:{the_list.name}:{missing}"
                parent, threaded_by = _Posted(root_id, "", root_id), "missing parent"
            root_id = envelope.object_id if parent is None else parent.root_id
            posted = _Posted(envelope.object_id, envelope.actor, root_id)
            the_list.by_id[envelope.message_id] = posted
            if envelope.topic and (parent is None or envelope.topic not in the_list.by_subject):
                the_list.by_subject[envelope.topic] = posted
            places[envelope.number] = ThreadPlace(envelope, parent, threaded_by)
        return places

    def parent(self, envelope: Envelope) -> tuple[_Posted | None, str]:
        """Find the message this one answers: by header first, by subject when it says Re:."""
        the_list = envelope.the_list
        for message_id in envelope.in_reply_to:
            if message_id in the_list.by_id:
                return the_list.by_id[message_id], "in-reply-to"
        for message_id in reversed(envelope.references):
            if message_id in the_list.by_id:
                return the_list.by_id[message_id], "references"
        replying = bool(
            envelope.in_reply_to or envelope.references or _REPLY_MARK.match(envelope.subject)
        )
        if replying and envelope.topic in the_list.by_subject:
            first = the_list.by_subject[envelope.topic]
            root = the_list.by_id.get(first.root_id.split(":", 2)[-1], first)
            return _Posted(root.object_id, root.author, first.root_id), "subject"
        return None, ""

    @staticmethod
    def thread_starter(the_list: MailingList, parent: _Posted) -> str:
        """Return the author of the message that opened `parent`'s thread ("" if not held)."""
        root = the_list.by_id.get(parent.root_id.split(":", 2)[-1])
        return root.author if root is not None else ""
