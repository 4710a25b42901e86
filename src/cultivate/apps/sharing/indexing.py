"""How posts, questions and answers read in the search index (registered in SharingConfig.ready).

An answer is found under its question's title; a question carries its tags.
"""

from __future__ import annotations

from collections import defaultdict

from cultivate.apps.search.services import IndexEntry, index_body, index_title

from .models import Answer, Post, Question


def content_entries(objs: list[Post | Question | Answer]) -> list[IndexEntry]:
    """Return the index entries of a batch of shared content, in a query or two for the batch."""
    tags = _tags_of([o.pk for o in objs if isinstance(o, Question)])
    titles = _question_titles([o for o in objs if isinstance(o, Answer)])
    entries = []
    for obj in objs:
        if isinstance(obj, Answer):
            title, question_pk = titles[obj.question_id], obj.question_id
        elif isinstance(obj, Question):
            title, question_pk = index_title(obj.title), obj.pk
        else:
            title, question_pk = index_title(obj.title), None
        entries.append(
            IndexEntry(
                kind=obj._meta.model_name or "",
                object_pk=obj.pk,
                community_id=obj.community_id,
                question_pk=question_pk,
                title=title,
                body=index_body(obj.body, obj.body_html),
                tags=tags.get(obj.pk, []) if isinstance(obj, Question) else (),
                created_at=obj.created_at,
                is_hidden=obj.is_hidden,
            )
        )
    return entries


def _tags_of(question_pks: list[int]) -> dict[int, list[str]]:
    """Return each question's tag names, in the order they were given."""
    tags: dict[int, list[str]] = defaultdict(list)
    if not question_pks:
        return tags
    through = Question.tags.through
    for tagged_pk, name in (
        through.objects.filter(question_id__in=question_pks)
        .order_by("pk")
        .values_list("question_id", "tag__name")
    ):
        tags[tagged_pk].append(name)
    return tags


def _question_titles(answers: list[Answer]) -> dict[int, str]:
    """Return the title of each answer's question, reading only those not already loaded."""
    titles: dict[int, str] = {}
    missing: set[int] = set()
    for answer in answers:
        if Answer.question.is_cached(answer):
            titles[answer.question_id] = index_title(answer.question.title)
        else:
            missing.add(answer.question_id)
    missing -= titles.keys()
    if missing:
        for pk, title in Question.objects.filter(pk__in=missing).values_list("pk", "title"):
            titles[pk] = index_title(title)
    return titles
