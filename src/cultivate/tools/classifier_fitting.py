"""Fit the contribution model on the development part of the hand-labelled messages.

`python -m cultivate.tools.classifier_fitting --data DIR` (part of `make model`) reads the labelled
texts from the data folder, fits a multinomial logistic regression (rare kinds weighed up) over
`model.features` with scikit-learn, keeps only features seen in at least two development
messages, and writes `contribution_model.json`. The held-out part is never read here: it is
scored by `classifier_evaluation.py`. scikit-learn is needed only to fit, never to classify.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cultivate.core.language.classifier import Kind
from cultivate.core.language.model import MODEL_FILE, LearnedModel, features

from .classifier_evaluation import LABELS, Labelled, LabelledText, fetch_texts, load_labels, split

__all__ = ["fit", "main"]

MIN_MESSAGES = 2
"""A word or word pair must occur in this many development messages to become a feature."""
REGULARISATION = 1.0
"""scikit-learn's C: smaller is smoother; 5-fold cross-validation on the dev part chose it (by
the mean of the folds' macro F1; `--search` now reports the macro F1 of the pooled folds, where
0.3 and 3 score within 0.01 of it: docs/metrics.md)."""
PRUNE = 1e-3
"""Weights smaller than this for every kind are dropped from the shipped file."""


def _rows(
    items: Sequence[Labelled], texts: dict[str, LabelledText]
) -> tuple[list[dict[str, float]], list[str]]:
    rows: list[dict[str, float]] = []
    labels: list[str] = []
    for item in items:
        message = texts[item.id]
        found = features(
            message.text,
            is_thread_start=item.thread_start,
            by_thread_starter=message.by_thread_starter,
        )
        if found is None:
            continue  # no words of the author's own: always "other", nothing to learn
        rows.append(found)
        labels.append(item.label.value)
    return rows, labels


def _weights(labels: Sequence[str]) -> dict[str, float]:
    """Weigh each kind by the square root of its rarity.

    Fully balanced weights made the rare "other" swallow short questions ("how to mount a share");
    the square root still lifts rare kinds without letting them win every doubtful message.
    """
    counts = Counter(labels)
    mean = len(labels) / len(counts)
    return {kind: (mean / n) ** 0.5 for kind, n in counts.items()}


def fit(
    items: Sequence[Labelled],
    texts: dict[str, LabelledText],
    *,
    regularisation: float = REGULARISATION,
) -> LearnedModel:
    """Return the model fitted on `items` (the development part only)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows, labels = _rows(items, texts)
    seen = Counter(name for row in rows for name in row)
    kept = [
        {
            k: v
            for k, v in row.items()
            if seen[k] >= MIN_MESSAGES or not k.startswith(("w:", "p:", "open:"))
        }
        for row in rows
    ]
    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform(kept)
    model = LogisticRegression(
        C=regularisation, class_weight=_weights(labels), max_iter=5000, random_state=0
    )
    model.fit(matrix, labels)
    kinds = tuple(Kind(k) for k in model.classes_)
    names = vectoriser.get_feature_names_out()
    weights: dict[str, list[float]] = {}
    for column, name in enumerate(names):
        row = [round(float(model.coef_[k][column]), 5) for k in range(len(kinds))]
        if max(abs(w) for w in row) >= PRUNE:
            weights[str(name)] = row
    meta: dict[str, Any] = {
        "fitted_on": f"{len(rows)} development messages of labelled_messages.csv",
        "regularisation": regularisation,
        "class_weight": "square root of balanced",
        "features": len(weights),
    }
    return LearnedModel(kinds, tuple(round(float(x), 5) for x in model.intercept_), weights, meta)


def cross_validated_pairs(
    items: Sequence[Labelled],
    texts: dict[str, LabelledText],
    *,
    regularisation: float = REGULARISATION,
    folds: int = 5,
    fraction: float = 1.0,
) -> list[tuple[Kind, Kind]]:
    """Return (label, prediction) for every item, each predicted by a model fitted without it.

    `fraction` fits each fold's model on that share of the other folds (drawn with the fold's
    number as seed): the learning curve's points.
    """
    from .classifier_evaluation import classify_labelled

    ordered = sorted(items, key=lambda i: i.id)
    pairs: list[tuple[Kind, Kind]] = []
    for fold in range(folds):
        held = [item for n, item in enumerate(ordered) if n % folds == fold]
        rest = [item for n, item in enumerate(ordered) if n % folds != fold]
        if fraction < 1.0:
            random.Random(fold).shuffle(rest)
            rest = rest[: round(len(rest) * fraction)]
        model = fit(rest, texts, regularisation=regularisation)
        pairs += [
            (item.label, classify_labelled(item, texts, model.classify).kind) for item in held
        ]
    return pairs


def cross_validate(
    items: Sequence[Labelled], texts: dict[str, LabelledText], regularisation: float, folds: int = 5
) -> float:
    """Return the macro F1 of `folds`-fold cross-validation on the development part."""
    from .classifier_evaluation import score

    pairs = cross_validated_pairs(items, texts, regularisation=regularisation, folds=folds)
    return score(pairs).macro_f1


def main(argv: Sequence[str] | None = None) -> int:
    """Fit on the development part and write the model file."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="the real community data folder")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--search", action="store_true", help="cross-validate C and report")
    args = parser.parse_args(argv)
    items = load_labels(args.labels)
    dev, _ = split(items)
    texts = fetch_texts(args.data, dev)
    if args.search:
        for c in (0.1, 0.25, 0.5, 1.0, 2.0):
            print(f"C={c}: cross-validated macro F1 {cross_validate(dev, texts, c):.3f}")
        return 0
    model = fit(dev, texts)
    args.out.write_text(
        json.dumps(model.to_dict(), indent=0, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {args.out} ({len(model.weights)} features)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
