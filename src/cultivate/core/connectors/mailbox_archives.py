"""Find a mailing list's archive files and split them into messages, for the mail reader.

Kept apart from mailbox.py because the archive layout is a job of its own: which files under a
folder are archives (mbox, pipermail .txt, gzipped or not), which list each belongs to, in what
order they are read, and how each is opened and cut into messages (by mbox rules, or at
pipermail's dated From_ lines) before anything reads a header.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import IO, cast

from ._mailparse import PlainMessage, parse
from .base import MAX_COMPRESSION_RATIO, RATIO_CHECKED_FROM, SourceError

DATED_FROM_LINE = re.compile(
    rb"^From \S.*?\s+(?P<date>[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]?\d \d{1,2}:\d{2}(?::\d{2})? \d{4})"
    rb"\s*$"
)
_ANY_FROM_LINE = re.compile(rb"^From \S")
_MONTHS = {
    name: index
    for index, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_MONTH_ABBREVIATIONS = {name[:3]: number for name, number in _MONTHS.items()}
_TOKENS = re.compile(r"[-_. /\\]+")
_SLUG = re.compile(r"[^a-z0-9._-]+")


def list_slug(name: str) -> str:
    return _SLUG.sub("-", name.lower()).strip("-") or "list"


def _is_part(stem: str) -> bool:
    """Whether a file name only dates a part of a list (1998-May, 2019-01, 03) and names none."""
    tokens = [t for t in _TOKENS.split(stem.lower()) if t]
    dating = (t.isdigit() or t in _MONTHS or t in _MONTH_ABBREVIATIONS for t in tokens)
    return bool(tokens) and all(dating)


def _stem(name: str) -> str:
    for suffix in (".gz", ".txt", ".mbox", ".mbx"):
        name = name.removesuffix(suffix)
    return name


@dataclass(frozen=True, slots=True)
class Archive:
    """One archive file and the list its messages belong to when they carry no List-Id."""

    file: Path
    list_name: str


def find_archives(
    path: Path, suffixes: tuple[str, ...], *, split_by_folder: bool = False
) -> list[Archive]:
    """Find the archive files at `path`, sub-folders included, oldest first.

    Files that only date a part of a list (`1998/1998-May.txt.gz`) form one list named after the
    folder the user gave (a symlink's own name, not its target's); with `split_by_folder`, each
    sub-folder is its own list. A file with a name of its own (`numpy.mbox`) is a list of its own.
    """
    if not path.exists():
        raise SourceError(path, "path", "an existing archive file or folder")
    if path.is_file():
        root = path.absolute().parent
        files = [path]
    else:
        root = path.absolute()
        files = sorted(_walk(path, suffixes))
        if not files:
            raise SourceError(
                path, "folder", f"archive files ending in {', '.join(suffixes)} (sub-folders too)"
            )
    archives: list[Archive] = []
    for file in files:
        stem = _stem(file.name)
        if not _is_part(stem):
            name = stem
        elif split_by_folder or path.is_file():
            name = file.absolute().parent.name
        else:
            name = root.name
        archives.append(Archive(file, list_slug(name)))
    return sorted(archives, key=lambda a: _chronological(a.file, path))


def _walk(folder: Path, suffixes: tuple[str, ...]) -> Iterator[Path]:
    """Yield files under `folder`, following symlinked folders once (no loops)."""
    seen: set[Path] = set()
    for current, folders, names in os.walk(folder, followlinks=True):
        real = Path(current).resolve()
        if real in seen:
            folders[:] = []
            continue
        seen.add(real)
        folders.sort()
        for name in names:
            if name.endswith(suffixes) and not name.startswith("."):
                candidate = Path(current) / name
                if candidate.is_file():
                    yield candidate


ReadMessage = tuple["Message | PlainMessage", "bytes | str | None", int]


def check_first_line(file: Path, head: Iterable[bytes], first: int = 1) -> None:
    """Refuse a file whose first non-blank line is not an mbox From_ line."""
    for number, line in enumerate(head, start=first):
        if not line.strip():
            continue
        if _ANY_FROM_LINE.match(line):
            return
        raise SourceError(
            file,
            f"line {number}",
            "an mbox 'From ' line opening the first message (an mbox file or a Mailman "
            f"pipermail archive), found {line[:40]!r}",
        )


def _chronological(file: Path, root: Path) -> tuple[int, int, str]:
    """Order archives by the year and month their path names (1998/1998-May.txt), then by path."""
    try:
        relative = file.relative_to(root) if root.is_dir() else Path(file.name)
    except ValueError:
        relative = Path(file.name)
    year, month = 10_000, 0
    for token in _TOKENS.split(str(relative.with_name(_stem(relative.name))).lower()):
        if len(token) == 4 and token.isdigit():
            year = int(token)
        elif token in _MONTHS:
            month = _MONTHS[token]
        elif token in _MONTH_ABBREVIATIONS:
            month = _MONTH_ABBREVIATIONS[token]
        elif token.isdigit() and 1 <= int(token) <= 12 and year != 10_000:
            month = int(token)
    return year, month, str(relative)


def _parsed(content: bytes, headers_only: bool) -> Message | PlainMessage:
    """Parse a message; the threading pass needs its headers only, so only they are parsed."""
    return parse(content, headers_only=headers_only)


_CHUNK = 1 << 22
_NEXT_FROM = b"\nFrom "
MAX_MESSAGE = 64 * 1024 * 1024
"""A message longer than this is refused: reading holds one message at a time, so this bounds
the memory an archive takes (a 1 GB file without a line break once took 2.2 GB to refuse)."""
MAX_LINE = 1024 * 1024
"""Lines are read at most this long at a time (a longer one is read in pieces)."""


def _too_long(file: Path, number: int) -> SourceError:
    return SourceError(
        file,
        f"message {number}",
        f"messages of at most {MAX_MESSAGE // (1024 * 1024)} MB (this one is longer: "
        "a broken archive, or not mail at all?)",
    )


def mbox_split(file: Path, chunk_size: int = _CHUNK) -> Iterator[tuple[bytes, bytes, int]]:
    """Yield (From_ line, message bytes, number) by the rules of Python's `mailbox.mbox`.

    A message starts at every line beginning "From "; a blank line just before the next one
    belongs to neither. The file is read in large chunks and split where "\\nFrom " occurs (a
    line-by-line loop spent a sixth of reading an archive), where `mailbox.mbox` first reads it
    whole to build a table of contents, then seeks to each message.
    """
    number = 0
    with file.open("rb") as handle:
        data = b""
        begin = -1  # where the current message's From_ line starts in `data`
        scan = 0  # where the search for the next "\nFrom " goes on
        at_start = True
        while True:
            chunk = handle.read(chunk_size)
            data += chunk
            if begin < 0:
                begin = 0 if at_start and data.startswith(b"From ") else data.find(_NEXT_FROM)
                if begin < 0:  # no message yet: keep only what could begin "\nFrom "
                    if not chunk:
                        return
                    if len(data) >= len(_NEXT_FROM):  # long enough to know it does not open
                        at_start = False
                        data = data[-len(_NEXT_FROM) :]
                    continue
                begin += data[begin] == 10  # found after a line break: start at "From "
                scan = begin
            while (end := data.find(_NEXT_FROM, scan)) >= 0:
                number += 1
                yield _message(data[begin : end + 1], number)
                begin = scan = end + 1
            if not chunk:
                number += 1
                yield _message(data[begin:], number)
                return
            data = data[begin:]
            if len(data) > MAX_MESSAGE:
                raise _too_long(file, number + 1)
            begin, scan = 0, max(len(data) - len(_NEXT_FROM) + 1, 0)


def _message(segment: bytes, number: int) -> tuple[bytes, bytes, int]:
    """Split one message's bytes into its From_ line and its content, as `mailbox.mbox` does."""
    line_end = segment.find(b"\n")
    if line_end < 0:
        return segment, b"", number
    content = segment[line_end + 1 :]
    if content == b"\n" or content.endswith(b"\n\n"):
        content = content[:-1]  # the blank line that separated it from the next message
    return segment[:line_end], content, number


