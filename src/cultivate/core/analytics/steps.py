"""The six-step relationship ladder: when each step last happened and how often in the window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl

from cultivate.core.activity import Verb
from cultivate.core.text import _

from .metrics import Window, in_window

STEPS: tuple[tuple[int, str, tuple[Verb, ...]], ...] = (
    (1, _("meeting"), (Verb.MEET, Verb.PAIR)),
    (2, _("sitting together"), (Verb.ATTEND,)),
    (3, _("interacting and sharing"), (Verb.SHARE, Verb.ASK, Verb.ANSWER, Verb.REPLY)),
    (4, _("joint decisions"), (Verb.PROPOSE, Verb.VOTE, Verb.DECIDE)),
    (5, _("joint implementation"), (Verb.COMMIT, Verb.COMPLETE)),
    (6, _("celebrating success"), (Verb.CELEBRATE,)),
)


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    name: str
    last_at: datetime | None
    count_in_window: int

    @property
    def lit(self) -> bool:
        """A step is lit when it happened in the window."""
        return self.count_in_window > 0


def ladder(frame: pl.DataFrame, window: Window) -> tuple[Step, ...]:
    """Return the six steps with their last occurrence (ever, up to "as of") and window count."""
    history = frame.filter(pl.col("at") <= window.end)
    current = in_window(history, window)
    steps = []
    for number, name, step_verbs in STEPS:
        names = [v.value for v in step_verbs]
        happened = history.filter(pl.col("verb").is_in(names))
        last = happened["at"].max() if happened.height else None
        steps.append(
            Step(
                number=number,
                name=name,
                last_at=last,  # type: ignore[arg-type]
                count_in_window=current.filter(pl.col("verb").is_in(names)).height,
            )
        )
    return tuple(steps)
