"""How long an uploaded export is kept: exports hold people's names, addresses and messages,
so they do not linger once their import has ended.

A finished import's export is deleted at its end, or CULTIVATE_KEEP_UPLOADS_DAYS later when that is
set; a failed one is kept at least FAILED_KEEP_DAYS so "Import again" can use it. The daily prune
(operations/schedule.py) deletes what has outstayed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import ImportJob, JobStatus
from .storage import export_discard

FAILED_KEEP_DAYS = 7


def keep_done() -> timedelta:
    return timedelta(days=max(0, int(getattr(settings, "CULTIVATE_KEEP_UPLOADS_DAYS", 0))))


def keep_failed() -> timedelta:
    return max(keep_done(), timedelta(days=FAILED_KEEP_DAYS))


def upload_deleted_on(job: ImportJob) -> datetime | None:
    """When the job's export goes (None while the job runs, or once it is gone)."""
    if job.file_deleted_at is not None or job.finished_at is None:
        return None
    keep = keep_done() if job.status == JobStatus.DONE else keep_failed()
    return job.finished_at + keep


def upload_discard(job: ImportJob, now: datetime | None = None) -> None:
    """Delete the job's export now and note it on the job (the page says so)."""
    export_discard(job.file_path)
    ImportJob.objects.filter(pk=job.pk).update(file_deleted_at=now or timezone.now())


def upload_discard_if_done(job: ImportJob) -> None:
    """At the end of a successful import: delete its export unless it is to be kept a while."""
    if job.status == JobStatus.DONE and not keep_done():
        upload_discard(job)


def uploads_prune(now: datetime | None = None) -> int:
    """Delete the exports of imports that ended longer ago than they are kept; return how many."""
    now = now or timezone.now()
    outstayed = ImportJob.objects.filter(file_deleted_at__isnull=True).filter(
        Q(status=JobStatus.DONE, finished_at__lte=now - keep_done())
        | Q(status=JobStatus.FAILED, finished_at__lte=now - keep_failed())
    )
    jobs = list(outstayed)
    for job in jobs:
        upload_discard(job, now)
    return len(jobs)
