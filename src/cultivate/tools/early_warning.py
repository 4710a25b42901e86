"""Fit and back-test the early warning on real community histories (`make model`).

Each Stack Exchange site, Slack channel, mailing list and Discourse category in the data folder
is one community, read by its connector; its monthly snapshots are labelled with what happened
in the next 90 days (a decline: fewer than half the contributions of the last 90; silence:
level 0). The back-test leaves one community out at a time: the model is fitted on the others
and scores the one left out, so every score is out of sample. Model, trend rule and base rate
are compared on both outcomes by pooled AUC, mean AUC within each community, Brier score and a
reliability table. The model is shipped for use only where it beats the trend rule on pooled
and within-community AUC; otherwise the file says the trend rule is used.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import polars as pl

from cultivate.core.activity import Activity, to_frame
from cultivate.core.analytics.forecast import (
    TREND_RULE,
    EarlyWarning,
    LogisticModel,
    Snapshot,
    auc,
    brier,
    fit_logistic,
    labelled,
    snapshots,
    trend_rule,
)
from cultivate.core.connectors import detect_and_read
from cultivate.tools.docsection import replace_section

__all__ = ["BackTest", "Scores", "back_test", "back_test_markdown", "main", "real_histories"]

OUTCOMES: tuple[str, ...] = ("silence", "decline")
BOOTSTRAP = 40
BINS: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)


@dataclass(frozen=True, slots=True)
class Scores:
    """How one way of scoring did on one outcome, every score out of sample."""

    pooled_auc: float | None
    within_auc: float | None
    """Mean AUC over the communities whose snapshots hold both outcomes."""
    within_communities: int
    brier: float
    reliability: tuple[tuple[str, int, float, float], ...]
    """Per probability bin: label, snapshots, mean predicted, observed share."""


@dataclass(frozen=True, slots=True)
class BackTest:
    communities: int
    snapshots: int
    positives: dict[str, int]
    scores: dict[str, dict[str, Scores]]
    """outcome -> "model" | "trend rule" | "base rate" -> scores."""
    uses: dict[str, str]
    """outcome -> "model" or "trend rule": what the report shows for it."""


def frames_by_community(batches: Iterable[list[Activity]]) -> dict[str, pl.DataFrame]:
    """Collect a reader's batches into one frame per community."""
    frames = [to_frame(batch) for batch in batches]
    if not frames:
        return {}
    whole = pl.concat(frames)
    return {
        str(key[0]): part for key, part in whole.partition_by("community", as_dict=True).items()
    }


History = tuple[str, pl.DataFrame, datetime | None]
"""A community's name, its activities, and when its export was taken (None: its last activity)."""


def real_histories(data: Path) -> Iterator[History]:
    """Yield every community in the data folder, read by its connector, with its export's end.

    A channel that fell silent long before its export was taken is silent in its data, so each
    community's outcomes run to the last activity of the whole export, not its own.
    """
    for folder in sorted(p for p in data.iterdir() if p.is_dir()):
        frames = frames_by_community(detect_and_read(folder))
        ends = [frame["at"].max() for frame in frames.values()]
        taken = max((e for e in ends if isinstance(e, datetime)), default=None)
        for name, frame in sorted(frames.items()):
            yield name, frame, taken


def outcome_of(snapshot: Snapshot, outcome: str) -> bool:
    value = (
        snapshot.declines_within_horizon if outcome == "decline" else snapshot.silent_within_horizon
    )
    return bool(value)


def _reliability(
    scores: Sequence[float], labels: Sequence[bool]
) -> tuple[tuple[str, int, float, float], ...]:
    rows = []
    for low, high in itertools.pairwise(BINS):
        inside = [(s, y) for s, y in zip(scores, labels, strict=True) if low <= s < high]
        if inside:
            rows.append(
                (
                    f"{low:.1f} to {min(high, 1.0):.1f}",
                    len(inside),
                    sum(s for s, _ in inside) / len(inside),
                    sum(y for _, y in inside) / len(inside),
                )
            )
    return tuple(rows)


def _scores(by_community: dict[str, list[tuple[float, bool]]]) -> Scores:
    pairs = [pair for rows in by_community.values() for pair in rows]
    scores = [s for s, _ in pairs]
    labels = [y for _, y in pairs]
    within = [
        value
        for rows in by_community.values()
        if (value := auc([s for s, _ in rows], [y for _, y in rows])) is not None
    ]
    return Scores(
        pooled_auc=auc(scores, labels),
        within_auc=sum(within) / len(within) if within else None,
        within_communities=len(within),
        brier=brier(scores, labels) if pairs else 0.0,
        reliability=_reliability(scores, labels),
    )


