"""Read Slack histories that are not the official export: a Web API dump, or JSON Lines.

A **Web API dump** is what a script that pages through Slack's Web API leaves in a folder:

- `channels.json`: the channels, as ids (`["C6G240ENA", ...]`) or objects with `id` and `name`;
- `names.json` (optional): channel id -> name;
- `users/<USER ID>.json`: users.info, the user object itself or `{"ok": true, "user": {...}}`;
- `messages/<CHANNEL ID>/<N>.json`: pages of conversations.history, `{"messages": [...]}` or a
  bare list, in any order;
- `threads/<CHANNEL ID>/<THREAD TS>.json`: conversations.replies, the thread's root first.

Each channel that has a messages folder is one community, `slack-<workspace>-<channel name>`;
its pages and threads are merged by time (a root seen in both is read once), so thread replies
reply to their root exactly as in the official export.

**JSON Lines** (`.jsonl`, optionally gzip-compressed): one conversations.history message object
per line (with `ts`); the file's name is the channel's name, its folder the workspace's.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import IO, Any, cast

from cultivate.core.activity import Activity

from .base import Person, SourceError
from .messages import ReadStats, Unclassified
from .slack_channel import (
    Channel,
    channel_activities,
    parse_json,
    person_of,
    robots_of,
    safe_name,
    timestamp,
    workspace_name,
)

__all__ = [
    "api_activities",
    "api_people",
    "is_api_dump",
    "is_message_lines",
    "message_lines_activities",
    "message_lines_people",
]

_PAGE = re.compile(r"^\d+\.json$")
_THREAD = re.compile(r"^\d+(?:\.\d+)?\.json$")
_LINES_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")

_Placed = tuple[Mapping[str, Any], str, int]
"""A message, the file it came from, and its position there."""


def is_api_dump(path: Path) -> bool:
    """Whether `path` is a folder laid out as a Web API dump: messages/<channel>/<N>.json pages.

    An official export may have a channel called "messages" too, but its folder holds dated
    day files (2015-06-09.json), never numbered pages.
    """
    messages = path / "messages"
    if not (path.is_dir() and (path / "channels.json").is_file() and messages.is_dir()):
        return False
    return any(
        channel.is_dir() and any(_PAGE.match(page.name) for page in channel.iterdir())
        for channel in messages.iterdir()
    )


def _read_json(file: Path) -> Any:
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise SourceError(file, "file", f"a readable file ({exc.strerror or exc})") from None
    return parse_json(data, str(file))


def _messages_of(value: Any, file: Path) -> list[Mapping[str, Any]]:
    """Return the message objects of a history page or a replies file."""
    if isinstance(value, dict):
        value = value.get("messages")
    if not isinstance(value, list):
        raise SourceError(
            file, "top level", 'a JSON array of messages or an object with a "messages" array'
        )
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise SourceError(file, f"message {index}", "a JSON object (a message)")
    return value


def _channels(path: Path) -> list[tuple[str, str]]:
    """Return (id, name) of every listed channel, named by names.json or channels.json."""
    listing = path / "channels.json"
    raw = _read_json(listing)
    if not isinstance(raw, list):
        raise SourceError(listing, "top level", "a JSON array of channel ids or channel objects")
    names: dict[str, str] = {}
    if (path / "names.json").is_file():
        mapping = _read_json(path / "names.json")
        if not isinstance(mapping, dict):
            raise SourceError(path / "names.json", "top level", "a JSON object: channel id -> name")
        names = {str(k): str(v) for k, v in mapping.items() if isinstance(v, str)}
    channels: list[tuple[str, str]] = []
    for index, item in enumerate(raw):
        ident = item.get("id") if isinstance(item, dict) else item
        if not safe_name(ident):
            raise SourceError(listing, f"channel {index}", "a channel id such as 'C6G240ENA'")
        assert isinstance(ident, str)
        listed = item.get("name") if isinstance(item, dict) else None
        name = names.get(ident) or (listed if isinstance(listed, str) else None) or ident
        channels.append((ident, name if safe_name(name) else ident))
    return channels


def _numbered(folder: Path, pattern: re.Pattern[str]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and pattern.match(p.name)),
        key=lambda p: float(p.name[: -len(".json")]),
    )


def _channel_messages(path: Path, ident: str, stats: ReadStats) -> list[_Placed]:
    """Return one channel's history pages and thread replies as one list in time order."""
    by_ts: dict[str, _Placed] = {}
    files = _numbered(path / "messages" / ident, _PAGE) + _numbered(
        path / "threads" / ident, _THREAD
    )
    for file in files:
        try:
            messages = _messages_of(_read_json(file), file)
            for index, message in enumerate(messages):
                timestamp(message.get("ts"), str(file), f"message {index} field 'ts'")
        except SourceError as error:
            if not stats.keep_going:
                raise
            stats.skip_file(file, f"{error.where}: {error.expected}")
            continue
        for index, message in enumerate(messages):
            by_ts.setdefault(str(message.get("ts")), (message, str(file), index))
    return sorted(by_ts.values(), key=_time)


