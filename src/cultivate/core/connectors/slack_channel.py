"""One Slack channel's messages as activities: what the export and the Web API readers share.

Verb mapping (see docs/connectors.md): thread starts and stand-alone messages are classified
(ask for a question, share otherwise); replies in threads reply to the thread root's author;
joins and leaves keep membership; reactions react, one per reacting person; file shares share;
channel housekeeping (topic, purpose, rename, archive, pins, integrations) is moderation; bot
messages are skipped and counted.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from cultivate.core.activity import Activity, Verb
from cultivate.core.language import Classification, Kind, classify

from .base import Person, SourceError
from .messages import (
    ReadStats,
    Unclassified,
    follow_up_verb,
    inferred_meta,
    opening_verb,
    reaction_verb,
)

__all__ = [
    "REPLY_WINDOW",
    "SOURCE",
    "Channel",
    "channel_activities",
    "list_of_objects",
    "parse_json",
    "person_of",
    "robots_of",
    "safe_name",
    "timestamp",
    "ts_order",
    "workspace_name",
]

SOURCE = "slack"
REPLY_WINDOW = timedelta(hours=2)
"""How close a stand-alone message must follow another person's to count as answering it."""

_RECENT = 20
"""How many recent messages to look back through for another person's message to answer."""
_SAFE_NAME = re.compile(r"^[^/\\\x00]+$")
_MESSAGE_SUBTYPES = frozenset({None, "me_message", "thread_broadcast", "reply_broadcast"})
_BOT_SUBTYPES = frozenset({"bot_message", "bot_remove_message"})
_JOIN_SUBTYPES = frozenset({"channel_join", "group_join"})
_LEAVE_SUBTYPES = frozenset({"channel_leave", "group_leave"})
_MODERATION_SUBTYPES = frozenset(
    {
        "channel_topic",
        "channel_purpose",
        "channel_name",
        "channel_archive",
        "channel_unarchive",
        "group_topic",
        "group_purpose",
        "group_name",
        "group_archive",
        "group_unarchive",
        "pinned_item",
        "unpinned_item",
        "bot_add",
        "bot_remove",
    }
)


def workspace_name(name: str) -> str:
    """Name the workspace after its folder, without repeating a leading "slack-"."""
    for prefix in ("slack-", "slack_"):
        if name.lower().startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return name


def parse_json(data: bytes, where: str) -> Any:
    """Parse one JSON file of an export; a broken one is a SourceError naming line and column."""
    try:
        value = json.loads(data)
    except json.JSONDecodeError as exc:
        rest = exc.doc[exc.pos :]
        unclosed = exc.msg.startswith("Unterminated string") and '"' not in rest[1:]
        if not rest.strip() or unclosed:
            expected = "complete JSON (the file is truncated: it ends inside a value)"
        else:
            expected = f"valid JSON ({exc.msg})"
        raise SourceError(where, f"line {exc.lineno} column {exc.colno}", expected) from None
    except UnicodeDecodeError as exc:
        raise SourceError(where, f"byte {exc.start}", "UTF-8 encoded JSON") from None
    except RecursionError:
        raise SourceError(where, "document", "JSON nested less deeply") from None
    if b"\\ud" in data or b"\\uD" in data:  # a lone surrogate escape breaks every later step
        return _without_surrogates(value)
    return value


