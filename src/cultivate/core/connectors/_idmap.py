"""An int-to-int map for per-post facts that stays small for millions of posts.

A dump's post ids are dense (1, 2, 3, ...), so a flat typed array indexed by id costs 1 to 8
bytes an entry where a dict of ints costs about 100. Ids that turn out sparse, negative or huge
(a hand-made or fuzzed file) switch the map to a dict, so any input still works.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Sequence
from itertools import repeat

import numpy as np

_LIMITS = {"b": 7, "i": 31, "q": 63}
_DENSE_FACTOR = 4
"""The array may hold at most this many slots per stored entry (plus slack) before it gives up."""
_DENSE_SLACK = 1 << 16


class IdMap:
    """Map non-negative ids to ints; `get` answers None (or a default) for ids never set."""

    __slots__ = ("_array", "_count", "_dict", "_missing", "_typecode")

    def __init__(self, typecode: str = "q") -> None:
        self._typecode = typecode
        self._missing = -(1 << _LIMITS[typecode])  # the one value no entry may take
        self._array = array(typecode)
        self._dict: dict[int, int] | None = None
        self._count = 0

    @classmethod
    def counting(cls, keys: Sequence[int], typecode: str = "i") -> IdMap:
        """Return a map of how often each key occurs in `keys` (a key never seen stays unset).

        Counted in one numpy pass where the keys are dense ids, instead of one `add` per key.
        """
        counted = cls(typecode)
        if not keys:
            return counted
        values = np.asarray(keys, dtype=np.int64)
        low, high = int(values.min()), int(values.max())
        if low < 0 or high >= _DENSE_FACTOR * (len(values) + _DENSE_SLACK):
            for key, count in Counter(keys).items():
                counted[key] = count
            return counted
        counts = np.bincount(values)
        if int(counts.max()) >= 1 << _LIMITS[typecode]:
            for key, count in Counter(keys).items():
                counted[key] = count
            return counted
        seen = counts != 0
        counts[~seen] = counted._missing
        counted._array = array(typecode, counts.astype(np.dtype(typecode)).tobytes())
        counted._count = int(seen.sum())
        return counted

    def __len__(self) -> int:
        return len(self._dict) if self._dict is not None else self._count

    def __setitem__(self, key: int, value: int) -> None:
        if self._dict is None and not self._fits(key, value):
            self._to_dict()
        if self._dict is not None:
            self._dict[key] = value
            return
        if self._array[key] == self._missing:
            self._count += 1
        self._array[key] = value

    def get(self, key: int, default: int | None = None) -> int | None:
        if self._dict is not None:
            return self._dict.get(key, default)
        if 0 <= key < len(self._array):
            value = self._array[key]
            if value != self._missing:
                return value
        return default

    def add(self, key: int, amount: int = 1) -> None:
        """Count: add `amount` to the entry (an unset entry counts as 0)."""
        self[key] = (self.get(key) or 0) + amount

    def _fits(self, key: int, value: int) -> bool:
        """Grow the array to hold `key` if ids are still dense; say whether the pair fits."""
        bound = 1 << _LIMITS[self._typecode]
        if not -bound < value < bound or key < 0:
            return False
        if key < len(self._array):
            return True
        ceiling = _DENSE_FACTOR * (self._count + _DENSE_SLACK)
        if key >= ceiling:
            return False
        size = min(max(key + 1, 2 * len(self._array)), ceiling)
        self._array.extend(repeat(self._missing, size - len(self._array)))
        return True

    def _to_dict(self) -> None:
        missing = self._missing
        self._dict = {i: v for i, v in enumerate(self._array) if v != missing}
        self._array = array(self._typecode)
