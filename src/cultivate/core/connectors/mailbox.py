"""Read mailing-list archives (mbox files, Mailman pipermail .txt/.txt.gz) into Activity batches.

One community per list: the List-Id header when a message carries one, otherwise the folder of a
pipermail monthly archive (2001-November.txt) or the archive file's own name. Threads follow
In-Reply-To, then References, then the normalised subject of a message that looks like a reply.
Messages are read one at a time; only ids, authors and subjects are kept for threading.

Mail is never refused for its content: undecodable text is decoded with the declared charset,
then UTF-8 with replacement characters (meta.encoding_errors). Only a file that is not an
archive at all, or a message with no usable date, raises SourceError.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.errors import MessageError
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parseaddr, parsedate_to_datetime
from functools import partial
from pathlib import Path
from typing import IO, Any, cast

from cultivate.core.activity import Activity
from cultivate.core.language import Classification

from ._mailparse import PlainMessage, parse
from .base import BATCH_SIZE, Batches, Person, SourceError, batched
from .messages import (
    ReadStats,
    Unclassified,
    classified_in_order,
    follow_up_verb,
    inferred_meta,
    opening_verb,
)
from .system import is_system_address

__all__ = ["normalise_subject", "people_mbox", "people_pipermail", "read_mbox", "read_pipermail"]

SOURCE = "mail"

_FROM_LINE = re.compile(
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
_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|wg|sv|vs|antw|tr|rif|r)\s*(?:\[\d+\]|\(\d+\))?\s*:|\[[^\]]*\])\s*",
    re.IGNORECASE,
)
_REPLY_MARK = re.compile(
    r"^\s*['\"]?\s*(?:\[[^\]]*\]\s*)*(?:re|aw|sv|antw)\s*(?:\[\d+\])?\s*:", re.I
)
_MSGID = re.compile(r"<([^<>\s]+)>")
_SLUG = re.compile(r"[^a-z0-9._-]+")


def normalise_subject(subject: str) -> str:
    """Return the subject without Re:/Fwd:/AW: prefixes, [list] tags, quotes or extra spaces."""
    text = " ".join(subject.split()).strip().strip("'\"").strip()
    while True:
        stripped = _REPLY_PREFIX.sub("", text, count=1).strip().strip("'\"").strip()
        if stripped == text:
            return text.lower()
        text = stripped


def _slug(name: str) -> str:
    return _SLUG.sub("-", name.lower()).strip("-") or "list"


def _ids(header: str) -> tuple[str, ...]:
    """Return the message ids a header names, with or without their angle brackets."""
    found = _MSGID.findall(header)
    if found:
        return tuple(found)
    return tuple(token for token in header.split() if "@" in token)


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
class _Archive:
    """One archive file and the list its messages belong to when they carry no List-Id."""

    file: Path
    list_name: str


def _archives(
    path: Path, suffixes: tuple[str, ...], *, split_by_folder: bool = False
) -> list[_Archive]:
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
    archives: list[_Archive] = []
    for file in files:
        stem = _stem(file.name)
        if not _is_part(stem):
            name = stem
        elif split_by_folder or path.is_file():
            name = file.absolute().parent.name
        else:
            name = root.name
        archives.append(_Archive(file, _slug(name)))
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


def _clean(text: str) -> tuple[str, bool]:
    """Replace undecodable bytes smuggled in as surrogates; say whether any were."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), True
    return text, False


def _header(message: Message | PlainMessage, name: str) -> tuple[str, bool]:
    """Return a header decoded from RFC 2047, and whether decoding needed replacements."""
    return _decoded(message.get(name))


def _decoded(raw: object) -> tuple[str, bool]:
    """Return a raw header value decoded from RFC 2047, and whether it needed replacements."""
    if raw is None:
        return "", False
    if isinstance(raw, str) and "=?" not in raw:  # no encoded words: nothing to decode
        text, bad = _clean(raw)
        return " ".join(text.split()), bad
    try:
        text = str(make_header(decode_header(str(raw))))
    except (LookupError, UnicodeError, ValueError, AssertionError, MessageError):
        text, _ = _clean(str(raw))
        return " ".join(text.split()), True
    text, bad = _clean(text)
    return " ".join(text.split()), bad


