"""The lazy group-bys and joins that turn the placed history into every community's figures.

The figures are LazyFrames, which `analyze_many` collects all together: counts, people and
questions per (community, window), co-creation, the series months, and the report window's
remaining figures (members, self-promotion, answers, reciprocity, absence, newcomers, steps).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import polars as pl

from cultivate.core.activity import Verb

from .batch_windows import RunWindows, extras_subset
from .frame import verbs
from .metrics import ORIGINAL_VERBS, SELF_PROMOTION_KINDS
from .steps import STEPS


def _meta(path: str) -> pl.Expr:
    return pl.col("meta").str.json_path_match(path)


def window_counts(ev: pl.LazyFrame, segmap: pl.LazyFrame) -> pl.LazyFrame:
    verb = pl.col("verb")
    counted = {
        "asks": Verb.ASK,
        "shares": Verb.SHARE,
        "requests": Verb.REQUEST,
        "decisions": Verb.DECIDE,
        "completions": Verb.COMPLETE,
    }
    per_seg = ev.group_by("community", "seg").agg(
        pl.col("contrib").sum().alias("contributions"),
        *((verb == v.value).sum().alias(name) for name, v in counted.items()),
    )
    return (
        per_seg.join(segmap, on="seg")
        .group_by("community", "wid")
        .agg(
            pl.col("contributions").sum(),
            pl.col("contributions").filter(pl.col("last_30")).sum().alias("last_30"),
            *(pl.col(name).sum() for name in counted),
        )
    )


def window_people(ev: pl.LazyFrame, segmap: pl.LazyFrame) -> pl.LazyFrame:
    """Return (community, wid, actor, asked, responded) for everyone who contributed in a window."""
    return (
        ev.filter(pl.col("contrib"))
        .group_by("community", "seg", "actor")
        .agg(
            (pl.col("verb") == Verb.ASK.value).any().alias("asked"),
            pl.col("edge").any().alias("responded"),
        )
        .join(segmap.select("seg", "wid"), on="seg")
        .group_by("community", "wid", "actor")
        .agg(pl.col("asked").any(), pl.col("responded").any())
    )


def asks_with_responses(ev: pl.LazyFrame, w: RunWindows) -> pl.LazyFrame:
    """Return every ask with its first response by someone else and that question's answers."""
    asks = ev.filter(pl.col("verb") == Verb.ASK.value).select(
        "_row",
        "community",
        "seg",
        "month",
        pl.col("object_id").alias("question"),
        pl.col("actor").alias("asker"),
        pl.col("at").alias("asked_at"),
    )
    responses = ev.filter(pl.col("response") & pl.col("parent_id").is_not_null()).select(
        "community",
        pl.col("parent_id").alias("question"),
        pl.col("actor").alias("responder"),
        pl.col("at").alias("responded_at"),
        (pl.col("verb") == Verb.ANSWER.value).alias("is_answer"),
    )
    firsts = (
        asks.select("_row", "community", "question", "asker", "asked_at")
        .join(responses, on=["community", "question"])
        .filter(
            (pl.col("responder") != pl.col("asker"))
            & (pl.col("responded_at") >= pl.col("asked_at"))
        )
        .group_by("_row")
        .agg(
            pl.col("responded_at").min().alias("first_response_at"),
            pl.col("is_answer").sum().alias("answers"),
        )
    )
    accepted = (
        ev.filter(pl.col("verb") == Verb.ACCEPT.value)
        .select("community", pl.col("parent_id").alias("question"))
        .unique()
        .with_columns(pl.lit(True).alias("accepted"))
    )
    return (
        asks.join(firsts, on="_row", how="left")
        .join(accepted, on=["community", "question"], how="left")
        .with_columns(
            pl.col("answers").fill_null(0),
            pl.col("accepted").fill_null(False),
            pl.lit(w.bounds)
            .search_sorted(pl.col("first_response_at"), side="left")
            .alias("first_seg"),
            ((pl.col("first_response_at") - pl.col("asked_at")).dt.total_seconds() / 3600.0).alias(
                "hours_to_first_response"
            ),
        )
    )


def _first_per(frame: pl.LazyFrame, keys: Sequence[str], duplicates: bool) -> pl.LazyFrame:
    """Keep the first row (in frame order) of each key, as `unique(keep="first")` does."""
    if not duplicates:
        return frame
    return frame.sort("_row").unique(list(keys), keep="first")


