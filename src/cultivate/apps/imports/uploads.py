"""Receive an uploaded export: check who may, store it, and queue its import.

The queued job runs `jobs.import_job_run` in the background (`tasks.import_history`).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from cultivate.apps.audit.services import audit_record
from cultivate.apps.communities.models import Community

from .models import ImportJob, JobStatus
from .permissions import check_import
from .storage import export_store
from .tasks import import_history

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User

UPLOAD_SUFFIXES = (
    ".zip",
    ".xml",
    ".json",
    ".jsonl",
    ".ndjson",
    ".csv",
    ".mbox",
    ".mbx",
    ".txt",
    ".gz",
)


def import_job_create(
    *,
    community: Community,
    by: User,
    upload: UploadedFile,
    source: str = "",
    keep_names: bool = False,
) -> ImportJob:
    """Store an uploaded export and queue its import; only the community's coordinators may.

    People are imported under pseudonyms unless `keep_names` (ADR 28).
    """
    check_import(by, community)
    name = get_valid_filename(PurePosixPath(upload.name or "export").name) or "export"
    stored = export_store(upload, name)
    with transaction.atomic():
        job = ImportJob.objects.create(
            community=community,
            by=by,
            file_path=stored,
            file_name=name,
            source=source,
            keep_names=keep_names,
        )
        audit_record(
            action="import.upload",
            actor=by,
            community=community,
            subject=f"{name} (import {job.pk})",
            after={"source": source or "detect", "bytes": upload.size, "keep_names": keep_names},
        )
    import_history.enqueue(import_id=job.pk)
    job.refresh_from_db()
    return job


def import_job_again(*, job: ImportJob, by: User) -> ImportJob:
    """Queue a failed import again from its stored export; only the community's coordinators may.

    What the first run wrote is recognised and skipped, so the second completes it.
    """
    check_import(by, job.community)
    if job.file_deleted_at is not None:
        raise ValidationError(
            _("Its uploaded file was deleted: upload the export again."), code="upload_deleted"
        )
    again = ImportJob.objects.filter(
        pk=job.pk, status=JobStatus.FAILED, file_deleted_at__isnull=True
    ).update(status=JobStatus.QUEUED, progress=0, counts={}, message="", finished_at=None)
    if again:
        audit_record(
            action="import.again",
            actor=by,
            community=job.community,
            subject=f"{job.file_name} (import {job.pk})",
            before={"status": "failed"},
            after={"status": "queued"},
        )
        import_history.enqueue(import_id=job.pk)
    job.refresh_from_db()
    return job
