"""The time zones a person may live in: the IANA names the standard library knows."""

from __future__ import annotations

import zoneinfo
from functools import cache

__all__ = ["is_time_zone", "time_zones"]


@cache
def time_zones() -> tuple[str, ...]:
    """Every IANA zone name, sorted (about 600: Europe/Paris, America/New_York, ...)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def is_time_zone(name: str) -> bool:
    return name in time_zones()
