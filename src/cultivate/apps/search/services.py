"""Keep the search index in step with content; the sharing services call these in their transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cultivate.core.markup import plain_text

from .models import SearchDocument

if TYPE_CHECKING:
    from cultivate.apps.sharing.models import Answer, Post, Question


def _kind(obj: Post | Question | Answer) -> str:
    return obj._meta.model_name or ""


def search_index_update(obj: Post | Question | Answer) -> None:
    """Write the content's current text, tags and visibility into the index."""
    from cultivate.apps.sharing.models import Answer, Question

    tags = list(obj.tags.values_list("name", flat=True)) if isinstance(obj, Question) else []

    kind = _kind(obj)
    if isinstance(obj, Answer):
        title = obj.question.title
        question_pk: int | None = obj.question_id
    else:
        title = getattr(obj, "title", "")
        question_pk = obj.pk if kind == "question" else None
    SearchDocument.objects.update_or_create(
        kind=kind,
        object_pk=obj.pk,
        defaults={
            "community_id": obj.community_id,
            "question_pk": question_pk,
            "title": title,
            "body": plain_text(obj.body, limit=100_000),
            "tags": " ".join(tags),
            "created_at": obj.created_at,
            "is_hidden": obj.is_hidden,
        },
    )


def search_index_set_hidden(obj: Post | Question | Answer) -> None:
    """Hide or show the content in results when a coordinator hides or restores it."""
    SearchDocument.objects.filter(kind=_kind(obj), object_pk=obj.pk).update(is_hidden=obj.is_hidden)
