"""The templates and phrase banks the demo composes its questions, answers and posts from.

The words are data (`data/texts.json`), read once here into typed, immutable values. Each practice
has its own questions (with answers that fit them), posts and slot values, so a reliability
engineer's question reads like one. `{slot}` names are filled from the practice's slots, the
shared slots, or what the planner knows (`{site}` is the author's site, `{name}` the first name of
the person addressed). `[a|b|c]` picks one phrasing, so titles vary.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class QuestionTemplate:
    title: str
    body: str
    tags: tuple[str, ...]
    answers: tuple[str, ...]
    """Answers that fit this question; different responders pick different ones."""


@dataclass(frozen=True, slots=True)
class PostTemplate:
    kind: str  # story, article, tip or announcement (sharing.models.PostKind)
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class Bank:
    slots: Mapping[str, tuple[str, ...]]
    questions: tuple[QuestionTemplate, ...]
    posts: tuple[PostTemplate, ...]
    advice: tuple[str, ...]
    """General advice in the practice that an answer may end with."""
    clarifications: tuple[str, ...]
    """Comments asking the asker for the detail a helper needs."""
    agenda_topics: tuple[str, ...] = field(default=())


def _load() -> dict[str, Any]:
    text = resources.files("cultivate.apps.demo").joinpath("data/texts.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _phrases(values: list[str]) -> tuple[str, ...]:
    return tuple(values)


def _by_name(values: dict[str, list[str]]) -> Mapping[str, tuple[str, ...]]:
    return {name: tuple(items) for name, items in values.items()}


def _bank(raw: dict[str, Any]) -> Bank:
    return Bank(
        slots=_by_name(raw["slots"]),
        questions=tuple(
            QuestionTemplate(q["title"], q["body"], tuple(q["tags"]), tuple(q["answers"]))
            for q in raw["questions"]
        ),
        posts=tuple(PostTemplate(p["kind"], p["title"], p["body"]) for p in raw["posts"]),
        advice=tuple(raw["advice"]),
        clarifications=tuple(raw["clarifications"]),
        agenda_topics=tuple(raw["agenda_topics"]),
    )


_DATA = _load()

SHARED_SLOTS = _by_name(_DATA["shared_slots"])
QUESTION_OPENERS = _phrases(_DATA["question_openers"])
QUESTION_CLOSERS = _phrases(_DATA["question_closers"])
ANSWER_OPENERS = _phrases(_DATA["answer_openers"])
ANSWER_CLOSERS = _phrases(_DATA["answer_closers"])
ASKER_REPLIES = _phrases(_DATA["asker_replies"])
FOLLOWING = _phrases(_DATA["following"])
THANKS = _phrases(_DATA["thanks"])
AGREEMENTS = _phrases(_DATA["agreements"])
POST_COMMENTS = _phrases(_DATA["post_comments"])
BROADCAST_COMMENTS = _phrases(_DATA["broadcast_comments"])
BANKS: Mapping[str, Bank] = {name: _bank(raw) for name, raw in _DATA["banks"].items()}
"""Each practice's bank, by the practice's key (people.PRACTICES)."""

AGENDA_POST_TITLE: str = _DATA["agenda_post_title"]
AGENDA_POST_BODY: str = _DATA["agenda_post_body"]

# The relationship steps and the agenda (together.py).
GATHERING_TITLES = _by_name(_DATA["gathering_titles"])
GATHERING_NOTES = _phrases(_DATA["gathering_notes"])
PROPOSAL_TITLES = _phrases(_DATA["proposal_titles"])
PROPOSAL_BODY: str = _DATA["proposal_body"]
STANCE_REASONS = _by_name(_DATA["stance_reasons"])
OUTCOMES = _phrases(_DATA["outcomes"])
ACTION_TITLES = _phrases(_DATA["action_titles"])
KUDOS_REASONS = _phrases(_DATA["kudos_reasons"])
HELP_TITLES = _phrases(_DATA["help_titles"])
HELP_BODY: str = _DATA["help_body"]
HELP_CONTRIBUTIONS = _phrases(_DATA["help_contributions"])
TOPIC_WHY: str = _DATA["topic_why"]
PRACTICE_SECTIONS = _phrases(_DATA["practice_sections"])
