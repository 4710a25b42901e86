"""Keep the search index in step with content: the apps that own content call these in their
transaction, and say how their content reads in the index by registering an indexer.

Search knows no content model: `search_register(Question, question_entries)` (in the owner's
AppConfig.ready) tells it how to turn a batch of objects into `IndexEntry` rows, so the index
sits below every app it indexes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import OuterRef, Subquery

from cultivate.apps.deferred import defer, flush_deferred
from cultivate.core.markup import html_text, plain_text

from .embeddings import EMBEDDED_KINDS
from .models import SearchDocument
from .tasks import embed_documents

_BULK_BATCH = 500
_INDEXED_FIELDS = ["community", "question_pk", "title", "body", "tags", "created_at", "is_hidden"]

# The selectors mark matches with these two characters; keep them out of the indexed text.
_SENTINELS = str.maketrans("", "", "\x02\x03")


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One piece of content as the index holds it.

    `question_pk` groups a question (kind "question", its own pk) with its answers, which are
    found under its title: writing a question's entry renames them.
    """

    kind: str
    object_pk: int
    community_id: int
    title: str
    body: str
    created_at: datetime
    is_hidden: bool
    question_pk: int | None = None
    tags: Sequence[str] = ()


Indexer = Callable[[list[Any]], list[IndexEntry]]
_INDEXERS: dict[type[models.Model], Indexer] = {}


def search_register(model: type[models.Model], indexer: Indexer) -> None:
    """Say how a model's objects read in the index (called from the owner's AppConfig.ready)."""
    _INDEXERS[model] = indexer


def index_title(title: str) -> str:
    """Return a title as the index stores it, without the snippets' marker characters."""
    return title.translate(_SENTINELS)


def index_body(body: str, body_html: str = "") -> str:
    """Return a body as people read it, without the characters the snippets use as markers.

    The words come from the stored HTML where there is one: rendering the Markdown again cost
    imports an eighth of their time."""
    text = html_text(body_html, 100_000) if body_html else plain_text(body, limit=100_000)
    return text.translate(_SENTINELS)


def _kind(obj: models.Model) -> str:
    return obj._meta.model_name or ""


def search_index_update(obj: models.Model) -> None:
    """Write the content's current text, tags and visibility into the index.

    Inside a long replay (the demo) the write waits for its end, once per object, as it is then.
    """
    if not defer(_write_index, obj):
        search_index_bulk_update([obj])


def search_index_bulk_update(objs: Iterable[models.Model]) -> int:
    """Write the index rows of many pieces of content in a few statements; return how many.

    Imports create thousands of questions and answers per batch: one upsert per batch of
    documents (INSERT ... ON CONFLICT on kind and object) replaces a query or three per object.
    On SQLite the FTS5 triggers index each inserted or updated row; on PostgreSQL the generated
    tsvector column does. Answers whose question was renamed take its new title.
    """
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    entries: list[IndexEntry] = []
    for model, items in by_model.items():
        indexer = _INDEXERS.get(model)
        if indexer is None:
            raise LookupError(f"{model.__name__} is not indexed: register it with search_register")
        entries.extend(indexer(items))
    return search_entries_write(entries)


def search_entries_write(entries: Iterable[IndexEntry]) -> int:
    """Upsert the entries (the last of each kind and object wins); return how many."""
    documents = {
        (e.kind, e.object_pk): SearchDocument(
            kind=e.kind,
            object_pk=e.object_pk,
            community_id=e.community_id,
            question_pk=e.question_pk,
            title=e.title,
            body=e.body,
            tags=" ".join(e.tags),
            created_at=e.created_at,
            is_hidden=e.is_hidden,
        )
        for e in entries
    }
    if not documents:
        return 0
    SearchDocument.objects.bulk_create(
        list(documents.values()),
        batch_size=_BULK_BATCH,
        update_conflicts=True,
        unique_fields=["kind", "object_pk"],
        update_fields=_INDEXED_FIELDS,
    )
    heads = [pk for kind, pk in documents if kind == "question"]
    if heads:
        renamed = SearchDocument.objects.filter(kind="question", object_pk=OuterRef("question_pk"))
        SearchDocument.objects.filter(question_pk__in=heads).exclude(kind="question").exclude(
            title=Subquery(renamed.values("title")[:1])
        ).update(title=Subquery(renamed.values("title")[:1]))
    keys: list[list[int | str]] = [[k, pk] for k, pk in documents if k in EMBEDDED_KINDS]
    if keys:
        # After the commit, so the job reads what was written (and nothing rolled back).
        transaction.on_commit(lambda: _embed_later(keys), robust=True)
    return len(documents)


_EMBED_CHUNK = 5000


def _embed_later(keys: list[list[int | str]]) -> None:
    """Hand the written documents to the embedding job, in chunks a job reads in one go."""
    for start in range(0, len(keys), _EMBED_CHUNK):
        embed_documents.enqueue(keys[start : start + _EMBED_CHUNK])


def _write_index(objs: list[models.Model]) -> None:
    """Index deferred content once each, as it is now (its latest save)."""
    latest = {(_kind(obj), obj.pk): obj for obj in objs}
    search_index_bulk_update(latest.values())


def search_index_set_hidden(obj: models.Model) -> None:
    """Hide or show the content in results when a coordinator hides or restores it."""
    flush_deferred()  # its entry may still be waiting to be written
    hidden = bool(getattr(obj, "is_hidden", False))
    SearchDocument.objects.filter(kind=_kind(obj), object_pk=obj.pk).update(is_hidden=hidden)
