"""How far the contribution classifier can go: two annotators' agreement, and its learning curve.

The held-out targets only mean something beside two figures: how often two people following
docs/labelling.md give a message the same kind (a second annotator labelled a random 500 of the
labelled messages blind, `second_labels.csv`), and whether more labelled messages would still
lift the model (cross-validation on the development part, each fold's model fitted on a growing
share of the others). `python -m cultivate.tools.classifier_ceiling --data DIR --doc
docs/metrics.md` (part of `make model`) writes both to the metrics doc.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cultivate.core.language.classifier import Kind

from .classifier_evaluation import (
    LABELS,
    Labelled,
    LabelledText,
    Scores,
    classify_labelled,
    fetch_texts,
    load_labels,
    score,
    scores_table,
    split,
    two_places,
)
from .classifier_fitting import cross_validated_pairs
from .docsection import replace_section

__all__ = [
    "SECOND_LABELS",
    "Agreement",
    "CurvePoint",
    "agreement",
    "cohen_kappa",
    "learning_curve",
    "load_second_labels",
    "section_markdown",
]

SECOND_LABELS = Path(__file__).with_name("second_labels.csv")
FRACTIONS = (0.25, 0.5, 0.75, 1.0)
DOC_START = "<!-- classifier ceiling: written by `make model` -->"
DOC_END = "<!-- end of classifier ceiling -->"


def load_second_labels(path: Path = SECOND_LABELS) -> dict[str, Kind]:
    """Read the second annotator's labels by id; raise ValueError naming a bad row."""
    labels: dict[str, Kind] = {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                labels[row["id"].strip()] = Kind(row["label"].strip())
            except ValueError:
                known = ", ".join(k.value for k in Kind)
                raise ValueError(f"{path}:{number}: label must be one of {known}") from None
    return labels


def cohen_kappa(pairs: Sequence[tuple[Kind, Kind]]) -> float:
    """Agreement beyond chance: 1 is perfect, 0 what two labellers guessing by the rates reach."""
    if not pairs:
        return 0.0
    total = len(pairs)
    observed = sum(a is b for a, b in pairs) / total
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in Kind) / total**2
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


@dataclass(frozen=True, slots=True)
class Agreement:
    """The second annotator against the first, on every doubly labelled message and held out."""

    both: Scores
    """Second annotator's labels scored against the first's, on every doubly labelled message."""
    kappa: float
    held_out_second: Scores
    """The same, on the doubly labelled messages of the held-out part only."""
    held_out_model: Scores
    """The shipped classifier on those same held-out messages."""


def agreement(
    items: Sequence[Labelled], second: Mapping[str, Kind], texts: Mapping[str, LabelledText]
) -> Agreement:
    """Score the second annotator and the classifier against the first annotator's labels."""
    unknown = sorted(set(second) - {item.id for item in items})
    if unknown:
        raise ValueError(f"{len(unknown)} second labels name no labelled message: {unknown[:3]}")
    doubled = [item for item in items if item.id in second]
    pairs = [(item.label, second[item.id]) for item in doubled]
    held = split(doubled)[1]
    return Agreement(
        both=score(pairs),
        kappa=cohen_kappa(pairs),
        held_out_second=score((item.label, second[item.id]) for item in held),
        held_out_model=score((item.label, classify_labelled(item, texts).kind) for item in held),
    )


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """Cross-validated scores when each fold's model saw `messages` development messages."""

    fraction: float
    messages: int
    scores: Scores


def learning_curve(
    dev: Sequence[Labelled],
    texts: dict[str, LabelledText],
    fractions: Sequence[float] = FRACTIONS,
    folds: int = 5,
) -> list[CurvePoint]:
    """Return five-fold cross-validated scores on the development part at growing sizes."""
    per_fold = len(dev) * (folds - 1) / folds
    return [
        CurvePoint(
            fraction,
            round(per_fold * fraction),
            score(cross_validated_pairs(dev, texts, folds=folds, fraction=fraction)),
        )
        for fraction in fractions
    ]


def _f1(scores: Scores, kind: Kind) -> str:
    return two_places(next(c for c in scores.per_class if c.kind is kind).f1)


def _recall(scores: Scores, kind: Kind) -> str:
    return two_places(next(c for c in scores.per_class if c.kind is kind).recall)


def _headline(scores: Scores) -> str:
    return (
        f"question F1 {_f1(scores, Kind.QUESTION)}, appreciation F1 "
        f"{_f1(scores, Kind.APPRECIATION)}, broadcast F1 {_f1(scores, Kind.BROADCAST)}, "
        f"self-promotion recall {_recall(scores, Kind.SELF_PROMOTION)}, accuracy "
        f"{scores.accuracy:.2f}"
    )


def section_markdown(found: Agreement, curve: Sequence[CurvePoint]) -> str:
    """Return the docs/metrics.md section, between its markers."""
    rows = [
        f"| {p.fraction:.0%} | {p.messages:,} | {_f1(p.scores, Kind.QUESTION)} | "
        f"{_f1(p.scores, Kind.APPRECIATION)} | {_f1(p.scores, Kind.BROADCAST)} | "
        f"{_recall(p.scores, Kind.SELF_PROMOTION)} | {p.scores.accuracy:.2f} |"
        for p in curve
    ]
    lines = [
        DOC_START,
        "### How far the classifier can go",
        "",
        f"**Two annotators.** A second annotator labelled {found.both.total} of the labelled "
        "messages (a seeded random draw over both parts) by the same guide, without seeing the "
        "first labels (`src/cultivate/tools/second_labels.csv`). Against the first labels: "
        f"{_headline(found.both)}; Cohen's kappa {found.kappa:.2f}. On the "
        f"{found.held_out_second.total} of them in the held-out part, the second annotator "
        f"reaches {_headline(found.held_out_second)}, and the classifier "
        f"{_headline(found.held_out_model)}. The gap between the two on the same messages is "
        "what a better reader of messages could still win; both annotators worked from the "
        "same guide and its examples, so people trained apart may agree less.",
        "",
        "Second annotator against the first (rows: first labels; every doubly labelled message):",
        "",
        *scores_table(found.both),
        "",
        "**Learning curve.** Five-fold cross-validation on the development part, each fold's "
        "model fitted on a share of the other folds. A flat curve says more labelled messages "
        "of the same kind would not lift the scores; the errors left are messages the features "
        "do not tell apart.",
        "",
        "| share | messages per fit | question F1 | appreciation F1 | broadcast F1 "
        "| self-promotion recall | accuracy |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        DOC_END,
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Measure the agreement and the learning curve and write them to the metrics doc."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="the real community data folder")
    parser.add_argument("--doc", type=Path, help="docs/metrics.md; omit to print only")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--second", type=Path, default=SECOND_LABELS)
    args = parser.parse_args(argv)
    items = load_labels(args.labels)
    texts = fetch_texts(args.data, items)
    found = agreement(items, load_second_labels(args.second), texts)
    curve = learning_curve(split(items)[0], texts)
    section = section_markdown(found, curve)
    if args.doc is not None:
        replace_section(args.doc, DOC_START, DOC_END, section)
    print(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
