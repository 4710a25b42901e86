"""Find documents by meaning: the nearest embeddings within communities a person may see.

Each process keeps one vector index per community (kind and object of every row beside it) and
checks it against the database with one small query per search: the revision of each
community's embeddings (`EmbeddingRevision`, moved by every write). A changed community is read
again; the rest stay in memory.
Visibility is the caller's: pass only community ids the person may see; hidden content is left
out when the caller reads the hits' rows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import QuerySet

from cultivate.core.semantics.nearest import VectorIndex

from .embeddings import sentence_encoder, vector_of
from .models import Embedding, EmbeddingRevision

__all__ = ["MeaningHit", "encode_query", "nearest_documents"]

_MAX_QUERY_CHARS = 1000


@dataclass(frozen=True, slots=True)
class MeaningHit:
    """A document close in meaning to the query: `similarity` is the cosine, 1 at best."""

    kind: str
    object_pk: int
    community_id: int
    similarity: float


@dataclass(frozen=True)
class _CommunityIndex:
    stamp: int
    index: VectorIndex
    kinds: np.ndarray
    object_pks: np.ndarray


_indexes: dict[int, _CommunityIndex] = {}
_lock = threading.Lock()


_RECENT_QUERIES = 1024
"""Queries whose vectors a process keeps: encoding one is 7 ms of a search's time, and people
search for the same few words again and again (1.5 KB each)."""
_recent: OrderedDict[str, tuple[object, np.ndarray]] = OrderedDict()


def encode_query(text: str) -> np.ndarray | None:
    """Return the query's vector, or None when there is no encoder or nothing to encode.

    The vector is read-only: it may be the one kept from the same query a moment ago.
    """
    text = " ".join(text.replace("\x00", "").split())[:_MAX_QUERY_CHARS]
    encoder = sentence_encoder()
    if encoder is None or not text:
        return None
    with _lock:
        kept = _recent.get(text)
        if kept is not None and kept[0] is encoder:
            _recent.move_to_end(text)
            return kept[1]
    vector: np.ndarray = encoder.encode([text])[0]
    vector.setflags(write=False)
    with _lock:
        _recent[text] = (encoder, vector)
        if len(_recent) > _RECENT_QUERIES:
            _recent.popitem(last=False)
    return vector


def nearest_documents(
    vector: np.ndarray,
    community_ids: Iterable[int] | QuerySet[Any],
    *,
    kinds: Sequence[str] = ("question",),
    k: int = 20,
    min_similarity: float = 0.0,
) -> list[MeaningHit]:
    """Return up to k documents of these kinds in these communities, most alike first.

    `community_ids` may be a subquery of ids: it is read within the one query that checks
    the indexes are current."""
    hits: list[MeaningHit] = []
    for community_id, entry in _current_indexes(community_ids).items():
        allowed = np.isin(entry.kinds, list(kinds))
        for row, similarity in entry.index.nearest(vector, k, allowed=allowed):
            if similarity >= min_similarity:
                hits.append(
                    MeaningHit(
                        kind=str(entry.kinds[row]),
                        object_pk=int(entry.object_pks[row]),
                        community_id=community_id,
                        similarity=similarity,
                    )
                )
    hits.sort(key=lambda hit: -hit.similarity)
    return hits[:k]


def _current_indexes(
    community_ids: Iterable[int] | QuerySet[Any],
) -> dict[int, _CommunityIndex]:
    """Return each community's index, reading again those whose embeddings changed."""
    if not isinstance(community_ids, QuerySet):
        community_ids = list(community_ids)
        if not community_ids:
            return {}
    stamps = dict(
        EmbeddingRevision.objects.filter(community_id__in=community_ids).values_list(
            "community_id", "revision"
        )
    )
    current: dict[int, _CommunityIndex] = {}
    for community_id, stamp in stamps.items():
        with _lock:
            entry = _indexes.get(community_id)
        if entry is None or entry.stamp != stamp:
            entry = _read_index(community_id, stamp)
            with _lock:
                _indexes[community_id] = entry
        current[community_id] = entry
    return current


def _read_index(community_id: int, stamp: int) -> _CommunityIndex:
    rows = list(
        Embedding.objects.filter(community_id=community_id)
        .order_by("pk")
        .values_list("kind", "document__object_pk", "vector")
    )
    matrix = (
        np.vstack([vector_of(vector) for _, _, vector in rows])
        if rows
        else np.zeros((0, 384), np.float32)
    )
    positions = np.arange(len(rows), dtype=np.int64)
    return _CommunityIndex(
        stamp=stamp,
        index=VectorIndex.build(positions, matrix),
        kinds=np.array([kind for kind, _, _ in rows], dtype=object),
        object_pks=np.array([pk for _, pk, _ in rows], dtype=np.int64),
    )