def _decode(payload: bytes, charset: str | None) -> tuple[str, bool]:
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            return payload.decode(candidate), False
        except (LookupError, ValueError):
            continue
    return payload.decode("utf-8", "replace"), True


def _body(message: Message | PlainMessage) -> tuple[str, bool]:
    """Return the first plain-text part (or the first text part), decoded."""
    if isinstance(message, PlainMessage):
        single = message.text_payload()
        if single is not None:
            return _decode(*single)
        message = message.full()
    parts = list(message.walk()) if message.is_multipart() else [message]
    chosen: Message | None = None
    for part in parts:
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        if part.get_content_disposition() == "attachment":
            continue
        if part.get_content_subtype() == "plain":
            chosen = part
            break
        chosen = chosen or part
    if chosen is None:
        return "", False
    try:
        payload = chosen.get_payload(decode=True)
    except (ValueError, TypeError, LookupError, AssertionError, MessageError):
        payload = None
    if not isinstance(payload, bytes):
        raw = chosen.get_payload()
        return _clean(raw) if isinstance(raw, str) else ("", False)
    try:
        charset = chosen.get_content_charset()
    except (ValueError, LookupError, MessageError):
        charset = None
    return _decode(payload, charset)


def _from_line_date(from_line: bytes | str | None) -> datetime | None:
    if not from_line:
        return None
    line = from_line if isinstance(from_line, bytes) else from_line.encode("utf-8", "replace")
    if not line.startswith(b"From "):
        line = b"From " + line
    match = _FROM_LINE.match(line.rstrip(b"\r\n"))
    if match is None:
        return None
    stamp = " ".join(match.group("date").decode("ascii", "replace").split())
    try:
        return datetime.strptime(stamp, "%a %b %d %H:%M:%S %Y").replace(tzinfo=UTC)
    except ValueError:
        try:
            return datetime.strptime(stamp, "%a %b %d %H:%M %Y").replace(tzinfo=UTC)
        except ValueError:
            return None


def _date(
    message: Message | PlainMessage, from_line: bytes | str | None
) -> tuple[datetime | None, str]:
    """Return the message's time in UTC and where it came from; naive dates are taken as UTC."""
    raw, _ = _header(message, "Date")
    if raw:
        try:
            at = parsedate_to_datetime(raw)
            at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
            if 1970 <= at.year <= 2200:
                return at, "date header"
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    return _from_line_date(from_line), "from line"


@dataclass(frozen=True, slots=True)
class _Posted:
    object_id: str
    author: str
    root_id: str


@dataclass
class _List:
    """Threading memory of one list: message ids and subjects to their threads."""

    community: str
    name: str
    by_id: dict[str, _Posted] = field(default_factory=dict)
    by_subject: dict[str, _Posted] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Envelope:
    """What threading needs of one message: its headers, not its body."""

    number: int
    the_list: _List
    message_id: str
    object_id: str
    actor: str
    name: str
    at: datetime
    dated_by: str
    subject: str
    topic: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    header_errors: bool


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a message sits in its thread; parent None for a thread start."""

    envelope: _Envelope
    parent: _Posted | None
    threaded_by: str


_ADDRESS = re.compile(r"[\w.+'=-]+@[\w-]+(?:\.[\w-]+)+")
_OBFUSCATED = re.compile(r"(\S+) at (\S+)")


_NAME_AND_ADDRESS = re.compile(
    r"[ \t]*([^\x00-\x1f()<>@,;:\\\".\[\]]*?)[ \t]*"
    r"<([\w+'=-]+(?:\.[\w+'=-]+)*@[\w-]+(?:\.[\w-]+)+)>[ \t]*"
)
"""`Name <address>` with a name of plain words: what `parseaddr` reads the same way."""


def _sender(header: str) -> tuple[str, str]:
    """Return (name, lower-cased address) from a From header, even an obfuscated or bare one."""
    plain = _NAME_AND_ADDRESS.fullmatch(header)
    if plain is not None:
        return " ".join(plain.group(1).split()), plain.group(2).lower()
    return _sender_by_parseaddr(header)


def _sender_by_parseaddr(header: str) -> tuple[str, str]:
    """`_sender` for any header: the standard library's address parser, then a search."""
    if "@" not in header:
        header = _OBFUSCATED.sub(r"\1@\2", header, count=1)
    name, address = parseaddr(header)
    if "@" not in address or " " in address.strip():
        found = _ADDRESS.search(header)
        if found is None:
            return name.strip(), ""
        address = found.group(0)
        rest = header[: found.start()] + header[found.end() :]
        name = rest.strip().strip("<>()[]").strip().strip("'\"").strip()
    return " ".join(name.split()), address.strip().lower()