def _without_surrogates(value: Any) -> Any:
    """Replace lone UTF-16 surrogates (\\ud800 escapes in JSON) by replacement characters."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def safe_name(name: object) -> bool:
    """Whether a channel name can name a folder of the export (no path tricks)."""
    return isinstance(name, str) and bool(_SAFE_NAME.match(name)) and name not in {".", ".."}


def list_of_objects(value: Any, where: str, what: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        raise SourceError(where, "top level", f"a JSON array of {what}")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise SourceError(where, f"item {index}", f"a JSON object ({what[:-1]})")
    return value


def _object(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def timestamp(value: Any, where: str, position: str) -> tuple[str, datetime]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = repr(value)
    try:
        if not isinstance(value, str):
            raise ValueError
        at = datetime.fromtimestamp(float(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise SourceError(
            where, position, "seconds since 1970 as a string such as '1433865601.000002'"
        ) from None
    return value, at


@dataclass(frozen=True, slots=True)
class _Posted:
    object_id: str
    author: str
    at: datetime
    root_id: str


class Channel:
    """Turn one channel's messages into activities, remembering what threads need."""

    def __init__(
        self,
        workspace: str,
        channel: str,
        stats: ReadStats,
        reply_window: timedelta | None,
        robots: Mapping[str, str] | None = None,
    ) -> None:
        self.robots = dict(robots or {})
        """Bot and integration user ids -> names: their messages are nobody's contribution."""
        self.robots.setdefault("USLACKBOT", "Slackbot")
        self.community = f"slack-{workspace}-{channel}"
        self.prefix = f"slack:{workspace}:{channel}"
        self.people = f"slack:{workspace}:user"
        self.stats = stats
        self.reply_window = reply_window
        self.by_ts: dict[str, _Posted] = {}
        self.files: dict[str, _Posted] = {}
        self.recent: deque[_Posted] = deque(maxlen=_RECENT)

    def actor(self, user_id: str) -> str:
        return f"{self.people}:{user_id}"

    def activity(self, **fields: Any) -> Activity:
        self.stats.activities += 1
        return Activity(source=SOURCE, community=self.community, **fields)

    def read(
        self, message: Mapping[str, Any], where: str, index: int
    ) -> Iterator[Activity | Unclassified]:
        self.stats.messages += 1
        ts, at = timestamp(message.get("ts"), where, f"message {index} field 'ts'")
        subtype = message.get("subtype")
        if subtype is not None and not isinstance(subtype, str):
            subtype = "malformed"  # a list or number where a name belongs: counted, never kept
        user = message.get("user")
        text = _string(message.get("text"))
        object_id = f"{self.prefix}:{ts}"
        if subtype in _BOT_SUBTYPES or (message.get("bot_id") and not isinstance(user, str)):
            self.stats.skipped["bot message"] += 1
            name = message.get("username") or message.get("bot_id") or "unnamed"
            self.stats.system_accounts[f"Slack bot {name}"] += 1
            return
        if isinstance(user, str) and user in self.robots:
            self.stats.system_accounts[f"Slack bot {self.robots[user]}"] += 1
            return
        if subtype == "file_comment":
            yield from self.file_comment(message, object_id, at, where, index)
            return
        if not isinstance(user, str) or not user.strip():
            self.stats.skipped[f"no user ({subtype or 'message'})"] += 1
            return
        actor = self.actor(user)
        base = {"id": object_id, "actor": actor, "object_id": object_id, "at": at}
        if subtype in _JOIN_SUBTYPES or subtype in _LEAVE_SUBTYPES:
            verb = Verb.JOIN if subtype in _JOIN_SUBTYPES else Verb.LEAVE
            yield self.activity(verb=verb, **base)
            # People welcome newcomers with reactions: keep them, aimed at the newcomer.
            yield from self.reactions(message, _Posted(object_id, actor, at, object_id))
            return
        if subtype in _MODERATION_SUBTYPES:
            yield self.activity(verb=Verb.MODERATE, text=text, meta={"subtype": subtype}, **base)
            yield from self.reactions(message, _Posted(object_id, actor, at, object_id))
            return
        if subtype == "file_share":
            file = _object(message.get("file"))
            posted = _Posted(object_id, actor, at, object_id)
            if isinstance(file.get("id"), str):
                self.files[file["id"]] = posted
            self.remember(ts, posted, top_level=True)
            meta = {"kind": "file", "file": str(file.get("title") or file.get("name") or "")}
            yield self.activity(verb=Verb.SHARE, text=text, meta=meta, **base)
            yield from self.reactions(message, posted)
            return
        if subtype not in _MESSAGE_SUBTYPES:
            self.stats.skipped[f"subtype {subtype}"] += 1
            return
        yield from self.message(message, ts, text, base)

    def message(
        self, message: Mapping[str, Any], ts: str, text: str, base: dict[str, Any]
    ) -> Iterator[Activity | Unclassified]:
        actor: str = base["actor"]
        at: datetime = base["at"]
        object_id: str = base["object_id"]
        thread_ts = message.get("thread_ts")
        if isinstance(thread_ts, str) and thread_ts != ts:
            root = self.by_ts.get(thread_ts)
            root_id = f"{self.prefix}:{thread_ts}"
            parent_user = message.get("parent_user_id")
            target = (
                root.author
                if root
                else (
                    self.actor(parent_user)
                    if isinstance(parent_user, str) and parent_user
                    else None
                )
            )
            posted = _Posted(object_id, actor, at, root_id)
            self.remember(ts, posted, top_level=False)
            # Nothing read later depends on a thread reply's kind: it waits for its verdict
            # (classified on every core in a long export, `classified_in_order`).
            yield Unclassified(
                object_id,
                (text, False, target == actor),
                partial(self.thread_reply, base, root_id, target, text),
            )
            yield from self.reactions(message, posted)
            return
        starts_thread = thread_ts == ts or bool(
            message.get("reply_count") or message.get("replies")
        )
        previous = None if starts_thread else self.previous(actor, at)
        if previous is not None:
            c = classify(
                text,
                is_thread_start=False,
                by_thread_starter=self.thread_starter(previous) == actor,
            )
            if c.kind in {Kind.REPLY, Kind.APPRECIATION, Kind.OTHER}:
                posted = _Posted(object_id, actor, at, previous.root_id)
                self.remember(ts, posted, top_level=True)
                meta = inferred_meta(c, verb_inferred=True, parent_inferred=True)
                meta["replied_to"] = previous.object_id
                yield self.activity(
                    verb=follow_up_verb(c),
                    parent_id=previous.root_id,
                    target_actor=previous.author,
                    text=text,
                    meta=meta,
                    **base,
                )
                yield from self.reactions(message, posted)
                return
        else:
            c = classify(text, is_thread_start=True)
        posted = _Posted(object_id, actor, at, object_id)
        self.remember(ts, posted, top_level=True)
        meta = inferred_meta(c, verb_inferred=True)
        yield self.activity(verb=opening_verb(c, text), text=text, meta=meta, **base)
        yield from self.reactions(message, posted)

    def thread_reply(
        self,
        base: dict[str, Any],
        root_id: str,
        target: str | None,
        text: str,
        c: Classification,
    ) -> Activity:
        """Build a thread reply's activity once its kind is known."""
        return self.activity(
            verb=follow_up_verb(c),
            parent_id=root_id,
            target_actor=target,
            text=text,
            meta={"kind": c.kind.value, "confidence": c.confidence},
            **base,
        )

    def previous(self, actor: str, at: datetime) -> _Posted | None:
        """Return the message this one most likely answers: someone else's, moments before."""
        if self.reply_window is None:
            return None
        for posted in reversed(self.recent):
            if not timedelta(0) <= at - posted.at <= self.reply_window:
                return None
            if posted.author != actor:
                return posted
        return None

    def thread_starter(self, posted: _Posted) -> str | None:
        """Return who opened `posted`'s thread, where this channel holds its first message."""
        root = self.by_ts.get(posted.root_id.removeprefix(f"{self.prefix}:"))
        return root.author if root is not None else None

    def remember(self, ts: str, posted: _Posted, *, top_level: bool) -> None:
        self.by_ts[ts] = posted
        if top_level:
            self.recent.append(posted)

    def file_comment(
        self, message: Mapping[str, Any], object_id: str, at: datetime, where: str, index: int
    ) -> Iterator[Activity]:
        comment = message.get("comment")
        file = message.get("file")
        if not isinstance(comment, dict) or not isinstance(comment.get("user"), str):
            self.stats.skipped["no user (file_comment)"] += 1
            return
        if comment["user"] in self.robots:
            self.stats.system_accounts[f"Slack bot {self.robots[comment['user']]}"] += 1
            return
        file = _object(file)
        shared = self.files.get(file["id"]) if isinstance(file.get("id"), str) else None
        owner = file.get("user")
        target: str | None
        if shared is not None:
            parent, target = shared.object_id, shared.author
        else:
            parent = f"{self.prefix}:file:{file.get('id') or index}"
            target = self.actor(owner) if isinstance(owner, str) and owner else None
        body = comment.get("comment")
        yield self.activity(
            id=object_id,
            actor=self.actor(comment["user"]),
            verb=Verb.REPLY,
            object_id=object_id,
            parent_id=parent,
            target_actor=target,
            at=at,
            text=body if isinstance(body, str) else None,
            meta={"kind": "file comment"},
        )

    def reactions(self, message: Mapping[str, Any], posted: _Posted) -> Iterator[Activity]:
        reactions = message.get("reactions")
        if not isinstance(reactions, list):
            return
        for reaction in reactions:
            if not isinstance(reaction, dict):
                continue
            name = str(reaction.get("name") or "reaction")
            users = reaction.get("users")
            for user in users if isinstance(users, list) else []:
                if not isinstance(user, str) or not user.strip():
                    continue
                if user in self.robots:
                    self.stats.system_accounts[f"Slack bot {self.robots[user]}"] += 1
                    continue
                react_id = f"{posted.object_id}:reaction:{name}:{user}"
                yield self.activity(
                    id=react_id,
                    actor=self.actor(user),
                    verb=reaction_verb(name),
                    object_id=react_id,
                    parent_id=posted.root_id,
                    target_actor=posted.author,
                    at=posted.at,
                    meta={
                        "reaction": name,
                        "message": posted.object_id,
                        "at_is_message_time": True,
                    },
                )


