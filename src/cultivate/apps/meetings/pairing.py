"""Coffee pairing as a pure function: who meets whom this round (no Django, no database).

The goal, in order: nobody meets someone they were grouped with in an earlier round when any
other grouping avoids it; people from different departments meet; people who share expertise
meet. Everyone is in exactly one group of two, and one group of three when the count is odd.

Fewest repeats is exact: a maximum matching (Edmonds' blossom algorithm) of the "never met"
graph leaves only people who have met everyone still free, so pairing those up costs the least
(Berge). With an odd count every possible trio is tried (up to a budget that covers any
community of a few dozen people) until one reaches the lower bound. Departments and expertise
then improve by swapping people between groups, a swap never adding a repeat.
"""

from __future__ import annotations

import itertools
import random
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

TRIO_BUDGET = 400
"""How many trios an odd round tries before keeping the best found (all of them for n <= 14)."""

SWAP_PASSES = 6


@dataclass(frozen=True)
class Person:
    """What pairing needs to know about someone: who, which department, which expertise."""

    id: int
    department: str = ""
    tags: frozenset[str] = field(default_factory=frozenset)


Pair = frozenset[int]
Group = tuple[int, ...]


def met_pairs(groups: Iterable[Iterable[int]]) -> set[Pair]:
    """Return every two people who shared a group in the given earlier rounds."""
    met: set[Pair] = set()
    for group in groups:
        for a, b in itertools.combinations(sorted(set(group)), 2):
            met.add(frozenset((a, b)))
    return met


def repeats_in(groups: Iterable[Sequence[int]], history: set[Pair]) -> int:
    """Count the pairs inside the groups that already met in an earlier round."""
    return sum(
        1
        for group in groups
        for a, b in itertools.combinations(group, 2)
        if frozenset((a, b)) in history
    )


def pair_people(
    people: Sequence[Person], history: set[Pair], seed: int | None = None
) -> list[Group]:
    """Group the people in twos (one three when odd), fewest repeats first; seeded for replays.

    Fewer than two people give no groups: nobody can be paired with themselves.
    """
    by_id = {p.id: p for p in people}  # a person listed twice still meets one group
    if len(by_id) < 2:
        return []
    rng = random.Random(seed)
    ids = list(by_id)
    rng.shuffle(ids)
    if len(ids) == 3:
        groups: list[Group] = [tuple(ids)]
    elif len(ids) % 2 == 0:
        groups = _fewest_repeat_pairs(ids, history, rng)
    else:
        groups = _fewest_repeats_with_a_trio(ids, history, rng)
    groups = _improve_by_swaps(groups, by_id, history)
    return [tuple(sorted(g)) for g in groups]


# --- fewest repeats ------------------------------------------------------------------------------


def _new_pair_graph(ids: Sequence[int], history: set[Pair]) -> list[list[int]]:
    """Return, by position in `ids`, the positions of the people each has never met."""
    n = len(ids)
    return [
        [j for j in range(n) if j != i and frozenset((ids[i], ids[j])) not in history]
        for i in range(n)
    ]


def _fewest_repeat_pairs(ids: Sequence[int], history: set[Pair], rng: random.Random) -> list[Group]:
    """Pair an even number of people with the fewest repeats possible."""
    adjacency = _new_pair_graph(ids, history)
    for neighbours in adjacency:
        rng.shuffle(neighbours)
    match = maximum_matching(adjacency)
    groups: list[Group] = []
    free: list[int] = []
    for i, j in enumerate(match):
        if j == -1:
            free.append(ids[i])
        elif i < j:
            groups.append((ids[i], ids[j]))
    # the free people have all met each other (else the matching would be larger)
    groups.extend((free[k], free[k + 1]) for k in range(0, len(free), 2))
    return groups


def _fewest_repeats_with_a_trio(
    ids: Sequence[int], history: set[Pair], rng: random.Random
) -> list[Group]:
    """Group an odd number (at least five) into pairs and one trio with the fewest repeats."""
    adjacency = _new_pair_graph(ids, history)
    matched = sum(1 for j in maximum_matching(adjacency) if j != -1) // 2
    # Any grouping holds (n-1)/2 disjoint pairs (one from the trio), new ones at most `matched`.
    lower_bound = (len(ids) - 1) // 2 - matched
    best: list[Group] | None = None
    best_cost = -1
    for trio in _trios_to_try(ids, history, rng):
        rest = [i for i in ids if i not in trio]
        groups = [trio, *_fewest_repeat_pairs(rest, history, rng)]
        cost = repeats_in(groups, history)
        if best is None or cost < best_cost:
            best, best_cost = groups, cost
        if best_cost <= lower_bound:
            break
    assert best is not None
    return best