def _leave_one_out(
    snaps: dict[str, list[Snapshot]], outcome: str
) -> dict[str, dict[str, list[tuple[float, bool]]]]:
    """Score each community's snapshots by a model fitted without it, the rule and the base rate."""
    results: dict[str, dict[str, list[tuple[float, bool]]]] = defaultdict(dict)
    for community, own in snaps.items():
        others = [s for name, rows in snaps.items() if name != community for s in rows]
        train_labels = [outcome_of(s, outcome) for s in others]
        labels = [outcome_of(s, outcome) for s in own]
        base = sum(train_labels) / len(train_labels) if train_labels else 0.0
        if len(set(train_labels)) < 2:
            continue
        model = fit_logistic([s.features for s in others], train_labels)
        results["model"][community] = [
            (model.probability(s.features), y) for s, y in zip(own, labels, strict=True)
        ]
        results[TREND_RULE][community] = [
            (trend_rule(s.features), y) for s, y in zip(own, labels, strict=True)
        ]
        results["base rate"][community] = [(base, y) for y in labels]
    return results


def _bootstrap(
    snaps: dict[str, list[Snapshot]], outcome: str, times: int, seed: int
) -> tuple[tuple[float, tuple[float, ...]], ...]:
    """Refit on communities drawn with replacement: the spread of these models is the doubt."""
    rng = random.Random(seed)
    names = sorted(snaps)
    fits: list[tuple[float, tuple[float, ...]]] = []
    while len(fits) < times:
        drawn = [s for _ in names for s in snaps[rng.choice(names)]]
        labels = [outcome_of(s, outcome) for s in drawn]
        if len(set(labels)) < 2:
            continue
        model = fit_logistic([s.features for s in drawn], labels)
        fits.append((model.bias, model.weights))
    return tuple(fits)


def _beats(scores: dict[str, Scores]) -> bool:
    model, rule = scores.get("model"), scores.get(TREND_RULE)
    if model is None or rule is None:
        return False
    return (model.pooled_auc or 0.0) > (rule.pooled_auc or 0.0) and (model.within_auc or 0.0) > (
        rule.within_auc or 0.0
    )


def back_test(
    histories: Iterable[History],
    *,
    bootstrap: int = BOOTSTRAP,
    seed: int = 7,
    progress: Callable[[str], None] | None = None,
) -> tuple[BackTest, EarlyWarning]:
    """Return the leave-one-community-out back-test and the models fitted on every snapshot."""
    snaps: dict[str, list[Snapshot]] = {}
    for community, frame, taken in histories:
        if progress:
            progress(community)
        own = labelled(snapshots(frame, community, data_end=taken))
        if own:
            snaps[community] = own
    every = [s for rows in snaps.values() for s in rows]
    scores: dict[str, dict[str, Scores]] = {}
    models: dict[str, LogisticModel] = {}
    uses: dict[str, str] = {}
    for outcome in OUTCOMES:
        results = _leave_one_out(snaps, outcome)
        scores[outcome] = {name: _scores(rows) for name, rows in results.items()}
        labels = [outcome_of(s, outcome) for s in every]
        if len(set(labels)) < 2:
            uses[outcome] = TREND_RULE  # nothing to learn from one outcome: the rule speaks
            continue
        uses[outcome] = "model" if _beats(scores[outcome]) else TREND_RULE
        final = fit_logistic([s.features for s in every], labels)
        models[outcome] = replace(
            final,
            meta={
                **final.meta,
                "name": "logistic regression on the community's own trends",
                "outcome": OUTCOME_WORDS[outcome],
                "uses": uses[outcome],
                "communities": len(snaps),
            },
            bootstrap=_bootstrap(snaps, outcome, bootstrap, seed),
        )
    result = BackTest(
        communities=len(snaps),
        snapshots=len(every),
        positives={o: sum(outcome_of(s, o) for s in every) for o in OUTCOMES},
        scores=scores,
        uses=uses,
    )
    return result, EarlyWarning(models)


OUTCOME_WORDS = {
    "silence": "silence: level 0 at a month end within the next 90 days",
    "decline": "decline: fewer than half the last 90 days' contributions in the next 90",
}


