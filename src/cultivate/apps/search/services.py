"""Keep the search index in step with content; sharing services call these in their transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Subquery

from cultivate.apps.deferred import defer, flush_deferred
from cultivate.core.markup import html_text, plain_text

from .models import SearchDocument

if TYPE_CHECKING:
    from cultivate.apps.practices.models import Document
    from cultivate.apps.sharing.models import Answer, Post, Question


def _kind(obj: Post | Question | Answer | Document) -> str:
    return obj._meta.model_name or ""


_BULK_BATCH = 500
_INDEXED_FIELDS = ["community", "question_pk", "title", "body", "tags", "created_at", "is_hidden"]

# The selectors mark matches with these two characters; keep them out of the indexed text.
_SENTINELS = str.maketrans("", "", "\x02\x03")


def _body_text(obj: Post | Question | Answer | Document) -> str:
    """Return the body as people read it, without the characters the snippets use as markers.

    The words come from the stored HTML where there is one: rendering the Markdown again cost
    imports an eighth of their time."""
    body_html = getattr(obj, "body_html", "")
    text = html_text(body_html, 100_000) if body_html else plain_text(obj.body, limit=100_000)
    return text.translate(_SENTINELS)


def search_index_update(obj: Post | Question | Answer | Document) -> None:
    """Write the content's current text, tags and visibility into the index."""
    from cultivate.apps.sharing.models import Answer, Post, Question

    if isinstance(obj, Post | Question | Answer) and defer(_write_index, obj):
        return

    tags = list(obj.tags.values_list("name", flat=True)) if isinstance(obj, Question) else []

    kind = _kind(obj)
    if isinstance(obj, Answer):
        title = obj.question.title.translate(_SENTINELS)
        question_pk: int | None = obj.question_id
    else:
        title = getattr(obj, "title", "").translate(_SENTINELS)
        question_pk = obj.pk if kind == "question" else None
    SearchDocument.objects.update_or_create(
        kind=kind,
        object_pk=obj.pk,
        defaults={
            "community_id": obj.community_id,
            "question_pk": question_pk,
            "title": title,
            "body": _body_text(obj),
            "tags": " ".join(tags),
            "created_at": obj.created_at,
            "is_hidden": obj.is_hidden,
        },
    )
    if isinstance(obj, Question):
        # Answers are found under their question's title, so a renamed question renames them.
        SearchDocument.objects.filter(kind="answer", question_pk=obj.pk).exclude(
            title=title
        ).update(title=title)


def search_index_bulk_update(objs: Iterable[Post | Question | Answer]) -> int:
    """Write the index rows of many pieces of content in a few statements; return how many.

    Imports create thousands of questions and answers per batch: one upsert per batch of
    documents (INSERT ... ON CONFLICT on kind and object) replaces a query or three per object.
    On SQLite the FTS5 triggers index each inserted or updated row; on PostgreSQL the generated
    tsvector column does. Answers whose question was renamed take its new title, as with
    search_index_update.
    """
    from cultivate.apps.sharing.models import Answer, Question

    items = list(objs)
    if not items:
        return 0
    question_pks = [o.pk for o in items if isinstance(o, Question)]
    tags: dict[int, list[str]] = defaultdict(list)
    through = Question.tags.through
    for tagged_pk, name in (
        through.objects.filter(question_id__in=question_pks)
        .order_by("pk")
        .values_list("question_id", "tag__name")
    ):
        tags[tagged_pk].append(name)
    titles = _question_titles([o for o in items if isinstance(o, Answer)])
    documents: dict[tuple[str, int], SearchDocument] = {}
    for obj in items:
        kind = _kind(obj)
        if isinstance(obj, Answer):
            title = titles[obj.question_id]
            question_pk: int | None = obj.question_id
        else:
            title = getattr(obj, "title", "").translate(_SENTINELS)
            question_pk = obj.pk if kind == "question" else None
        documents[(kind, obj.pk)] = SearchDocument(
            kind=kind,
            object_pk=obj.pk,
            community_id=obj.community_id,
            question_pk=question_pk,
            title=title,
            body=_body_text(obj),
            tags=" ".join(tags.get(obj.pk, [])) if kind == "question" else "",
            created_at=obj.created_at,
            is_hidden=obj.is_hidden,
        )
    SearchDocument.objects.bulk_create(
        list(documents.values()),
        batch_size=_BULK_BATCH,
        update_conflicts=True,
        unique_fields=["kind", "object_pk"],
        update_fields=_INDEXED_FIELDS,
    )
    if question_pks:
        renamed = SearchDocument.objects.filter(kind="question", object_pk=OuterRef("question_pk"))
        SearchDocument.objects.filter(kind="answer", question_pk__in=question_pks).exclude(
            title=Subquery(renamed.values("title")[:1])
        ).update(title=Subquery(renamed.values("title")[:1]))
    return len(documents)


def _question_titles(answers: list[Answer]) -> dict[int, str]:
    """Return the title of each answer's question, reading only those not already loaded."""
    from cultivate.apps.sharing.models import Answer, Question

    titles: dict[int, str] = {}
    missing: set[int] = set()
    for answer in answers:
        if Answer.question.is_cached(answer):
            titles[answer.question_id] = answer.question.title.translate(_SENTINELS)
        else:
            missing.add(answer.question_id)
    missing -= titles.keys()
    if missing:
        for pk, title in Question.objects.filter(pk__in=missing).values_list("pk", "title"):
            titles[pk] = title.translate(_SENTINELS)
    return titles


def _write_index(objs: list[Post | Question | Answer]) -> None:
    """Index deferred content once each, as it is now (its latest save)."""
    latest = {(_kind(obj), obj.pk): obj for obj in objs}
    search_index_bulk_update(latest.values())


def search_index_set_hidden(obj: Post | Question | Answer | Document) -> None:
    """Hide or show the content in results when a coordinator hides or restores it."""
    flush_deferred()  # its entry may still be waiting to be written
    SearchDocument.objects.filter(kind=_kind(obj), object_pk=obj.pk).update(is_hidden=obj.is_hidden)
