"""Read a standard Slack export (zip or folder) into Activity batches, one community per channel.

The export holds channels.json, users.json and one folder per channel of daily YYYY-MM-DD.json
files. Channels are read one at a time and day files one at a time, so memory grows with the
number of messages in one channel (ids only), never with the size of the export.

Verb mapping (see docs/connectors.md): thread starts and stand-alone messages are classified
(ask for a question, share otherwise); replies in threads reply to the thread root's author;
joins and leaves keep membership; reactions react, one per reacting person; file shares share;
channel housekeeping (topic, purpose, rename, archive, pins, integrations) is moderation; bot
messages are skipped and counted.
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from cultivate.core.activity import Activity, Verb
from cultivate.core.language import Kind, classify

from .base import BATCH_SIZE, Batches, Person, SourceError, batched
from .messages import ReadStats, inferred_meta, opening_verb

__all__ = ["read_slack", "read_slack_people"]

SOURCE = "slack"
REPLY_WINDOW = timedelta(hours=2)
"""How close a stand-alone message must follow another person's to count as answering it."""

_RECENT = 20
"""How many recent messages to look back through for another person's message to answer."""
_DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
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


def _workspace(name: str) -> str:
    """Name the workspace after its folder, without repeating a leading "slack-"."""
    for prefix in ("slack-", "slack_"):
        if name.lower().startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return name


class _Export:
    """A Slack export as a folder or a zip, addressed by paths relative to channels.json."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._root = ""
        if path.is_dir():
            if not (path / "channels.json").is_file():
                raise SourceError(
                    path,
                    "folder",
                    "channels.json (a Slack export holds channels.json, users.json and one "
                    "folder of daily JSON files per channel)",
                )
            self.workspace = _workspace(path.resolve().name)
            return
        if not path.exists():
            raise SourceError(path, "path", "an existing Slack export (zip file or folder)")
        try:
            self._zip = zipfile.ZipFile(path)
            names = self._zip.namelist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
            raise SourceError(
                path, "end of archive", f"a complete zip archive of a Slack export ({exc})"
            ) from None
        candidates = sorted(
            (n for n in names if PurePosixPath(n).name == "channels.json"),
            key=lambda n: n.count("/"),
        )
        if not candidates:
            self.close()
            raise SourceError(
                path,
                "archive root",
                "channels.json (a Slack export holds channels.json, users.json and one folder "
                "of daily JSON files per channel)",
            )
        self._root = candidates[0][: -len("channels.json")]
        self._names = frozenset(names)
        self.workspace = _workspace(
            self._root.strip("/").split("/")[-1] if self._root else path.stem
        )

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def where(self, relative: str) -> str:
        """Name a file of the export for error messages."""
        if self._zip is not None:
            return f"{self.path}!{self._root}{relative}"
        return str(self.path / relative)

    def exists(self, relative: str) -> bool:
        if self._zip is not None:
            return f"{self._root}{relative}" in self._names
        return (self.path / relative).is_file()

    def day_files(self, channel: str) -> list[str]:
        """Return the channel's daily files, oldest first (their names are their dates)."""
        if self._zip is not None:
            prefix = f"{self._root}{channel}/"
            names = [n[len(prefix) :] for n in self._names if n.startswith(prefix)]
        else:
            folder = self.path / channel
            names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        return [f"{channel}/{n}" for n in sorted(n for n in names if _DAY_FILE.match(n))]

    def read(self, relative: str) -> bytes:
        if self._zip is None:
            try:
                return (self.path / relative).read_bytes()
            except OSError as exc:
                raise SourceError(
                    self.where(relative), "file", f"a readable file ({exc})"
                ) from None
        try:
            return self._zip.read(f"{self._root}{relative}")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise SourceError(
                self.where(relative), "compressed data", f"an intact archive member ({exc})"
            ) from None


def _load_json(export: _Export, relative: str) -> Any:
    data = export.read(relative)
    where = export.where(relative)
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise SourceError(
            where, f"line {exc.lineno} column {exc.colno}", f"valid JSON ({exc.msg})"
        ) from None
    except UnicodeDecodeError as exc:
        raise SourceError(where, f"byte {exc.start}", "UTF-8 encoded JSON") from None
    except RecursionError:
        raise SourceError(where, "document", "JSON nested less deeply") from None


