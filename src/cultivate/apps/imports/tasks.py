"""Background jobs: import an uploaded export while the coordinator watches its progress."""

from __future__ import annotations

from django_tasks import TaskContext, task

from .jobs import import_job_resume, import_job_run
from .models import ImportJob


@task(takes_context=True)
def import_history(context: TaskContext, import_id: int) -> str:
    """Run the queued import with this id; return its final status.

    A second try means the first one's worker died mid-import: the job, left "Importing", starts
    again; whole batches already written are recognised and skipped (ADR 7), nothing is doubled.
    """
    if context.attempt > 1:
        import_job_resume(import_id)
    job = ImportJob.objects.select_related("community", "by").filter(pk=import_id).first()
    if job is None:  # deleted before a worker got to it
        return "missing"
    return import_job_run(job=job).status
