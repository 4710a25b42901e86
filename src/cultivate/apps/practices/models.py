"""Best practices: markdown documents members write together, revision by revision.

A Document keeps its newest text (the head) beside the full history in Revision, so reading a
document needs one row and every earlier version stays whole for diffs and for blame.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cultivate.apps.communities.models import Community

if TYPE_CHECKING:
    from cultivate.apps.sharing.models import Question


class Status(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    REVIEW = "review", gettext_lazy("In review")
    PUBLISHED = "published", gettext_lazy("Published")


class Document(models.Model):
    """A best practice: its head text, where it is in the workflow, and when it needs a look."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Who carries it through review besides the author: an agenda topic's owner, for example.
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    body_html = models.TextField(editable=False, blank=True)
    head_number = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The agenda (a later app) links a topic here; a free key until its model exists.
    topic_key = models.CharField(max_length=100, blank=True)
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The revision the community last vouched for: at publication, then at each re-review.
    vouched_number = models.PositiveIntegerField(null=True, blank=True)
    review_by = models.DateField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outdated_reason = models.CharField(max_length=500, blank=True)
    outdated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outdated_at = models.DateTimeField(null=True, blank=True)
    questions: models.ManyToManyField[Question, QuestionLink] = models.ManyToManyField(
        "sharing.Question", blank=True, related_name="practices", through="QuestionLink"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["community", "-updated_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:document", args=[self.community.slug, self.pk])

    @property
    def is_hidden(self) -> bool:
        """Documents are never hidden; the search index asks every kind of content."""
        return False

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def edited_since_publication(self) -> bool:
        return self.is_published and (self.vouched_number or 0) < self.head_number

    def review_overdue(self, today: date | None = None) -> bool:
        """Tell whether a published document's review-by date has passed."""
        today = today or timezone.localdate()
        return self.is_published and self.review_by is not None and self.review_by < today

    def outdated_because(self, today: date | None = None) -> str:
        """Return why the document is marked outdated, or '' when it is not."""
        if self.outdated_reason:
            return self.outdated_reason
        if self.review_overdue(today):
            assert self.review_by is not None
            day = dateformat.format(self.review_by, "j M Y")
            return _("Its review-by date (%(day)s) has passed.") % {"day": day}
        return ""


class Revision(models.Model):
    """One save of a document: who, why, when, and the full markdown text as saved."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The revision the writer started from; differs from number - 1 when the save was merged.
    base_number = models.PositiveIntegerField(null=True, blank=True)
    merged = models.BooleanField(default=False)
    # A section added on someone else's behalf (a help request's contribution) credits them.
    credit = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} r{self.number}"


class Verdict(models.TextChoices):
    REQUESTED = "requested", gettext_lazy("Review requested")
    APPROVED = "approved", gettext_lazy("Approved")
    CHANGES = "changes", gettext_lazy("Changes requested")


class Review(models.Model):
    """A reviewer's standing verdict on a document; asking again resets it to requested."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices, default=Verdict.REQUESTED)
    comment = models.TextField(blank=True)
    revision_number = models.PositiveIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "reviewer"], name="one_review_per_reviewer")
        ]


class QuestionLink(models.Model):
    """A question the document answers; shown on both pages."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey("sharing.Question", on_delete=models.CASCADE, related_name="+")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "question"], name="one_link_per_question")
        ]