def _list_of_objects(value: Any, where: str, what: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        raise SourceError(where, "top level", f"a JSON array of {what}")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise SourceError(where, f"item {index}", f"a JSON object ({what[:-1]})")
    return value


def _channel_names(export: _Export) -> list[str]:
    where = export.where("channels.json")
    channels = _list_of_objects(_load_json(export, "channels.json"), where, "channels")
    names: list[str] = []
    for index, channel in enumerate(channels):
        name = channel.get("name")
        if not isinstance(name, str) or not _SAFE_NAME.match(name) or name in {".", ".."}:
            raise SourceError(
                where, f"channel {index} field 'name'", "a channel name (the folder's name)"
            )
        names.append(name)
    return names


def _object(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _timestamp(value: Any, where: str, position: str) -> tuple[str, datetime]:
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


class _Channel:
    """Turn one channel's messages into activities, remembering what threads need."""

    def __init__(
        self, workspace: str, channel: str, stats: ReadStats, reply_window: timedelta | None
    ) -> None:
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

    def read(self, message: Mapping[str, Any], where: str, index: int) -> Iterator[Activity]:
        self.stats.messages += 1
        ts, at = _timestamp(message.get("ts"), where, f"message {index} field 'ts'")
        subtype = message.get("subtype")
        user = message.get("user")
        text = _string(message.get("text"))
        object_id = f"{self.prefix}:{ts}"
        if subtype in _BOT_SUBTYPES or (message.get("bot_id") and not isinstance(user, str)):
            self.stats.skipped["bot message"] += 1
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
    ) -> Iterator[Activity]:
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
            c = classify(text, is_thread_start=False)
            posted = _Posted(object_id, actor, at, root_id)
            self.remember(ts, posted, top_level=False)
            yield self.activity(
                verb=Verb.REPLY,
                parent_id=root_id,
                target_actor=target,
                text=text,
                meta={"kind": c.kind.value, "confidence": c.confidence},
                **base,
            )
            yield from self.reactions(message, posted)
            return
        starts_thread = thread_ts == ts or bool(
            message.get("reply_count") or message.get("replies")
        )
        previous = None if starts_thread else self.previous(actor, at)
        if previous is not None:
            c = classify(text, is_thread_start=False)
            if c.kind in {Kind.REPLY, Kind.APPRECIATION, Kind.OTHER}:
                posted = _Posted(object_id, actor, at, previous.root_id)
                self.remember(ts, posted, top_level=True)
                meta = inferred_meta(c, verb_inferred=True, parent_inferred=True)
                meta["replied_to"] = previous.object_id
                yield self.activity(
                    verb=Verb.REPLY,
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
        yield self.activity(verb=opening_verb(c), text=text, meta=meta, **base)
        yield from self.reactions(message, posted)

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
                react_id = f"{posted.object_id}:reaction:{name}:{user}"
                yield self.activity(
                    id=react_id,
                    actor=self.actor(user),
                    verb=Verb.REACT,
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


def _activities(path: Path, stats: ReadStats, reply_window: timedelta | None) -> Iterator[Activity]:
    export = _Export(path)
    try:
        for channel in _channel_names(export):
            state = _Channel(export.workspace, channel, stats, reply_window)
            seen: set[str] = set()
            for relative in export.day_files(channel):
                where = export.where(relative)
                messages = _list_of_objects(_load_json(export, relative), where, "messages")
                for index, message in sorted(enumerate(messages), key=_ts_order):
                    for activity in state.read(message, where, index):
                        if activity.id in seen:
                            stats.activities -= 1
                            stats.skipped["duplicate"] += 1
                            continue
                        seen.add(activity.id)
                        yield activity
    finally:
        export.close()


def _ts_order(item: tuple[int, Mapping[str, Any]]) -> tuple[float, int]:
    """Order a day's messages by time; unreadable times keep their place and fail later."""
    index, message = item
    try:
        return float(message.get("ts")), index  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return float("-inf"), index


def read_slack(
    path: Path,
    *,
    batch_size: int = BATCH_SIZE,
    stats: ReadStats | None = None,
    reply_window: timedelta | None = REPLY_WINDOW,
) -> Batches:
    """Yield the export's activities in batches; raise SourceError naming file and position.

    Pass `stats` to learn how many messages were read and why some became no activity.
    `reply_window` lets a stand-alone message that reads as a reply answer the message another
    person posted at most that long before (exports made before Slack had threads have no other
    reply structure); pass None to never infer a parent.
    """
    return batched(_activities(Path(path), stats or ReadStats(), reply_window), batch_size)


def read_slack_people(path: Path) -> list[Person]:
    """Return the export's members (users.json) keyed as the activities' actors."""
    export = _Export(Path(path))
    try:
        if not export.exists("users.json"):
            return []
        where = export.where("users.json")
        users = _list_of_objects(_load_json(export, "users.json"), where, "users")
        people: list[Person] = []
        for index, user in enumerate(users):
            user_id = user.get("id")
            if not isinstance(user_id, str) or not user_id.strip():
                raise SourceError(
                    where, f"user {index} field 'id'", "a user id such as 'U061A1R2R'"
                )
            profile = _object(user.get("profile"))
            real_name = user.get("real_name") or profile.get("real_name")
            name = real_name or user.get("name") or user_id
            email = profile.get("email") or user.get("email")
            people.append(
                Person(
                    key=f"slack:{export.workspace}:user:{user_id}",
                    name=str(name),
                    email=str(email).lower() if email else None,
                )
            )
        return people
    finally:
        export.close()
