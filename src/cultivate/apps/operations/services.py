"""Writes for the operator: run a failed job again.

Only operators (permissions.check_operate) may; the job goes back to the queue whole, its tries
counted afresh, so a fixed cause (a full disk, a bad setting) needs no one to re-upload anything.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cultivate.apps.accounts.models import User
from cultivate.apps.audit.services import audit_record

from .permissions import check_operate


def job_run_again(*, job_id: str, by: User) -> bool:
    """Put a failed job back in the queue; say whether there was such a failed job."""
    check_operate(by)
    with transaction.atomic():
        job = DBTaskResult.objects.failed().select_for_update().filter(pk=job_id).first()
        if job is None:
            return False
        job.status = "READY"
        job.run_after = timezone.now()
        job.worker_ids = []
        job.started_at = job.finished_at = None
        job.save(update_fields=["status", "run_after", "worker_ids", "started_at", "finished_at"])
        audit_record(
            action="job.run_again",
            actor=by,
            subject=f"{job.task_path} ({job.pk})",
            before={"status": "FAILED"},
            after={"status": "READY"},
        )
    return True
