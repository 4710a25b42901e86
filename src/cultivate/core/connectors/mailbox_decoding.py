"""Decode what the mail reader needs of one message: headers, sender, date, ids and body text.

Kept apart from mailbox.py because decoding is where mail is never refused for its content:
RFC 2047 headers, declared or wrong charsets, obfuscated or bare sender addresses and missing
Date headers all come out as text (with a flag saying when replacement characters were needed)
or as None, never as an exception.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.errors import MessageError
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parseaddr, parsedate_to_datetime

from ._mailparse import PlainMessage
from .mailbox_archives import DATED_FROM_LINE

BRACKETED_ID = re.compile(r"<([^<>\s]+)>")


def message_ids(header: str) -> tuple[str, ...]:
    """Return the message ids a header names, with or without their angle brackets."""
    found = BRACKETED_ID.findall(header)
    if found:
        return tuple(found)
    return tuple(token for token in header.split() if "@" in token)


def _clean(text: str) -> tuple[str, bool]:
    """Replace undecodable bytes smuggled in as surrogates; say whether any were."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), True
    return text, False


def message_header(message: Message | PlainMessage, name: str) -> tuple[str, bool]:
    """Return a header decoded from RFC 2047, and whether decoding needed replacements."""
    return decoded_header(message.get(name))


def decoded_header(raw: object) -> tuple[str, bool]:
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


def message_body(message: Message | PlainMessage) -> tuple[str, bool]:
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
    match = DATED_FROM_LINE.match(line.rstrip(b"\r\n"))
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


def message_date(
    message: Message | PlainMessage, from_line: bytes | str | None
) -> tuple[datetime | None, str]:
    """Return the message's time in UTC and where it came from; naive dates are taken as UTC."""
    raw, _ = message_header(message, "Date")
    if raw:
        try:
            at = parsedate_to_datetime(raw)
            at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
            if 1970 <= at.year <= 2200:
                return at, "date header"
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    return _from_line_date(from_line), "from line"


_ADDRESS = re.compile(r"[\w.+'=-]+@[\w-]+(?:\.[\w-]+)+")
_OBFUSCATED = re.compile(r"(\S+) at (\S+)")


_NAME_AND_ADDRESS = re.compile(
    r"[ \t]*([^\x00-\x1f()<>@,;:\\\".\[\]]*?)[ \t]*"
    r"<([\w+'=-]+(?:\.[\w+'=-]+)*@[\w-]+(?:\.[\w-]+)+)>[ \t]*"
)
"""`Name <address>` with a name of plain words: what `parseaddr` reads the same way."""


def parse_sender(header: str) -> tuple[str, str]:
    """Return (name, lower-cased address) from a From header, even an obfuscated or bare one."""
    plain = _NAME_AND_ADDRESS.fullmatch(header)
    if plain is not None:
        return " ".join(plain.group(1).split()), plain.group(2).lower()
    return _sender_by_parseaddr(header)


def _sender_by_parseaddr(header: str) -> tuple[str, str]:
    """`parse_sender` for any header: the standard library's address parser, then a search."""
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
