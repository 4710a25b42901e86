"""Figures the apps above insights add to the Health page, each counted over the report window.

Insights sits below the apps whose rows these count (questions reused, questions routed to
people), so each app registers a function in its AppConfig.ready and the Health page asks them
all; they run on every view, so each should cost a query or two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cultivate.apps.communities.models import Community


@dataclass(frozen=True)
class HealthFigure:
    """One line of the page's "Questions reaching people" box, already in the reader's words."""

    label: str
    value: str
    note: str = ""


FigureSource = Callable[[Community, datetime, datetime], list[HealthFigure]]
_SOURCES: list[FigureSource] = []


def health_figures_register(source: FigureSource) -> None:
    """Add a source of figures (called from the owner's AppConfig.ready), once."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def health_figures(community: Community, since: datetime, until: datetime) -> list[HealthFigure]:
    """Return every registered figure for the community between the two moments."""
    return [figure for source in _SOURCES for figure in source(community, since, until)]
