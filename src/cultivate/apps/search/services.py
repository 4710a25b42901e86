"""Keep the search index in step with content; sharing services call these in their transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cultivate.core.markup import plain_text

from .models import SearchDocument

if TYPE_CHECKING:
    from cultivate.apps.sharing.models import Answer, Post, Question


def _kind(obj: Post | Question | Answer) -> str:
    return obj._meta.model_name or ""


# The selectors mark matches with these two characters; keep them out of the indexed text.
_SENTINELS = str.maketrans("", "", "\x02\x03")


def _body_text(body: str) -> str:
    """Return the body as people read it, without the characters the snippets use as markers."""
    return plain_text(body, limit=100_000).translate(_SENTINELS)


def search_index_update(obj: Post | Question | Answer) -> None:
    """Write the content's current text, tags and visibility into the index."""
    from cultivate.apps.sharing.models import Answer, Question

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
            "body": _body_text(obj.body),
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


def search_index_set_hidden(obj: Post | Question | Answer) -> None:
    """Hide or show the content in results when a coordinator hides or restores it."""
    SearchDocument.objects.filter(kind=_kind(obj), object_pk=obj.pk).update(is_hidden=obj.is_hidden)
