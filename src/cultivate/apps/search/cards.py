"""A page of hits as people scan it: one card per thread, saying who wrote it, its votes, solved.

A question and the answers that matched under it are one card, placed where its best hit ranks;
an answer whose question did not match still heads a card with its question's title. What a card
says beyond the index (author, votes, solved, answers) comes from the app that owns the content,
registered like its indexer (`card_details_register`), so search still knows no content model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.urls import reverse
from django.utils.safestring import mark_safe

from .selectors import SearchHit


@dataclass(frozen=True, slots=True)
class CardDetails:
    """What the owner of a piece of content says of it on a result card."""

    author_name: str = ""
    author_username: str = ""
    score: int | None = None
    solved: bool = False
    accepted: bool = False
    answer_count: int | None = None
    created_at: datetime | None = None
    """When it was written, where the card's head is not the hit (a question found by answers)."""


Describer = Callable[[list[int]], dict[int, CardDetails]]
_DESCRIBERS: dict[str, Describer] = {}
_NOTHING = CardDetails()


def card_details_register(kind: str, describe: Describer) -> None:
    """Say how a kind's objects are described on a card (from the owner's AppConfig.ready)."""
    _DESCRIBERS[kind] = describe


@dataclass(slots=True)
class ResultCard:
    """One result: a hit (or a thread's question), its details and its matching answers."""

    hit: SearchHit
    details: CardDetails
    answers: list[tuple[SearchHit, CardDetails]] = field(default_factory=list)
    matched: bool = True
    """False when only answers matched: the head is the question they answer, not a hit."""


def _thread_key(hit: SearchHit) -> tuple[str, int]:
    if hit.kind == "answer" and hit.question_pk is not None:
        return ("question", hit.question_pk)
    return (hit.kind, hit.object_pk)


def _details(wanted: dict[str, set[int]]) -> dict[tuple[str, int], CardDetails]:
    """Ask each owner once for the details of its objects on the page."""
    found: dict[tuple[str, int], CardDetails] = {}
    for kind, pks in wanted.items():
        describe = _DESCRIBERS.get(kind)
        if describe is not None and pks:
            found |= {(kind, pk): details for pk, details in describe(sorted(pks)).items()}
    return found


def _question_head(answer: SearchHit, question: CardDetails) -> SearchHit:
    """The card head for a question known only through a matching answer (same title)."""
    url = reverse("sharing:question", args=[answer.community_slug, answer.question_pk])
    return replace(
        answer,
        kind="question",
        created_at=question.created_at or answer.created_at,
        object_pk=answer.question_pk or 0,
        question_pk=answer.question_pk,
        url=url,
        snippet_html=mark_safe(""),  # the question's own text did not match
    )


def result_cards(hits: Iterable[SearchHit]) -> list[ResultCard]:
    """Group a page's hits into thread cards, best first, with their owners' details."""
    hits = list(hits)
    wanted: dict[str, set[int]] = {}
    for hit in hits:
        wanted.setdefault(hit.kind, set()).add(hit.object_pk)
        if hit.kind == "answer" and hit.question_pk is not None:
            wanted.setdefault("question", set()).add(hit.question_pk)
    details = _details(wanted)
    cards: dict[tuple[str, int], ResultCard] = {}
    for hit in hits:
        key = _thread_key(hit)
        card = cards.get(key)
        if hit.kind == "answer" and hit.question_pk is not None:
            if card is None:
                asked = details.get(key, _NOTHING)
                card = cards[key] = ResultCard(_question_head(hit, asked), asked, matched=False)
            card.answers.append((hit, details.get(("answer", hit.object_pk), _NOTHING)))
        elif card is None:
            cards[key] = ResultCard(hit, details.get(key, _NOTHING))
        else:  # the question itself matched below its answers: it heads its card
            card.hit, card.matched = hit, True
    return list(cards.values())
