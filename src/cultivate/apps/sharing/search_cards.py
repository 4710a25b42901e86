"""What a search result card says of posts, questions and answers: who wrote it, its votes, and
for a thread whether it is solved (registered with search in SharingConfig.ready)."""

from __future__ import annotations

from cultivate.apps.search.cards import CardDetails

from .models import Answer, Post, Question

_AUTHOR = ("author__display_name", "author__first_name", "author__last_name", "author__username")
"""What `User.name` and a profile link read: a card never needs the bodies of a page's rows."""


def question_cards(pks: list[int]) -> dict[int, CardDetails]:
    rows = (
        Question.objects.filter(pk__in=pks)
        .select_related("author")
        .only("score", "accepted_answer_id", "answer_count", "created_at", *_AUTHOR)
    )
    return {
        q.pk: CardDetails(
            author_name=q.author.name,
            author_username=q.author.username,
            score=q.score,
            solved=q.accepted_answer_id is not None,
            answer_count=q.answer_count,
            created_at=q.created_at,
        )
        for q in rows
    }


def answer_cards(pks: list[int]) -> dict[int, CardDetails]:
    rows = (
        Answer.objects.filter(pk__in=pks)
        .select_related("author", "question")
        .only("score", "question__accepted_answer_id", *_AUTHOR)
    )
    return {
        a.pk: CardDetails(
            author_name=a.author.name,
            author_username=a.author.username,
            score=a.score,
            accepted=a.question.accepted_answer_id == a.pk,
        )
        for a in rows
    }


def post_cards(pks: list[int]) -> dict[int, CardDetails]:
    rows = Post.objects.filter(pk__in=pks).select_related("author").only("score", *_AUTHOR)
    return {
        p.pk: CardDetails(
            author_name=p.author.name, author_username=p.author.username, score=p.score
        )
        for p in rows
    }