def mbox_messages(file: Path, headers_only: bool = False) -> Iterator[ReadMessage]:
    # The From_ line stays bytes: decoding it as ASCII crashed on any other byte (fuzzing).
    for from_line, content, number in mbox_split(file):
        yield _parsed(content, headers_only), from_line, number


MBOX_SUFFIXES = (".mbox", ".mbx", ".mbox.gz", ".mbx.gz")
PIPERMAIL_SUFFIXES = (".txt", ".txt.gz")


@contextlib.contextmanager
def plain_mbox(archive: Archive) -> Iterator[Path]:
    """Yield the archive as a plain mbox file: a .gz one is unpacked to a scratch file first.

    mbox splits messages at any "From " line, unlike pipermail's dated ones, so a gzip mbox is
    read by the same rules as the plain file (Mailman 3's HyperKitty exports list.mbox.gz).
    """
    if not archive.file.name.endswith(".gz"):
        yield archive.file
        return
    with tempfile.TemporaryDirectory(prefix="cultivate-mbox-") as folder:
        plain = Path(folder) / archive.file.name.removesuffix(".gz")
        packed_size = archive.file.stat().st_size
        most = max(RATIO_CHECKED_FROM, MAX_COMPRESSION_RATIO * packed_size)
        try:
            with gzip.open(archive.file, "rb") as packed, plain.open("wb") as unpacked:
                written = 0
                while chunk := packed.read(1 << 20):
                    written += len(chunk)
                    if written > most:  # a gzip bomb: refused before it fills the disk
                        raise SourceError(
                            archive.file,
                            "gzip data",
                            f"data that unpacks at most {MAX_COMPRESSION_RATIO} times its "
                            f"packed size (this one passes {most:,} bytes from {packed_size:,})",
                        )
                    unpacked.write(chunk)
        except EOFError:
            raise SourceError(
                archive.file,
                f"byte {archive.file.stat().st_size}",
                "a complete gzip-compressed file (it is truncated: it ends early)",
            ) from None
        except (gzip.BadGzipFile, zlib.error, OSError) as exc:
            raise SourceError(archive.file, "gzip data", f"intact gzip data ({exc})") from None
        yield plain


