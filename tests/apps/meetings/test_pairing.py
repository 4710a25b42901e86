"""Properties of the coffee-pairing function, checked by hypothesis against a brute-force oracle."""

from __future__ import annotations

import itertools
from collections import Counter
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from cultivate.apps.meetings.pairing import (
    Person,
    maximum_matching,
    met_pairs,
    pair_people,
    repeats_in,
)

DEPARTMENTS = ["", "quality", "maintenance", "design"]
TAGS = ["bearings", "welding", "lean", "plc"]


@st.composite
def rounds(draw: st.DrawFn, max_people: int = 11) -> tuple[list[Person], set[frozenset[int]], int]:
    """Draw people (ids may repeat, as a careless caller might send), an earlier history, a seed."""
    ids = draw(st.lists(st.integers(1, 40), min_size=0, max_size=max_people))
    people = [
        Person(
            id=i,
            department=draw(st.sampled_from(DEPARTMENTS)),
            tags=frozenset(draw(st.lists(st.sampled_from(TAGS), max_size=3))),
        )
        for i in ids
    ]
    unique = sorted(set(ids))
    possible = list(itertools.combinations(unique, 2))
    history = (
        {frozenset(p) for p in draw(st.lists(st.sampled_from(possible), unique=True))}
        if possible
        else set()
    )
    return people, history, draw(st.integers(0, 2**32))


def fewest_repeats_possible(ids: tuple[int, ...], history: frozenset[frozenset[int]]) -> int:
    """Try every grouping into twos (one three when odd) and return the fewest repeats."""

    @cache
    def best(rest: frozenset[int], trio_left: bool) -> int:
        if not rest:
            return 0 if not trio_left else 10**6
        first = min(rest)
        others = rest - {first}
        found = 10**6
        for second in others:
            pair_cost = frozenset((first, second)) in history
            found = min(found, pair_cost + best(others - {second}, trio_left))
            if trio_left:
                for third in others - {second}:
                    if third > second:
                        trio = (first, second, third)
                        found = min(
                            found,
                            repeats_in([trio], set(history))
                            + best(others - {second, third}, False),
                        )
        return found

    return best(frozenset(ids), len(ids) % 2 == 1)


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_everyone_opted_in_is_in_exactly_one_group(case):
    people, history, seed = case
    groups = pair_people(people, history, seed=seed)
    counted = Counter(member for group in groups for member in group)
    expected = {p.id for p in people} if len({p.id for p in people}) >= 2 else set()
    assert set(counted) == expected
    assert all(n == 1 for n in counted.values())


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_groups_are_twos_with_a_three_only_when_the_count_is_odd(case):
    people, history, seed = case
    groups = pair_people(people, history, seed=seed)
    sizes = Counter(len(group) for group in groups)
    assert set(sizes) <= {2, 3}
    n = len({p.id for p in people})
    assert sizes[3] == (1 if n >= 2 and n % 2 == 1 else 0)


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_nobody_is_paired_with_themselves(case):
    people, history, seed = case
    for group in pair_people(people, history, seed=seed):
        assert len(set(group)) == len(group)


@settings(max_examples=300, deadline=None)
@given(rounds(max_people=10))
def test_repeats_are_avoided_whenever_another_grouping_avoids_them(case):
    people, history, seed = case
    groups = pair_people(people, history, seed=seed)
    ids = tuple(sorted({p.id for p in people}))
    if len(ids) < 2:
        assert groups == []
        return
    assert repeats_in(groups, history) == fewest_repeats_possible(ids, frozenset(history))


@settings(max_examples=100, deadline=None)
@given(rounds())
def test_the_same_seed_gives_the_same_round(case):
    people, history, seed = case
    assert pair_people(people, history, seed=seed) == pair_people(people, history, seed=seed)


def test_fewer_than_two_people_make_no_groups():
    assert pair_people([], set(), seed=1) == []
    assert pair_people([Person(7)], set(), seed=1) == []
    assert pair_people([Person(7), Person(7)], set(), seed=1) == []


def test_people_from_different_departments_meet_when_they_can():
    people = [Person(i, department="quality" if i < 4 else "design") for i in range(8)]
    for seed in range(20):
        for a, b in pair_people(people, set(), seed=seed):
            assert (a < 4) != (b < 4)


def test_shared_expertise_is_preferred_among_equal_choices():
    people = [
        Person(1, "a", frozenset({"welding"})),
        Person(2, "b", frozenset({"plc"})),
        Person(3, "c", frozenset({"welding"})),
        Person(4, "d", frozenset({"plc"})),
    ]
    for seed in range(10):
        assert sorted(pair_people(people, set(), seed=seed)) == [(1, 3), (2, 4)]


def test_rounds_in_a_row_never_repeat_until_everyone_has_met():
    people = [Person(i) for i in range(8)]
    history: set[frozenset[int]] = set()
    for seed in range(7):  # 8 people can meet 7 times without meeting anyone twice
        groups = pair_people(people, history, seed=seed)
        assert repeats_in(groups, history) == 0
        history |= met_pairs(groups)
    assert len(history) == 28


def test_the_matching_is_maximum_on_an_odd_cycle_with_a_tail():
    # a blossom: the triangle 0-1-2 must be shrunk to find the augmenting path to 4
    adjacency = [[1, 2], [0, 2], [0, 1, 3], [2, 4], [3]]
    match = maximum_matching(adjacency)
    assert sum(1 for m in match if m != -1) == 4
    assert all(match[match[v]] == v for v in range(5) if match[v] != -1)
