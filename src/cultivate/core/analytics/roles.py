"""Who plays which part: roles by contribution share (Wenger) and personas by behaviour (SWOOP)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from cultivate.core.activity import Verb

from .metrics import RESPONSE_VERBS, Window, contributions, help_edges, in_window, members_at

ROLES = ("core", "active", "peripheral", "observer")
PERSONAS = ("engager", "catalyst", "responder", "broadcaster", "observer")


@dataclass(frozen=True, slots=True)
class MemberProfile:
    actor: str
    contributions: int
    questions: int
    shares: int
    responses: int
    responses_received: int
    role: str
    persona: str


def _role(contributed: int, share_before: float, core_share: float, active_share: float) -> str:
    """Place a person by the share of contributions made by busier people than them."""
    if contributed == 0:
        return "observer"
    if share_before < core_share:
        return "core"
    if share_before < active_share:
        return "active"
    return "peripheral"


def _persona(row: dict[str, int], mutual: bool) -> str:
    if row["contributions"] == 0:
        return "observer"
    if row["responses"] and row["responses_received"] and mutual:
        return "engager"
    if row["questions"] and row["responses_received"]:
        return "catalyst"
    if row["responses"] >= row["questions"] + row["shares"] and row["responses"]:
        return "responder"
    if row["shares"] >= row["questions"]:
        return "broadcaster"
    return "catalyst"


def member_profiles(
    frame: pl.DataFrame, window: Window, *, core_share: float = 0.5, active_share: float = 0.8
) -> tuple[MemberProfile, ...]:
    """Return every member's role and persona in the window, busiest first.

    Core: the fewest contributors who together made `core_share` of contributions; active: those
    who bring the total to `active_share`; peripheral: other contributors; observer: members who
    did not contribute. Personas: engager (helps and is helped, with a two-way tie), catalyst (asks
    and gets answers), responder (mostly answers others), broadcaster (mostly shares), observer.
    """
    current = in_window(frame, window)
    contributed = contributions(current)
    counts = contributed.group_by("actor").agg(
        pl.len().alias("contributions"),
        (pl.col("verb") == Verb.ASK.value).sum().alias("questions"),
        (pl.col("verb") == Verb.SHARE.value).sum().alias("shares"),
        (
            pl.col("verb").is_in(RESPONSE_VERBS)
            & pl.col("target_actor").is_not_null()
            & (pl.col("target_actor") != pl.col("actor"))
        )
        .sum()
        .alias("responses"),
    )
    edges = help_edges(current)
    received = edges.group_by("helped").agg(pl.col("weight").sum().alias("responses_received"))
    ties = {(a, b) for a, b in edges.select("helper", "helped").iter_rows()}
    mutual = {a for a, b in ties if (b, a) in ties}
    everyone = sorted(members_at(frame, window.end) | set(counts["actor"].to_list()))
    table = (
        pl.DataFrame({"actor": everyone}, schema={"actor": pl.String})
        .join(counts, on="actor", how="left")
        .join(received.rename({"helped": "actor"}), on="actor", how="left")
        .fill_null(0)
        .sort(["contributions", "actor"], descending=[True, False])
    )
    total = int(table["contributions"].sum())
    profiles = []
    running = 0
    for row in table.iter_rows(named=True):
        before = running / total if total else 0.0
        running += row["contributions"]
        profiles.append(
            MemberProfile(
                actor=row["actor"],
                contributions=row["contributions"],
                questions=row["questions"],
                shares=row["shares"],
                responses=row["responses"],
                responses_received=row["responses_received"],
                role=_role(row["contributions"], before, core_share, active_share),
                persona=_persona(row, row["actor"] in mutual),
            )
        )
    return tuple(profiles)
