"""The long commands' progress bar says how far, how fast and how long is left."""

from __future__ import annotations

import io

from rich.console import Console

from cultivate.cli.progress import progress_bar


def _line(total: int | None) -> str:
    ticks = iter(float(t) for t in range(100))
    bar = progress_bar(
        Console(file=io.StringIO(), width=200), "activities", clock=lambda: next(ticks)
    )
    task = bar.add_task("Importing", total=total)
    for _ in range(4):
        bar.advance(task, 250)
    return " ".join(str(column.render(bar.tasks[0])) for column in bar.columns[3:])


def test_a_bar_with_a_total_shows_the_count_the_rate_and_the_time_left() -> None:
    line = _line(total=10_000)
    assert "1,000 of 10,000 activities" in line
    assert "activities/s" in line
    assert "left" in line


def test_a_bar_without_a_total_yet_shows_the_count_and_no_time_left() -> None:
    line = _line(total=None)
    assert "1,000 activities" in line
    assert " of " not in line
    assert "left" not in line