class _Reader:
    def __init__(self, stats: ReadStats) -> None:
        self.stats = stats
        self.lists: dict[str, _List] = {}
        self.seen: set[str] = set()

    def the_list(self, message: Message | PlainMessage, fallback: str) -> _List:
        list_id, _ = _header(message, "List-Id")
        match = _MSGID.search(list_id)
        name = _slug(match.group(1).split(".")[0]) if match else fallback
        if name not in self.lists:
            self.lists[name] = _List(community=f"mail-{name}", name=name)
        return self.lists[name]

    def envelope(
        self,
        message: Message | PlainMessage,
        from_line: bytes | str | None,
        archive: _Archive,
        number: int,
    ) -> _Envelope | None:
        """Read a message's headers; None (counted) for one that cannot become an activity."""
        self.stats.messages += 1
        sender, bad_from = _header(message, "From")
        name, address = _sender(sender)
        if not address:
            self.stats.skipped["no sender"] += 1
            return None
        if is_system_address(address):
            self.stats.system_accounts[f"list robot {address}"] += 1
            return None
        file = archive.file
        at, dated_by = _date(message, from_line)
        if at is None:
            raise SourceError(
                file, f"message {number}", "a Date header or an mbox From_ line with a date"
            )
        the_list = self.the_list(message, archive.list_name)
        message_id_header, _ = _header(message, "Message-ID")
        found = _MSGID.search(message_id_header)
        message_id = found.group(1) if found else message_id_header.strip()
        if not message_id:
            message_id = f"{file.name}:{number}"
        object_id = f"mail:{the_list.name}:{message_id}"
        if object_id in self.seen:
            self.stats.skipped["duplicate message-id"] += 1
            return None
        self.seen.add(object_id)
        subject, bad_subject = _header(message, "Subject")
        return _Envelope(
            number=number,
            the_list=the_list,
            message_id=message_id,
            object_id=object_id,
            actor=f"mail:{address}",
            name=name,
            at=at,
            dated_by=dated_by,
            subject=subject,
            topic=normalise_subject(subject),
            in_reply_to=_ids(_header(message, "In-Reply-To")[0]),
            references=_ids(_header(message, "References")[0]),
            header_errors=bad_from or bad_subject,
        )

    def thread(self, envelopes: list[_Envelope]) -> dict[int, _Place]:
        """Place messages in threads in the order they were sent (archives are not always)."""
        places: dict[int, _Place] = {}
        for envelope in sorted(envelopes, key=lambda e: (e.at, e.number)):
            the_list = envelope.the_list
            parent, threaded_by = self.parent(envelope)
            if parent is None and (envelope.in_reply_to or envelope.references):
                # It answers a message the archive does not hold: that message is the thread.
                missing = (envelope.references or envelope.in_reply_to)[0]
                root_id = f"mail:{the_list.name}:{missing}"
                parent, threaded_by = _Posted(root_id, "", root_id), "missing parent"
            root_id = envelope.object_id if parent is None else parent.root_id
            posted = _Posted(envelope.object_id, envelope.actor, root_id)
            the_list.by_id[envelope.message_id] = posted
            if envelope.topic and (parent is None or envelope.topic not in the_list.by_subject):
                the_list.by_subject[envelope.topic] = posted
            places[envelope.number] = _Place(envelope, parent, threaded_by)
        return places

    def parent(self, envelope: _Envelope) -> tuple[_Posted | None, str]:
        """Find the message this one answers: by header first, by subject when it says Re:."""
        the_list = envelope.the_list
        for message_id in envelope.in_reply_to:
            if message_id in the_list.by_id:
                return the_list.by_id[message_id], "in-reply-to"
        for message_id in reversed(envelope.references):
            if message_id in the_list.by_id:
                return the_list.by_id[message_id], "references"
        replying = bool(
            envelope.in_reply_to or envelope.references or _REPLY_MARK.match(envelope.subject)
        )
        if replying and envelope.topic in the_list.by_subject:
            first = the_list.by_subject[envelope.topic]
            root = the_list.by_id.get(first.root_id.split(":", 2)[-1], first)
            return _Posted(root.object_id, root.author, first.root_id), "subject"
        return None, ""

    @staticmethod
    def thread_starter(the_list: _List, parent: _Posted) -> str:
        """Return the author of the message that opened `parent`'s thread ("" if not held)."""
        root = the_list.by_id.get(parent.root_id.split(":", 2)[-1])
        return root.author if root is not None else ""

    def unclassified(self, place: _Place, message: Message | PlainMessage) -> Unclassified:
        """Read a placed message's text: all its activity needs but the classifier's verdict."""
        envelope = place.envelope
        body, bad_body = _body(message)
        encoding_errors = envelope.header_errors or bad_body
        if encoding_errors:
            self.stats.encoding_errors += 1
        meta: dict[str, Any] = {"subject": envelope.subject}
        if envelope.name:
            meta["name"] = envelope.name
        if envelope.dated_by != "date header":
            meta["dated_by"] = envelope.dated_by
        if encoding_errors:
            meta["encoding_errors"] = True
        subject = envelope.subject
        text = f"{subject}\n\n{body}" if subject else body
        parent = place.parent
        build = partial(self.activity, place, text, meta)
        if parent is None:
            return Unclassified(envelope.object_id, (text, True, False), build)
        by_starter = self.thread_starter(envelope.the_list, parent) == envelope.actor
        return Unclassified(envelope.object_id, (body, False, by_starter), build)

    def activity(
        self, place: _Place, text: str, meta: dict[str, Any], c: Classification
    ) -> Activity:
        """Turn a read message and its kind into its activity: an opening or a reply."""
        envelope = place.envelope
        parent = place.parent
        if parent is None:
            verb, parent_id, target = opening_verb(c, text), None, None
            meta.update(inferred_meta(c, verb_inferred=True))
        else:
            verb, parent_id, target = follow_up_verb(c), parent.root_id, parent.author or None
            meta.update(kind=c.kind.value, confidence=c.confidence, threaded_by=place.threaded_by)
        self.stats.activities += 1
        return Activity(
            id=envelope.object_id,
            source=SOURCE,
            community=envelope.the_list.community,
            actor=envelope.actor,
            verb=verb,
            object_id=envelope.object_id,
            parent_id=parent_id,
            target_actor=target,
            at=envelope.at,
            text=text,
            meta=meta,
        )

    def file(
        self, archive: _Archive, messages: Callable[[bool], Iterator[_Read]]
    ) -> Iterator[Unclassified]:
        """Read a file twice: headers to thread it, then bodies one message at a time.

        A damaged file fails in the first pass, before any of its messages became activities;
        with keep-going it is left out whole and listed, and the next file is read.
        """
        try:
            envelopes = [
                envelope
                for message, from_line, number in messages(True)
                if (envelope := self.envelope(message, from_line, archive, number)) is not None
            ]
        except SourceError as error:
            if not self.stats.keep_going:
                raise
            self.stats.skip_file(archive.file, f"{error.where}: {error.expected}")
            return
        places = self.thread(envelopes)
        del envelopes
        for message, _, number in messages(False):
            place = places.get(number)
            if place is not None:
                yield self.unclassified(place, message)


