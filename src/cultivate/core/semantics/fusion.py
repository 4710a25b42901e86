"""Reciprocal rank fusion: one ranking from several, without comparing their scores.

Full-text ranks (bm25, ts_rank) and cosines live on different scales; RRF (Cormack et al.,
2009) gives each item the sum of 1 / (k + rank) over the rankings it appears in, so an item
near the top of both wins, and one ranking alone still counts.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

__all__ = ["RRF_K", "reciprocal_rank_fusion"]

K = TypeVar("K", bound=Hashable)

RRF_K = 60
"""The published constant: it damps the difference between the first few ranks."""


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[K]], *, k: int = RRF_K
) -> list[tuple[K, float]]:
    """Return every item of the rankings with its fused score, best first (ties: first seen)."""
    scores: dict[K, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda pair: (-pair[1], order[pair[0]]))
