"""Background jobs: import an uploaded export while the coordinator watches its progress."""

from __future__ import annotations

from django_tasks import task

from .jobs import import_job_resume, import_job_run
from .models import ImportJob


@task()
def import_history(import_id: int) -> str:
    """Run the queued import with this id; return its final status.

    Found "Importing" or failed, the job was cut short (its worker died or was stopped, the queue
    gave up and an operator ran it again): it starts again, and the whole batches already
    written are recognised and skipped (ADR 7), so nothing is doubled.
    """
    import_job_resume(import_id)
    job = ImportJob.objects.select_related("community", "by").filter(pk=import_id).first()
    if job is None:  # deleted before a worker got to it
        return "missing"
    return import_job_run(job=job).status
