"""Fit and back-test the early-warning model on real community histories (`make model`).

Each Stack Exchange site, Slack channel, mailing list and Discourse category in the data folder is
one community. Monthly snapshots are split by time: the model learns from outcomes known before a
cutoff and is scored on snapshots after it, against the plain trend rule on the same snapshots.
Synthetic histories are added only when the real ones give too few communities going silent.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from cultivate.core.activity import Activity, Verb, to_frame

from .forecast import (
    FEATURES,
    LogisticModel,
    Snapshot,
    auc,
    brier,
    fit_logistic,
    labelled,
    snapshots,
    trend_rule,
)

MIN_POSITIVES = 30


@dataclass(frozen=True, slots=True)
class Fold:
    cutoff: datetime
    train: int
    test: int
    test_positives: int
    model_auc: float | None
    model_brier: float
    rule_auc: float | None
    rule_brier: float


@dataclass(frozen=True, slots=True)
class BackTest:
    communities: int
    real_communities: int
    snapshots: int
    positives: int
    folds: tuple[Fold, ...]
    pooled_model_auc: float | None
    pooled_model_brier: float
    pooled_rule_auc: float | None
    pooled_rule_brier: float


def frames_by_community(batches: Iterable[list[Activity]]) -> dict[str, pl.DataFrame]:
    """Collect a reader's batches into one frame per community."""
    frames = [to_frame(batch) for batch in batches]
    if not frames:
        return {}
    whole = pl.concat(frames)
    return {
        str(key[0]): part for key, part in whole.partition_by("community", as_dict=True).items()
    }


def real_histories(data: Path) -> Iterator[tuple[str, pl.DataFrame]]:
    """Yield every community found in the data folder, read by the connector for its format."""
    from cultivate.core.connectors import detect_and_read

    for folder in sorted(p for p in data.iterdir() if p.is_dir()):
        yield from frames_by_community(detect_and_read(folder)).items()


def synthetic_history(name: str, rng: random.Random, start: datetime) -> pl.DataFrame:
    """Return a made-up community that grows, plateaus and often fades (to top up positives)."""
    months_alive = rng.randint(4, 30)
    fades = rng.random() < 0.6
    people = rng.randint(4, 40)
    rows: list[Activity] = []
    n = 0
    for month in range(months_alive + rng.randint(3, 8)):
        vigour = min(1.0, (month + 1) / 4)
        if month >= months_alive:
            vigour = 0.0 if fades else 0.3
        elif fades and month > months_alive - 4:
            vigour *= (months_alive - month) / 4
        for _ in range(int(rng.expovariate(1 / (people * vigour * 1.5 + 0.01)))):
            n += 1
            actor = f"{name}:p{rng.randrange(people)}"
            verb = rng.choice(["ask", "answer", "answer", "reply", "share"])
            when = start + timedelta(days=30 * month + rng.random() * 30)
            rows.append(
                Activity(
                    id=f"{name}:{n}",
                    source="synthetic",
                    community=name,
                    actor=actor,
                    verb=Verb(verb),
                    object_id=f"{name}:o{n}",
                    at=when,
                )
            )
    return to_frame(rows)


def _score(
    model: LogisticModel, test: Sequence[Snapshot]
) -> tuple[list[float], list[float], list[bool]]:
    labels = [bool(s.silent_within_horizon) for s in test]
    return (
        [model.probability(s.features) for s in test],
        [trend_rule(s.features) for s in test],
        labels,
    )


def back_test(
    histories: Iterable[tuple[str, pl.DataFrame]],
    *,
    cutoffs: Sequence[datetime],
    synthetic: int | None = None,
    seed: int = 7,
    progress: Callable[[str], None] | None = None,
) -> tuple[BackTest, LogisticModel]:
    """Return the time-split back-test and the model fitted on every labelled snapshot.

    With `synthetic` None, synthetic histories are added only when the real ones hold fewer than
    MIN_POSITIVES snapshots followed by silence.
    """
    snaps: list[Snapshot] = []
    real = 0
    for community, frame in histories:
        real += 1
        if progress:
            progress(community)
        snaps.extend(labelled(snapshots(frame, community)))
    if synthetic is None:
        real_positives = sum(bool(s.silent_within_horizon) for s in snaps)
        synthetic = 0 if real_positives >= MIN_POSITIVES else 60
    rng = random.Random(seed)
    for i in range(synthetic):
        start = datetime(2012, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 3000))
        frame = synthetic_history(f"synthetic-{i}", rng, start)
        snaps.extend(labelled(snapshots(frame, f"synthetic-{i}")))
    folds = []
    model_scores: list[float] = []
    rule_scores: list[float] = []
    pooled_labels: list[bool] = []
    for cutoff in cutoffs:
        train = [s for s in snaps if s.at + timedelta(days=90) <= cutoff]
        test = [s for s in snaps if s.at >= cutoff]
        train_labels = [bool(s.silent_within_horizon) for s in train]
        if not test or len(set(train_labels)) < 2:
            continue
        model = fit_logistic([s.features for s in train], train_labels)
        scores, rule, labels = _score(model, test)
        model_scores.extend(scores)
        rule_scores.extend(rule)
        pooled_labels.extend(labels)
        folds.append(
            Fold(
                cutoff,
                len(train),
                len(test),
                sum(labels),
                auc(scores, labels),
                brier(scores, labels),
                auc(rule, labels),
                brier(rule, labels),
            )
        )
    labels_all = [bool(s.silent_within_horizon) for s in snaps]
    final = fit_logistic([s.features for s in snaps], labels_all, features=FEATURES)
    result = BackTest(
        communities=real + synthetic,
        real_communities=real,
        snapshots=len(snaps),
        positives=sum(labels_all),
        folds=tuple(folds),
        pooled_model_auc=auc(model_scores, pooled_labels) if pooled_labels else None,
        pooled_model_brier=brier(model_scores, pooled_labels) if pooled_labels else 0.0,
        pooled_rule_auc=auc(rule_scores, pooled_labels) if pooled_labels else None,
        pooled_rule_brier=brier(rule_scores, pooled_labels) if pooled_labels else 0.0,
    )
    return result, final


