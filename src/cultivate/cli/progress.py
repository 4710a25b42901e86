"""The one progress bar of every long command: what it does, how far, how fast, how long left."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

__all__ = ["progress_bar"]


class _CountColumn(ProgressColumn):
    """'1,234 of 5,000 activities', or '1,234 activities' while the total is not known yet."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        done = f"{int(task.completed):,}"
        total = f" of {int(task.total):,}" if task.total is not None else ""
        return Text(f"{done}{total} {self.unit}".rstrip(), style="progress.download")


class _RateColumn(ProgressColumn):
    """How many units a second, over rich's recent window (blank until there is a rate)."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        if not speed:
            return Text("")
        return Text(f"{speed:,.0f} {self.unit}/s".replace(" /s", "/s"), style="progress.data.speed")


class _TimeLeftColumn(ProgressColumn):
    """'0:01:12 left' once the task has a total and a rate; blank before."""

    max_refresh = 0.5

    def render(self, task: Task) -> Text:
        remaining = task.time_remaining
        if task.total is None or remaining is None or task.finished:
            return Text("")
        return Text(f"{timedelta(seconds=int(remaining))} left", style="progress.remaining")


def progress_bar(
    console: Console,
    unit: str = "",
    *,
    disable: bool = False,
    clock: Callable[[], float] | None = None,
) -> Progress:
    """Return a transient bar showing the task's description, count, rate, elapsed and time left.

    The time left shows once the task has a total; a count alone is shown before that.
    `clock` replaces the monotonic clock (tests read rates without waiting).
    """
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        _CountColumn(unit),
        _RateColumn(unit),
        TimeElapsedColumn(),
        _TimeLeftColumn(),
        console=console,
        transient=True,
        disable=disable,
        get_time=clock,
    )
