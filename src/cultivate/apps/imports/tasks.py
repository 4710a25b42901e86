"""Background jobs: import an uploaded export while the coordinator watches its progress."""

from __future__ import annotations

from django_tasks import task

from .jobs import import_job_run
from .models import ImportJob


@task()
def import_history(import_id: int) -> str:
    """Run the queued import with this id; return its final status."""
    job = ImportJob.objects.select_related("community", "by").filter(pk=import_id).first()
    if job is None:  # deleted before a worker got to it
        return "missing"
    return import_job_run(job=job).status
