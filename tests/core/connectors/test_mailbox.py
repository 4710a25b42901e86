"""The mailing-list readers on the real numpy and 3GPP archives and on archives written here."""

from __future__ import annotations

import gzip
import mailbox
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cultivate.core.activity import Activity, Verb
from cultivate.core.connectors import Batches, ReadStats, SourceError, read_mbox, read_pipermail
from cultivate.core.connectors.mailbox_threads import normalise_subject

NUMPY = "mail:ml-numpy-discussion"
Reader = Callable[..., Batches]


def read_all(reader: Reader, path: Path, stats: ReadStats | None = None) -> list[Activity]:
    return [a for batch in reader(path, stats=stats) for a in batch]


@pytest.fixture(scope="module")
def numpy(data_dir: Path) -> tuple[list[Activity], ReadStats]:
    stats = ReadStats()
    return read_all(
        read_pipermail, data_dir / "ml-numpy-discussion" / "2001-November.txt", stats
    ), stats


@pytest.fixture(scope="module")
def threegpp(data_dir: Path) -> tuple[list[Activity], ReadStats]:
    stats = ReadStats()
    return read_all(read_mbox, data_dir / "ml-3gpp-listserv-mbox", stats), stats


@pytest.mark.data
def test_numpy_counts_164_messages_from_39_senders_each_message_once(
    data_dir: Path, numpy: tuple[list[Activity], ReadStats]
) -> None:
    activities, stats = numpy
    text = (data_dir / "ml-numpy-discussion" / "2001-November.txt").read_text("latin-1")
    from_lines = [line for line in text.splitlines() if line.startswith("From ")]
    ids = [line for line in text.splitlines() if line.startswith("Message-ID: ")]
    assert len(from_lines) == stats.messages == 164
    # The public archive holds every message twice (82 distinct Message-IDs): read once each.
    assert len(set(ids)) == 82
    assert stats.skipped == Counter({"duplicate message-id": 82})
    assert len(activities) == 82
    senders = {line.split()[1] + "@" + line.split()[3] for line in from_lines}
    assert len(senders) == 39
    assert {a.actor for a in activities} == {f"mail:{s.lower()}" for s in senders}
    assert {a.community for a in activities} == {"mail-ml-numpy-discussion"}


@pytest.mark.data
def test_numpy_thread_roots_and_reply_targets_are_right(
    numpy: tuple[list[Activity], ReadStats],
) -> None:
    by_id = {a.id: a for a in numpy[0]}
    # "Assembly optimized numerical packages?" (Hung Jung Lu, Nov 2): Chris Barker answers
    # through References, Jon Saenz through In-Reply-To.
    root = f"{NUMPY}:20011102182318.66182.qmail@web12606.mail.yahoo.com"
    assert by_id[root].verb is Verb.ASK
    assert by_id[root].actor == "mail:hungjunglu@yahoo.com"
    assert by_id[root].meta["name"] == "Hung Jung Lu"
    assert by_id[root].at == datetime(2001, 11, 2, 10, 24, 10, tzinfo=UTC)
    for reply_id, author in [
        ("3BE2FADF.23D659E9@home.net", "mail:chrishbarker@home.net"),
        (
            "Pine.OSF.3.95.1011105095309.19176F-100000@lcdx00.wm.lc.ehu.es",
            "mail:jsaenz@wm.lc.ehu.es",
        ),
    ]:
        reply = by_id[f"{NUMPY}:{reply_id}"]
        assert (reply.verb, reply.actor, reply.parent_id) == (Verb.REPLY, author, root)
        assert reply.target_actor == "mail:hungjunglu@yahoo.com"
    # The month's first message answers one from October, which this archive does not hold.
    first = by_id[f"{NUMPY}:Pine.SOL.4.30.0111011916360.17706-100000@mimosa.csv.warwick.ac.uk"]
    assert first.verb is Verb.REPLY
    assert first.parent_id == f"{NUMPY}:JFEGLNDJEDNOMPPHDEJFKEEODLAA.perry@stsci.edu"
    assert first.target_actor is None


