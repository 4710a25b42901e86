"""Nearest neighbours by cosine over unit-length vectors: exact up to 100,000, an index above.

Exact search is one matrix product and a partial sort: at 100,000 rows of 384 floats it takes a
few milliseconds and is always right. Above that a usearch HNSW graph (half-precision vectors,
half the memory) answers in about a millisecond at a recall near 1, for minutes of building;
`VectorIndex.build` picks by size (figures in docs/metrics.md, `make bench-routing`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["EXACT_LIMIT", "VectorIndex"]

EXACT_LIMIT = 100_000
"""Up to this many vectors a search reads them all; above, an approximate index answers."""
EXPANSION = 256
"""Candidates the graph keeps while searching: usearch's default (64) found 4 of the exact ten
nearest on hard synthetic data at 100,000 vectors, 256 found 8 for 1.6 ms (bench/routing.py)."""


@dataclass
class VectorIndex:
    """Vectors under integer keys; `nearest` returns the keys most like a query vector."""

    keys: np.ndarray
    matrix: np.ndarray
    _graph: Any = field(default=None, repr=False)

    @classmethod
    def build(
        cls, keys: np.ndarray, matrix: np.ndarray, *, exact_limit: int = EXACT_LIMIT
    ) -> VectorIndex:
        """Index the rows of `matrix` (unit length, float32) under `keys` (int64)."""
        keys = np.ascontiguousarray(keys, dtype=np.int64)
        matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        if len(keys) != len(matrix):
            raise ValueError(f"{len(keys)} keys for {len(matrix)} vectors")
        index = cls(keys=keys, matrix=matrix)
        if len(keys) > exact_limit:
            from usearch.index import Index

            graph = Index(
                ndim=matrix.shape[1], metric="ip", dtype="f16", expansion_search=EXPANSION
            )
            graph.add(np.arange(len(keys), dtype=np.uint64), matrix, log=False)
            index._graph = graph
        return index

    @property
    def approximate(self) -> bool:
        return self._graph is not None

    def __len__(self) -> int:
        return len(self.keys)

    def nearest(
        self, query: np.ndarray, k: int, *, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Return up to k (key, cosine) pairs, most alike first.

        `allowed` is a boolean mask over the rows (False rows are never returned); with the
        approximate index more neighbours are asked for until k allowed ones are found.
        """
        if not len(self.keys) or k <= 0:
            return []
        query = np.asarray(query, dtype=np.float32).reshape(-1)
        if self._graph is None:
            return self._exact(query, k, allowed)
        wanted = k
        while True:
            found = self._graph.search(query, min(wanted, len(self.keys)), log=False)
            rows = np.asarray(found.keys, dtype=np.int64)
            scores = 1.0 - np.asarray(found.distances, dtype=np.float32)
            if allowed is not None:
                keep = allowed[rows]
                rows, scores = rows[keep], scores[keep]
            if len(rows) >= k or wanted >= len(self.keys):
                return [
                    (int(self.keys[r]), float(s)) for r, s in zip(rows[:k], scores[:k], strict=True)
                ]
            wanted *= 4

    def _exact(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> list[tuple[int, float]]:
        scores = self.matrix @ query
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.keys[r]), float(scores[r])) for r in top if np.isfinite(scores[r])]
