"""Read a standard Slack export (zip or folder) into Activity batches, one community per channel.

The export holds channels.json, users.json and one folder per channel of daily YYYY-MM-DD.json
files. Channels are read one at a time and day files one at a time, so memory grows with the
number of messages in one channel (ids only), never with the size of the export.

The same reader takes a history dumped through Slack's Web API (`slack_api`) and JSON Lines of
conversations.history messages; the verb mapping lives in `slack_channel`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from cultivate.core.activity import Activity

from .base import (
    BATCH_SIZE,
    ZIP_ERRORS,
    Batches,
    Person,
    SourceError,
    batched,
    check_zip,
    zip_problem,
)
from .messages import ReadStats, Unclassified, classified_in_order
from .slack_api import (
    api_activities,
    api_people,
    is_api_dump,
    is_message_lines,
    message_lines_activities,
    message_lines_people,
)
from .slack_channel import (
    REPLY_WINDOW,
    Channel,
    channel_activities,
    list_of_objects,
    parse_json,
    person_of,
    robots_of,
    safe_name,
    timestamp,
    ts_order,
    workspace_name,
)

__all__ = ["read_slack", "read_slack_people"]

_DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")


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
            self.workspace = workspace_name(path.resolve().name)
            return
        if not path.exists():
            raise SourceError(path, "path", "an existing Slack export (zip file or folder)")
        self._zip = check_zip(path)
        names = self._zip.namelist()
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
        self.workspace = workspace_name(
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
        except ZIP_ERRORS as exc:
            raise SourceError(self.where(relative), "compressed data", zip_problem(exc)) from None


def _load_json(export: _Export, relative: str) -> Any:
    return parse_json(export.read(relative), export.where(relative))


def _channel_names(export: _Export) -> list[str]:
    where = export.where("channels.json")
    channels = list_of_objects(_load_json(export, "channels.json"), where, "channels")
    names: list[str] = []
    for index, channel in enumerate(channels):
        name = channel.get("name")
        if not isinstance(name, str) or not safe_name(name):
            raise SourceError(
                where, f"channel {index} field 'name'", "a channel name (the folder's name)"
            )
        names.append(name)
    return names


def _activities(
    path: Path, stats: ReadStats, reply_window: timedelta | None
) -> Iterator[Activity | Unclassified]:
    if is_api_dump(path):
        yield from api_activities(path, stats, reply_window)
        return
    if is_message_lines(path):
        yield from message_lines_activities(path, stats, reply_window)
        return
    export = _Export(path)
    try:
        robots = robots_of(_users(export))
        for channel in _channel_names(export):
            state = Channel(export.workspace, channel, stats, reply_window, robots)
            seen: set[str] = set()
            for relative in export.day_files(channel):
                where = export.where(relative)
                try:
                    messages = list_of_objects(_load_json(export, relative), where, "messages")
                    for index, message in enumerate(messages):  # a bad time fails the file
                        timestamp(message.get("ts"), where, f"message {index} field 'ts'")
                    ordered = [
                        (message, where, index)
                        for index, message in sorted(enumerate(messages), key=ts_order)
                    ]
                    day = list(channel_activities(state, ordered, seen))
                except SourceError as error:
                    if not stats.keep_going:
                        raise
                    stats.skip_file(where, f"{error.where}: {error.expected}")
                    continue
                yield from day
    finally:
        export.close()


def read_slack(
    path: Path,
    *,
    batch_size: int = BATCH_SIZE,
    stats: ReadStats | None = None,
    reply_window: timedelta | None = REPLY_WINDOW,
    workers: int | None = None,
) -> Batches:
    """Yield the export's activities in batches; raise SourceError naming file and position.

    Pass `stats` to learn how many messages were read and why some became no activity.
    `reply_window` lets a stand-alone message that reads as a reply answer the message another
    person posted at most that long before (exports made before Slack had threads have no other
    reply structure); pass None to never infer a parent. `workers`: processes that classify the
    thread replies of a long export (default every core; 1: this one only).
    """
    items = _activities(Path(path), stats or ReadStats(), reply_window)
    return batched(classified_in_order(items, workers=workers), batch_size)


def _users(export: _Export) -> list[Mapping[str, Any]]:
    if not export.exists("users.json"):
        return []
    where = export.where("users.json")
    return list_of_objects(_load_json(export, "users.json"), where, "users")


def read_slack_people(path: Path) -> list[Person]:
    """Return the export's members (users.json) keyed as the activities' actors."""
    path = Path(path)
    if is_api_dump(path):
        return api_people(path)
    if is_message_lines(path):
        return message_lines_people(path)
    export = _Export(path)
    try:
        where = export.where("users.json")
        users = _users(export)
        people: list[Person] = []
        for index, user in enumerate(users):
            user_id = user.get("id")
            if not isinstance(user_id, str) or not user_id.strip():
                raise SourceError(
                    where, f"user {index} field 'id'", "a user id such as 'U061A1R2R'"
                )
            people.append(person_of(user, export.workspace))
        return people
    finally:
        export.close()