_Read = tuple["Message | PlainMessage", "bytes | str | None", int]


def _check_first_line(file: Path, head: Iterable[bytes], first: int = 1) -> None:
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


def _mbox_split(file: Path, chunk_size: int = _CHUNK) -> Iterator[tuple[bytes, bytes, int]]:
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
        while True:
            chunk = handle.read(chunk_size)
            data += chunk
            if begin < 0:
                begin = 0 if data.startswith(b"From ") else data.find(_NEXT_FROM)
                if begin < 0:  # no message yet: keep only the unfinished last line
                    if not chunk:
                        return
                    data = data[data.rfind(b"\n") :] if b"\n" in data else data
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


def _mbox_messages(file: Path, headers_only: bool = False) -> Iterator[_Read]:
    # The From_ line stays bytes: decoding it as ASCII crashed on any other byte (fuzzing).
    for from_line, content, number in _mbox_split(file):
        yield _parsed(content, headers_only), from_line, number


_MBOX_SUFFIXES = (".mbox", ".mbx", ".mbox.gz", ".mbx.gz")
_PIPERMAIL_SUFFIXES = (".txt", ".txt.gz")


@contextlib.contextmanager
def _plain_mbox(archive: _Archive) -> Iterator[Path]:
    """Yield the archive as a plain mbox file: a .gz one is unpacked to a scratch file first.

    mbox splits messages at any "From " line, unlike pipermail's dated ones, so a gzip mbox is
    read by the same rules as the plain file (Mailman 3's HyperKitty exports list.mbox.gz).
    """
    if not archive.file.name.endswith(".gz"):
        yield archive.file
        return
    with tempfile.TemporaryDirectory(prefix="cultivate-mbox-") as folder:
        plain = Path(folder) / archive.file.name.removesuffix(".gz")
        try:
            with gzip.open(archive.file, "rb") as packed, plain.open("wb") as unpacked:
                shutil.copyfileobj(packed, unpacked, 1 << 20)
        except EOFError:
            raise SourceError(
                archive.file,
                f"byte {archive.file.stat().st_size}",
                "a complete gzip-compressed file (it is truncated: it ends early)",
            ) from None
        except (gzip.BadGzipFile, zlib.error, OSError) as exc:
            raise SourceError(archive.file, "gzip data", f"intact gzip data ({exc})") from None
        yield plain


