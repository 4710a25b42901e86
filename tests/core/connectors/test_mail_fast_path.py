"""The fast mail parser reads every header and body exactly as Python's `email` parser does."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path

import pytest

from cultivate.core.connectors._mailparse import PlainMessage, parse
from cultivate.core.connectors.mailbox_archives import _walk, mbox_split, pipermail_split
from cultivate.core.connectors.mailbox_decoding import (
    _sender_by_parseaddr,
    message_body,
    message_header,
    parse_sender,
)

HEADERS = (
    "From",
    "Date",
    "Subject",
    "Message-ID",
    "In-Reply-To",
    "References",
    "List-Id",
    "Content-Type",
)

TRICKY: list[bytes] = [
    b"From: Ana <ana@example.org>\nSubject: a folded\n  subject line\n\nbody\n",
    b"From: =?utf-8?q?Ren=C3=A9?= <rene@example.org>\nSubject: =?iso-8859-1?q?caf=E9?=\n\nx\n",
    b'From: a@example.org\nContent-Type: text/plain; charset="ISO-8859-1"\n'
    b"Content-Transfer-Encoding: quoted-printable\n\ncaf=E9 =\nsoft break\n",
    b"From: a@example.org\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
    b"aGVsbG8gd29ybGQ=\n",
    b"From: a@example.org\nContent-Type: multipart/alternative; boundary=XX\n\n--XX\n"
    b"Content-Type: text/plain\n\nplain part\n--XX\nContent-Type: text/html\n\n<p>h</p>\n--XX--\n",
    b"From: a@example.org\r\nSubject: crlf\r\n\r\nbody\r\n",
    b"From: Jos\xe9 <jose@example.org>\nSubject: latin-1 in a header\n\nbody\n",
    b" continued first\nFrom: a@example.org\n\nbody\n",
    b"From: a@example.org\nnot a header line\nSubject: s\n\nbody\n",
    b"From: a@example.org\nContent-Type: text/plain; charset=utf-8 (comment)\n\nbody\n",
    b"From: a@example.org\nContent-Transfer-Encoding: quoted-printable \n\nx=41\n",
    b"From: a@example.org\nSubject: no body",
    b"From: a@example.org\nSubject: first\nSubject: second\n\nbody\n",
    b"From: a@example.org\nContent-Type: TEXT/PLAIN; FORMAT=flowed; CHARSET=ISO-8859-1\n\n"
    b"caf\xe9\n",
    b"From: a@example.org\nContent-Type: text/plain; charset=x-unknown\n\ncaf\xe9\n",
    b'From: a@example.org\nContent-Type: text/plain; charset=""\n\nbody\n',
    b"From: a@example.org\nContent-Type: application/pdf\n\n%PDF\n",
    b"From: a@example.org\nContent-Disposition: attachment; filename=a.txt\n\nfile\n",
    b"From: a@example.org\nContent-Type: text/plain;\n charset=utf-8\n\nfolded type\n",
    b"From: a@example.org\nContent-Type: text/plain; charset*=utf-8''x\n\nrfc 2231\n",
    b"From: a@example.org\nSubject:\n  starts on the next line\n\nbody\n",
    b"From: a@example.org\n:empty name\n\nbody\n",
    b"\nFrom: a@example.org\n\nbody starts at once\n",
    b"",
]


def _same(content: bytes) -> None:
    fast = parse(content)
    slow = message_from_bytes(content)
    for name in HEADERS:
        assert message_header(fast, name) == message_header(slow, name), (name, content[:80])
    assert message_body(fast) == message_body(slow), content[:80]
    headers_only = parse(content, headers_only=True)
    for name in HEADERS:
        assert message_header(headers_only, name) == message_header(slow, name), (
            name,
            content[:80],
        )


@pytest.mark.parametrize("content", TRICKY, ids=range(len(TRICKY)))
def test_a_tricky_message_reads_the_same_fast_and_slow(content: bytes) -> None:
    _same(content)


def test_plain_messages_take_the_fast_path_and_unusual_ones_do_not() -> None:
    assert isinstance(parse(TRICKY[0]), PlainMessage)
    assert isinstance(parse(TRICKY[2]), PlainMessage), "quoted-printable text is still plain"
    assert not isinstance(parse(TRICKY[5]), PlainMessage), "CRLF line ends go to email"
    assert not isinstance(parse(TRICKY[6]), PlainMessage), "non-ASCII headers go to email"


def _real_messages(data_dir: Path) -> Iterator[bytes]:
    for file in sorted(_walk(data_dir / "ml-3gpp-listserv-mbox", (".mbox", ".mbx"))):
        for _, content, _ in mbox_split(file):
            yield content
    for file in sorted(_walk(data_dir / "ml-numpy-discussion", (".txt", ".txt.gz"))):
        for _, content, _ in pipermail_split(file):
            yield content


@pytest.mark.data
def test_every_real_message_reads_the_same_fast_and_slow(data_dir: Path) -> None:
    messages = list(_real_messages(data_dir))
    assert len(messages) > 150
    fast = 0
    for content in messages:
        _same(content)
        fast += isinstance(parse(content), PlainMessage)
        sender, _ = message_header(parse(content), "From")
        assert parse_sender(sender) == _sender_by_parseaddr(sender), sender
    assert fast, "some real messages take the fast path"


@pytest.mark.parametrize(
    "header",
    [
        "Ana Lima <ana@example.org>",
        '"Lima, Ana" <ana@example.org>',
        "ana@example.org (Ana Lima)",
        "ana at example.org (Ana Lima)",
        "Ana Q. Lima <ana@example.org>",
        "<ana@example.org>",
        "ana@example.org",
        "José  Müller <jose@example.org>",
        "Ana <ana@example.org>, Bo <bo@example.org>",
        "Ana <ana@example.org",
        "no address here",
        "",
        "O'Neil-Smith <o.neil+list@mail.example.co.uk>",
        "Ana (the chair) <ana@example.org>",
    ],
)
def test_a_sender_reads_the_same_by_the_fast_path_and_by_parseaddr(header: str) -> None:
    assert parse_sender(header) == _sender_by_parseaddr(header)
