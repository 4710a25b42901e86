"""A straightforward pandas implementation of the report figures, the ratio analyze_many must beat.

Written as one would by hand: group the frame by community, then for the report window and for
each month end of the series filter, merge and count with pandas. It feeds the same `classify`
and `health` functions as the engine, so only the data work differs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cultivate.core.activity import CONTRIBUTION_VERBS
from cultivate.core.analytics.health import Health, health
from cultivate.core.analytics.maturity import Level, classify
from cultivate.core.analytics.metrics import CoCreation, Metrics, Window
from cultivate.core.analytics.series import MonthPoint, months_before
from cultivate.core.analytics.steps import STEPS, Step

CONTRIB = {v.value for v in CONTRIBUTION_VERBS}
RESPONSES = {"answer", "reply"}


@dataclass
class Report:
    metrics: Metrics
    level: Level
    health: Health
    steps: tuple[Step, ...]
    series: tuple[MonthPoint, ...]


def _ratio(a: float, b: float) -> float:
    return float(a) / float(b) if b else 0.0


def _meta(series: pd.Series, key: str) -> pd.Series:
    return series.map(lambda s: json.loads(s).get(key) if isinstance(s, str) else None)


def _questions(history: pd.DataFrame, asks: pd.DataFrame, response_days: int) -> pd.DataFrame:
    q = asks.drop_duplicates("object_id")[["object_id", "actor", "at"]]
    q.columns = ["question", "asker", "asked_at"]
    r = history[history["verb"].isin(RESPONSES) & history["parent_id"].notna()]
    m = q.merge(r[["parent_id", "actor", "at", "verb"]], left_on="question", right_on="parent_id")
    m = m[(m["actor"] != m["asker"]) & (m["at"] >= m["asked_at"])]
    first = m.groupby("question")["at"].min().rename("first")
    answers = (m["verb"] == "answer").groupby(m["question"]).sum().rename("answers")
    accepted = set(history.loc[history["verb"] == "accept", "parent_id"].dropna())
    q = q.join(first, on="question").join(answers, on="question")
    q["answers"] = q["answers"].fillna(0)
    q["accepted"] = q["question"].isin(accepted)
    delta = q["first"] - q["asked_at"]
    q["in_time"] = q["first"].notna() & (delta <= pd.Timedelta(days=response_days))
    q["hours"] = delta.dt.total_seconds() // 1 / 3600.0
    return q


def metrics(g: pd.DataFrame, end: pd.Timestamp, days: int, rd: int, full: bool) -> Metrics:
    history = g[g["at"] <= end]
    start = end - pd.Timedelta(days=days)
    cur = history[history["at"] > start]
    contrib = cur[cur["verb"].isin(CONTRIB)]
    active = set(contrib["actor"])
    asks = cur[cur["verb"] == "ask"]
    shares = cur[cur["verb"] == "share"]
    q = _questions(history, asks, rd)
    resp = cur[cur["verb"].isin(RESPONSES) & cur["target_actor"].notna()]
    resp = resp[resp["target_actor"] != resp["actor"]]
    edges = resp.groupby(["actor", "target_actor"]).size()
    per_helper = edges.groupby(level=0).sum()
    plans = cur[cur["verb"] == "plan"]
    deliver = plans[_meta(plans["meta"], "deliverable").notna()] if len(plans) else plans
    published = cur[cur["verb"] == "publish"]
    on_time = published[_meta(published["meta"], "on_time") == True]  # noqa: E712
    docs = cur[(cur["verb"] == "contribute") & cur["parent_id"].notna()]
    people = docs.groupby("parent_id")["actor"].nunique()
    requests = history[history["verb"] == "request"][["object_id", "actor"]]
    helps = cur[cur["verb"] == "help"][["parent_id", "actor"]]
    helped = helps.merge(requests, left_on="parent_id", right_on="object_id")
    helped = helped[helped["actor_x"] != helped["actor_y"]]
    co = CoCreation(
        agenda_topics_active=plans["object_id"].nunique(),
        agenda_topics_with_deliverable=deliver["object_id"].nunique(),
        topics_delivered=published["object_id"].nunique(),
        topics_delivered_on_time=on_time["object_id"].nunique(),
        max_contributors_per_document=int(people.max()) if len(people) else 0,
        documents_with_three_contributors=int((people >= 3).sum()),
        help_requests=int((cur["verb"] == "request").sum()),
        help_requests_fulfilled=helped["parent_id"].nunique(),
        decisions_made=int((cur["verb"] == "decide").sum()),
        action_items_completed=int((cur["verb"] == "complete").sum()),
    )
    n_asks, n_shares = len(asks), len(shares)
    originals = n_asks + n_shares
    members, promotions, median, recip, absence = 0, 0, None, 0.0, 0
    newcomers, reply_rate, retention, unanswered = 0, None, None, ()
    if full:
        ms = history[history["verb"].isin({"join", "leave"})].sort_values(["at", "id"])
        last = ms.groupby("actor")["verb"].last()
        ever = set(history.loc[history["verb"].isin(CONTRIB), "actor"])
        left = set(last[last == "leave"].index)
        members = len(set(last[last == "join"].index) | (ever - left) | active)
        promotions = int(_meta(shares["meta"], "kind").isin(["self-promotion"]).sum())
        responded = q[q["first"].notna()]
        median = float(responded["hours"].median()) if len(responded) else None
        ties = set(edges.index)
        mutual = {frozenset(t) for t in ties if (t[1], t[0]) in ties}
        recip = _ratio(len(mutual), len({frozenset(t) for t in ties}))
        total, running = per_helper.sum(), 0
        for count in sorted(per_helper.tolist(), reverse=True):
            if running * 2 >= total:
                break
            running += count
            absence += 1
        orig = history[history["verb"].isin({"ask", "share"})].sort_values(["at", "id"])
        firsts = orig.groupby("actor").first()
        new = firsts[(firsts["at"] > start) & (firsts["at"] <= end)]
        newcomers = len(new)
        if newcomers:
            r = history[history["verb"].isin(RESPONSES) & history["parent_id"].notna()]
            j = new.reset_index().merge(r, left_on="object_id", right_on="parent_id")
            reply_rate = _ratio(j[j["actor_y"] != j["actor_x"]]["actor_x"].nunique(), newcomers)
        before = history[
            (history["at"] > start - pd.Timedelta(days=days)) & (history["at"] <= start)
        ]
        prev = set(before.loc[before["verb"].isin(CONTRIB), "actor"])
        retention = _ratio(len(prev & active), len(prev)) if prev else None
        old = q[q["first"].isna() & (q["asked_at"] <= end - pd.Timedelta(days=rd))]
        unanswered = tuple(old.sort_values("asked_at")["question"])
    return Metrics(
        window=Window(end=end.to_pydatetime(), days=days),
        members=members,
        active_members=len(active),
        contributions=len(contrib),
        contributions_last_30_days=int((contrib["at"] > end - pd.Timedelta(days=30)).sum()),
        interactive_share=_ratio(len(active), members),
        questions=n_asks,
        shares=n_shares,
        self_promotions=promotions,
        questions_per_active_member_30d=_ratio(n_asks, len(active)) * 30 / days,
        question_share=_ratio(n_asks, originals),
        broadcast_share=_ratio(n_shares, originals),
        self_promotion_share=_ratio(promotions, originals),
        answered_share=_ratio(int(q["in_time"].sum()), len(q)),
        median_hours_to_first_response=median,
        accepted_share=_ratio(int(q["accepted"].sum()), len(q)),
        answers_per_answered_question=_ratio(
            q.loc[q["answers"] > 0, "answers"].sum(), int((q["answers"] > 0).sum())
        ),
        reciprocity=recip,
        distinct_askers=asks["actor"].nunique(),
        distinct_responders=len(per_helper),
        absence_factor=absence,
        newcomers=newcomers,
        newcomer_reply_rate=reply_rate,
        retention=retention,
        unanswered_question_ids=unanswered,
        co_creation=co,
    )


def report(g: pd.DataFrame, as_of: pd.Timestamp, days: int = 90, rd: int = 7) -> Report:
    g = g[g["at"] <= as_of]
    m = metrics(g, as_of, days, rd, full=True)
    start = as_of - pd.Timedelta(days=days)
    cur = g[g["at"] > start]
    steps = []
    for number, name, step_verbs in STEPS:
        names = {v.value for v in step_verbs}
        hit = g[g["verb"].isin(names)]
        steps.append(
            Step(
                number,
                name,
                hit["at"].max().to_pydatetime() if len(hit) else None,
                int(cur["verb"].isin(names).sum()),
            )
        )
    points = []
    if len(g):
        first = max(g["at"].min(), pd.Timestamp(months_before(as_of.to_pydatetime(), 17)))
        month = pd.Timestamp(year=first.year, month=first.month, day=1, tz="UTC")
        while month <= as_of:
            following = month + pd.DateOffset(months=1)
            end = min(following, as_of)
            span = g[(g["at"] >= month) & (g["at"] < end)]
            asks = span[span["verb"] == "ask"]
            answered = _questions(g, asks, 7)
            answered = answered[answered["first"].notna()]
            median = answered["hours"].median() if len(answered) else None
            level = classify(metrics(g, end, days, 7, full=False)).number
            points.append(
                MonthPoint(
                    month=f"{month:%Y-%m}",
                    questions=len(asks),
                    shares=int((span["verb"] == "share").sum()),
                    answers=int((span["verb"] == "answer").sum()),
                    active_members=span.loc[span["verb"].isin(CONTRIB), "actor"].nunique(),
                    median_hours_to_first_response=float(median) if median is not None else None,
                    level=level,
                )
            )
            month = following
    level = classify(m)
    return Report(m, level, health(m), tuple(steps), tuple(points))


def analyze_all(frame: pd.DataFrame, *, as_of: pd.Timestamp) -> dict[str, Report]:
    """Return every community's report, one community at a time."""
    return {str(name): report(g, as_of) for name, g in frame.groupby("community", sort=True)}


def load(path: str) -> pd.DataFrame:
    """Read the Parquet file with Polars into a pandas frame (no pyarrow needed)."""
    import polars as pl

    frame = pl.read_parquet(path)
    columns: dict[str, Any] = {}
    for name in frame.columns:
        if name == "at":
            at = frame["at"].dt.replace_time_zone(None).to_numpy()
            columns[name] = pd.DatetimeIndex(at).tz_localize("UTC")
        else:
            columns[name] = frame[name].to_numpy()
    return pd.DataFrame(columns)
