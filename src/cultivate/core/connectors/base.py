"""What every connector shares: activity batches, source errors that name file and position.

A connector reads another platform's export and yields lists of Activities (batches), streaming,
so memory stays flat however large the export is.
"""

from __future__ import annotations

import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cultivate.core.activity import Activity

BATCH_SIZE = 5000

ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
)
"""What zipfile raises on a broken archive: bad headers, truncation, encryption, odd compression."""


def zip_problem(exc: BaseException) -> str:
    """Say in words what a zip error means for the person who brought the archive."""
    text = str(exc)
    if isinstance(exc, RuntimeError) and "encrypted" in text:
        return "an archive without a password (it is encrypted: extract it with its password)"
    if isinstance(exc, EOFError):
        return "a complete archive (it is truncated: it ends early)"
    if isinstance(exc, NotImplementedError):
        return f"a zip compressed with deflate or store ({text})"
    return f"a complete, readable zip archive ({text})"


MAX_COMPRESSION_RATIO = 100
"""Exports (XML, JSON, mail) compress 5 to 30 times; a member that unpacks more than this many
times its packed size is a zip bomb (400 MB of one byte packs into 0.4 MB). Python's zipfile
never unpacks past a member's declared size, so checking the declared sizes bounds the reading."""
RATIO_CHECKED_FROM = 1024 * 1024
"""Members smaller than this unpack to little whatever their ratio: not checked."""


def check_zip(path: Path) -> zipfile.ZipFile:
    """Open a zip and refuse, naming the member, one that is encrypted or a bomb (unpacking far
    more than exports do); the caller closes it."""
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise SourceError(path, "zip directory", zip_problem(exc)) from None
    for info in archive.infolist():
        problem = ""
        if info.flag_bits & 0x1:
            problem = (
                "an archive without a password (it is encrypted: extract it with its password)"
            )
        elif info.file_size > RATIO_CHECKED_FROM and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            problem = (
                f"members that unpack at most {MAX_COMPRESSION_RATIO} times their packed size "
                f"(this one unpacks {info.file_size:,} bytes from {info.compress_size:,}: "
                "a zip bomb, refused before unpacking)"
            )
        if problem:
            archive.close()
            raise SourceError(f"{path}!{info.filename}", "member header", problem)
    return archive


Batches = Iterator[list[Activity]]


class SourceError(ValueError):
    """An unreadable export; the message names the file, the position and what was expected."""

    def __init__(self, path: Path | str, where: str, expected: str) -> None:
        self.path = str(path)
        self.where = where
        self.expected = expected
        super().__init__(f"{self.path}: {where}: {expected}")


@dataclass(frozen=True, slots=True)
class Person:
    """Someone seen in an export: keyed per source, merged across sources by e-mail when known."""

    key: str  # e.g. "stackexchange:ai:user:17"
    name: str
    email: str | None = None


def batched(activities: Iterator[Activity], size: int = BATCH_SIZE) -> Batches:
    """Group a stream of activities into lists of at most `size`."""
    batch: list[Activity] = []
    for activity in activities:
        batch.append(activity)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class ReadStats:
    """What a reader saw besides activities, said in the report so nothing is dropped silently.

    Readers count as they stream; the report shows skips, replaced bytes, missing files and,
    with keep-going, the files that could not be read and why.
    """

    messages: int = 0
    """Message objects (Slack) or e-mails (mailing lists) read from the source."""
    activities: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    """Messages or rows that became no activity, by reason (bot message, duplicate, ...)."""
    encoding_errors: int = 0
    """Messages whose undecodable bytes were replaced."""
    notes: list[str] = field(default_factory=list)
    """Things said once about the export as a whole ("Users.xml is missing: ...")."""
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
    """Files left out with keep-going: (file, why)."""
    system_accounts: Counter[str] = field(default_factory=Counter)
    """Robots and platform accounts left out (name -> acts), so they count as no member."""
    keep_going: bool = False
    """Read on past a damaged file (listed in skipped_files) instead of refusing the export."""

    def note(self, text: str) -> None:
        """Say something about the export once, however often a reader meets it."""
        if text not in self.notes:
            self.notes.append(text)

    def skip_file(self, file: Path | str, why: str) -> None:
        self.skipped_files.append((str(file), why))

    def summary(self) -> dict[str, Any]:
        """Return the plain-data form the report carries (see docs/report-schema.md)."""
        return {
            "messages": self.messages,
            "activities": self.activities,
            "skipped": dict(sorted(self.skipped.items())),
            "encoding_errors": self.encoding_errors,
            "notes": list(self.notes),
            "skipped_files": [{"file": f, "why": w} for f, w in self.skipped_files],
            "system_accounts": dict(sorted(self.system_accounts.items())),
        }