def _mbox_activities(path: Path, reader: _Reader, split_by_folder: bool) -> Iterator[Unclassified]:
    for archive in _archives(path, _MBOX_SUFFIXES, split_by_folder=split_by_folder):
        try:
            with _plain_mbox(archive) as plain:
                with plain.open("rb") as handle:
                    _check_first_line(archive.file, _head(handle))
                yield from reader.file(archive, partial(_mbox_messages, plain))
        except SourceError as error:
            if not reader.stats.keep_going:
                raise
            reader.stats.skip_file(archive.file, f"{error.where}: {error.expected}")


def _head(handle: IO[bytes], lines: int = 50) -> Iterator[bytes]:
    for _ in range(lines):
        line = handle.readline()
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


def _split(file: Path) -> Iterator[tuple[bytes, bytes, int]]:
    """Yield (From_ line, message bytes, number) one message at a time."""
    handle = _open_archive(file)
    try:
        from_line: bytes | None = None
        lines: list[bytes] = []
        number = 0
        started = False
        try:
            for line_number, line in enumerate(handle, start=1):
                if not started:
                    if not line.strip():
                        continue
                    _check_first_line(file, [line], line_number)
                    if _FROM_LINE.match(line.rstrip(b"\r\n")) is None:
                        raise SourceError(
                            file, f"line {line_number}", "a pipermail 'From ' line ending in a date"
                        )
                    started = True
                if _FROM_LINE.match(line.rstrip(b"\r\n")):
                    if from_line is not None:
                        number += 1
                        yield from_line, b"".join(lines), number
                    from_line, lines = line, []
                else:
                    lines.append(line)
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


