"""The Activity contract: one row per thing a person did in a community, whatever the source.

Everything the platform records and everything a connector imports becomes an Activity, so the
analytics engine diagnoses Cultivate's own communities and a never-imported Slack export alike.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl


class Verb(enum.StrEnum):
    """What a person did; grouped by the relationship step or maturity level it evidences."""

    # meeting (steps 1-2)
    MEET = "meet"
    ATTEND = "attend"
    PAIR = "pair"
    # sharing (step 3, levels 1-2)
    SHARE = "share"
    ASK = "ask"
    ANSWER = "answer"
    REPLY = "reply"
    ACCEPT = "accept"
    REACT = "react"
    # deciding (step 4)
    PROPOSE = "propose"
    VOTE = "vote"
    DECIDE = "decide"
    # implementing (step 5)
    COMMIT = "commit"
    COMPLETE = "complete"
    # celebrating (step 6)
    CELEBRATE = "celebrate"
    # co-creating (level 3)
    PLAN = "plan"
    CONTRIBUTE = "contribute"
    PUBLISH = "publish"
    REQUEST = "request"
    HELP = "help"
    # membership
    JOIN = "join"
    LEAVE = "leave"
    INVITE = "invite"
    # stewardship: edits and moderation keep the record whole but are not contributions
    EDIT = "edit"
    FLAG = "flag"
    MODERATE = "moderate"


VERB_FAMILIES: Mapping[str, frozenset[Verb]] = {
    "meeting": frozenset({Verb.MEET, Verb.ATTEND, Verb.PAIR}),
    "sharing": frozenset({Verb.SHARE, Verb.ASK, Verb.ANSWER, Verb.REPLY, Verb.ACCEPT, Verb.REACT}),
    "deciding": frozenset({Verb.PROPOSE, Verb.VOTE, Verb.DECIDE}),
    "implementing": frozenset({Verb.COMMIT, Verb.COMPLETE}),
    "celebrating": frozenset({Verb.CELEBRATE}),
    "co-creating": frozenset({Verb.PLAN, Verb.CONTRIBUTE, Verb.PUBLISH, Verb.REQUEST, Verb.HELP}),
    "membership": frozenset({Verb.JOIN, Verb.LEAVE, Verb.INVITE}),
    "stewardship": frozenset({Verb.EDIT, Verb.FLAG, Verb.MODERATE}),
}

CONTRIBUTION_VERBS: frozenset[Verb] = (
    frozenset(Verb) - VERB_FAMILIES["membership"] - VERB_FAMILIES["stewardship"]
)
"""Verbs that count as someone contributing; joining, editing and moderating do not."""

COLUMNS: tuple[str, ...] = (
    "id",
    "source",
    "community",
    "actor",
    "verb",
    "object_id",
    "parent_id",
    "target_actor",
    "at",
    "text",
    "meta",
)

FRAME_SCHEMA: Mapping[str, pl.DataType] = {
    "id": pl.String(),
    "source": pl.String(),
    "community": pl.String(),
    "actor": pl.String(),
    "verb": pl.String(),
    "object_id": pl.String(),
    "parent_id": pl.String(),
    "target_actor": pl.String(),
    "at": pl.Datetime("us", "UTC"),
    "text": pl.String(),
    "meta": pl.String(),
}
"""The Polars schema of an Activity frame; `meta` travels as a JSON string so frames stay flat."""


class ActivityError(ValueError):
    """An activity that breaks the contract; the message names the activity and the field."""


@dataclass(frozen=True, slots=True)
class Activity:
    """One thing a person did: the edge list and event log every analysis reads."""

    id: str
    source: str
    community: str
    actor: str
    verb: Verb
    object_id: str
    at: datetime
    parent_id: str | None = None
    target_actor: str | None = None
    text: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate(self)


def validate(activity: Activity) -> None:
    """Raise ActivityError naming the activity and the first field that breaks the contract.

    Readers build millions of activities: the checks run on plain attributes, and the message
    is only written for an activity that fails one.
    """
    for name in ("id", "source", "community", "actor", "object_id"):
        value = getattr(activity, name)
        if not isinstance(value, str) or not value or value.isspace():
            raise ActivityError(
                f"{_where(activity)}: field {name!r} must be a non-empty string, got {value!r}"
            )
    if not isinstance(activity.verb, Verb):
        try:
            object.__setattr__(activity, "verb", Verb(activity.verb))
        except ValueError:
            known = ", ".join(v.value for v in Verb)
            raise ActivityError(
                f"{_where(activity)}: unknown verb {activity.verb!r}; expected one of {known}"
            ) from None
    at = activity.at
    if not isinstance(at, datetime):
        raise ActivityError(f"{_where(activity)}: field 'at' must be a datetime, got {at!r}")
    if at.tzinfo is not UTC:  # UTC itself needs no more checking
        offset = at.utcoffset()
        where = _where(activity)
        if offset is None:
            raise ActivityError(f"{where}: field 'at' is naive ({at}); give it a time zone")
        if offset != timedelta(0):
            raise ActivityError(f"{where}: field 'at' must be in UTC, got offset {offset}")
    target = activity.target_actor
    if target is not None and (not target or target.isspace()):
        raise ActivityError(
            f"{_where(activity)}: field 'target_actor' must be None or a non-empty string"
        )


def _where(activity: Activity) -> str:
    return f"activity {activity.id!r}"


def to_frame(activities: Iterable[Activity]) -> pl.DataFrame:
    """Return the activities as a Polars frame with the contract's schema (empty frames keep it)."""
    import json

    rows: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for activity in activities:
        rows["id"].append(activity.id)
        rows["source"].append(activity.source)
        rows["community"].append(activity.community)
        rows["actor"].append(activity.actor)
        rows["verb"].append(activity.verb.value)
        rows["object_id"].append(activity.object_id)
        rows["parent_id"].append(activity.parent_id)
        rows["target_actor"].append(activity.target_actor)
        rows["at"].append(activity.at)
        rows["text"].append(activity.text)
        rows["meta"].append(json.dumps(dict(activity.meta), sort_keys=True, default=str))
    return pl.DataFrame(rows, schema=dict(FRAME_SCHEMA))
