"""Questions like the one being asked or read: by meaning and by words together.

While a member types a title, and beside every question, the community's questions closest to
it: the nearest by meaning (the sentence encoder, ADR 22) fused with the best full-text matches
by reciprocal rank fusion, answered ones first. A person only ever sees questions of the
community being looked at, which they may see, and never hidden ones (unless they coordinate).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import can_view_community
from cultivate.apps.search.embeddings import vector_of
from cultivate.apps.search.meaning import encode_query, nearest_documents
from cultivate.apps.search.models import Embedding, SearchDocument
from cultivate.apps.search.selectors import word_matches
from cultivate.core.markup import html_text
from cultivate.core.semantics.fusion import reciprocal_rank_fusion

from .models import Question
from .selectors import questions_for

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

MAX_TITLE_CHARS = 300
"""What is compared of a title: a 10,000-word title costs what a sentence does."""
MIN_SIMILARITY = 0.45
"""Below this cosine a question is about something else (MiniLM scores unrelated texts near 0
and paraphrases above 0.6); a word match still brings it in."""
_CANDIDATES = 20
_WORD = re.compile(r"[^\W_]", re.UNICODE)


@dataclass(frozen=True)
class SimilarQuestion:
    """A question like the one asked, with the first words of its accepted answer."""

    question: Question
    answer_line: str


def similar_questions(
    user: User | AnonymousUser,
    community: Community,
    text: str,
    *,
    limit: int = 5,
    exclude_pk: int | None = None,
) -> list[SimilarQuestion]:
    """Return up to `limit` of the community's questions most like `text`, answered first."""
    text = " ".join(text.replace("\x00", "").split())[:MAX_TITLE_CHARS]
    if not _WORD.search(text) or not can_view_community(user, community):
        return []
    by_meaning: list[int] = []
    vector = encode_query(text)
    if vector is not None:
        hits = nearest_documents(
            vector, [community.pk], k=_CANDIDATES + 1, min_similarity=MIN_SIMILARITY
        )
        by_meaning = [hit.object_pk for hit in hits]
    by_words = word_matches(
        user, text, community_slug=community.slug, kind="question", limit=_CANDIDATES
    )
    fused = [pk for pk, _ in reciprocal_rank_fusion([by_meaning, by_words]) if pk != exclude_pk]
    return _with_answers(user, community, fused, limit)


def _with_answers(
    user: User | AnonymousUser, community: Community, ranked: list[int], limit: int
) -> list[SimilarQuestion]:
    """Read the ranked questions this person may see, answered ones first, with answer lines."""
    if not ranked:
        return []
    rank = {pk: i for i, pk in enumerate(ranked)}
    # Unordered: sorted below. Ordered newest first, SQLite walked the community's questions by
    # date looking for these few ids (20 ms at 3,000 questions) instead of fetching them by id.
    found = (
        questions_for(user, community)
        .filter(pk__in=ranked, is_hidden=False)
        .select_related("accepted_answer")
        .order_by()
    )
    ordered = sorted(found, key=lambda q: (q.answer_count == 0, rank[q.pk]))[:limit]
    return [
        SimilarQuestion(
            question=q,
            answer_line=html_text(q.accepted_answer.body_html, 160) if q.accepted_answer else "",
        )
        for q in ordered
    ]


@dataclass(frozen=True)
class RelatedPractice:
    """A best practice close in meaning to a question, named and linked as search finds it."""

    title: str
    url: str


@dataclass(frozen=True)
class Related:
    """What sits beside a question: the nearest questions and best practices."""

    questions: list[SimilarQuestion]
    practices: list[RelatedPractice]


def stored_embedding(question: Question) -> tuple[str, np.ndarray | None]:
    """Return which text the question's embedding was computed from and its vector
    (("", None) before the embedding job has run)."""
    stored = (
        Embedding.objects.filter(document__kind="question", document__object_pk=question.pk)
        .values_list("text_hash", "vector")
        .first()
    )
    return (stored[0], vector_of(stored[1])) if stored else ("", None)


def related_to(
    user: User | AnonymousUser,
    community: Community,
    question: Question,
    vector: np.ndarray | None,
    *,
    limit: int = 5,
    practices: int = 3,
) -> Related:
    """Return the questions (answered first) and best practices nearest to this question.

    Without a stored vector (the job has not run, or there is no encoder) the title's words
    find the questions, and no best practice is offered.
    """
    if vector is None:
        found = similar_questions(
            user, community, question.title, limit=limit, exclude_pk=question.pk
        )
        return Related(questions=found, practices=[])
    hits = nearest_documents(
        vector,
        [community.pk],
        kinds=("question", "document"),
        k=_CANDIDATES + 1,
        min_similarity=MIN_SIMILARITY,
    )
    near_questions = [
        h.object_pk for h in hits if h.kind == "question" and h.object_pk != question.pk
    ]
    near_documents = [h.object_pk for h in hits if h.kind == "document"][:practices]
    return Related(
        questions=_with_answers(user, community, near_questions, limit),
        practices=_practices(community, near_documents),
    )


def _practices(community: Community, pks: list[int]) -> list[RelatedPractice]:
    if not pks:
        return []
    titles = dict(
        SearchDocument.objects.filter(
            kind="document", object_pk__in=pks, is_hidden=False
        ).values_list("object_pk", "title")
    )
    return [
        RelatedPractice(
            title=titles[pk], url=reverse("practices:document", args=[community.slug, pk])
        )
        for pk in pks
        if pk in titles
    ]
