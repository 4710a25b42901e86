"""Bulk writers of shared content, for imports: the single-row services' invariants, in batches.

What `post_create`, `question_ask`, `answer_create`, `comment_create`, `vote_cast` and
`answer_accept` keep true for one row, these keep for many, in a few statements each: the body
rendered and sanitised once into `body_html`, `updated_at` equal to `created_at` (never edited),
tags by the naming rule, answer, comment and vote counters, a question's last activity, the search
index. They check no
permission and record no Activity: an import checks who may import once, and records the export's
own activities with their external ids. `tests/apps/sharing/test_bulk.py` holds them equal to the
services.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Count, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from cultivate.apps.rows import append_rows, create_rows
from cultivate.apps.search.services import search_index_bulk_update
from cultivate.apps.tags.models import Tag
from cultivate.apps.tags.services import tags_get_or_create
from cultivate.core.markup import render_markdown

from .models import Answer, Comment, Post, Question, Vote

Written = Post | Question | Answer | Comment
_BATCH = 500
_COUNTED: dict[str, type[Post | Question | Answer]] = {
    "post": Post,
    "question": Question,
    "answer": Answer,
}


def _rendered(items: Sequence[Written]) -> None:
    for item in items:
        item.body_html = render_markdown(item.body)
        item.updated_at = item.created_at
        if isinstance(item, Question):
            item.last_activity_at = item.created_at


def _latest(rows: QuerySet[Any], outer: str) -> Greatest:
    """The newest `created_at` of the rows that point at the question being updated, else its
    own last activity: the thread moves forward only ("active" sort, as `_thread_moved`)."""
    newest = rows.filter(**{outer: OuterRef("pk")}).order_by().values(outer)
    newest = newest.annotate(at=Max("created_at")).values("at")
    return Greatest(F("last_activity_at"), Coalesce(Subquery(newest), F("last_activity_at")))


def posts_bulk_create(posts: list[Post]) -> list[Post]:
    """Insert unsaved posts, rendered and indexed."""
    _rendered(posts)
    create_rows(posts)
    search_index_bulk_update(posts)
    return posts


def questions_bulk_create(questions: list[tuple[Question, Sequence[str]]]) -> list[Question]:
    """Insert unsaved questions with their tags (already clean names), rendered and indexed."""
    created = [question for question, _ in questions]
    _rendered(created)
    create_rows(created)
    tags_link(questions)
    search_index_bulk_update(created)
    return created


def tags_link(questions: Sequence[tuple[Question, Sequence[str]]]) -> dict[str, Tag]:
    """Link each question to its tags (clean names), in the order given, on every database;
    return the tags linked, by name.

    Django's `tags.set()` links them in a set's order, which differs between SQLite and
    PostgreSQL; the search index lists tags in the order they were linked.
    """
    names = {name for _, tags in questions for name in tags}
    if not names:
        return {}
    tags = tags_get_or_create(names)
    through = Question.tags.through
    append_rows(
        [
            through(question_id=question.pk, tag_id=tags[name].pk)
            for question, names_of in questions
            for name in names_of
        ]
    )
    return tags


def answers_bulk_create(answers: list[Answer]) -> list[Answer]:
    """Insert unsaved answers, rendered and indexed; their questions' answer counts follow."""
    _rendered(answers)
    create_rows(answers)
    questions = {answer.question_id for answer in answers}
    if questions:
        answers_of = (
            Answer.objects.filter(question=OuterRef("pk"))
            .order_by()
            .values("question")
            .annotate(n=Count("pk"))
            .values("n")
        )
        Question.objects.filter(pk__in=questions).update(
            answer_count=Coalesce(Subquery(answers_of), 0),
            last_activity_at=_latest(Answer.objects.all(), "question"),
        )
    search_index_bulk_update(answers)
    return answers


def comments_bulk_create(comments: list[Comment]) -> list[Comment]:
    """Insert unsaved comments, rendered; what they comment on counts them."""
    _rendered(comments)
    create_rows(comments)
    targets: dict[str, set[int]] = defaultdict(set)
    for comment in comments:
        for kind in _COUNTED:
            pk = getattr(comment, f"{kind}_id")
            if pk is not None:
                targets[kind].add(pk)
    for kind, pks in targets.items():
        comments_of = (
            Comment.objects.filter(**{kind: OuterRef("pk")})
            .order_by()
            .values(kind)
            .annotate(n=Count("pk"))
            .values("n")
        )
        _COUNTED[kind].objects.filter(pk__in=pks).update(
            comment_count=Coalesce(Subquery(comments_of), 0)
        )
    _threads_moved_by(comments)
    return comments


def _threads_moved_by(comments: Sequence[Comment]) -> None:
    """Move the questions whose thread the comments joined (on the question or an answer)."""
    on_questions = {c.question_id for c in comments if c.question_id is not None}
    on_answers = {c.answer_id for c in comments if c.answer_id is not None}
    if on_questions:
        Question.objects.filter(pk__in=on_questions).update(
            last_activity_at=_latest(Comment.objects.all(), "question")
        )
    if on_answers:
        on_answers_of = Comment.objects.filter(answer__isnull=False)
        Question.objects.filter(answers__in=on_answers).update(
            last_activity_at=_latest(on_answers_of, "answer__question")
        )


def votes_bulk_create(votes: list[Vote]) -> list[Vote]:
    """Insert unsaved up-votes (one per person and target, the caller's to ensure); each
    target's score goes up by its votes."""
    create_rows(votes)
    scores: Counter[tuple[str, int]] = Counter()
    for vote in votes:
        for kind in _COUNTED:
            pk = getattr(vote, f"{kind}_id")
            if pk is not None:
                scores[(kind, pk)] += 1
    by_increment: dict[tuple[str, int], list[int]] = defaultdict(list)
    for (kind, pk), n in scores.items():
        by_increment[(kind, n)].append(pk)
    for (kind, n), pks in by_increment.items():
        _COUNTED[kind].objects.filter(pk__in=pks).update(score=F("score") + n)
    return votes


def accepted_answers_set(accepted: Mapping[int, int]) -> int:
    """Make each question (pk) accept its answer (pk); return how many questions changed.

    As `answer_accept`: a question accepts only one of its own answers, and nothing hidden is
    accepted; a pair that breaks either rule is left as it was (not counted).
    """
    allowed = {
        (question, answer)
        for answer, question in Answer.objects.filter(
            pk__in=set(accepted.values()), is_hidden=False, question__is_hidden=False
        ).values_list("pk", "question_id")
    }
    kept = [(q, a) for q, a in accepted.items() if (q, a) in allowed]
    Question.objects.bulk_update(
        [Question(pk=question, accepted_answer_id=answer) for question, answer in kept],
        ["accepted_answer"],
        batch_size=_BATCH,
    )
    return len(kept)
