"""Recognise an export's format from its files, so `cultivate analyze PATH` needs no --source."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .base import Batches, Person, ReadStats, SourceError, check_zip
from .discourse import people_discourse, read_discourse
from .mailbox import people_mbox, people_pipermail, read_mbox, read_pipermail
from .slack import read_slack, read_slack_people
from .slack_api import is_message_lines
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

LAYOUTS: tuple[str, ...] = (
    "a Stack Exchange dump (Posts.xml; Users, Comments, Votes optional)",
    "a Slack export (channels.json and a folder per channel)",
    "a Slack Web API dump (channels.json, messages/<channel>/<n>.json, threads/)",
    "Slack messages as JSON Lines (.jsonl, one conversations.history message a line)",
    "mbox files (.mbox, .mbox.gz), also in sub-folders",
    "Mailman pipermail archives (.txt, .txt.gz), also in sub-folders",
    "a Discourse export (*-topics-*.json and per-topic post files)",
    "activities as CSV or JSON Lines (id, source, community, actor, verb, object_id, at)",
)
"""The layouts detection recognises, named in the message that refuses any other."""

READERS: dict[str, Callable[..., Batches]] = {
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


_MAIL_SUFFIXES = (".mbox", ".mbx", ".mbox.gz", ".mbx.gz", ".txt", ".txt.gz")
_SCAN_LIMIT = 5000
"""How many files a search of sub-folders for mail archives looks at before it gives up."""


def _names(path: Path) -> list[str]:
    if path.is_dir():
        return [p.name for p in path.iterdir()]
    if zipfile.is_zipfile(path):
        with check_zip(path) as archive:
            return [Path(n).name for n in archive.namelist()]
    if path.name.lower().endswith(".zip"):
        raise SourceError(
            path, "zip directory", "a complete zip archive (it has none: truncated or damaged)"
        )
    return [path.name]


def _nested_mail(path: Path) -> str | None:
    """Return mbox or pipermail for a folder whose sub-folders hold mail archives."""
    for number, (_, _, files) in enumerate(os.walk(path, followlinks=True)):
        if number > _SCAN_LIMIT:
            return None
        lowered = [f.lower() for f in files]
        if any(f.endswith((".mbox", ".mbx", ".mbox.gz", ".mbx.gz")) for f in lowered):
            return "mbox"
        if any(f.endswith((".txt", ".txt.gz")) for f in lowered):
            return "pipermail"
    return None


def _what_was_seen(path: Path, names: list[str]) -> str:
    """Describe what a folder, zip or file holds, for the message that refuses it."""
    if path.is_file() and not zipfile.is_zipfile(path):
        with path.open("rb") as handle:
            head = handle.read(16)
        return f"a file named {path.name!r} starting with {head!r}"
    shown = ", ".join(sorted(names)[:8]) + (", ..." if len(names) > 8 else "")
    if not names:
        return "nothing (it is empty)"
    return f"{len(names)} {'entry' if len(names) == 1 else 'entries'} ({shown})"


def detect_source(path: Path) -> str:  # noqa: C901 - one ordered decision list of the layouts
    """Return the name of the reader for the export at `path`, or raise SourceError."""
    path = Path(path)
    if not path.exists():
        raise SourceError(path, "the path", "an existing export folder, zip or file")
    if path.is_file() and not zipfile.is_zipfile(path):
        if is_message_lines(path):
            return "slack"
        tabular = sniff_tabular(path)
        if tabular is not None:
            return tabular
    names = _names(path)
    lowered = [n.lower() for n in names]
    if "posts.xml" in lowered:
        return "stackexchange"
    if "channels.json" in lowered:
        return "slack"
    if any(n.endswith((".mbox", ".mbx", ".mbox.gz", ".mbx.gz")) for n in lowered):
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
    if path.is_dir():
        nested = _nested_mail(path)
        if nested is not None:
            return nested
    raise SourceError(
        path,
        "its files",
        f"a layout Cultivate reads, but found {_what_was_seen(path, names)}. Known layouts: "
        + "; ".join(LAYOUTS),
    )


def detect_and_read(
    path: Path,
    source: str | None = None,
    *,
    stats: ReadStats | None = None,
    split_by_folder: bool = False,
) -> Batches:
    """Read the export with the named reader, or the detected one.

    `stats` collects what reading left out (and carries keep-going); `split_by_folder` makes
    each sub-folder of a mail archive its own list.
    """
    name = source or detect_source(path)
    if name not in READERS:
        raise SourceError(path, "--source", f"one of {', '.join(READERS)}, not {name!r}")
    options: dict[str, object] = {"stats": stats if stats is not None else ReadStats()}
    if name in ("mbox", "pipermail"):
        options["split_by_folder"] = split_by_folder
    return READERS[name](Path(path), **options)