DOC_START = "<!-- early-warning back-test: written by `make model` -->"
DOC_END = "<!-- end of early-warning back-test -->"


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def back_test_markdown(result: BackTest, warning: EarlyWarning, command: str) -> str:
    """Return the docs/metrics.md section that reports the back-test."""
    lines = [
        DOC_START,
        "## Early warning: back-test",
        "",
        f"Reproduce with `{command}`. {result.communities} real communities from the data folder "
        f"(no synthetic ones), {result.snapshots} monthly snapshots whose next 90 days are known: "
        f"{result.positives['silence']} followed by silence (level 0) and "
        f"{result.positives['decline']} by a decline (fewer than half the last 90 days' "
        "contributions in the next 90). Leave one community out: for each community the models "
        "are fitted on all the others and score its snapshots, so every score is out of sample; "
        "the base rate is the share of positives among the others. Within-community AUC is the "
        "mean over communities whose snapshots hold both outcomes: it asks whether a score sees a "
        "community's own decline, not only small against large. The trend rule's risk is "
        "`1 - min(last 30 days / 90-day monthly average, this quarter / previous quarter) / 2` "
        "(each ratio +1 smoothed), clipped to 0..1.",
        "",
    ]
    for outcome in OUTCOMES:
        chosen = (
            "the model (it beat the trend rule on both pooled and within-community AUC)"
            if result.uses[outcome] == "model"
            else "the trend rule (the model did not beat it on both pooled and within-community "
            "AUC)"
        )
        lines.append(f"- **{outcome}: the report uses {chosen}.**")
    lines += [
        "",
        "| outcome | scorer | pooled AUC | within-community AUC (communities) | Brier |",
        "|---|---|---:|---:|---:|",
    ]
    for outcome in OUTCOMES:
        for name in ("model", TREND_RULE, "base rate"):
            s = result.scores[outcome].get(name)
            if s is None:
                continue
            lines.append(
                f"| {outcome} | {name} | {_fmt(s.pooled_auc)} | {_fmt(s.within_auc)} "
                f"({s.within_communities}) | {s.brier:.3f} |"
            )
    lines += [
        "",
        "Reliability (snapshots by predicted probability; a calibrated score has observed close "
        "to predicted):",
        "",
        "| outcome | scorer | bin | snapshots | mean predicted | observed |",
        "|---|---|---|---:|---:|---:|",
    ]
    for outcome in OUTCOMES:
        for name in ("model", TREND_RULE):
            s = result.scores[outcome].get(name)
            for label, count, predicted, observed in s.reliability if s else ():
                lines.append(
                    f"| {outcome} | {name} | {label} | {count} | {predicted:.2f} | {observed:.2f} |"
                )
    fitted = [o for o in OUTCOMES if o in warning.models]
    refits = len(warning.models[fitted[0]].bootstrap) if fitted else 0
    lines += [
        "",
        "The shipped models (`src/cultivate/core/analytics/early_warning.json`) are fitted on "
        f"every snapshot, each with {refits} refits on communities drawn with replacement (the "
        "report's interval is their 10th to 90th percentile). Standardised coefficients "
        "(log-odds per standard deviation; positive raises the risk):",
        "",
        "| feature | " + " | ".join(fitted) + " |",
        "|---|" + "---:|" * len(fitted),
    ]
    if fitted:
        models = [warning.models[o] for o in fitted]
        for index, name in enumerate(models[0].features):
            cells = " | ".join(f"{m.weights[index]:+.3f}" for m in models)
            lines.append(f"| {name} | {cells} |")
        lines.append("| (intercept) | " + " | ".join(f"{m.bias:+.3f}" for m in models) + " |")
    lines.append(DOC_END)
    return "\n".join(lines) + "\n"


def write_doc_section(doc: Path, section: str) -> None:
    """Replace the back-test section of the doc between its markers, or append it."""
    replace_section(doc, DOC_START, DOC_END, section)


def main(argv: Sequence[str] | None = None) -> int:
    """Fit the model on the data folder, write the model file and the back-test section."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="the real community data folder")
    parser.add_argument("--model", type=Path, required=True, help="where to write the model JSON")
    parser.add_argument("--doc", type=Path, required=True, help="docs/metrics.md")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    result, warning = back_test(
        real_histories(args.data), seed=args.seed, progress=lambda c: print(f"  snapshots of {c}")
    )
    args.model.write_text(warning.to_json() + "\n", encoding="utf-8")
    write_doc_section(args.doc, back_test_markdown(result, warning, "make model"))
    for outcome in OUTCOMES:
        for name, s in result.scores[outcome].items():
            print(
                f"{outcome}, {name}: pooled AUC {_fmt(s.pooled_auc)}, within {_fmt(s.within_auc)}"
            )
    print(f"the report uses: {result.uses}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
