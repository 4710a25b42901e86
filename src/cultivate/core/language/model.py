"""A small learned layer over the rules: where rules stop improving, words decide.

The rules (`classifier.rule_scores`) stay as features; beside them the model reads the author's
own words (words, word pairs, the opening words), the message's length, whether it opens a
thread, and whether a follow-up is by the person who opened the thread (a starter's follow-up is
twice as often a new question or thanks as anyone else's). The source a message was written in
(chat, mail) was tried as a feature and dropped: it lifted broadcast F1 by 0.02 but read short
Slack openings without a question mark ("how to mount a share") as replies. A multinomial
logistic regression, fitted by `make model` on the development part of the hand-labelled
messages (`fitting.py`, scikit-learn), is shipped as `contribution_model.json` and applied here
in plain Python, so classifying needs no scikit-learn and stays fast.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from .classifier import Classification, Kind, classify_by_rules, rule_scores

__all__ = ["MODEL_FILE", "LearnedModel", "classify", "features", "load_model"]

MODEL_FILE = Path(__file__).with_name("contribution_model.json")
_TOKEN = re.compile(r"[a-z][a-z'+#-]*[a-z0-9]|[a-z]|\d+|[?!@]")
_LENGTHS = ((3, "tiny"), (10, "short"), (30, "medium"), (80, "long"))
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")
"""A sentence with the marks that end it: split in one linear pass."""
_SECOND_PERSON = re.compile(r"\b(?:you|your|you'?re|u)\b")
_FIRST_PERSON = re.compile(r"\b(?:i|i'?m|i'?ve|my|me|we|our|us)\b")
_CODE = re.compile(r"```|^(?:    |\t)\S", re.MULTILINE)


def _length(words: int) -> str:
    for limit, name in _LENGTHS:
        if words <= limit:
            return name
    return "very long"


@dataclass(frozen=True, slots=True)
class _Parts:
    """A message's features in two parts: named values, and the words they come from."""

    values: dict[str, float]
    tokens: list[str]


_WHERE = {True: "start", False: "follow"}
_LENGTH_NAMES = {
    (name, start): (f"length:{name}", f"length:{name}:{_WHERE[start]}")
    for name in [n for _, n in _LENGTHS] + ["very long"]
    for start in (True, False)
}
_RULE_NAMES = {
    (kind, start): (f"rule:{kind.value}", f"rule:{kind.value}:{_WHERE[start]}")
    for kind in Kind
    for start in (True, False)
}
"""Feature names spelled once: building them per message was a fifth of the model's time."""
_STARTER_RULE_NAMES = {kind: f"rule:{kind.value}:starter" for kind in Kind}
_STARTER_ASKING = ("ends asking:follow", "asks you:follow", "asks for me:follow")


def _parts(text: str, is_thread_start: bool, by_thread_starter: bool = False) -> _Parts | None:
    found = rule_scores(text, is_thread_start=is_thread_start)
    if found is None:
        return None
    where = _WHERE[is_thread_start]
    body = found.body
    lower = found.lower
    length, length_where = _LENGTH_NAMES[(_length(found.words), is_thread_start)]
    marks = float(min(found.marks, 3))
    f: dict[str, float] = {
        f"at:{where}": 1.0,
        length: 1.0,
        length_where: 1.0,
        "marks": marks,
        f"marks:{where}": marks,
        "links": float(min(found.links, 2)),
    }
    if found.marks and body.rstrip().endswith("?"):
        f[f"ends asking:{where}"] = 1.0
    if found.marks:
        asked = " ".join(p for p in _SENTENCE.findall(lower) if "?" in p)
        if _SECOND_PERSON.search(asked):
            f[f"asks you:{where}"] = 1.0
        if _FIRST_PERSON.search(asked):
            f[f"asks for me:{where}"] = 1.0
    if ("```" in body or "\n " in body or "\n\t" in body) and _CODE.search(body):
        f[f"code:{where}"] = 1.0
    for kind, score in found.scores.items():
        if score:
            name, name_where = _RULE_NAMES[(kind, is_thread_start)]
            f[name] = score
            f[name_where] = score
            if by_thread_starter and not is_thread_start:
                f[_STARTER_RULE_NAMES[kind]] = score
    if by_thread_starter and not is_thread_start:
        f["by starter"] = 1.0
        for name in _STARTER_ASKING:
            if name in f:
                f[f"{name}:starter"] = 1.0
    return _Parts(f, _TOKEN.findall(lower))


def features(
    text: str, *, is_thread_start: bool, by_thread_starter: bool = False
) -> dict[str, float] | None:
    """Return a message's features by name; None when it holds no words of its author's own.

    `by_thread_starter`: a follow-up written by the person who opened its thread.
    """
    parts = _parts(text, is_thread_start, by_thread_starter)
    if parts is None:
        return None
    f = dict(parts.values)
    tokens = parts.tokens
    for token in tokens:
        f[f"w:{token}"] = 1.0
    for first, second in itertools.pairwise(tokens):
        f[f"p:{first} {second}"] = 1.0
    if tokens:
        f[f"open:{tokens[0]}"] = 1.0
        if len(tokens) > 1:
            f[f"open:{tokens[0]} {tokens[1]}"] = 1.0
    return f


@dataclass(frozen=True, slots=True)
class _Index:
    """The weights as one matrix, with rows found by name, by word, by word pair, by opening."""

    named: dict[str, int]
    words: dict[str, int]
    pairs: dict[tuple[str, str], int]
    openings: dict[str, int]
    columns: npt.NDArray[np.float64]
    """The weights, one row per kind and one column per feature (a gather reads columns)."""
    intercept: npt.NDArray[np.float64]