def _time(placed: _Placed) -> tuple[float, str, int]:
    message, where, index = placed
    try:
        return float(message.get("ts")), where, index  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return float("-inf"), where, index


def api_activities(
    path: Path, stats: ReadStats, reply_window: timedelta | None
) -> Iterator[Activity | Unclassified]:
    """Yield the activities of every channel of a Web API dump that has messages."""
    workspace = workspace_name(path.resolve().name)
    channels = _channels(path)
    robots = robots_of(_user_objects(path))
    without = [name for ident, name in channels if not (path / "messages" / ident).is_dir()]
    if without:
        stats.note(
            f"{len(without)} of {len(channels)} channels listed in channels.json have no "
            "messages folder and were not read"
        )
    for ident, name in channels:
        if not (path / "messages" / ident).is_dir():
            continue
        state = Channel(workspace, name, stats, reply_window, robots)
        yield from channel_activities(state, _channel_messages(path, ident, stats), set())


def _user_objects(path: Path) -> list[dict[str, Any]]:
    """Return the users.info objects of users/<ID>.json, refusing one without an id."""
    folder = path / "users"
    if not folder.is_dir():
        return []
    users: list[dict[str, Any]] = []
    for file in sorted(folder.glob("*.json")):
        user = _read_json(file)
        if isinstance(user, dict) and isinstance(user.get("user"), dict):
            user = user["user"]
        if not isinstance(user, dict) or not isinstance(user.get("id"), str):
            raise SourceError(file, "top level", "a users.info object with an 'id'")
        users.append(user)
    return users


def api_people(path: Path) -> list[Person]:
    """Return the people of users/<ID>.json, keyed as the activities' actors."""
    workspace = workspace_name(path.resolve().name)
    return [person_of(user, workspace) for user in _user_objects(path)]


def is_message_lines(path: Path) -> bool:
    """Whether `path` is a JSON Lines file of Slack messages (objects with "ts", no "verb")."""
    if not path.is_file() or not path.name.lower().endswith(_LINES_SUFFIXES):
        return False
    try:
        with _open_lines(path) as handle:
            first = handle.readline(256 * 1024)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile):
        return False
    try:
        value = json.loads(first)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(value, dict) and "ts" in value and "verb" not in value


def _open_lines(path: Path) -> IO[bytes]:
    handle = path.open("rb")
    if handle.read(2) == b"\x1f\x8b":
        handle.seek(0)
        return cast(IO[bytes], gzip.GzipFile(fileobj=handle, mode="rb"))
    handle.seek(0)
    return handle


def _lines_names(path: Path) -> tuple[str, str]:
    """Return (workspace, channel): the file's folder and the file's name without suffixes."""
    channel = path.name
    for suffix in (".gz", ".jsonl", ".ndjson"):
        channel = channel.removesuffix(suffix)
    return workspace_name(path.resolve().parent.name), channel or "channel"


def _lines(path: Path, stats: ReadStats | None = None) -> Iterator[_Placed]:
    """Yield each line's message; with keep-going a damaged line is left out and listed."""
    where = str(path)
    try:
        with _open_lines(path) as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    value = parse_json(line, f"{where} line {number}")
                    if not isinstance(value, dict):
                        raise SourceError(
                            where, f"line {number}", "a JSON object (a Slack message)"
                        )
                    timestamp(value.get("ts"), where, f"line {number} field 'ts'")
                except SourceError as error:
                    if stats is None or not stats.keep_going:
                        raise
                    stats.skip_file(f"{where} line {number}", error.expected)
                    continue
                yield value, where, number
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise SourceError(where, "end of file", f"intact gzip data (truncated: {exc})") from None


def message_lines_activities(
    path: Path, stats: ReadStats, reply_window: timedelta | None
) -> Iterator[Activity | Unclassified]:
    """Yield the activities of a JSON Lines file of one channel's messages, in time order."""
    workspace, channel = _lines_names(path)
    state = Channel(workspace, channel, stats, reply_window)
    yield from channel_activities(state, sorted(_lines(path, stats), key=_time), set())


def message_lines_people(path: Path) -> list[Person]:
    """Return the people named in the messages' user_profile fields, if any."""
    workspace, _ = _lines_names(path)
    seen: dict[str, Person] = {}
    for message, _, _ in _lines(path):
        profile = message.get("user_profile")
        user = message.get("user")
        if isinstance(user, str) and isinstance(profile, dict) and user not in seen:
            seen[user] = person_of({"id": user, "profile": profile}, workspace)
    return list(seen.values())