def _trios_to_try(ids: Sequence[int], history: set[Pair], rng: random.Random) -> Iterable[Group]:
    """Return candidate trios, those with fewer repeats inside first, at most TRIO_BUDGET."""
    trios: list[Group] = list(itertools.combinations(ids, 3))
    if len(trios) > TRIO_BUDGET:
        trios = [tuple(rng.sample(list(ids), 3)) for _ in range(TRIO_BUDGET)]
    else:
        rng.shuffle(trios)
    trios.sort(key=lambda trio: repeats_in([trio], history))
    return trios


def maximum_matching(adjacency: Sequence[Sequence[int]]) -> list[int]:
    """Return a maximum matching of a general graph: match[v] is v's partner or -1.

    Edmonds' blossom algorithm (shrinking odd cycles) after a greedy start, O(V^3).
    """
    n = len(adjacency)
    match = [-1] * n
    for v in range(n):  # greedy start: most people are matched without any search
        if match[v] == -1:
            for u in adjacency[v]:
                if match[u] == -1:
                    match[v], match[u] = u, v
                    break
    for root in range(n):
        if match[root] == -1:
            _augment_from(root, adjacency, match)
    return match


def _augment_from(root: int, adjacency: Sequence[Sequence[int]], match: list[int]) -> None:  # noqa: C901 - the augmenting-path search reads best as one loop
    """Search an augmenting path from a free vertex and flip it when found."""
    n = len(adjacency)
    parent = [-1] * n
    base = list(range(n))
    used = [False] * n
    used[root] = True
    queue = deque([root])

    def lowest_common_base(a: int, b: int) -> int:
        seen = [False] * n
        while True:
            a = base[a]
            seen[a] = True
            if match[a] == -1:
                break
            a = parent[match[a]]
        while True:
            b = base[b]
            if seen[b]:
                return b
            b = parent[match[b]]

    def mark_path(v: int, b: int, child: int, blossom: list[bool]) -> None:
        while base[v] != b:
            blossom[base[v]] = blossom[base[match[v]]] = True
            parent[v] = child
            child = match[v]
            v = parent[match[v]]

    while queue:
        v = queue.popleft()
        for to in adjacency[v]:
            if base[v] == base[to] or match[v] == to:
                continue
            if to == root or (match[to] != -1 and parent[match[to]] != -1):
                current = lowest_common_base(v, to)
                blossom = [False] * n
                mark_path(v, current, to, blossom)
                mark_path(to, current, v, blossom)
                for i in range(n):
                    if blossom[base[i]]:
                        base[i] = current
                        if not used[i]:
                            used[i] = True
                            queue.append(i)
            elif parent[to] == -1:
                parent[to] = v
                if match[to] == -1:
                    while to != -1:  # flip the path back to the root
                        previous = parent[to]
                        after = match[previous]
                        match[to], match[previous] = previous, to
                        to = after
                    return
                used[match[to]] = True
                queue.append(match[to])


# --- departments and expertise ------------------------------------------------------------------


def _score(group: Sequence[int], by_id: dict[int, Person], history: set[Pair]) -> tuple[int, ...]:
    """Return how bad a group is: repeats, then same-department pairs, then no shared expertise."""
    repeats = same_department = shared = 0
    for a, b in itertools.combinations(group, 2):
        pa, pb = by_id[a], by_id[b]
        repeats += frozenset((a, b)) in history
        same_department += bool(pa.department) and pa.department == pb.department
        shared += len(pa.tags & pb.tags)
    return (repeats, same_department, -shared)


def _add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def _improve_by_swaps(
    groups: list[Group], by_id: dict[int, Person], history: set[Pair]
) -> list[Group]:
    """Swap people between two groups while it makes the pair of groups better (never worse)."""
    current = [list(g) for g in groups]
    for _ in range(SWAP_PASSES):
        improved = False
        for g, h in itertools.combinations(range(len(current)), 2):
            before = _add(_score(current[g], by_id, history), _score(current[h], by_id, history))
            for i, j in itertools.product(range(len(current[g])), range(len(current[h]))):
                first, second = current[g][:], current[h][:]
                first[i], second[j] = second[j], first[i]
                after = _add(_score(first, by_id, history), _score(second, by_id, history))
                if after < before:
                    current[g], current[h], before = first, second, after
                    improved = True
        if not improved:
            break
    return [tuple(g) for g in current]


def shared_tags(a: Person, b: Person) -> list[str]:
    """Return the expertise two people share, sorted: what they might talk about."""
    return sorted(a.tags & b.tags)
