"""The compact id map behaves like a dict, whatever ids it is given."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cultivate.core.connectors._idmap import IdMap

pairs = st.lists(
    st.tuples(st.integers(-(2**40), 2**40), st.integers(-(2**62), 2**62)), max_size=200
)


@given(pairs, st.sampled_from(["b", "i", "q"]))
def test_an_id_map_answers_exactly_as_a_dict_would(items, typecode):
    ids, plain = IdMap(typecode), {}
    for key, value in items:
        ids[key] = value
        plain[key] = value
    assert len(ids) == len(plain)
    for key, _ in items:
        assert ids.get(key) == plain[key]
    assert ids.get(2**41) is None


def test_dense_ids_stay_in_a_flat_array_and_counting_works():
    counts = IdMap("i")
    for post in range(1, 10_001):
        counts.add(post)
        counts.add(post, 2)
    assert counts.get(5_000) == 3
    assert counts.get(0) is None
    assert len(counts) == 10_000
    assert counts._dict is None


def test_a_huge_id_switches_to_a_dict_and_keeps_what_was_stored():
    ids = IdMap()
    ids[3] = 30
    ids[10**12] = 7
    assert ids.get(3) == 30
    assert ids.get(10**12) == 7
    assert len(ids) == 2


@pytest.mark.parametrize(
    "keys",
    [
        [3, 1, 3, 3, 0, 7],
        [5, 10**12, 5],  # sparse: counted in a dict
        [4, -2, 4],  # negative: counted in a dict
        [],
    ],
)
def test_counting_gives_how_often_each_key_occurs_and_leaves_the_rest_unset(
    keys: list[int],
) -> None:
    counted = IdMap.counting(keys)
    expected = Counter(keys)
    assert len(counted) == len(expected)
    for key, count in expected.items():
        assert counted.get(key) == count
    assert counted.get(2) is None
    assert counted.get(2, 0) == 0
