"""Keep an embedding beside every indexed question, post and best practice (ADR 22).

The index's writer (`search_entries_write`) asks for them once its transaction commits, through
the `embed_documents` job; `cultivate tick`, the demo and an import's end catch up on anything
left without one. When the encoder has not been built (`make embedder`), nothing is embedded and
search and similar questions work on words alone; the log says so once.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable, Sequence

import numpy as np
from django.conf import settings
from django.db import transaction

from cultivate.core.semantics.encoder import Encoder, EncoderMissing, load_encoder

from .models import Embedding, EmbeddingRevision, SearchDocument

log = logging.getLogger(__name__)

EMBEDDED_KINDS = ("question", "post", "document")
"""Thread heads: an answer is found through its question, and embedding answers would triple
the cost of every import for little gain in finding a thread."""
_BODY_CHARS = 1200
"""About the encoder's 256 tokens: text past it would be cut anyway."""
_BATCH = 256
_warned = False


def embedding_text(title: str, body: str) -> str:
    """Return the text a document is embedded from: its title, then the start of its body."""
    title = " ".join(title.split())
    body = " ".join(body[: _BODY_CHARS * 2].split())[:_BODY_CHARS]
    return f"{title}. {body}" if title and body else title or body


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def sentence_encoder() -> Encoder | None:
    """Return the process's encoder, or None (logged once) when it has not been built."""
    global _warned
    try:
        return load_encoder(settings.CULTIVATE_EMBEDDER_DIR)
    except EncoderMissing as missing:
        if not _warned:
            log.warning("%s Similar questions and search use words only.", missing)
            _warned = True
        return None


def vector_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def vector_of(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32)


def embeddings_update(document_ids: Iterable[int]) -> int:
    """Embed the given documents whose text changed since their last embedding; return how many.

    Documents of other kinds are skipped; work goes in batches, each written in one statement.
    """
    encoder = sentence_encoder()
    ids = sorted(set(document_ids))
    if encoder is None or not ids:
        return 0
    written = 0
    for start in range(0, len(ids), _BATCH * 8):
        written += _embed_batch(encoder, ids[start : start + _BATCH * 8])
    return written


def _embed_batch(encoder: Encoder, ids: Sequence[int]) -> int:
    documents = list(
        SearchDocument.objects.filter(pk__in=ids, kind__in=EMBEDDED_KINDS).values_list(
            "pk", "kind", "community_id", "title", "body"
        )
    )
    known = dict(
        Embedding.objects.filter(pk__in=[d[0] for d in documents], model=encoder.name).values_list(
            "pk", "text_hash"
        )
    )
    todo: list[tuple[int, str, int, str, str]] = []
    for pk, kind, community_id, title, body in documents:
        text = embedding_text(title, body)
        digest = text_hash(text)
        if known.get(pk) != digest:
            todo.append((pk, kind, community_id, text, digest))
    if not todo:
        return 0
    vectors = encoder.encode([item[3] for item in todo])
    rows = [
        Embedding(
            document_id=pk,
            community_id=community_id,
            kind=kind,
            model=encoder.name,
            text_hash=digest,
            vector=vector_bytes(vector),
        )
        for (pk, kind, community_id, _, digest), vector in zip(todo, vectors, strict=True)
    ]
    with transaction.atomic():
        Embedding.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["document"],
            update_fields=["community", "kind", "model", "text_hash", "vector", "updated_at"],
        )
        _revise({row.community_id for row in rows})
    return len(rows)


def _revise(community_ids: set[int]) -> None:
    """Give each community whose vectors were just written a new revision.

    A random one, not a counter: a community deleted and another created under the same id
    (SQLite hands ids out again) must not look current to a process that kept the old one."""
    revision = secrets.randbits(62)
    EmbeddingRevision.objects.bulk_create(
        [EmbeddingRevision(community_id=pk, revision=revision) for pk in community_ids],
        update_conflicts=True,
        unique_fields=["community"],
        update_fields=["revision"],
    )


def embeddings_catch_up(limit: int = 20_000) -> int:
    """Embed documents that have none yet (an interrupted job, an encoder built late)."""
    if sentence_encoder() is None:
        return 0
    missing = SearchDocument.objects.filter(
        kind__in=EMBEDDED_KINDS, embedding__isnull=True
    ).values_list("pk", flat=True)[:limit]
    return embeddings_update(list(missing))
