"""Who can answer this question: the community's members ranked by what they actually did.

Evidence, each weighed by how close its subject is to the question (core.semantics.experts):
answers on the nearest questions (more for up-votes, most for accepted ones), answers on
questions sharing a tag, best practices they co-wrote near the question, help they gave in the
community, and expertise they declared that names one of the question's tags or words. Their
load (questions already routed to them and still open) spreads the asking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cultivate.apps.activity.models import ActivityRecord
from cultivate.apps.communities.models import MembershipState
from cultivate.apps.search.meaning import encode_query, nearest_documents
from cultivate.core.activity import Verb
from cultivate.core.semantics.experts import Evidence, RankedPerson, answer_weight, rank_people

from .models import Answer, Question
from .similar import stored_embedding

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

NEIGHBOURS = 40
"""Questions nearest in meaning whose answerers are evidence."""
MIN_CLOSENESS = 0.3
TAG_CLOSENESS = 0.35
"""A question sharing a tag counts like one of middling similarity."""
TAG_ANSWERS = 300
"""The newest answers on same-tag questions read as evidence (older ones decay away anyway)."""
HELP_CLOSENESS = 0.15
EXPERTISE_CLOSENESS = 0.5
_WORD = re.compile(r"[^\W_]{3,}")


@dataclass(frozen=True)
class Expert:
    """A member who may know the answer, with the reasons in the reader's words."""

    person: User
    score: float
    reasons: list[str]


def who_can_answer(
    question: Question,
    *,
    limit: int = 5,
    load: Mapping[int, int] | None = None,
    now: datetime | None = None,
    vector: np.ndarray | None = None,
) -> list[Expert]:
    """Return up to `limit` active members (never the asker) most likely to answer, best first.

    `vector` is the question's embedding when the caller has read it already."""
    now = now or timezone.now()
    community = question.community
    members = set(
        community.memberships.filter(state=MembershipState.ACTIVE).values_list("user_id", flat=True)
    )
    evidence = [
        *_answer_evidence(question, vector if vector is not None else _vector(question)),
        *_tag_evidence(question),
        *_practice_and_help_evidence(question, now),
        *_expertise_evidence(question, members),
    ]
    ranked = [
        r
        for r in rank_people(evidence, now=now, load=load, exclude=[question.author_id])
        if r.person in members
    ][:limit]
    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=[r.person for r in ranked])}
    return [
        Expert(person=people[r.person], score=r.score, reasons=_reasons(r))
        for r in ranked
        if r.person in people
    ]


def _vector(question: Question) -> np.ndarray | None:
    vector = stored_embedding(question)[1]
    return vector if vector is not None else encode_query(question.title)


def _answer_evidence(question: Question, vector: np.ndarray | None) -> list[Evidence[int]]:
    if vector is None:
        return []
    hits = nearest_documents(
        vector,
        [question.community_id],
        kinds=("question", "document"),
        k=NEIGHBOURS,
        min_similarity=MIN_CLOSENESS,
    )
    closeness = {h.object_pk: h.similarity for h in hits if h.kind == "question"}
    closeness.pop(question.pk, None)
    evidence = [
        Evidence(
            person=author_id,
            closeness=closeness[question_id],
            weight=answer_weight(score, accepted),
            at=created_at,
            reason="accepted" if accepted else "answer",
        )
        for author_id, question_id, score, created_at, accepted in _answers_on(list(closeness))
    ]
    near_documents = {h.object_pk: h.similarity for h in hits if h.kind == "document"}
    for actor_id, document_pk, at in ActivityRecord.objects.filter(
        community_id=question.community_id,
        verb__in=[Verb.CONTRIBUTE, Verb.PUBLISH],
        object_type="document",
        object_pk__in=list(near_documents),
    ).values_list("actor_id", "object_pk", "at"):
        evidence.append(Evidence(actor_id, near_documents[document_pk], 2.0, at, "practice"))
    return evidence


def _answers_on(question_ids: Iterable[int]) -> list[tuple[int, int, int, datetime, bool]]:
    """(author, question, score, when, accepted) of the visible answers to these questions."""
    rows = Answer.objects.filter(
        question_id__in=list(question_ids), is_hidden=False, question__is_hidden=False
    ).values_list(
        "author_id", "question_id", "score", "created_at", "pk", "question__accepted_answer_id"
    )
    return [
        (author, question_id, score, at, pk == accepted)
        for author, question_id, score, at, pk, accepted in rows
        if author is not None
    ]


def _tag_evidence(question: Question) -> list[Evidence[int]]:
    tag_ids = list(question.tags.values_list("pk", flat=True))
    if not tag_ids:
        return []
    rows = (
        Answer.objects.filter(
            question__community_id=question.community_id,
            question__tags__in=tag_ids,
            is_hidden=False,
            question__is_hidden=False,
        )
        .exclude(question_id=question.pk)
        .order_by("-created_at")
        .values_list("author_id", "score", "created_at", "pk", "question__accepted_answer_id")[
            :TAG_ANSWERS
        ]
    )
    return [
        Evidence(author, TAG_CLOSENESS, answer_weight(score, pk == accepted), at, "tag")
        for author, score, at, pk, accepted in rows
        if author is not None
    ]


def _practice_and_help_evidence(question: Question, now: datetime) -> list[Evidence[int]]:
    helped = ActivityRecord.objects.filter(
        community_id=question.community_id, verb=Verb.HELP, at__gte=now - timedelta(days=730)
    ).values_list("actor_id", "at")
    return [Evidence(actor, HELP_CLOSENESS, 1.0, at, "help") for actor, at in helped]


def _expertise_evidence(question: Question, members: set[int]) -> list[Evidence[int]]:
    """Members whose declared expertise names a tag or a word of the question's title."""
    words = {w.lower() for w in _WORD.findall(question.title)}
    words |= {t.lower() for t in question.tags.values_list("name", flat=True)}
    if not words:
        return []
    through = get_user_model().expertise.through
    evidence = []
    for user_id, name in through.objects.filter(user_id__in=members).values_list(
        "user_id", "expertise__name"
    ):
        named = {w.lower() for w in _WORD.findall(name)} | {name.lower()}
        if named & words:
            evidence.append(Evidence(user_id, EXPERTISE_CLOSENESS, 2.0, None, "expertise"))
    return evidence


def _reasons(ranked: RankedPerson[int]) -> list[str]:
    """Say in words why a person is suggested, the strongest reasons first."""
    said = []
    counts = ranked.reasons
    if counts.get("accepted"):
        n = counts["accepted"]
        said.append(
            ngettext(
                "%(count)s accepted answer on a similar question",
                "%(count)s accepted answers on similar questions",
                n,
            )
            % {"count": n}
        )
    if counts.get("answer"):
        n = counts["answer"]
        said.append(
            ngettext(
                "%(count)s answer on a similar question",
                "%(count)s answers on similar questions",
                n,
            )
            % {"count": n}
        )
    if counts.get("tag"):
        n = counts["tag"]
        said.append(
            ngettext("%(count)s answer under these tags", "%(count)s answers under these tags", n)
            % {"count": n}
        )
    if counts.get("practice"):
        said.append(_("co-wrote a related best practice"))
    if counts.get("expertise"):
        said.append(_("declared expertise in this"))
    if counts.get("help"):
        said.append(_("helps colleagues here"))
    return said