@pytest.mark.data
def test_3gpp_counts_109_messages_and_every_in_reply_to_becomes_a_reply(
    data_dir: Path, threegpp: tuple[list[Activity], ReadStats]
) -> None:
    activities, stats = threegpp
    replying: set[str] = set()
    ids: list[str] = []
    messages = with_in_reply_to = 0
    for file in sorted((data_dir / "ml-3gpp-listserv-mbox").glob("*.mbox")):
        for message in mailbox.mbox(file, create=False):
            messages += 1
            if message["message-id"]:
                ids.append(message["message-id"].strip("<> "))
            if message["in-reply-to"]:
                with_in_reply_to += 1
                replying.add(message["message-id"].strip("<> "))
    assert messages == stats.messages == 109
    # 44 messages carry In-Reply-To (42 distinct: the archive holds two of them twice); one
    # archived message is empty (no sender: skipped) and four Message-IDs appear twice.
    assert with_in_reply_to == 44
    assert len(replying) == 42
    assert stats.skipped == Counter({"no sender": 1, "duplicate message-id": 4})
    assert len(activities) == 109 - 5 == len(set(ids))
    # A follow-up is a reply, or a celebration when it only thanks.
    replies = {a.object_id.split(":", 2)[2] for a in activities if a.parent_id is not None}
    assert replying <= replies
    assert {a.community for a in activities} == {
        "mail-3gpp_tsg_sa_wg4_evs",
        "mail-3gpp_tsg_ran_wg4_nr-mimo-ota",
    }


@pytest.mark.data
def test_3gpp_reply_targets_follow_in_reply_to_within_the_thread(
    threegpp: tuple[list[Activity], ReadStats],
) -> None:
    by_id = {a.id: a for a in threegpp[0]}
    evs = "mail:3gpp_tsg_sa_wg4_evs"
    # "Draft EVS-8a": Tomas Toftgård (20:51) answers Milan Jelinek's 18:42 message.
    tomas = by_id[
        f"{evs}:HE1PR0702MB36431C99F09F56144B855CF3FAC79@HE1PR0702MB3643.eurprd07.prod.outlook.com"
    ]
    assert tomas.actor == "mail:tomas.toftgard@ericsson.com"
    assert tomas.meta["name"] == "Tomas Toftgård"  # RFC 2047 decoded
    assert tomas.target_actor == "mail:milan.jelinek@usherbrooke.ca"
    assert tomas.at == datetime(2021, 8, 26, 20, 51, 14, tzinfo=UTC)
    milan = by_id[f"{evs}:364608fb-05ec-10ac-c62e-3a663ddcc41a@USherbrooke.ca"]
    assert milan.target_actor == "mail:tomas.toftgard@ericsson.com"
    assert (
        tomas.parent_id
        == milan.parent_id
        == f"{evs}:a6172d5f-a7d4-c50c-19bc-de0a42997d58@USherbrooke.ca"
    )


@pytest.mark.data
def test_bare_from_headers_without_angle_brackets_still_give_the_address(
    threegpp: tuple[list[Activity], ReadStats],
) -> None:
    actors = {a.actor for a in threegpp[0]}
    assert "mail:wangruixin@caict.ac.cn" in actors  # "from: Ruixin Wang wangruixin@CAICT.AC.CN"
    assert all(" " not in actor for actor in actors)


def test_subjects_are_normalised_for_threading() -> None:
    assert normalise_subject("'Re: AW: [Numpy-discussion]  Fwd:  Sparse   matrices'") == (
        "sparse matrices"
    )
    assert normalise_subject("RE: [list] Re[2]: Numeric2") == "numeric2"


# --- archives written here ------------------------------------------------------------------


PIPERMAIL = """From ann at example.org  Mon Nov  5 10:00:00 2001
From: ann at example.org (Ann Example)
Date: Mon Nov  5 10:00:00 2001
Subject: [Tools] How do I plot a sparse matrix?
Message-ID: <q1@example.org>

Does anyone know how to plot a sparse matrix?

From bob at example.org  Mon Nov  5 11:00:00 2001
From: bob at example.org (Bob Example)
Date: Mon Nov  5 11:00:00 2001
Subject: Re: [Tools] How do I plot a sparse matrix?

Use spy() from matplotlib.

From cy at example.org  Mon Nov  5 12:00:00 2001
From: cy at example.org (Cy Example)
Date: not a date at all
Subject: Re: [Tools] How do I plot a sparse matrix?
In-Reply-To: <missing-but-unknown@example.org>
Message-ID: <r2@example.org>

Thanks!
"""


