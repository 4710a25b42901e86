"""Fuzz the Slack JSON and mail readers: any input either reads or raises SourceError."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cultivate.core.activity import Activity
from cultivate.core.connectors import SourceError, read_mbox, read_pipermail, read_slack
from cultivate.core.language import Kind, classify

from .test_mailbox import MBOX, PIPERMAIL
from .test_slack import THREADED, write_export

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "ts",
                    "user",
                    "text",
                    "subtype",
                    "thread_ts",
                    "reactions",
                    "users",
                    "name",
                    "file",
                    "id",
                    "comment",
                    "bot_id",
                    "reply_count",
                    "parent_user_id",
                ]
            )
            | st.text(max_size=5),
            children,
            max_size=6,
        )
    ),
    max_leaves=20,
)


def only_activities_or_source_error(read: Callable[[], Any]) -> None:
    try:
        for batch in read():
            assert all(isinstance(activity, Activity) for activity in batch)
    except SourceError as error:
        refused = error
    else:
        return
    assert refused.path
    assert refused.where
    assert refused.expected


def mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    buffer = bytearray(data)
    for position, value in edits:
        if buffer:
            buffer[position % len(buffer)] = value
    return bytes(buffer)


edits = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=12)


@FUZZ
@given(day=json_values)
def test_any_json_structure_in_a_day_file_reads_or_raises_source_error(day: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_export(Path(folder) / "fuzz", {"2020-01-01.json": day})
        only_activities_or_source_error(lambda: read_slack(root))


@FUZZ
@given(changes=edits, cut=st.integers(0, 2000))
def test_mutated_or_cut_day_files_read_or_raise_source_error(
    changes: list[tuple[int, int]], cut: int
) -> None:
    data = json.dumps(THREADED["2020-01-01.json"]).encode()
    data = mutate(data, changes)[: len(data) - cut]
    with tempfile.TemporaryDirectory() as folder:
        root = write_export(Path(folder) / "fuzz")
        (root / "help" / "2020-01-01.json").write_bytes(data)
        only_activities_or_source_error(lambda: read_slack(root))


@FUZZ
@given(channels=json_values)
def test_any_channels_json_reads_or_raises_source_error(channels: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_export(Path(folder) / "fuzz")
        (root / "channels.json").write_text(json.dumps(channels))
        only_activities_or_source_error(lambda: read_slack(root))


@FUZZ
@given(changes=edits, cut=st.integers(0, 600))
def test_mutated_mbox_files_read_or_raise_source_error(
    changes: list[tuple[int, int]], cut: int
) -> None:
    data = mutate(MBOX, changes)[: len(MBOX) - cut]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wg.mbox"
        path.write_bytes(data)
        only_activities_or_source_error(lambda: read_mbox(path))


@FUZZ
@given(changes=edits, cut=st.integers(0, 600), gz=st.booleans())
def test_mutated_pipermail_archives_read_or_raise_source_error(
    changes: list[tuple[int, int]], cut: int, gz: bool
) -> None:
    import gzip

    data = mutate(PIPERMAIL.encode(), changes)[: len(PIPERMAIL) - cut]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("2001-November.txt.gz" if gz else "2001-November.txt")
        path.write_bytes(gzip.compress(data) if gz else data)
        only_activities_or_source_error(lambda: read_pipermail(path))


@FUZZ
@given(head=st.binary(max_size=300), body=st.binary(max_size=300))
def test_random_bytes_after_a_from_line_never_crash_the_mail_readers(
    head: bytes, body: bytes
) -> None:
    data = b"From someone Mon Jan  6 09:00:00 2020\n" + head + b"\n\n" + body
    with tempfile.TemporaryDirectory() as folder:
        for name, reader in (("x.mbox", read_mbox), ("2020-January.txt", read_pipermail)):
            path = Path(folder) / name
            path.write_bytes(data)
            only_activities_or_source_error(partial(reader, path))


@FUZZ
@given(text=st.text(max_size=500), start=st.booleans())
def test_the_classifier_answers_any_text_with_a_kind_and_a_bounded_confidence(
    text: str, start: bool
) -> None:
    result = classify(text, is_thread_start=start)
    assert isinstance(result.kind, Kind)
    assert 0.0 <= result.confidence <= 1.0
