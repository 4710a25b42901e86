"""Tasks the queue's tests run: one that fails while a file says so, one that counts its runs."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def fail_while_flagged(flag: str) -> str:
    """Raise while the flag file exists; succeed once it is gone."""
    if Path(flag).exists():
        raise RuntimeError(f"flag {flag} is up")
    return "done"


@task()
def count_a_run(counter: str, seconds: float = 0.0) -> int:
    """Append a line to the counter file (after `seconds`); return how many runs it has seen."""
    time.sleep(seconds)
    with Path(counter).open("a", encoding="utf-8") as handle:
        handle.write("run\n")
    return len(Path(counter).read_text(encoding="utf-8").splitlines())


@task()
def fail_and_count(counter: str) -> None:
    """Count the try, then fail: every try fails."""
    with Path(counter).open("a", encoding="utf-8") as handle:
        handle.write("try\n")
    raise RuntimeError("always fails")