def test_pipermail_threads_by_subject_when_headers_are_missing(tmp_path: Path) -> None:
    archive = tmp_path / "tools" / "2001-November.txt"
    archive.parent.mkdir()
    archive.write_text(PIPERMAIL)
    q, bob, cy = read_all(read_pipermail, archive)
    assert q.verb is Verb.ASK
    assert q.community == "mail-tools"
    assert q.meta["name"] == "Ann Example"
    assert (bob.verb, bob.parent_id, bob.target_actor) == (Verb.REPLY, q.id, q.actor)
    assert bob.meta["threaded_by"] == "subject"
    # A broken Date header falls back to the From_ line; an unknown In-Reply-To falls back to
    # the subject.
    assert cy.at == datetime(2001, 11, 5, 12, 0, tzinfo=UTC)
    assert cy.meta["dated_by"] == "from line"
    assert (cy.parent_id, cy.target_actor) == (q.id, q.actor)


def test_gzipped_pipermail_reads_like_plain_text(tmp_path: Path) -> None:
    plain = tmp_path / "2001-November.txt"
    plain.write_text(PIPERMAIL)
    zipped = tmp_path / "gz" / "2001-November.txt.gz"
    zipped.parent.mkdir()
    zipped.write_bytes(gzip.compress(PIPERMAIL.encode()))
    assert [a.verb for a in read_all(read_pipermail, zipped)] == [
        a.verb for a in read_all(read_pipermail, plain)
    ]


def test_a_truncated_gzip_archive_is_named(tmp_path: Path) -> None:
    zipped = tmp_path / "2001-November.txt.gz"
    data = gzip.compress(PIPERMAIL.encode() * 20)
    zipped.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError) as error:
        read_all(read_pipermail, zipped)
    assert error.value.path == str(zipped)
    assert "gzip" in error.value.expected


MBOX = b"""From MAILER-DAEMON Mon Jan  6 09:00:00 2020
From: =?iso-8859-1?q?J=F6rg_M=FCller?= <Joerg@Example.ORG>
Date: Mon, 6 Jan 2020 10:00:00 +0100
Subject: Agenda for the next call
Message-ID: <a1@example.org>
List-Id: Working group <wg.lists.example.org>
Content-Type: text/plain; charset=iso-8859-1

Gr\xfc\xdfe, the agenda is attached.

From MAILER-DAEMON Mon Jan  6 10:00:00 2020
From: Ann <ann@example.org>
Date: Mon, 6 Jan 2020 11:30:00 +0100
Subject: Re: Agenda for the next call
Message-ID: <a2@example.org>
In-Reply-To: <a1@example.org>
List-Id: Working group <wg.lists.example.org>
Content-Type: text/plain; charset=utf-8

Bad bytes \xff\xfe here, declared utf-8.

From MAILER-DAEMON Mon Jan  6 11:00:00 2020
From: Bob <bob@example.org>
Date: yesterday
Subject: Re: Agenda for the next call
Message-ID: <a3@example.org>
References: <a1@example.org> <a2@example.org>
List-Id: Working group <wg.lists.example.org>

Agreed with Ann.
"""


def test_mbox_decodes_names_charsets_and_marks_encoding_errors(tmp_path: Path) -> None:
    path = tmp_path / "wg.mbox"
    path.write_bytes(MBOX)
    stats = ReadStats()
    root, ann, bob = read_all(read_mbox, path, stats)
    assert root.community == "mail-wg"  # from List-Id
    assert root.actor == "mail:joerg@example.org"
    assert root.meta["name"] == "Jörg Müller"
    assert "Grüße" in (root.text or "")
    assert root.at == datetime(2020, 1, 6, 9, 0, tzinfo=UTC)
    assert ann.meta["encoding_errors"] is True
    assert "\ufffd" in (ann.text or "")
    assert stats.encoding_errors == 1
    assert (ann.parent_id, ann.target_actor) == (root.id, root.actor)
    # References name Ann's message last: Bob answered Ann, inside Jörg's thread.
    assert (bob.parent_id, bob.target_actor) == (root.id, ann.actor)
    assert bob.at == datetime(2020, 1, 6, 11, 0, tzinfo=UTC)  # the From_ line's date


def test_replies_listed_before_their_question_still_thread(tmp_path: Path) -> None:
    chunks = MBOX.split(b"\n\nFrom MAILER")
    reordered = b"From MAILER" + chunks[1] + b"\n\n" + chunks[0] + b"\n"
    path = tmp_path / "wg.mbox"
    path.write_bytes(reordered)
    ann, root = read_all(read_mbox, path)
    assert ann.parent_id == root.id
    assert ann.target_actor == root.actor