def window_questions(asks: pl.LazyFrame, segmap: pl.LazyFrame, duplicates: bool) -> pl.LazyFrame:
    in_windows = _first_per(
        asks.join(segmap.select("seg", "wid", "idx_end", "response_days"), on="seg"),
        ("community", "wid", "question"),
        duplicates,
    )
    answered = (
        pl.col("first_response_at").is_not_null()
        & (pl.col("first_seg") <= pl.col("idx_end"))
        & (
            (pl.col("first_response_at") - pl.col("asked_at"))
            <= pl.duration(days=pl.col("response_days"))
        )
    )
    return in_windows.group_by("community", "wid").agg(
        pl.len().alias("questions"), answered.sum().alias("answered")
    )


def co_creation_figures(
    ev: pl.LazyFrame, segmap: pl.LazyFrame, extras: pl.LazyFrame
) -> list[pl.LazyFrame]:
    verb = pl.col("verb")
    seg_wid = segmap.select("seg", "wid", "idx_end")
    plans = (
        extras_subset(extras, [Verb.PLAN.value], _meta("$.deliverable").alias("d"))
        .select("community", "seg", "object_id", pl.col("d").is_not_null())
        .join(seg_wid, on="seg")
        .group_by("community", "wid")
        .agg(
            pl.col("object_id").n_unique().alias("agenda_topics_active"),
            pl.col("object_id").filter(pl.col("d")).n_unique().alias("with_deliverable"),
        )
    )
    published = (
        extras_subset(extras, [Verb.PUBLISH.value], _meta("$.on_time").alias("on_time"))
        .select("community", "seg", "object_id", (pl.col("on_time") == "true").fill_null(False))
        .join(seg_wid, on="seg")
        .group_by("community", "wid")
        .agg(
            pl.col("object_id").n_unique().alias("topics_delivered"),
            pl.col("object_id").filter(pl.col("on_time")).n_unique().alias("on_time"),
        )
    )
    documents = (
        ev.filter((verb == Verb.CONTRIBUTE.value) & pl.col("parent_id").is_not_null())
        .select("community", "seg", "parent_id", "actor")
        .unique()
        .join(seg_wid, on="seg")
        .group_by("community", "wid", "parent_id")
        .agg(pl.col("actor").n_unique().alias("people"))
        .group_by("community", "wid")
        .agg(
            pl.col("people").max().alias("max_contributors"),
            (pl.col("people") >= 3).sum().alias("documents_with_three"),
        )
    )
    requests = ev.filter(verb == Verb.REQUEST.value).select(
        "community",
        pl.col("object_id").alias("request"),
        pl.col("actor").alias("requester"),
        pl.col("seg").alias("request_seg"),
    )
    fulfilled = (
        ev.filter(verb == Verb.HELP.value)
        .select("community", "seg", pl.col("parent_id").alias("request"), pl.col("actor"))
        .join(requests, on=["community", "request"])
        .filter(pl.col("actor") != pl.col("requester"))
        .join(seg_wid, on="seg")
        .filter(pl.col("request_seg") <= pl.col("idx_end"))
        .group_by("community", "wid")
        .agg(pl.col("request").n_unique().alias("fulfilled"))
    )
    return [plans, published, documents, fulfilled]


def month_figures(
    ev: pl.LazyFrame, asks: pl.LazyFrame, months: int, duplicates: bool
) -> pl.LazyFrame:
    in_series = (pl.col("month") >= 0) & (pl.col("month") < months)
    counts = (
        ev.filter(in_series)
        .group_by("community", "month")
        .agg(
            (pl.col("verb") == Verb.ASK.value).sum().alias("questions"),
            (pl.col("verb") == Verb.SHARE.value).sum().alias("shares"),
            (pl.col("verb") == Verb.ANSWER.value).sum().alias("answers"),
            pl.col("actor").filter(pl.col("contrib")).n_unique().alias("active_members"),
        )
    )
    medians = (
        _first_per(asks.filter(in_series), ("community", "month", "question"), duplicates)
        .filter(pl.col("first_response_at").is_not_null())
        .group_by("community", "month")
        .agg(pl.col("hours_to_first_response").median().alias("median"))
    )
    return counts.join(medians, on=["community", "month"], how="left")


