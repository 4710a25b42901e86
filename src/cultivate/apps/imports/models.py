"""What an import remembers so that running it again adds nothing: who is who, what is what."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cultivate.apps.communities.models import Community


class ImportedIdentity(models.Model):
    """A person of another platform (source + actor key) and the account that stands for them."""

    source = models.CharField(max_length=30)
    key = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_identities"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "imported identities"
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="one_account_per_imported_key")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.key} -> {self.user_id}"


class ImportedObject(models.Model):
    """An object of another platform (a question, message, comment) and the row made from it.

    `root_type`/`root_pk` name the thread it belongs to (the question or post), so replies and
    votes arriving in a later batch or a later run find their place without extra queries.
    """

    community = models.ForeignKey(
        Community, null=True, on_delete=models.CASCADE, related_name="+"
    )  # null only for rows whose content was gone when communities were added
    source = models.CharField(max_length=30)
    external_id = models.CharField(max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_pk = models.PositiveBigIntegerField()
    root_type = models.CharField(max_length=30, blank=True)
    root_pk = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "source", "external_id"],
                name="one_row_per_imported_object_and_community",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_pk"])]

    def __str__(self) -> str:
        return f"{self.source} {self.external_id} -> {self.content_type_id}:{self.object_pk}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Waiting to start")
    RUNNING = "running", gettext_lazy("Importing")
    DONE = "done", gettext_lazy("Done")
    FAILED = "failed", gettext_lazy("Failed")


class ImportJob(models.Model):
    """An export a coordinator uploaded, imported in the background; the page shows its progress."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_path = models.CharField(max_length=500)
    file_name = models.CharField(max_length=255)
    source = models.CharField(
        max_length=20, blank=True, help_text=gettext_lazy("Empty: detect from the files.")
    )
    keep_names = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Keep people's names and e-mail addresses; otherwise they are imported under "
            "pseudonyms."
        ),
    )
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_deleted_at = models.DateTimeField(
        null=True, blank=True, help_text=gettext_lazy("When the uploaded file was deleted.")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self) -> str:
        return f"import {self.pk} of {self.file_name} into {self.community_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
