"""Classifying on several processes gives exactly what one process gives, in the same order."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from cultivate.core.connectors.mailbox import read_mbox
from cultivate.core.language import classify, parallel
from cultivate.core.language.parallel import classify_stream

TEXTS = [
    "How do I install numpy on Windows without a compiler?",
    "Thanks, that fixed it!",
    "We are hiring a data engineer in Houston: apply at https://example.org/jobs",
    "I wrote a small library for force layouts, have a look: https://github.com/me/layout",
    "You can set the flag in the config file and restart the service.",
    "test",
]


def _messages(count: int) -> list[tuple[str, bool, bool]]:
    return [(TEXTS[n % len(TEXTS)] + f" #{n}", n % 3 == 0, n % 5 == 0) for n in range(count)]


_COUNTING_POOLS = """
import json, sys
from pathlib import Path
from cultivate.core.language import classify, parallel

pools = []
real_pool = parallel.ProcessPoolExecutor
def counted_pool(*args, **kwargs):
    pools.append(1)
    return real_pool(*args, **kwargs)
parallel.ProcessPoolExecutor = counted_pool
"""
"""The start of a script run in a fresh interpreter: it counts the pools `classify_stream` starts."""


def _in_a_fresh_process(script: str, argument: Path) -> dict[str, object]:
    """Run `_COUNTING_POOLS` + script in a new interpreter and return the JSON it prints last.

    Threads that other tests leave behind would (rightly) keep the pool off in this process.
    """
    done = subprocess.run(
        [sys.executable, "-c", _COUNTING_POOLS + script, str(argument)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[3],
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


_IN_A_FRESH_PROCESS = """
from cultivate.core.connectors.mailbox import read_mbox
from tests.core.language.test_parallel import _messages, _write_mbox

messages = _messages(2_300)
expected = [classify(t, is_thread_start=s, by_thread_starter=b) for t, s, b in messages]
found = list(parallel.classify_stream(iter(messages), workers=2, min_parallel=100))

path = Path(sys.argv[1]) / "list.mbox"
_write_mbox(path, 400)
parallel.MIN_PARALLEL = 100
alone = [a for batch in read_mbox(path, workers=1) for a in batch]
pooled = [a for batch in read_mbox(path, workers=2) for a in batch]
print(json.dumps({
    "stream_same": found == expected, "activities": len(alone),
    "read_same": pooled == alone, "pools": len(pools),
}))
"""


def test_a_pool_classifies_a_long_stream_and_an_archive_as_one_process_does(
    tmp_path: Path,
) -> None:
    found = _in_a_fresh_process(_IN_A_FRESH_PROCESS, tmp_path)
    assert found == {"stream_same": True, "activities": 1_200, "read_same": True, "pools": 2}


def test_one_worker_or_a_short_stream_never_starts_a_pool() -> None:
    messages = _messages(50)
    expected = [classify(t, is_thread_start=s, by_thread_starter=b) for t, s, b in messages]
    assert list(classify_stream(messages, workers=1, min_parallel=0)) == expected
    assert list(classify_stream(messages, workers=2)) == expected


def test_a_threaded_process_classifies_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pool was started in a threaded process")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert len(list(classify_stream(_messages(1_200), workers=2, min_parallel=0))) == 1_200
    finally:
        stop.set()
        other.join()


def _write_mbox(path: Path, threads: int) -> None:
    lines: list[str] = []
    for n in range(threads):
        for reply in range(3):
            mid = f"<{n}.{reply}@example.org>"
            lines += [
                f"From a{reply}@example.org Mon Jan  1 10:{reply:02d}:00 2024",
                f"From: Person {reply} <p{reply}@example.org>",
                "Date: Mon, 01 Jan 2024 10:00:00 +0000",
                f"Message-ID: {mid}",
                f"Subject: {'Re: ' if reply else ''}topic {n}",
            ]
            if reply:
                lines.append(f"In-Reply-To: <{n}.0@example.org>")
            lines += ["", TEXTS[(n + reply) % len(TEXTS)], ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_a_damaged_file_after_a_long_one_stops_the_pooled_read_and_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cultivate.core.connectors import ReadStats, SourceError

    _write_mbox(tmp_path / "a-list.mbox", 400)
    (tmp_path / "b-list.mbox").write_bytes(b"this is not an mbox\n")
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 100)

    with pytest.raises(SourceError, match=r"b-list\.mbox"):
        for _ in read_mbox(tmp_path, workers=2):
            pass

    stats = ReadStats(keep_going=True)
    read = [a for batch in read_mbox(tmp_path, workers=2, stats=stats) for a in batch]
    assert len(read) == 1_200
    assert [Path(file).name for file, _ in stats.skipped_files] == ["b-list.mbox"]


_SLACK_IN_A_FRESH_PROCESS = """
from cultivate.core.connectors import read_slack
parallel.MIN_PARALLEL = 100

path = Path(sys.argv[1])
alone = [a for batch in read_slack(path, workers=1) for a in batch]
pooled = [a for batch in read_slack(path, workers=2) for a in batch]
print(json.dumps({"activities": len(alone), "same": pooled == alone, "pools": len(pools)}))
"""


@pytest.mark.data
def test_a_real_slack_dump_reads_the_same_when_its_thread_replies_are_pooled(
    data_dir: Path,
) -> None:
    found = _in_a_fresh_process(_SLACK_IN_A_FRESH_PROCESS, data_dir / "slack-api-julialang")
    assert found == {"activities": 6_400, "same": True, "pools": 1}


def test_ready_activities_are_handed_on_at_once_not_held_for_the_next_verdict() -> None:
    from datetime import UTC, datetime

    from cultivate.core.activity import Activity, Verb
    from cultivate.core.connectors.messages import Unclassified, classified_in_order

    read: list[int] = []

    def activity(n: int) -> Activity:
        return Activity(
            id=f"a{n}",
            source="test",
            community="c",
            actor="p",
            verb=Verb.SHARE,
            object_id=f"a{n}",
            at=datetime(2024, 1, 1, tzinfo=UTC),
        )

    def items() -> Iterator[Activity | Unclassified]:
        for n in range(1_000_000):  # an export with no thread replies at all, read lazily
            read.append(n)
            if n == 2:
                yield Unclassified(f"a{n}", ("Thanks!", False, True), lambda c, n=n: activity(n))
            else:
                yield activity(n)

    stream = classified_in_order(items(), workers=2)
    first = [next(stream).id for _ in range(5)]

    assert first == ["a0", "a1", "a2", "a3", "a4"]
    assert len(read) <= 6, "the reader was not drained ahead of what was handed on"