DOC_START = "<!-- early-warning back-test: written by `make model` -->"
DOC_END = "<!-- end of early-warning back-test -->"


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def back_test_markdown(result: BackTest, model: LogisticModel, command: str) -> str:
    """Return the docs/metrics.md section that reports the back-test."""
    lines = [
        DOC_START,
        "## Early warning: back-test",
        "",
        f"Reproduce with `{command}`. {result.real_communities} real communities from the data "
        f"folder and {result.communities - result.real_communities} synthetic ones; "
        f"{result.snapshots} labelled monthly snapshots, {result.positives} of them followed by "
        "silence (level 0) within 90 days. Each fold fits on snapshots whose outcome was known "
        "before the cutoff and scores those after it; the pooled row scores every fold's test "
        "snapshots together (a snapshot after several cutoffs counts once per fold). The trend "
        "rule's risk is `1 - (contributions in the last 30 days + 1) / (90-day monthly average "
        "+ 1) / 2`, clipped to 0..1.",
        "",
        "| cutoff | train snapshots | test snapshots | test positives | model AUC | model Brier "
        "| trend rule AUC | trend rule Brier |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for fold in result.folds:
        lines.append(
            f"| {fold.cutoff:%Y-%m-%d} | {fold.train} | {fold.test} | {fold.test_positives} | "
            f"{_fmt(fold.model_auc)} | {fold.model_brier:.3f} | {_fmt(fold.rule_auc)} | "
            f"{fold.rule_brier:.3f} |"
        )
    lines += [
        f"| **pooled** | | | | **{_fmt(result.pooled_model_auc)}** | "
        f"**{result.pooled_model_brier:.3f}** | **{_fmt(result.pooled_rule_auc)}** | "
        f"**{result.pooled_rule_brier:.3f}** |",
        "",
        "The shipped model (`src/cultivate/core/analytics/early_warning.json`) is fitted on every "
        "labelled snapshot; its standardised coefficients (log-odds per standard deviation):",
        "",
        "| feature | coefficient |",
        "|---|---:|",
        *(f"| {f} | {w:+.3f} |" for f, w in zip(model.features, model.weights, strict=True)),
        f"| (intercept) | {model.bias:+.3f} |",
        DOC_END,
    ]
    return "\n".join(lines) + "\n"


def write_doc_section(doc: Path, section: str) -> None:
    """Replace the back-test section of the doc (or append it)."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    if DOC_START in text and DOC_END in text:
        before = text.split(DOC_START)[0]
        after = text.split(DOC_END, 1)[1].lstrip("\n")
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Fit the model on the data folder, write the model file and the back-test section."""
    import argparse
    import json as _json

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="the real community data folder")
    parser.add_argument("--model", type=Path, required=True, help="where to write the model JSON")
    parser.add_argument("--doc", type=Path, required=True, help="docs/metrics.md")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    cutoffs = [datetime(year, 1, 1, tzinfo=UTC) for year in (2014, 2016, 2018, 2020)]
    histories = list(real_histories(args.data))
    positives = sum(
        bool(s.silent_within_horizon) for _, f in histories for s in labelled(snapshots(f, "x"))
    )
    synthetic = 0 if positives >= MIN_POSITIVES else 60
    result, model = back_test(
        histories,
        cutoffs=cutoffs,
        synthetic=synthetic,
        seed=args.seed,
        progress=lambda c: print(f"  snapshots of {c}"),
    )
    model = LogisticModel(
        model.features,
        model.means,
        model.scales,
        model.weights,
        model.bias,
        {
            **model.meta,
            "name": "logistic regression on trend features",
            "real_communities": result.real_communities,
            "synthetic_communities": synthetic,
        },
    )
    args.model.write_text(model.to_json() + "\n", encoding="utf-8")
    command = "make model"
    write_doc_section(args.doc, back_test_markdown(result, model, command))
    print(
        _json.dumps(
            {
                "pooled_model_auc": result.pooled_model_auc,
                "pooled_rule_auc": result.pooled_rule_auc,
                "snapshots": result.snapshots,
                "positives": result.positives,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
