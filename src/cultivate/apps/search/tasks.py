"""Background jobs of search: embed what was just written."""

from __future__ import annotations

from django_tasks import task

from .embeddings import embeddings_catch_up, embeddings_update
from .models import SearchDocument


@task()
def embed_documents(keys: list[list[int | str]]) -> int:
    """Embed the documents written under these (kind, object pk) keys; return how many."""
    by_kind: dict[str, list[int]] = {}
    for kind, pk in keys:
        by_kind.setdefault(str(kind), []).append(int(pk))
    ids: list[int] = []
    for kind, pks in by_kind.items():
        ids.extend(
            SearchDocument.objects.filter(kind=kind, object_pk__in=pks).values_list("pk", flat=True)
        )
    return embeddings_update(ids)


@task()
def embed_missing_documents() -> int:
    """Embed every document still without an embedding (`cultivate tick`)."""
    return embeddings_catch_up()
