"""How an exported activity reads here: ids that fit the columns, usernames, titles, kinds.

Pure functions of one activity (or key); the import's writer (`services.py`) uses them to turn
activities into accounts, questions, posts, answers and comments.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from cultivate.apps.sharing.models import PostKind
from cultivate.apps.tags.services import MAX_TAGS, is_tag_name, normal_tag
from cultivate.core.activity import Activity, Verb

_MAX_ID = 200
TITLE_LIMIT = 200
"""A thread's title is cut to this many characters."""
_NOT_USERNAME = re.compile(r"[^A-Za-z0-9_.@+-]+")
_SHORT_SOURCE = {"stackexchange": "se"}


def external_id(value: str) -> str:
    """Return an id that fits the 200-character columns, unique however long the original is."""
    if len(value) <= _MAX_ID:
        return value
    digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:20]  # noqa: S324 - not security
    return f"{value[: _MAX_ID - 21]}#{digest}"


def short_hash(value: str, n: int = 6) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:n]  # noqa: S324 - not security


def username_for(key: str) -> str:
    """Derive a readable username from an actor key: `se.ai.17`, `slack.workspace.U061`."""
    parts = [p for p in key.split(":") if p and p != "user"]
    if parts and parts[0] == "mail":
        local = parts[-1].split("@", 1)[0]
        return _clean_username(f"mail.{local}", key, always_hash=True)
    if parts:
        parts[0] = _SHORT_SOURCE.get(parts[0], parts[0])
    return _clean_username(".".join(parts), key)


def _clean_username(raw: str, key: str, *, always_hash: bool = False) -> str:
    clean = _NOT_USERNAME.sub("-", raw).strip("-.")[:120] or "imported"
    if always_hash or clean != raw:
        # Different keys may clean to the same text; the key's hash keeps them apart.
        clean = f"{clean}-{short_hash(key)}"
    return clean


def one_line(text: str) -> str:
    return " ".join(text.split())


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def title_and_body(activity: Activity) -> tuple[str, str]:
    """Return a title (the export's, the subject, or the first line) and the body without it."""
    text = (activity.text or "").strip()
    meta = activity.meta
    answered = meta.get("question_title")
    if isinstance(answered, str) and answered.strip():
        return cut(one_line(f"Re: {answered.strip()}"), TITLE_LIMIT), text
    for name in ("title", "subject"):
        value = meta.get(name)
        if isinstance(value, str) and value.strip():
            title = value.strip()
            body = text[len(title) :].lstrip() if text.startswith(title) else text
            return cut(one_line(title), TITLE_LIMIT), body or text
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first and isinstance(meta.get("file"), str):
        first = meta["file"]
    title = cut(one_line(first), TITLE_LIMIT) or f"Message of {activity.at:%Y-%m-%d}"
    return title, text


def post_kind(meta: Any) -> str:
    kind = meta.get("kind")
    if kind in PostKind.values:
        return str(kind)
    if kind == "appreciation":
        return PostKind.STORY  # thanks and praise for a success
    return PostKind.ANNOUNCEMENT if kind == "broadcast" else PostKind.ARTICLE


def read_as(a: Activity) -> str:
    """Return the kind the classifier read in an imported message, or "" where it read none."""
    kind = a.meta.get("kind")
    if not a.meta.get("inferred") and "confidence" not in a.meta:
        return ""
    return str(kind)[:20] if isinstance(kind, str) else ""


_MESSAGE_VERBS = (Verb.MEET, Verb.CELEBRATE)
"""Verbs that messages read as meetings announced or thanks given: content, like a post."""


def opens_thread(a: Activity) -> bool:
    """Whether an activity is a message that starts a thread: a question or a post here."""
    if a.verb in (Verb.ASK, Verb.SHARE):
        return True
    return a.verb in _MESSAGE_VERBS and a.parent_id is None and "reaction" not in a.meta


def follows_up(a: Activity) -> bool:
    """Whether an activity is a message in a thread: a comment here (a reply, or thanks)."""
    if a.verb is Verb.REPLY:
        return True
    return a.verb is Verb.CELEBRATE and a.parent_id is not None and "reaction" not in a.meta


def score_of(meta: Any) -> int:
    for name in ("upvotes", "likes"):
        value = meta.get(name)
        if isinstance(value, int) and value > 0:
            return value
    return 0


def tags_of(meta: Any) -> list[str]:
    """The export's tags that follow the naming rule; others are left out, not refused."""
    raw = meta.get("tags")
    tags: list[str] = []
    for item in raw if isinstance(raw, list) else []:
        tag = normal_tag(str(item))
        if is_tag_name(tag) and tag not in tags:
            tags.append(tag)
    return tags[:MAX_TAGS]
