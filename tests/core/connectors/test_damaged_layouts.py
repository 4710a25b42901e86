"""Damaged copies of every new layout: one line naming file and position, never a traceback."""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cultivate.cli.main import app
from cultivate.core.connectors import SourceError, detect_and_read

from .test_fuzz_messages import edits, json_values, mutate, only_activities_or_source_error

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

pytestmark = pytest.mark.data


def read(path: Path, **options: object) -> int:
    return sum(len(batch) for batch in detect_and_read(path, **options))  # type: ignore[arg-type]


def refused(path: Path, **options: object) -> SourceError:
    with pytest.raises(SourceError) as caught:
        read(path, **options)
    return caught.value


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["analyze", *args])
    return result.exit_code, result.output


def _api_copy(data_dir: Path, tmp_path: Path) -> Path:
    """A small Web API dump: the real channels.json, names, users and one channel's pages."""
    source = data_dir / "slack-api-julialang"
    copy = tmp_path / "slack-api-small"
    copy.mkdir()
    for name in ("channels.json", "names.json"):
        shutil.copy(source / name, copy / name)
    shutil.copytree(source / "messages" / "C6G240ENA", copy / "messages" / "C6G240ENA")
    threads = sorted((source / "threads" / "C6G240ENA").glob("*.json"))[:20]
    (copy / "threads" / "C6G240ENA").mkdir(parents=True)
    for thread in threads:
        shutil.copy(thread, copy / "threads" / "C6G240ENA" / thread.name)
    (copy / "users").mkdir()
    for user in sorted((source / "users").glob("*.json"))[:50]:
        shutil.copy(user, copy / "users" / user.name)
    return copy


# --- Stack Exchange with only Posts.xml ----------------------------------------------------


def test_a_truncated_posts_file_is_refused_as_truncated(data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "Posts.xml").write_bytes(
        (data_dir / "se-beer-meta" / "Posts.xml").read_bytes()[:30000]
    )
    error = refused(tmp_path)
    assert error.path.endswith("Posts.xml")
    assert error.where.startswith("line ")
    assert "truncated" in error.expected


def test_junk_bytes_or_a_wrong_encoding_in_posts_name_the_line(
    data_dir: Path, tmp_path: Path
) -> None:
    posts = (data_dir / "se-conlang-meta" / "Posts.xml").read_bytes()
    (tmp_path / "Posts.xml").write_bytes(posts[:5000] + b"\x00\xff\xfe junk" + posts[5000:])
    assert refused(tmp_path).where.startswith("line ")
    text = posts.decode("utf-8").replace('encoding="utf-8"', 'encoding="utf-16"', 1)
    (tmp_path / "Posts.xml").write_bytes(text.encode("utf-8"))
    assert refused(tmp_path).path.endswith("Posts.xml")


def test_a_dump_without_posts_names_the_missing_file(data_dir: Path, tmp_path: Path) -> None:
    shutil.copy(data_dir / "se-beer-meta" / "Users.xml", tmp_path / "Users.xml")
    exit_code, output = cli(str(tmp_path), "--source", "stackexchange")
    assert exit_code == 1
    assert "Posts.xml" in output
    assert "Traceback" not in output


# --- mail archives in sub-folders and .mbox.gz ---------------------------------------------