def channel_activities(
    state: Channel,
    messages: Iterable[tuple[Mapping[str, Any], str, int]],
    seen: set[str],
) -> Iterator[Activity | Unclassified]:
    """Read one channel's messages, in time order, skipping activities already yielded.

    Thread replies come as `Unclassified` (see `classified_in_order`); a skipped one is never
    built, so it was never counted.
    """
    for message, where, index in messages:
        for item in state.read(message, where, index):
            if item.id in seen:
                if isinstance(item, Activity):
                    state.stats.activities -= 1
                state.stats.skipped["duplicate"] += 1
                continue
            seen.add(item.id)
            yield item


def ts_order(item: tuple[int, Mapping[str, Any]]) -> tuple[float, int]:
    """Order a day's messages by time; unreadable times keep their place and fail later."""
    index, message = item
    try:
        return float(message.get("ts")), index  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return float("-inf"), index


def person_of(user: Mapping[str, Any], workspace: str) -> Person:
    """Return the person a Slack user object (users.json item or users.info) describes."""
    profile = _object(user.get("profile"))
    real_name = user.get("real_name") or profile.get("real_name")
    name = real_name or user.get("name") or user["id"]
    email = profile.get("email") or user.get("email")
    return Person(
        key=f"slack:{workspace}:user:{user['id']}",
        name=str(name),
        email=str(email).lower() if email else None,
    )


def robots_of(users: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Return the bot and app users of a workspace's user list: id -> name."""
    return {
        str(user["id"]): str(user.get("real_name") or user.get("name") or user["id"])
        for user in users
        if isinstance(user.get("id"), str)
        and (user.get("is_bot") or user.get("is_app_user") or user["id"] == "USLACKBOT")
    }
