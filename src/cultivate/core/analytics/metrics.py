"""Every metric of the maturity model for one community and one window (see docs/metrics.md).

All functions take a prepared frame (`frame.prepare_frame`) of a single community.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import polars as pl

from cultivate.core.activity import CONTRIBUTION_VERBS, Verb

from .frame import verbs

RESPONSE_VERBS = verbs(Verb.ANSWER, Verb.REPLY)
ORIGINAL_VERBS = verbs(Verb.ASK, Verb.SHARE)
SELF_PROMOTION_KINDS = ("self-promotion", "self_promotion", "promotion")
_CONTRIBUTIONS = [v.value for v in CONTRIBUTION_VERBS]


@dataclass(frozen=True, slots=True)
class Window:
    """The period a report looks at: (start, end], `days` long, ending at "as of"."""

    end: datetime
    days: int = 90

    @property
    def start(self) -> datetime:
        return self.end - timedelta(days=self.days)

    def previous(self) -> Window:
        return Window(end=self.start, days=self.days)


@dataclass(frozen=True, slots=True)
class CoCreation:
    """Evidence of level-3 work: agenda, best practices, help requests, decisions, actions."""

    agenda_topics_active: int = 0
    agenda_topics_with_deliverable: int = 0
    topics_delivered: int = 0
    topics_delivered_on_time: int = 0
    max_contributors_per_document: int = 0
    documents_with_three_contributors: int = 0
    help_requests: int = 0
    help_requests_fulfilled: int = 0
    decisions_made: int = 0
    action_items_completed: int = 0


@dataclass(frozen=True, slots=True)
class Metrics:
    """The community's numbers for one window; ratios are 0..1, None where undefined."""

    window: Window
    members: int
    active_members: int
    contributions: int
    contributions_last_30_days: int
    interactive_share: float
    questions: int
    shares: int
    self_promotions: int
    questions_per_active_member_30d: float
    question_share: float
    broadcast_share: float
    self_promotion_share: float
    answered_share: float
    median_hours_to_first_response: float | None
    accepted_share: float
    answers_per_answered_question: float
    reciprocity: float
    distinct_askers: int
    distinct_responders: int
    absence_factor: int
    newcomers: int
    newcomer_reply_rate: float | None
    retention: float | None
    unanswered_question_ids: tuple[str, ...]
    co_creation: CoCreation = field(default_factory=CoCreation)


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator) / float(denominator) if denominator else 0.0


def in_window(frame: pl.DataFrame, window: Window) -> pl.DataFrame:
    return frame.filter((pl.col("at") > window.start) & (pl.col("at") <= window.end))


def members_at(frame: pl.DataFrame, when: datetime) -> set[str]:
    """Return who belongs at `when`: the last join/leave decides; a contributor counts as joined."""
    history = frame.filter(pl.col("at") <= when)
    membership = (
        history.filter(pl.col("verb").is_in(verbs(Verb.JOIN, Verb.LEAVE)))
        .sort("at", "id")
        .group_by("actor")
        .agg(pl.col("verb").last().alias("last"))
    )
    left = set(membership.filter(pl.col("last") == Verb.LEAVE.value)["actor"].to_list())
    joined = set(membership.filter(pl.col("last") == Verb.JOIN.value)["actor"].to_list())
    contributors = set(
        history.filter(pl.col("verb").is_in(_CONTRIBUTIONS))["actor"].unique().to_list()
    )
    return joined | (contributors - left)


def contributions(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("verb").is_in(_CONTRIBUTIONS))


def _meta(path: str) -> pl.Expr:
    return pl.col("meta").str.json_path_match(path)


