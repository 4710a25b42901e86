"""Recognise an export's format from its files, so `cultivate analyze PATH` needs no --source."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from .base import Batches, SourceError
from .discourse import read_discourse
from .mailbox import read_mbox, read_pipermail
from .slack import read_slack
from .stackexchange import read_stackexchange

READERS: dict[str, Callable[[Path], Batches]] = {
    "stackexchange": read_stackexchange,
    "slack": read_slack,
    "mbox": read_mbox,
    "pipermail": read_pipermail,
    "discourse": read_discourse,
}


def _names(path: Path) -> list[str]:
    if path.is_dir():
        return [p.name for p in path.iterdir()]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return [Path(n).name for n in archive.namelist()]
    return [path.name]


def detect_source(path: Path) -> str:
    """Return the name of the reader for the export at `path`, or raise SourceError."""
    path = Path(path)
    if not path.exists():
        raise SourceError(path, "the path", "an existing export folder, zip or file")
    names = _names(path)
    lowered = [n.lower() for n in names]
    if "posts.xml" in lowered:
        return "stackexchange"
    if "channels.json" in lowered:
        return "slack"
    if any(n.endswith(".mbox") for n in lowered):
        return "mbox"
    if any(n.endswith((".txt", ".txt.gz")) for n in lowered):
        return "pipermail"
    if any(n.endswith(".json") and "-topics-" in n for n in lowered):
        return "discourse"
    if path.is_file():
        with path.open("rb") as handle:
            if handle.read(5) == b"From ":
                return "mbox"
    raise SourceError(
        path,
        "its files",
        "a Stack Exchange dump (Posts.xml), a Slack export (channels.json), mbox, pipermail "
        ".txt/.txt.gz archives or a Discourse export (*-topics-*.json)",
    )


def detect_and_read(path: Path, source: str | None = None) -> Batches:
    """Read the export with the named reader, or the detected one."""
    name = source or detect_source(path)
    if name not in READERS:
        raise SourceError(path, "--source", f"one of {', '.join(READERS)}, not {name!r}")
    return READERS[name](Path(path))
