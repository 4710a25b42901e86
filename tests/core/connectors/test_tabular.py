"""The CSV and JSON Lines activity format: round trips, detection, and errors that name the line."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from cultivate.core.activity import Activity, Verb, to_frame
from cultivate.core.connectors import (
    SourceError,
    detect_and_read,
    detect_source,
    people_csv,
    read_csv,
    read_jsonl,
    write_csv,
    write_jsonl,
)

HEADER = "id,source,community,actor,verb,object_id,parent_id,target_actor,at,text,meta\n"
START = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


def sample() -> list[Activity]:
    """Activities that stress the format: quotes, commas, newlines, accents, nested meta."""
    return [
        Activity(
            id="q1",
            source="forum",
            community="makers",
            actor="u:ann",
            verb=Verb.ASK,
            object_id="q1",
            at=START,
            text='How do I "calibrate", step by step?\nLine two, with é and 漢字',
            meta={"tags": ["3d", "printing"], "name": "Ann Example", "score": 3},
        ),
        Activity(
            id="a1",
            source="forum",
            community="makers",
            actor="u:bob",
            verb=Verb.ANSWER,
            object_id="a1",
            parent_id="q1",
            target_actor="u:ann",
            at=START + timedelta(hours=2, microseconds=17),
        ),
        Activity(
            id="r1",
            source="chat",
            community="tinkerers",
            actor="u:cy",
            verb=Verb.REACT,
            object_id="r1",
            parent_id="q1",
            target_actor="u:ann",
            at=START + timedelta(days=3),
            meta={"nested": {"deep": [1, {"x": None}]}},
        ),
    ]


def read_all(batches: object) -> list[Activity]:
    return [a for batch in batches for a in batch]  # type: ignore[attr-defined]


def test_a_csv_written_from_an_activity_frame_reads_back_equal(tmp_path: Path) -> None:
    activities = sample()
    frame = to_frame(activities)
    frame.write_csv(tmp_path / "activities.csv")
    back = read_all(read_csv(tmp_path / "activities.csv"))
    assert back == activities
    assert_frame_equal(to_frame(back), frame)


def test_a_json_lines_file_written_from_an_activity_frame_reads_back_equal(tmp_path: Path) -> None:
    activities = sample()
    frame = to_frame(activities)
    frame.write_ndjson(tmp_path / "activities.jsonl")
    back = read_all(read_jsonl(tmp_path / "activities.jsonl"))
    assert back == activities
    assert_frame_equal(to_frame(back), frame)


@pytest.mark.parametrize(
    ("write", "read", "name"),
    [(write_csv, read_csv, "a.csv"), (write_jsonl, read_jsonl, "a.jsonl")],
)
def test_the_writers_produce_what_the_readers_read(tmp_path, write, read, name) -> None:
    activities = sample()
    assert write(activities, tmp_path / name) == len(activities)
    assert read_all(read(tmp_path / name)) == activities


def test_times_with_any_offset_become_utc(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "id,source,community,actor,verb,object_id,at\n"
        "1,s,c,a,ask,o1,2024-05-01T09:30:00+02:00\n"
        "2,s,c,b,answer,o2,2024-05-01T08:00:00Z\n",
        encoding="utf-8",
    )
    first, second = read_all(read_csv(path))
    assert first.at == datetime(2024, 5, 1, 7, 30, tzinfo=UTC)
    assert first.at.utcoffset() == timedelta(0)
    assert second.at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert first.parent_id is None
    assert first.text is None
    assert dict(first.meta) == {}


def test_batches_stream_at_the_size_asked(tmp_path: Path) -> None:
    activities = [
        Activity(
            id=f"x{i}",
            source="s",
            community="c",
            actor=f"a{i % 7}",
            verb=Verb.SHARE,
            object_id=f"x{i}",
            at=START + timedelta(minutes=i),
        )
        for i in range(25)
    ]
    write_csv(activities, tmp_path / "a.csv")
    sizes = [len(batch) for batch in read_csv(tmp_path / "a.csv", batch_size=10)]
    assert sizes == [10, 10, 5]


def test_gzipped_files_and_folders_of_files_are_read(tmp_path: Path) -> None:
    activities = sample()
    write_csv(activities, tmp_path / "plain.csv")
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "b.csv.gz").write_bytes(gzip.compress((tmp_path / "plain.csv").read_bytes()))
    write_csv(activities[:1], folder / "a.csv")
    back = read_all(read_csv(folder))
    assert back == activities[:1] + activities


def test_people_come_from_meta_name_and_email(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "id,source,community,actor,verb,object_id,at,meta\n"
        '1,s,c,u1,ask,o1,2024-05-01T09:30:00Z,"{""name"": ""Ann"", ""email"": ""Ann@X.org""}"\n'
        "2,s,c,u2,answer,o2,2024-05-01T09:40:00Z,\n",
        encoding="utf-8",
    )
    people = {p.key: p for p in people_csv(path)}
    assert people["u1"].name == "Ann"
    assert people["u1"].email == "ann@x.org"
    assert people["u2"].email is None


def test_the_format_is_detected_by_extension_and_by_header(tmp_path: Path) -> None:
    write_csv(sample(), tmp_path / "a.csv")
    write_jsonl(sample(), tmp_path / "a.jsonl")
    (tmp_path / "export.txt").write_text((tmp_path / "a.csv").read_text("utf-8"), "utf-8")
    (tmp_path / "dump").write_text((tmp_path / "a.jsonl").read_text("utf-8"), "utf-8")
    assert detect_source(tmp_path / "a.csv") == "csv"
    assert detect_source(tmp_path / "a.jsonl") == "jsonl"
    assert detect_source(tmp_path / "export.txt") == "csv"
    assert detect_source(tmp_path / "dump") == "jsonl"
    folder = tmp_path / "folder"
    folder.mkdir()
    write_csv(sample(), folder / "x.csv")
    assert detect_source(folder) == "csv"
    assert read_all(detect_and_read(tmp_path / "export.txt")) == sample()


GOOD = "1,s,c,a,ask,o1,,,2024-05-01T09:30:00Z,,\n"

CSV_ERRORS = [
    (
        HEADER + GOOD + "2,s,c,a,shout,o2,,,2024-05-01T09:30:00Z,,\n",
        "line 3 column 'verb'",
        "one of",
    ),
    (HEADER + "1,s,c,a,ask,o1,,,2024-05-01T09:30:00,,\n", "line 2 column 'at'", "naive"),
    (HEADER + "1,s,c,a,ask,o1,,,yesterday,,\n", "line 2 column 'at'", "ISO 8601"),
    (
        "id,source,community,actor,object_id,at\n1,s,c,a,o1,2024-05-01T09:30:00Z\n",
        "line 1 (header)",
        "'verb'",
    ),
    (HEADER.replace("meta", "mood") + GOOD, "line 1 (header) column 'mood'", "only the columns"),
    (
        HEADER + GOOD + '3,s,c,a,ask,o3,,,2024-05-01T09:30:00Z,,"{not json"\n',
        "line 3 column 'meta'",
        "a JSON object",
    ),
    (
        HEADER + '1,s,c,a,ask,o1,,,2024-05-01T09:30:00Z,,"[1, 2]"\n',
        "line 2 column 'meta'",
        "a JSON object",
    ),
    (HEADER + "1,s,c,,ask,o1,,,2024-05-01T09:30:00Z,,\n", "line 2 column 'actor'", "required"),
    (HEADER + GOOD + "2,s,c,a,ask\n", "line 3", "11 fields"),
    (
        HEADER + '1,s,c,a,ask,o1,,,2024-05-01T09:30:00Z,"multi\nline",\n' + "2,s,c\n",
        "line 4",
        "fields",
    ),
    ("", "line 1", "a header row"),
]


@pytest.mark.parametrize(("content", "where", "expected"), CSV_ERRORS)
def test_every_csv_error_names_the_file_the_line_and_what_was_expected(
    tmp_path: Path, content: str, where: str, expected: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_all(read_csv(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: {where}:"), message
    assert expected in message


def test_bad_utf8_names_the_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(
        HEADER.encode() + GOOD.encode() + b"2,s,c,a\xff,ask,o2,,,2024-05-01T09:30:00Z,,\n"
    )
    with pytest.raises(SourceError, match=r"bad\.csv: line 3 byte 8: UTF-8 text"):
        read_all(read_csv(path))


J = '{"id": "1", "source": "s", "community": "c", "actor": "a", "verb": "ask", "object_id": "o", "at": "2024-05-01T09:30:00Z"}'

JSONL_ERRORS = [
    (J + "\n" + '{"id": "2", "source": "s"\n', "line 2 column 26", "valid JSON"),
    (J + "\n\n" + "[1, 2]\n", "line 3", "one JSON object per line"),
    (J.replace('"verb": "ask", ', "") + "\n", "line 1", "the key 'verb'"),
    (J.replace('"ask"', '"yell"'), "line 1 column 'verb'", "one of"),
    (J.replace("09:30:00Z", "09:30:00"), "line 1 column 'at'", "naive"),
    (J.replace('"a",', '"a", "colour": "red",'), "line 1 key 'colour'", "only the columns"),
    (J.replace('"actor": "a"', '"actor": 7'), "line 1 column 'actor'", "a string"),
    (J[:-1] + ', "meta": "{broken"}', "line 1 column 'meta'", "a JSON object"),
]


@pytest.mark.parametrize(("content", "where", "expected"), JSONL_ERRORS)
def test_every_json_lines_error_names_the_file_the_line_and_what_was_expected(
    tmp_path: Path, content: str, where: str, expected: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_all(read_jsonl(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: {where}:"), message
    assert expected in message


def test_meta_may_be_an_object_or_its_json_text_in_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        J[:-1]
        + ', "meta": {"k": 1}}\n'
        + J.replace('"1"', '"2"')[:-1]
        + ', "meta": "{\\"k\\": 2}"}\n',
        encoding="utf-8",
    )
    first, second = read_all(read_jsonl(path))
    assert dict(first.meta) == {"k": 1}
    assert dict(second.meta) == {"k": 2}


def test_a_truncated_gzip_file_is_named(tmp_path: Path) -> None:
    many = [
        Activity(
            id=f"x{i}",
            source="s",
            community="c",
            actor=f"person {i}",
            verb=Verb.SHARE,
            object_id=f"x{i}",
            at=START,
            text=f"message {i} " * 20,
        )
        for i in range(3000)
    ]
    write_csv(many, tmp_path / "a.csv")
    data = gzip.compress((tmp_path / "a.csv").read_bytes())
    (tmp_path / "a.csv.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError, match=r"a\.csv\.gz: line \d+: intact gzip"):
        read_all(read_csv(tmp_path / "a.csv.gz"))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"missing\.csv: path: an existing CSV file"):
        read_all(read_csv(tmp_path / "missing.csv"))


def test_non_utc_activities_written_by_hand_are_normalised(tmp_path: Path) -> None:
    here = timezone(timedelta(hours=-5))
    path = tmp_path / "a.jsonl"
    path.write_text(
        J.replace("2024-05-01T09:30:00Z", datetime(2024, 1, 1, tzinfo=here).isoformat()), "utf-8"
    )
    (only,) = read_all(read_jsonl(path))
    assert only.at == datetime(2024, 1, 1, 5, tzinfo=UTC)