def questions_with_responses(
    history: pl.DataFrame, questions: pl.DataFrame, response_days: int
) -> pl.DataFrame:
    """Return one row per question: asker, asked_at, first response by someone else, answers."""
    asked = questions.select(
        pl.col("object_id").alias("question"),
        pl.col("actor").alias("asker"),
        pl.col("at").alias("asked_at"),
    ).unique("question", keep="first")
    responses = history.filter(
        pl.col("verb").is_in(RESPONSE_VERBS) & pl.col("parent_id").is_not_null()
    ).select(
        pl.col("parent_id").alias("question"),
        pl.col("actor").alias("responder"),
        pl.col("at").alias("responded_at"),
        pl.col("verb"),
    )
    by_others = asked.join(responses, on="question", how="inner").filter(
        (pl.col("responder") != pl.col("asker")) & (pl.col("responded_at") >= pl.col("asked_at"))
    )
    firsts = by_others.group_by("question").agg(
        pl.col("responded_at").min().alias("first_response_at"),
        (pl.col("verb") == Verb.ANSWER.value).sum().alias("answers"),
    )
    accepted = (
        history.filter(pl.col("verb") == Verb.ACCEPT.value)
        .select(pl.col("parent_id").alias("question"))
        .unique()
        .with_columns(pl.lit(True).alias("accepted"))
    )
    limit = pl.duration(days=response_days)
    return (
        asked.join(firsts, on="question", how="left")
        .join(accepted, on="question", how="left")
        .with_columns(
            pl.col("answers").fill_null(0),
            pl.col("accepted").fill_null(False),
            (
                pl.col("first_response_at").is_not_null()
                & ((pl.col("first_response_at") - pl.col("asked_at")) <= limit)
            ).alias("answered_in_time"),
            ((pl.col("first_response_at") - pl.col("asked_at")).dt.total_seconds() / 3600.0).alias(
                "hours_to_first_response"
            ),
        )
    )


def help_edges(window_frame: pl.DataFrame) -> pl.DataFrame:
    """Return who helped whom (answered or replied to), one row per distinct directed tie."""
    return (
        window_frame.filter(
            pl.col("verb").is_in(RESPONSE_VERBS)
            & pl.col("target_actor").is_not_null()
            & (pl.col("target_actor") != pl.col("actor"))
        )
        .group_by("actor", "target_actor")
        .agg(pl.len().alias("weight"))
        .rename({"actor": "helper", "target_actor": "helped"})
    )


def reciprocity(edges: pl.DataFrame) -> float:
    """Return the share of helping ties (unordered pairs) that go both ways."""
    ties = {(a, b) for a, b in edges.select("helper", "helped").iter_rows()}
    pairs = {frozenset(t) for t in ties}
    mutual = {frozenset((a, b)) for a, b in ties if (b, a) in ties}
    return _ratio(len(mutual), len(pairs))


def absence_factor(responses_per_person: list[int]) -> int:
    """Return the fewest people who together made at least half of all responses (CHAOSS)."""
    total = sum(responses_per_person)
    running, people = 0, 0
    for count in sorted(responses_per_person, reverse=True):
        if running * 2 >= total:
            break
        running += count
        people += 1
    return people


def _co_creation(window_frame: pl.DataFrame, history: pl.DataFrame) -> CoCreation:
    plans = window_frame.filter(pl.col("verb") == Verb.PLAN.value)
    with_deliverable = plans.filter(_meta("$.deliverable").is_not_null())
    published = window_frame.filter(pl.col("verb") == Verb.PUBLISH.value)
    on_time = published.filter(_meta("$.on_time") == "true")
    contributors = (
        window_frame.filter(
            (pl.col("verb") == Verb.CONTRIBUTE.value) & pl.col("parent_id").is_not_null()
        )
        .group_by("parent_id")
        .agg(pl.col("actor").n_unique().alias("people"))
    )
    requests = history.filter(pl.col("verb") == Verb.REQUEST.value).select(
        pl.col("object_id").alias("request"), pl.col("actor").alias("requester")
    )
    helped = (
        window_frame.filter(pl.col("verb") == Verb.HELP.value)
        .select(pl.col("parent_id").alias("request"), pl.col("actor").alias("helper"))
        .join(requests, on="request")
        .filter(pl.col("helper") != pl.col("requester"))
    )
    return CoCreation(
        agenda_topics_active=plans["object_id"].n_unique(),
        agenda_topics_with_deliverable=with_deliverable["object_id"].n_unique(),
        topics_delivered=published["object_id"].n_unique(),
        topics_delivered_on_time=on_time["object_id"].n_unique(),
        max_contributors_per_document=max(contributors["people"].to_list(), default=0),
        documents_with_three_contributors=contributors.filter(pl.col("people") >= 3).height,
        help_requests=window_frame.filter(pl.col("verb") == Verb.REQUEST.value).height,
        help_requests_fulfilled=helped["request"].n_unique(),
        decisions_made=window_frame.filter(pl.col("verb") == Verb.DECIDE.value).height,
        action_items_completed=window_frame.filter(pl.col("verb") == Verb.COMPLETE.value).height,
    )


