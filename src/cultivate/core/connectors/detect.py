"""Recognise an export's format from its files, so `cultivate analyze PATH` needs no --source."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .base import Batches, Person, SourceError
from .discourse import people_discourse, read_discourse
from .mailbox import people_mbox, people_pipermail, read_mbox, read_pipermail
from .slack import read_slack, read_slack_people
from .stackexchange import people_stackexchange, read_stackexchange
from .tabular import (
    CSV_SUFFIXES,
    JSONL_SUFFIXES,
    people_csv,
    people_jsonl,
    read_csv,
    read_jsonl,
    sniff_tabular,
)

READERS: dict[str, Callable[[Path], Batches]] = {
    "stackexchange": read_stackexchange,
    "slack": read_slack,
    "mbox": read_mbox,
    "pipermail": read_pipermail,
    "discourse": read_discourse,
    "csv": read_csv,
    "jsonl": read_jsonl,
}

PEOPLE: dict[str, Callable[[Path], Iterable[Person]]] = {
    "stackexchange": people_stackexchange,
    "slack": read_slack_people,
    "mbox": people_mbox,
    "pipermail": people_pipermail,
    "discourse": people_discourse,
    "csv": people_csv,
    "jsonl": people_jsonl,
}
"""Who each reader's actors are: names, and e-mail addresses where the export has them."""


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
    if path.is_file() and not zipfile.is_zipfile(path):
        tabular = sniff_tabular(path)
        if tabular is not None:
            return tabular
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
    if any(n.endswith(CSV_SUFFIXES) for n in lowered):
        return "csv"
    if any(n.endswith(JSONL_SUFFIXES) for n in lowered):
        return "jsonl"
    if path.is_file():
        with path.open("rb") as handle:
            if handle.read(5) == b"From ":
                return "mbox"
    raise SourceError(
        path,
        "its files",
        "a Stack Exchange dump (Posts.xml), a Slack export (channels.json), mbox, pipermail "
        ".txt/.txt.gz archives, a Discourse export (*-topics-*.json) or activities as CSV or "
        "JSON Lines (a header or keys naming id, source, community, actor, verb, object_id, at)",
    )


def detect_and_read(path: Path, source: str | None = None) -> Batches:
    """Read the export with the named reader, or the detected one."""
    name = source or detect_source(path)
    if name not in READERS:
        raise SourceError(path, "--source", f"one of {', '.join(READERS)}, not {name!r}")
    return READERS[name](Path(path))