def _pipermail_messages(file: Path, headers_only: bool = False) -> Iterator[_Read]:
    for from_line, raw, number in _split(file):
        yield _parsed(raw, headers_only), from_line, number


def _pipermail_activities(
    path: Path, reader: _Reader, split_by_folder: bool
) -> Iterator[Unclassified]:
    for archive in _archives(path, _PIPERMAIL_SUFFIXES, split_by_folder=split_by_folder):
        yield from reader.file(archive, partial(_pipermail_messages, archive.file))


def read_mbox(
    path: Path,
    *,
    batch_size: int = BATCH_SIZE,
    stats: ReadStats | None = None,
    split_by_folder: bool = False,
    workers: int | None = None,
) -> Batches:
    """Yield the activities of mbox files (.mbox, .mbox.gz; a file or folder tree) in batches.

    `workers`: processes that classify a long archive (default: every core; 1: this one only).
    """
    reader = _Reader(stats or ReadStats())
    items = _mbox_activities(Path(path), reader, split_by_folder)
    return batched(classified_in_order(items, workers=workers), batch_size)


def read_pipermail(
    path: Path,
    *,
    batch_size: int = BATCH_SIZE,
    stats: ReadStats | None = None,
    split_by_folder: bool = False,
    workers: int | None = None,
) -> Batches:
    """Yield the activities of pipermail archives (.txt, .txt.gz; a file or folder tree).

    `workers` as in `read_mbox`.
    """
    reader = _Reader(stats or ReadStats())
    items = _pipermail_activities(Path(path), reader, split_by_folder)
    return batched(classified_in_order(items, workers=workers), batch_size)


_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
"""Where a message's headers end, whatever its line endings."""
_FROM_HEADER = re.compile(r"^from:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)


def _raw_from(content: bytes) -> str | None:
    """Return a message's From header as the parser would give it, without parsing the rest."""
    found = _BLANK_LINE.search(content)
    head = (content if found is None else content[: found.start()]).decode(
        "ascii", "surrogateescape"
    )
    found_from = _FROM_HEADER.search(head)
    return found_from.group(1).rstrip("\r") if found_from else None


def _senders(from_headers: Iterator[str | None]) -> Iterator[Person]:
    """Yield each sender once, keyed like the activities' actors, with the first name given."""
    seen: dict[str, Person] = {}
    for raw in from_headers:
        name, address = _sender(_decoded(raw)[0])
        if not address:
            continue
        known = seen.get(address)
        if known is None or (not known.name and name):
            seen[address] = Person(key=f"mail:{address}", name=name, email=address)
    yield from seen.values()


def _pipermail_from_headers(archives: list[_Archive]) -> Iterator[str | None]:
    """Yield every message's From header; damaged files are the activity reader's to report."""
    for archive in archives:
        try:
            for _, content, _ in _split(archive.file):
                yield _raw_from(content)
        except SourceError:
            continue


def _mbox_from_headers(archives: list[_Archive]) -> Iterator[str | None]:
    for archive in archives:
        try:
            with _plain_mbox(archive) as plain:
                for _, content, _ in _mbox_split(plain):
                    yield _raw_from(content)
        except SourceError:
            continue  # damaged files are the activity reader's to report


def people_mbox(path: Path) -> Iterator[Person]:
    """Yield the senders of mbox files (a file or folder tree) from their From headers."""
    return _senders(_mbox_from_headers(_archives(Path(path), _MBOX_SUFFIXES)))


def people_pipermail(path: Path) -> Iterator[Person]:
    """Yield the senders of pipermail archives (.txt, .txt.gz; a file or folder tree)."""
    return _senders(_pipermail_from_headers(_archives(Path(path), _PIPERMAIL_SUFFIXES)))
