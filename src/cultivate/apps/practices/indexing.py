"""How best practices read in the search index and on its result cards (registered in
PracticesConfig.ready)."""

from __future__ import annotations

from cultivate.apps.search.cards import CardDetails
from cultivate.apps.search.services import IndexEntry, index_body, index_title

from .models import Document


def document_entries(documents: list[Document]) -> list[IndexEntry]:
    """Return the index entries of a batch of documents: their head text, never hidden."""
    return [
        IndexEntry(
            kind="document",
            object_pk=d.pk,
            community_id=d.community_id,
            title=index_title(d.title),
            body=index_body(d.body, d.body_html),
            created_at=d.created_at,
            is_hidden=False,
        )
        for d in documents
    ]


def document_cards(pks: list[int]) -> dict[int, CardDetails]:
    """What a search result card says of a best practice: who started it."""
    rows = Document.objects.filter(pk__in=pks).select_related("author")
    return {
        d.pk: CardDetails(author_name=d.author.name, author_username=d.author.username)
        for d in rows
    }