def first_lines(handle: IO[bytes], lines: int = 50) -> Iterator[bytes]:
    for _ in range(lines):
        line = handle.readline(MAX_LINE)
        if not line:
            return
        yield line


def _open_archive(file: Path) -> IO[bytes]:
    handle = file.open("rb")
    magic = handle.read(2)
    handle.seek(0)
    if magic == b"\x1f\x8b":
        return cast(IO[bytes], gzip.GzipFile(fileobj=handle, mode="rb"))
    return handle


def pipermail_split(file: Path) -> Iterator[tuple[bytes, bytes, int]]:
    """Yield (From_ line, message bytes, number) one message at a time."""
    handle = _open_archive(file)
    try:
        from_line: bytes | None = None
        lines: list[bytes] = []
        size = 0
        number = 0
        started = False
        try:
            bounded_lines = iter(lambda: handle.readline(MAX_LINE), b"")
            for line_number, line in enumerate(bounded_lines, start=1):
                if not started:
                    if not line.strip():
                        continue
                    check_first_line(file, [line], line_number)
                    if DATED_FROM_LINE.match(line.rstrip(b"\r\n")) is None:
                        raise SourceError(
                            file, f"line {line_number}", "a pipermail 'From ' line ending in a date"
                        )
                    started = True
                if DATED_FROM_LINE.match(line.rstrip(b"\r\n")):
                    if from_line is not None:
                        number += 1
                        yield from_line, b"".join(lines), number
                    from_line, lines, size = line, [], 0
                else:
                    lines.append(line)
                    size += len(line)
                    if size > MAX_MESSAGE:
                        raise _too_long(file, number + 1)
        except EOFError:
            raise SourceError(
                file,
                f"message {number + 1}",
                "a complete gzip-compressed file (it is truncated: it ends early)",
            ) from None
        except (gzip.BadGzipFile, zlib.error, OSError) as exc:
            raise SourceError(
                file, f"message {number + 1}", f"intact gzip-compressed text ({exc})"
            ) from None
        if from_line is not None:
            yield from_line, b"".join(lines), number + 1
    finally:
        handle.close()


def pipermail_messages(file: Path, headers_only: bool = False) -> Iterator[ReadMessage]:
    for from_line, raw, number in pipermail_split(file):
        yield _parsed(raw, headers_only), from_line, number
