"""Nearest neighbours (exact and approximate agree) and reciprocal rank fusion."""

from __future__ import annotations

import numpy as np

from cultivate.core.semantics.fusion import reciprocal_rank_fusion
from cultivate.core.semantics.nearest import VectorIndex


def _unit_rows(n: int, seed: int = 7) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, 32)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_exact_search_returns_the_closest_keys_best_first() -> None:
    matrix = _unit_rows(500)
    index = VectorIndex.build(np.arange(1000, 1500), matrix)
    found = index.nearest(matrix[42], 3)
    assert found[0][0] == 1042
    assert abs(found[0][1] - 1.0) < 1e-5
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)
    assert not index.approximate


def test_rows_not_allowed_are_never_returned() -> None:
    matrix = _unit_rows(200)
    allowed = np.zeros(200, dtype=bool)
    allowed[::2] = True
    for index in (
        VectorIndex.build(np.arange(200), matrix),
        VectorIndex.build(np.arange(200), matrix, exact_limit=50),
    ):
        found = index.nearest(matrix[3], 10, allowed=allowed)
        assert len(found) == 10
        assert all(key % 2 == 0 for key, _ in found)


def test_the_approximate_index_finds_what_exact_search_finds() -> None:
    matrix = _unit_rows(3000)
    keys = np.arange(3000) * 3
    exact = VectorIndex.build(keys, matrix)
    approximate = VectorIndex.build(keys, matrix, exact_limit=1000)
    assert approximate.approximate
    queries = _unit_rows(50, seed=11)
    overlap = [
        len({k for k, _ in exact.nearest(q, 10)} & {k for k, _ in approximate.nearest(q, 10)})
        for q in queries
    ]
    assert sum(overlap) / (10 * len(queries)) > 0.9


def test_an_empty_index_finds_nothing() -> None:
    index = VectorIndex.build(np.zeros(0, np.int64), np.zeros((0, 32), np.float32))
    assert index.nearest(np.ones(32, np.float32), 5) == []


def test_fusion_puts_first_what_both_rankings_rank_high() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d", "a"]])
    assert [item for item, _ in fused] == ["b", "a", "d", "c"]
    assert fused[0][1] == 1 / 62 + 1 / 61


def test_fusion_of_one_ranking_keeps_its_order() -> None:
    assert [item for item, _ in reciprocal_rank_fusion([[3, 1, 2]])] == [3, 1, 2]
    assert reciprocal_rank_fusion([]) == []