def _index(
    weights: Mapping[str, Sequence[float]], intercept: Sequence[float], kinds: int
) -> _Index:
    names = list(weights)
    matrix = np.array([weights[n] for n in names], dtype=np.float64).reshape(len(names), kinds)
    columns = np.ascontiguousarray(matrix.T)
    index = _Index({}, {}, {}, {}, columns, np.asarray(intercept, dtype=np.float64))
    for row, name in enumerate(names):
        family, _, rest = name.partition(":")
        if family == "w":
            index.words[rest] = row
        elif family == "p" and " " in rest:
            first, _, second = rest.partition(" ")
            index.pairs[(first, second)] = row
        elif family == "open":
            index.openings[rest] = row
        else:
            index.named[name] = row
    return index


_INDEXES: dict[int, tuple[LearnedModel, _Index]] = {}


def _row(index: _Index, family: str, rest: str, name: str) -> int | None:
    if family == "w":
        return index.words.get(rest)
    if family == "p":
        first, _, second = rest.partition(" ")
        return index.pairs.get((first, second))
    if family == "open":
        return index.openings.get(rest)
    return index.named.get(name)


def _softmax(index: _Index, rows: list[int], values: list[float], units: list[int]) -> list[float]:
    """Softmax of the scores: the intercept, weighted named rows, and rows that count once.

    One gather of columns and one product over a feature-major copy of the weights, then the
    six exponentials in plain Python: numpy's per-call cost outweighs its speed on six numbers.
    """
    weights = index.columns.take(rows + units, axis=1)
    scores = (index.intercept + weights @ np.asarray(values + [1.0] * len(units))).tolist()
    top = max(scores)
    exps = [math.exp(score - top) for score in scores]
    total = sum(exps)
    return [e / total for e in exps]


@dataclass(frozen=True, slots=True)
class LearnedModel:
    """Weights of a multinomial logistic regression: one score per kind, softmax to 0..1."""

    kinds: tuple[Kind, ...]
    intercept: tuple[float, ...]
    weights: Mapping[str, Sequence[float]]
    meta: Mapping[str, Any]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LearnedModel:
        kinds = tuple(Kind(k) for k in data["kinds"])
        intercept = tuple(float(x) for x in data["intercept"])
        weights = {str(k): tuple(float(x) for x in v) for k, v in data["weights"].items()}
        if len(intercept) != len(kinds) or any(len(v) != len(kinds) for v in weights.values()):
            raise ValueError("a contribution model needs one weight per kind for every feature")
        return cls(kinds, intercept, weights, dict(data.get("meta", {})))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kinds": [k.value for k in self.kinds],
            "intercept": list(self.intercept),
            "weights": {k: list(v) for k, v in sorted(self.weights.items())},
            "meta": dict(self.meta),
        }

    def probabilities(self, found: Mapping[str, float]) -> list[float]:
        """Return each kind's probability for a message's features (softmax of the scores)."""
        index = self._index()
        rows: list[int] = []
        values: list[float] = []
        for name, value in found.items():
            family, _, rest = name.partition(":")
            row = _row(index, family, rest, name)
            if row is not None:
                rows.append(row)
                values.append(value)
        return _softmax(index, rows, values, [])

    def _fast(self, parts: _Parts) -> list[float]:
        """The same probabilities as `probabilities(features(...))`, without naming each word."""
        index = self._index()
        named = index.named
        rows: list[int] = []
        values: list[float] = []
        for name, value in parts.values.items():
            row = named.get(name)
            if row is not None:
                rows.append(row)
                values.append(value)
        tokens = parts.tokens
        # Words, pairs and openings count once however often they occur: a set of their rows.
        found = {*map(index.words.get, tokens)}
        found.update(map(index.pairs.get, itertools.pairwise(tokens)))
        if tokens:
            found.add(index.openings.get(tokens[0]))
            if len(tokens) > 1:
                found.add(index.openings.get(f"{tokens[0]} {tokens[1]}"))
        found.discard(None)
        return _softmax(index, rows, values, cast(list[int], list(found)))

    def _index(self) -> _Index:
        cached = _INDEXES.get(id(self))
        if cached is None or cached[0] is not self:
            cached = (self, _index(self.weights, self.intercept, len(self.kinds)))
            _INDEXES[id(self)] = cached
        return cached[1]

    def classify(
        self, text: str, *, is_thread_start: bool, by_thread_starter: bool = False
    ) -> Classification:
        """Return the most likely kind; confidence is its lead over the runner-up (0..1)."""
        parts = _parts(text, is_thread_start, by_thread_starter)
        if parts is None:
            return Classification(Kind.OTHER, 0.0)
        probabilities = self._fast(parts)
        ranked = sorted(range(len(self.kinds)), key=lambda i: -probabilities[i])
        best, second = ranked[0], ranked[1]
        lead = probabilities[best] - probabilities[second]
        return Classification(self.kinds[best], round(lead, 3))


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> LearnedModel | None:
    """Return the shipped model, or None where none was fitted (the rules then decide alone)."""
    if not path.is_file():
        return None
    return LearnedModel.from_dict(json.loads(path.read_text(encoding="utf-8")))


def classify(
    text: str, *, is_thread_start: bool, by_thread_starter: bool = False
) -> Classification:
    """Return the kind of a message with no explicit type, and a confidence between 0 and 1.

    The shipped model decides where there is one; otherwise the rules alone (which read the
    text only). `by_thread_starter` is as in `features`.
    """
    model = load_model()
    if model is None:
        return classify_by_rules(text, is_thread_start=is_thread_start)
    return model.classify(
        text, is_thread_start=is_thread_start, by_thread_starter=by_thread_starter
    )
