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

import re
from collections.abc import Callable, Iterator
from email.message import Message
from functools import partial
from pathlib import Path
from typing import Any

from cultivate.core.activity import Activity
from cultivate.core.language import Classification

from ._mailparse import PlainMessage
from .base import BATCH_SIZE, Batches, Person, SourceError, batched
from .mailbox_archives import (
    MBOX_SUFFIXES,
    PIPERMAIL_SUFFIXES,
    Archive,
    ReadMessage,
    check_first_line,
    find_archives,
    first_lines,
    list_slug,
    mbox_messages,
    mbox_split,
    pipermail_messages,
    pipermail_split,
    plain_mbox,
)
from .mailbox_decoding import (
    BRACKETED_ID,
    decoded_header,
    message_body,
    message_date,
    message_header,
    message_ids,
    parse_sender,
)
from .mailbox_threads import Envelope, MailingList, Threading, ThreadPlace, normalise_subject
from .messages import (
    ReadStats,
    Unclassified,
    classified_in_order,
    follow_up_verb,
    inferred_meta,
    opening_verb,
)
from .system import is_system_address

__all__ = ["people_mbox", "people_pipermail", "read_mbox", "read_pipermail"]

SOURCE = "mail"


class _Reader(Threading):
    def __init__(self, stats: ReadStats) -> None:
        self.stats = stats
        self.lists: dict[str, MailingList] = {}
        self.seen: set[str] = set()

    def the_list(self, message: Message | PlainMessage, fallback: str) -> MailingList:
        list_id, _ = message_header(message, "List-Id")
        match = BRACKETED_ID.search(list_id)
        name = list_slug(match.group(1).split(".")[0]) if match else fallback
        if name not in self.lists:
            self.lists[name] = MailingList(community=f"mail-{name}", name=name)
        return self.lists[name]

    def envelope(
        self,
        message: Message | PlainMessage,
        from_line: bytes | str | None,
        archive: Archive,
        number: int,
    ) -> Envelope | None:
        """Read a message's headers; None (counted) for one that cannot become an activity."""
        self.stats.messages += 1
        sender, bad_from = message_header(message, "From")
        name, address = parse_sender(sender)
        if not address:
            self.stats.skipped["no sender"] += 1
            return None
        if is_system_address(address):
            self.stats.system_accounts[f"list robot {address}"] += 1
            return None
        file = archive.file
        at, dated_by = message_date(message, from_line)
        if at is None:
            raise SourceError(
                file, f"message {number}", "a Date header or an mbox From_ line with a date"
            )
        the_list = self.the_list(message, archive.list_name)
        message_id_header, _ = message_header(message, "Message-ID")
        found = BRACKETED_ID.search(message_id_header)
        message_id = found.group(1) if found else message_id_header.strip()
        if not message_id:
            message_id = f"{file.name}:{number}"
        object_id = f"mail:{the_list.name}:{message_id}"
        if object_id in self.seen:
            self.stats.skipped["duplicate message-id"] += 1
            return None
        self.seen.add(object_id)
        subject, bad_subject = message_header(message, "Subject")
        return Envelope(
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
            in_reply_to=message_ids(message_header(message, "In-Reply-To")[0]),
            references=message_ids(message_header(message, "References")[0]),
            header_errors=bad_from or bad_subject,
        )

    def unclassified(self, place: ThreadPlace, message: Message | PlainMessage) -> Unclassified:
        """Read a placed message's text: all its activity needs but the classifier's verdict."""
        envelope = place.envelope
        body, bad_body = message_body(message)
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
        self, place: ThreadPlace, text: str, meta: dict[str, Any], c: Classification
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
        self, archive: Archive, messages: Callable[[bool], Iterator[ReadMessage]]
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


def _mbox_activities(path: Path, reader: _Reader, split_by_folder: bool) -> Iterator[Unclassified]:
    for archive in find_archives(path, MBOX_SUFFIXES, split_by_folder=split_by_folder):
        try:
            with plain_mbox(archive) as plain:
                with plain.open("rb") as handle:
                    check_first_line(archive.file, first_lines(handle))
                yield from reader.file(archive, partial(mbox_messages, plain))
        except SourceError as error:
            if not reader.stats.keep_going:
                raise
            reader.stats.skip_file(archive.file, f"{error.where}: {error.expected}")


def _pipermail_activities(
    path: Path, reader: _Reader, split_by_folder: bool
) -> Iterator[Unclassified]:
    for archive in find_archives(path, PIPERMAIL_SUFFIXES, split_by_folder=split_by_folder):
        yield from reader.file(archive, partial(pipermail_messages, archive.file))


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
        name, address = parse_sender(decoded_header(raw)[0])
        if not address:
            continue
        known = seen.get(address)
        if known is None or (not known.name and name):
            seen[address] = Person(key=f"mail:{address}", name=name, email=address)
    yield from seen.values()


def _pipermail_from_headers(archives: list[Archive]) -> Iterator[str | None]:
    """Yield every message's From header; damaged files are the activity reader's to report."""
    for archive in archives:
        try:
            for _, content, _ in pipermail_split(archive.file):
                yield _raw_from(content)
        except SourceError:
            continue


def _mbox_from_headers(archives: list[Archive]) -> Iterator[str | None]:
    for archive in archives:
        try:
            with plain_mbox(archive) as plain:
                for _, content, _ in mbox_split(plain):
                    yield _raw_from(content)
        except SourceError:
            continue  # damaged files are the activity reader's to report


def people_mbox(path: Path) -> Iterator[Person]:
    """Yield the senders of mbox files (a file or folder tree) from their From headers."""
    return _senders(_mbox_from_headers(find_archives(Path(path), MBOX_SUFFIXES)))


def people_pipermail(path: Path) -> Iterator[Person]:
    """Yield the senders of pipermail archives (.txt, .txt.gz; a file or folder tree)."""
    return _senders(_pipermail_from_headers(find_archives(Path(path), PIPERMAIL_SUFFIXES)))
