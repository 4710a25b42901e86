"""Classify a stream of messages on every core: the heaviest step of reading a large archive.

Reading mail is parsing (the reader's own process) and classifying (half the time, pure
Python, one message independent of the next). `classify_stream` classifies the first messages
in the reader's process, and once a stream proves long it hands chunks to worker processes
while the reader goes on parsing, yielding the results in the order the messages came. A
short archive never pays for starting a pool.

Workers are forked, so they start at once with the model loaded and never re-import the
caller's script; a process that runs other threads (a threaded web server) is never forked
(a lock another thread held would stay held in the child) and classifies on its own.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from .classifier import Classification
from .model import classify

__all__ = ["MIN_PARALLEL", "MessageToClassify", "classify_stream", "default_workers"]

MessageToClassify = tuple[str, bool, bool]
"""(text, is_thread_start, by_thread_starter): what `classify` reads of a message."""

MIN_PARALLEL = 1_000
"""Items (messages, and the ready activities between them) handled in the reader's own process
before a pool is started: forking the workers costs tens of milliseconds, which a few hundred
messages would not win back (the real Slack dump of 5,340 messages read in 1.02 s with 4,000
here, 0.71 s with 1,000)."""
CHUNK = 500
"""Messages per task: large enough that sending a chunk costs little beside classifying it."""


def default_workers() -> int:
    """The cores this process may use (`CULTIVATE_WORKERS` overrides): 1 means no pool."""
    configured = os.environ.get("CULTIVATE_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _classify(message: MessageToClassify | None) -> Classification | None:
    if message is None:
        return None
    text, start, by_starter = message
    return classify(text, is_thread_start=start, by_thread_starter=by_starter)


def _classify_chunk(messages: list[MessageToClassify | None]) -> list[Classification | None]:
    return [_classify(message) for message in messages]


def classify_stream(
    messages: Iterable[MessageToClassify | None],
    *,
    workers: int | None = None,
    min_parallel: int | None = None,
) -> Iterator[Classification | None]:
    """Yield the classification of each message, in order, on `workers` processes when long.

    A None in the stream (something the caller has ready, with nothing to classify) comes back
    as None in its place, so the caller can hand it on as soon as what came before it is done.
    The stream is read lazily, at most a few chunks ahead of what has been yielded, so a caller
    that pairs each result with what it kept of the message keeps only that much in memory.
    """
    workers = default_workers() if workers is None else workers
    min_parallel = MIN_PARALLEL if min_parallel is None else min_parallel
    if threading.active_count() > 1 or not hasattr(os, "fork"):
        workers = 1
    stream = iter(messages)
    for message in islice(stream, min_parallel if workers > 1 else None):
        yield _classify(message)
    if workers <= 1:
        return
    first = list(islice(stream, CHUNK))
    if not first:
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future[list[Classification | None]]] = deque()
        chunk = first
        while chunk or pending:
            while chunk and len(pending) < 2 * workers:
                pending.append(pool.submit(_classify_chunk, chunk))
                chunk = list(islice(stream, CHUNK))
            yield from pending.popleft().result()
