"""One searchable row per post, question and answer; each database indexes it in its own way."""

from __future__ import annotations

from django.db import models

from cultivate.apps.communities.models import Community


class SearchDocument(models.Model):
    """The plain text of a piece of content, kept in step with it by the sharing services.

    On SQLite an FTS5 table mirrors it through triggers; on PostgreSQL a generated tsvector
    column with a GIN index does (see the migrations).
    """

    kind = models.CharField(max_length=10)  # post, question, answer
    object_pk = models.PositiveBigIntegerField()
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    question_pk = models.PositiveBigIntegerField(null=True, blank=True)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    tags = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField()
    is_hidden = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_pk"], name="one_document_per_content")
        ]
        indexes = [
            models.Index(fields=["community", "kind"]),
            # Search ranks the newest matches of a common word: walking this finds them at once.
            models.Index(fields=["-created_at", "-id"], name="search_newest_first"),
            # Every search leaves out answers to hidden questions: the few hidden ones, at once.
            models.Index(
                fields=["object_pk"],
                condition=models.Q(kind="question", is_hidden=True),
                name="search_hidden_questions",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_pk}: {self.title}"


class Embedding(models.Model):
    """What a question, post or best practice means, as a unit vector (ADR 22).

    Written by a background job after each write (and in bulk after an import or the demo);
    `text_hash` says which text it was computed from, so an unchanged text is not encoded again.
    Answers are not embedded: search and similar questions find them through their question.
    """

    document = models.OneToOneField(
        SearchDocument, primary_key=True, on_delete=models.CASCADE, related_name="embedding"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)
    model = models.CharField(max_length=40)
    text_hash = models.CharField(max_length=16)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["community", "kind"])]

    def __str__(self) -> str:
        return f"embedding of {self.document_id}"


class EmbeddingRevision(models.Model):
    """Changes each time a community's embeddings are written, so a process can tell in one
    small query whether the vectors it keeps in memory are current (search.meaning).

    A deleted document leaves its vector in a process's memory until the next write; whatever
    the neighbours find is read again from the index, so it is never shown.
    """

    community = models.OneToOneField(
        Community, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    revision = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"embeddings of {self.community_id}: revision {self.revision}"