def test_a_message_with_no_date_anywhere_is_named_by_number(tmp_path: Path) -> None:
    path = tmp_path / "wg.mbox"
    path.write_bytes(MBOX.replace(b"From MAILER-DAEMON Mon Jan  6 11:00:00 2020", b"From nobody"))
    with pytest.raises(SourceError) as error:
        read_all(read_mbox, path)
    assert error.value.where == "message 3"


@pytest.mark.parametrize("reader", [read_mbox, read_pipermail])
def test_a_file_that_is_not_a_mail_archive_is_refused_with_its_line(
    reader: Reader, tmp_path: Path
) -> None:
    path = tmp_path / "list.mbox"
    path.write_text("\n\n<html>not mail</html>\n")
    with pytest.raises(SourceError) as error:
        read_all(reader, path)
    assert error.value.path == str(path)
    assert error.value.where == "line 3"
    assert "From " in error.value.expected


def test_a_folder_with_no_archives_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="archive files"):
        read_all(read_mbox, tmp_path)


def test_the_mbox_splitter_cuts_messages_exactly_where_pythons_mailbox_does(tmp_path: Path) -> None:
    import mailbox

    from cultivate.core.connectors.mailbox_archives import mbox_split

    text = (
        b"\n"
        b"From a@example.org Mon Jan  1 10:00:00 2024\nFrom: a@example.org\n\nhello\n\n"
        b"From b@example.org Mon Jan  1 11:00:00 2024\nFrom: b@example.org\n\nno blank line\n"
        b"From c@example.org Mon Jan  1 12:00:00 2024\r\nFrom: c@example.org\r\n\r\ncrlf\r\n\r\n"
        b"From \xff\xfe odd bytes\nFrom: d@example.org\n\nlast one\n\n\n"
    )
    path = tmp_path / "tricky.mbox"
    path.write_bytes(text)
    box = mailbox.mbox(path, create=False)
    expected = [box.get_bytes(key, from_=True) for key in box.iterkeys()]
    box.close()

    found = [from_line + b"\n" + content for from_line, content, _ in mbox_split(path)]

    assert found == expected
    assert [n for _, _, n in mbox_split(path)] == [1, 2, 3, 4]
    for chunk_size in range(1, 40):  # a "\nFrom " cut in two by a chunk boundary still splits
        split = [f + b"\n" + c for f, c, _ in mbox_split(path, chunk_size=chunk_size)]
        assert split == expected, chunk_size


def test_the_mbox_splitter_agrees_with_pythons_mailbox_on_random_archives(tmp_path: Path) -> None:
    import mailbox
    import random

    from cultivate.core.connectors.mailbox_archives import mbox_split

    pieces = [b"From ", b"From x Mon Jan  1 10:00:00 2024\n", b"\n", b"\r\n", b"text ", b">From "]
    rng = random.Random(11)
    for attempt in range(200):
        text = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) + b"\n"
        path = tmp_path / f"random-{attempt}.mbox"
        path.write_bytes(text)
        box = mailbox.mbox(path, create=False)
        expected = [box.get_bytes(key, from_=True) for key in box.iterkeys()]
        box.close()
        for chunk_size in (1, 3, 8, 1 << 22):
            found = [f + b"\n" + c for f, c, _ in mbox_split(path, chunk_size=chunk_size)]
            assert found == expected, (text, chunk_size)


def test_senders_read_from_the_raw_header_match_the_parsed_ones(data_dir: Path) -> None:
    from email.parser import BytesHeaderParser

    from cultivate.core.connectors.mailbox import _raw_from
    from cultivate.core.connectors.mailbox_archives import mbox_split, pipermail_split
    from cultivate.core.connectors.mailbox_decoding import message_header

    parser = BytesHeaderParser()
    archives = [
        *((p, mbox_split) for p in sorted((data_dir / "ml-3gpp-listserv-mbox").rglob("*.mbox"))),
        *((p, pipermail_split) for p in sorted((data_dir / "ml-numpy-discussion").rglob("*.txt*"))),
    ]
    checked = 0
    for path, split in archives:
        for _, content, _ in split(path):
            parsed = message_header(parser.parsebytes(content), "From")
            assert _header_of_raw(_raw_from(content)) == parsed, (path, checked)
            checked += 1
    assert checked > 250


def _header_of_raw(raw: str | None) -> tuple[str, bool]:
    from cultivate.core.connectors.mailbox_decoding import decoded_header

    return decoded_header(raw)
