"""Parse a mail message fast where it is plain, and by the standard library where it is not.

The mail readers need seven headers and the text of one part. Python's `email` parser builds a
whole object tree through a feed parser: two thirds of reading an archive went there. Most list
mail has plain ASCII headers and one text part, so `parse` reads those directly with the exact
rules of `email`'s compat32 policy (the first of a repeated header, folded lines kept as they
came, the payload decoded as `get_payload(decode=True)` does) and hands anything else (non-ASCII
or malformed headers, multipart, base64, RFC 2231 parameters, attachments, CRLF line ends) to the
standard parser. A parity test compares both on every message of the real archives.
"""

from __future__ import annotations

import quopri
import re
from email import message_from_bytes
from email.message import Message
from email.parser import BytesHeaderParser

__all__ = ["PlainMessage", "parse"]

_TEXT_TYPE = re.compile(
    r"[ \t]*text/[a-z0-9.+-]+[ \t]*"
    r"((?:;[ \t]*[a-z0-9-]+[ \t]*=[ \t]*(?:\"[^\"\\\r\n]*\"|[^\s;\"\\]+)[ \t]*)*);?[ \t]*",
    re.IGNORECASE,
)
"""A single text part with plain `name=value` parameters (no RFC 2231, comments or escapes)."""
_PARAMETER = re.compile(r";[ \t]*([a-z0-9-]+)[ \t]*=[ \t]*(?:\"([^\"]*)\"|([^\s;\"]+))", re.I)
_DECODED_ELSEWHERE = frozenset({"base64", "x-uuencode", "uuencode", "uue", "x-uue"})
"""Transfer encodings `get_payload(decode=True)` decodes other than quoted-printable."""
_HEADERS = BytesHeaderParser()


class PlainMessage:
    """A message with plain ASCII headers: its headers by lower-cased name, and its raw bytes."""

    __slots__ = ("content", "headers")

    def __init__(self, content: bytes, headers: dict[str, str]) -> None:
        self.content = content
        self.headers = headers

    def get(self, name: str, default: str | None = None) -> str | None:
        """The first header of that name, as `email.message.Message.get` gives it."""
        raw = self.headers.get(name.lower())
        if raw is None:
            return default
        # compat32: the first line's value left-stripped, continuation lines as they came.
        return raw.lstrip(" \t").rstrip("\r\n")

    def text_payload(self) -> tuple[bytes, str | None] | None:
        """Return (decoded payload, charset) of a single text part; None where it is not one.

        None sends the caller to the standard parser: multipart, other types, attachments,
        base64 or unusual parameters.
        """
        headers = self.headers
        if "content-disposition" in headers:
            return None
        encoding = (self.get("content-transfer-encoding") or "").lower()  # unstripped, as email
        if encoding in _DECODED_ELSEWHERE:
            return None
        charset: str | None = None
        content_type = self.get("content-type")
        if content_type is not None:
            found = _TEXT_TYPE.fullmatch(content_type)
            if found is None:
                return None
            for name, quoted, bare in _PARAMETER.findall(found.group(1)):
                if name.lower() == "charset":
                    charset = (quoted or bare).lower()
                    break
        content = self.content
        end = content.find(b"\n\n")
        payload = b"" if end < 0 else content[end + 2 :]
        if encoding == "quoted-printable":
            payload = quopri.decodestring(payload)
        return payload, charset

    def full(self) -> Message:
        """The message parsed by the standard library, for what the fast path does not read."""
        return message_from_bytes(self.content)


_HEADER_LINES = r"[\041-\071\073-\176]+:[^\n]*(?:\n[ \t][^\n]*)*"
_BLOCK = re.compile(rf"(?:{_HEADER_LINES}\n)*(?:{_HEADER_LINES})?")
"""A header block every line of which the feed parser reads as a header: a name (any printable
but ':' and space), ':', the value and its folded continuation lines."""
_HEADER = re.compile(r"^([\041-\071\073-\176]+):([^\n]*(?:\n[ \t][^\n]*)*)", re.MULTILINE)


def _plain_headers(content: bytes) -> dict[str, str] | None:
    """Return the raw headers of a message whose header block is plain ASCII with "\\n" ends.

    None where a line of the block is not a header (the feed parser's defect handling decides).
    Values stay raw (see `PlainMessage.get`): most headers are never asked for.
    """
    if not content or content[:1] == b"\n":
        return None
    end = content.find(b"\n\n")
    block = content if end < 0 else content[: end + 1]
    if b"\r" in block or not block.isascii():
        return None
    text = block.decode("ascii")
    if _BLOCK.fullmatch(text) is None:
        return None
    # Reversed, so the first of a repeated header is the one kept, as email.message does.
    return {name.lower(): value for name, value in reversed(_HEADER.findall(text))}


def parse(content: bytes, *, headers_only: bool = False) -> PlainMessage | Message:
    """Parse a message's bytes: fast where its headers are plain, else by the standard library."""
    headers = _plain_headers(content)
    if headers is not None:
        return PlainMessage(content, headers)
    if not headers_only:
        return message_from_bytes(content)
    end = content.find(b"\n\n")
    return _HEADERS.parsebytes(content if end < 0 else content[: end + 1])