def test_an_empty_archive_folder_and_a_truncated_mbox_gz_are_one_line_each(
    data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "archives" / "2019").mkdir(parents=True)
    exit_code, output = cli(str(tmp_path / "archives"), "--source", "pipermail")
    assert exit_code == 1
    assert "archive files ending in" in output
    packed = gzip.compress(
        (data_dir / "ml-3gpp-listserv-mbox" / "3GPP_TSG_SA_WG4_EVS.mbox").read_bytes()
    )
    (tmp_path / "list.mbox.gz").write_bytes(packed[: len(packed) // 3])
    error = refused(tmp_path / "list.mbox.gz")
    assert error.where.startswith("byte ")
    assert "truncated" in error.expected


def test_a_mail_archive_given_as_slack_is_refused_by_the_slack_reader(data_dir: Path) -> None:
    exit_code, output = cli(str(data_dir / "ml-numpy-discussion"), "--source", "slack")
    assert exit_code == 1
    assert "channels.json" in output
    assert "Traceback" not in output


# --- Slack Web API dumps and JSON Lines ----------------------------------------------------


def test_a_truncated_page_is_refused_then_skipped_with_keep_going(
    data_dir: Path, tmp_path: Path
) -> None:
    dump = _api_copy(data_dir, tmp_path)
    page = dump / "messages" / "C6G240ENA" / "2.json"
    page.write_bytes(page.read_bytes()[:5000])
    error = refused(dump)
    assert error.path == str(page)
    assert "truncated" in error.expected
    exit_code, output = cli(str(dump), "--keep-going", "--json")
    assert exit_code == 0
    assert "Skipped file" in output
    assert "2.json" in output


def test_a_page_in_another_encoding_or_a_broken_user_file_is_named(
    data_dir: Path, tmp_path: Path
) -> None:
    dump = _api_copy(data_dir, tmp_path)
    page = dump / "messages" / "C6G240ENA" / "1.json"
    text = json.dumps(json.loads(page.read_text()), ensure_ascii=False) + " é"
    page.write_bytes(text.encode("latin-1", "replace"))
    assert refused(dump).path == str(page)
    shutil.rmtree(dump)
    dump = _api_copy(data_dir, tmp_path)
    user = next((dump / "users").glob("*.json"))
    user.write_text("[1, 2]")
    exit_code, output = cli(str(dump))
    assert exit_code == 1
    assert user.name in output
    assert "Traceback" not in output


def test_a_json_lines_file_with_a_broken_line_names_it(tmp_path: Path) -> None:
    lines = tmp_path / "general.jsonl"
    lines.write_text('{"ts": "1.0", "user": "U1", "text": "hi"}\n{"ts": "2.0", "user": \n')
    error = refused(lines)
    assert "line 2" in str(error)


def test_an_encrypted_or_truncated_zip_is_one_line_through_detection(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("channels.json", "[]")
        z.writestr("users.json", "[]")
    data = bytearray(archive.read_bytes())
    for marker, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := data.find(marker, start)) >= 0:
            data[found + offset] |= 1
            start = found + 4
    archive.write_bytes(bytes(data))
    exit_code, output = cli(str(archive))
    assert exit_code == 1
    assert "encrypted" in output
    assert "Traceback" not in output
    archive.write_bytes(bytes(data)[:60])
    exit_code, output = cli(str(archive))
    assert exit_code == 1
    assert "truncated or damaged" in output
    assert "Traceback" not in output


# --- fuzzing the new readers ---------------------------------------------------------------


@FUZZ
@given(changes=edits, cut=st.integers(0, 4000))
def test_mutated_or_cut_web_api_pages_read_or_raise_source_error(
    data_dir: Path, changes: list[tuple[int, int]], cut: int
) -> None:
    source = data_dir / "slack-api-julialang" / "messages" / "C6G240ENA" / "0.json"
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "slack-fuzz"
        (dump / "messages" / "C1").mkdir(parents=True)
        (dump / "channels.json").write_text('["C1"]')
        raw = source.read_bytes()
        (dump / "messages" / "C1" / "0.json").write_bytes(mutate(raw[: len(raw) - cut], changes))
        only_activities_or_source_error(lambda: detect_and_read(dump))


@FUZZ
@given(message=json_values)
def test_any_json_value_on_a_json_lines_line_reads_or_raises_source_error(message: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        lines = Path(folder) / "chat.jsonl"
        first = {"ts": "1600000000.000100", "user": "U1", "text": "hello"}
        lines.write_text(json.dumps(first) + "\n" + json.dumps(message) + "\n")
        only_activities_or_source_error(lambda: detect_and_read(lines, "slack"))


@FUZZ
@given(changes=edits, cut=st.integers(0, 3000))
def test_mutated_or_cut_gzip_archives_in_sub_folders_read_or_raise_source_error(
    data_dir: Path, changes: list[tuple[int, int]], cut: int
) -> None:
    source = data_dir / "ml-numpy-discussion" / "bigbang-dev-test.txt"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "list"
        (root / "2014").mkdir(parents=True)
        packed = gzip.compress(source.read_bytes())
        damaged = mutate(packed[: max(2, len(packed) - cut)], changes)
        (root / "2014" / "2014-November.txt.gz").write_bytes(damaged)
        only_activities_or_source_error(lambda: detect_and_read(root, "pipermail"))


@FUZZ
@given(changes=edits, cut=st.integers(0, 20000))
def test_mutated_or_cut_posts_only_dumps_read_or_raise_source_error(
    data_dir: Path, changes: list[tuple[int, int]], cut: int
) -> None:
    source = data_dir / "se-conlang-meta" / "Posts.xml"
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "se-fuzz"
        dump.mkdir()
        raw = source.read_bytes()[:60000]
        (dump / "Posts.xml").write_bytes(mutate(raw[: len(raw) - cut], changes))
        only_activities_or_source_error(lambda: detect_and_read(dump, "stackexchange"))


def test_undecodable_bytes_are_counted_and_said_in_the_report(tmp_path: Path) -> None:
    from cultivate.cli.analyze_path import diagnose_export

    messages = []
    for number in range(3):
        body = b"Which seal for 120 C?" if number else b"Caf\xe9 \xff\xfe seal?"
        messages.append(
            b"From ana@example.org Mon Jan  1 10:00:00 2024\n"
            + f"From: Ana <ana{number}@example.org>\nSubject: Seal {number}\n".encode()
            + f"Date: Mon, 0{number + 1} Jan 2024 10:00:00 +0000\n".encode()
            + f"Message-ID: <m{number}@example.org>\n".encode()
            + b"Content-Type: text/plain; charset=utf-8\n\n"
            + body
            + b"\n\n"
        )
    (tmp_path / "pumps.mbox").write_bytes(b"".join(messages))
    report = diagnose_export(tmp_path / "pumps.mbox").reports[0]
    assert report.reading is not None
    assert report.reading["encoding_errors"] == 1
    from cultivate.core.reports.report import reading_sentences

    assert "1 message had undecodable bytes, shown as replacement characters." in (
        reading_sentences(report.reading)
    )


def test_a_gzip_mbox_splits_messages_by_the_same_rules_as_the_plain_file(tmp_path: Path) -> None:
    messages = b"".join(
        f"From 17091{n}@xxx Wed Mar 06 09:22:1{n} +0000 2024\n".encode()
        + f"From: P{n} <p{n}@example.org>\nSubject: Topic {n}\n".encode()
        + f"Date: Wed, 06 Mar 2024 09:22:1{n} +0000\nMessage-ID: <t{n}@x>\n\n".encode()
        + b"How do I read this?\n\n"
        for n in range(3)
    )
    (tmp_path / "plain").mkdir()
    (tmp_path / "packed").mkdir()
    (tmp_path / "plain" / "list.mbox").write_bytes(messages)
    (tmp_path / "packed" / "list.mbox.gz").write_bytes(gzip.compress(messages))
    assert read(tmp_path / "plain") == read(tmp_path / "packed") == 3