def compute_metrics(frame: pl.DataFrame, window: Window, *, response_days: int = 7) -> Metrics:
    """Return every metric of the model for the community in the frame, over the window."""
    history = frame.filter(pl.col("at") <= window.end)
    current = in_window(history, window)
    contributed = contributions(current)
    active = set(contributed["actor"].unique().to_list())
    member_set = members_at(history, window.end) | active
    last_30 = contributed.filter(pl.col("at") > window.end - timedelta(days=30)).height

    asks = current.filter(pl.col("verb") == Verb.ASK.value)
    shares = current.filter(pl.col("verb") == Verb.SHARE.value)
    promotions = shares.filter(_meta("$.kind").is_in(SELF_PROMOTION_KINDS)).height
    originals = asks.height + shares.height

    questions = questions_with_responses(history, asks, response_days)
    responded = questions.filter(pl.col("first_response_at").is_not_null())
    median_hours = responded["hours_to_first_response"].median() if responded.height else None
    with_answers = questions.filter(pl.col("answers") > 0)
    unanswered_old = questions.filter(
        pl.col("first_response_at").is_null()
        & (pl.col("asked_at") <= window.end - timedelta(days=response_days))
    ).sort("asked_at")

    edges = help_edges(current)
    per_responder = edges.group_by("helper").agg(pl.col("weight").sum())["weight"].to_list()

    originals_history = history.filter(pl.col("verb").is_in(ORIGINAL_VERBS)).sort("at", "id")
    firsts = originals_history.group_by("actor").agg(
        pl.col("object_id").first().alias("first_object"), pl.col("at").first().alias("first_at")
    )
    newcomers = firsts.filter(
        (pl.col("first_at") > window.start) & (pl.col("first_at") <= window.end)
    )
    responses = history.filter(
        pl.col("verb").is_in(RESPONSE_VERBS) & pl.col("parent_id").is_not_null()
    ).select(pl.col("parent_id").alias("first_object"), pl.col("actor").alias("responder"))
    newcomers_replied = (
        newcomers.join(responses, on="first_object")
        .filter(pl.col("responder") != pl.col("actor"))["actor"]
        .n_unique()
    )

    previous_active = set(
        contributions(in_window(history, window.previous()))["actor"].unique().to_list()
    )
    return Metrics(
        window=window,
        members=len(member_set),
        active_members=len(active),
        contributions=contributed.height,
        contributions_last_30_days=last_30,
        interactive_share=_ratio(len(active), len(member_set)),
        questions=asks.height,
        shares=shares.height,
        self_promotions=promotions,
        questions_per_active_member_30d=_ratio(asks.height, len(active)) * 30 / window.days,
        question_share=_ratio(asks.height, originals),
        broadcast_share=_ratio(shares.height, originals),
        self_promotion_share=_ratio(promotions, originals),
        answered_share=_ratio(
            questions.filter(pl.col("answered_in_time")).height, questions.height
        ),
        median_hours_to_first_response=float(median_hours) if median_hours is not None else None,  # type: ignore[arg-type]
        accepted_share=_ratio(questions.filter(pl.col("accepted")).height, questions.height),
        answers_per_answered_question=_ratio(
            int(with_answers["answers"].sum()), with_answers.height
        ),
        reciprocity=reciprocity(edges),
        distinct_askers=asks["actor"].n_unique(),
        distinct_responders=len(per_responder),
        absence_factor=absence_factor([int(x) for x in per_responder]),
        newcomers=newcomers.height,
        newcomer_reply_rate=_ratio(newcomers_replied, newcomers.height)
        if newcomers.height
        else None,
        retention=_ratio(len(previous_active & active), len(previous_active))
        if previous_active
        else None,
        unanswered_question_ids=tuple(unanswered_old["question"].to_list()),
        co_creation=_co_creation(current, history),
    )