def main_figures(
    extras: pl.LazyFrame,
    ev: pl.LazyFrame,
    asks: pl.LazyFrame,
    people: pl.LazyFrame,
    w: RunWindows,
    response_days: int,
    duplicates: bool,
) -> list[pl.LazyFrame]:
    """Return the report window's figures that the level of a month does not need."""
    main_row = w.table.row(w.main, named=True)
    lo, hi = main_row["idx_start"], main_row["idx_end"]
    in_main = (pl.col("seg") > lo) & (pl.col("seg") <= hi)
    as_of: datetime = main_row["end"]
    start: datetime = w.table.row(w.previous, named=True)["end"]
    verb = pl.col("verb")

    active = people.filter(pl.col("wid") == w.main).select(
        "community", "actor", pl.lit(True).alias("active")
    )
    previous = people.filter(pl.col("wid") == w.previous).select(
        "community", "actor", pl.lit(True).alias("before")
    )
    membership = (
        extras_subset(extras, verbs(Verb.JOIN, Verb.LEAVE), "id")
        .group_by("community", "actor")
        .agg(verb.sort_by("at", "id").last().alias("last"))
    )
    contributors = (
        ev.filter(pl.col("contrib"))
        .select("community", "actor")
        .unique()
        .with_columns(pl.lit(True).alias("contributed"))
    )
    keys = ["community", "actor"]
    members = (
        membership.join(contributors, on=keys, how="full", coalesce=True)
        .join(active, on=keys, how="full", coalesce=True)
        .join(previous, on=keys, how="full", coalesce=True)
        .group_by("community")
        .agg(
            (
                (pl.col("last") == Verb.JOIN.value).fill_null(False)
                | (
                    pl.col("contributed").fill_null(False) & (pl.col("last") != Verb.LEAVE.value)
                ).fill_null(pl.col("contributed").fill_null(False))
                | pl.col("active").fill_null(False)
            )
            .sum()
            .alias("members"),
            pl.col("before").fill_null(False).sum().alias("previous_active"),
            (pl.col("before").fill_null(False) & pl.col("active").fill_null(False))
            .sum()
            .alias("returned"),
        )
    )
    promotions = (
        extras_subset(extras, [Verb.SHARE.value], _meta("$.kind").alias("kind"))
        .filter(in_main)
        .group_by("community")
        .agg(pl.col("kind").is_in(SELF_PROMOTION_KINDS).sum().alias("self_promotions"))
    )
    questions = _first_per(asks.filter(in_main), ("community", "question"), duplicates).sort(
        "asked_at", "_row"
    )
    responded = pl.col("first_response_at").is_not_null()
    too_old = as_of - timedelta(days=response_days)
    answers = questions.group_by("community").agg(
        pl.col("accepted").sum().alias("accepted"),
        pl.col("hours_to_first_response").filter(responded).median().alias("median_hours"),
        (pl.col("answers") > 0).sum().alias("with_answers"),
        pl.col("answers").sum().alias("answer_total"),
        pl.len().alias("questions"),
        pl.col("_row").filter(~responded & (pl.col("asked_at") <= too_old)).alias("unanswered"),
    )
    ties = (
        ev.filter(in_main & pl.col("edge"))
        .group_by("community", "actor", "target_actor")
        .agg(pl.len().alias("weight"))
    )
    mutual = ties.join(
        ties.select(
            "community",
            pl.col("target_actor").alias("actor"),
            pl.col("actor").alias("target_actor"),
        ),
        on=["community", "actor", "target_actor"],
    )
    reciprocity = (
        ties.group_by("community")
        .agg(pl.len().alias("ties"))
        .join(
            mutual.group_by("community").agg(pl.len().alias("mutual_ties")),
            on="community",
            how="left",
        )
    )
    per_helper = ties.group_by("community", "actor").agg(pl.col("weight").sum())
    absence = (
        per_helper.sort("community", "weight", descending=[False, True])
        .with_columns(
            pl.col("weight").cum_sum().over("community").alias("running"),
            pl.col("weight").sum().over("community").alias("total"),
        )
        .group_by("community")
        .agg(
            (2 * (pl.col("running") - pl.col("weight")) < pl.col("total"))
            .sum()
            .alias("absence_factor")
        )
    )
    firsts = (
        extras_subset(extras, ORIGINAL_VERBS, "id")
        .group_by("community", "actor")
        .agg(
            pl.col("object_id").sort_by("at", "id").first().alias("first_object"),
            pl.col("at").min().alias("first_at"),
        )
        .filter((pl.col("first_at") > start) & (pl.col("first_at") <= as_of))
    )
    replied = (
        firsts.join(
            ev.filter(pl.col("response") & pl.col("parent_id").is_not_null()).select(
                "community",
                pl.col("parent_id").alias("first_object"),
                pl.col("actor").alias("responder"),
            ),
            on=["community", "first_object"],
        )
        .filter(pl.col("responder") != pl.col("actor"))
        .group_by("community")
        .agg(pl.col("actor").n_unique().alias("newcomers_replied"))
    )
    newcomers = (
        firsts.group_by("community")
        .agg(pl.len().alias("newcomers"))
        .join(replied, on="community", how="left")
    )
    step_cols = []
    for number, _, step_verbs in STEPS:
        hit = verb.is_in([v.value for v in step_verbs])
        step_cols += [
            pl.col("at").filter(hit).max().alias(f"last_{number}"),
            (hit & in_main).sum().alias(f"count_{number}"),
        ]
    steps = ev.group_by("community").agg(*step_cols)
    return [members, promotions, answers, reciprocity, absence, newcomers, steps]
