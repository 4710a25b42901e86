"""The demo's random draws: filling text templates, counts, working hours, delays.

Every draw takes the caller's `random.Random`, so one seed decides the whole demo."""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta

from . import texts

_SLOT = re.compile(r"\{(\w+)\}")
_CHOICE = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
_ASCII = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "ß": "ss", "'": "", " ": ""})  # noqa: RUF001


def ascii_slug(text: str) -> str:
    """Return a lower-case ASCII form of a name for usernames and e-mail addresses."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_ASCII))
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode())


def fill(template: str, values: dict[str, str], bank: texts.Bank, rng: random.Random) -> str:
    """Pick one phrasing per `[a|b]`, then fill `{slot}`s, choosing each missing value once so a
    title and its body stay consistent."""
    template = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            options = bank.slots.get(name) or texts.SHARED_SLOTS.get(name)
            if not options:
                raise KeyError(f"no values for slot {{{name}}} in {template!r}")
            values[name] = rng.choice(options)
        return values[name]

    return _SLOT.sub(value, template)


def paragraphs(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def sentence(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def weighted_count(rng: random.Random, weights: Sequence[int]) -> int:
    return rng.choices(range(len(weights)), weights=weights)[0]


def poisson(rng: random.Random, mean: float) -> int:
    """Draw a Poisson count (Knuth's method; means here are small)."""
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def about(rng: random.Random, mean: float) -> int:
    """Return a count near the mean (within 20%, rounded at random): monthly volumes vary, but
    not so much that a small community's trend disappears in the noise."""
    value = mean * rng.uniform(0.8, 1.2)
    return math.floor(value) + (rng.random() < value - math.floor(value))


def at_work(rng: random.Random, moment: datetime) -> datetime:
    """Move a moment to working hours on a weekday most of the time, as people post at work."""
    if moment.weekday() >= 5 and rng.random() < 0.8:
        moment += timedelta(days=7 - moment.weekday())
    if rng.random() < 0.85:
        moment = moment.replace(hour=rng.randint(7, 17), minute=rng.randint(0, 59))
    return moment.replace(second=0, microsecond=0)


def hours(rng: random.Random, median: float, sigma: float = 1.1) -> timedelta:
    return timedelta(minutes=max(10, round(rng.lognormvariate(math.log(median * 60), sigma))))


# -- people -----------------------------------------------------------------------------------
