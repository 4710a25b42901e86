"""The job queue's promises: a failed job is tried again later; a job whose worker died is kept.

Jobs live in django-tasks-db's table (ADR 23). Each try is one claim by a worker (its id is added
to the job's `worker_ids`), so the number of tries is the length of that list. A job that raises
goes back to the queue after a growing delay until CULTIVATE_JOB_ATTEMPTS tries have failed, then
stays failed for the operator (the Background jobs page). A job whose worker stopped beating
(killed, out of memory, machine gone) is put back by any live worker; past its tries
it fails with the reason.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from traceback import format_exception
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from .models import WorkerBeat

AnyJob = DBTaskResult[Any, Any]

logger = logging.getLogger("cultivate.queue")

READY, RUNNING = TaskResultStatus.READY.value, TaskResultStatus.RUNNING.value
LONGEST_DELAY = timedelta(hours=1)


class WorkerLost(RuntimeError):
    """The worker running a job stopped beating before the job finished."""


class JobTimedOut(RuntimeError):
    """A job ran longer than CULTIVATE_JOB_TIMEOUT_SECONDS: stuck (a hung socket, a lock)."""


def attempts_allowed() -> int:
    """How many times a job is tried before it stays failed."""
    return max(1, int(getattr(settings, "CULTIVATE_JOB_ATTEMPTS", 4)))


def beat_seconds() -> float:
    """How often a worker says it is alive."""
    return float(getattr(settings, "CULTIVATE_WORKER_BEAT_SECONDS", 10))


def lost_after() -> timedelta:
    """A worker silent this long is taken for dead: six missed beats."""
    return timedelta(seconds=6 * beat_seconds())


def job_timeout() -> timedelta:
    """How long a job may run before its worker gives it up as stuck."""
    return timedelta(seconds=float(getattr(settings, "CULTIVATE_JOB_TIMEOUT_SECONDS", 3 * 3600)))


def retry_delay(tries: int) -> timedelta:
    """Wait before the next try: the base delay, four times longer after each failure, <= 1 h."""
    base = float(getattr(settings, "CULTIVATE_JOB_RETRY_SECONDS", 30))
    return min(timedelta(seconds=base * 4 ** max(tries - 1, 0)), LONGEST_DELAY)


def job_failure_handle(job: AnyJob, error: BaseException, now: datetime) -> bool:
    """Put a job that raised back in the queue, or fail it for good; say if it will run again."""
    tries = len(job.worker_ids)
    if tries < attempts_allowed():
        job.status = READY
        job.run_after = now + retry_delay(tries)
        job.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
        job.traceback = "".join(format_exception(error))
        job.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])
        logger.warning(
            "job %s (%s) failed on try %d of %d, tried again after %s: %s",
            job.id, job.task_path, tries, attempts_allowed(), job.run_after.isoformat(), error,
        )  # fmt: skip
        return True
    job_failed_for_good(job, error)
    return False


def job_failed_for_good(job: AnyJob, error: BaseException) -> None:
    """Fail the job with its error, for the operator's page, and tell the app that queued it."""
    job.set_failed(error)
    logger.error(
        "job %s (%s) failed after %d tries: %s", job.id, job.task_path, len(job.worker_ids), error
    )
    _tell_finished(job)


def job_still_mine(job: AnyJob, worker_id: str) -> bool:
    """Whether the job is still running on this worker (not taken back while it ran)."""
    now = DBTaskResult.objects.filter(pk=job.pk).values_list("status", "worker_ids").first()
    mine = now is not None and now[0] == RUNNING and bool(now[1]) and now[1][-1] == worker_id
    if not mine:
        logger.warning(
            "job %s was taken back from worker %s: its outcome is dropped", job.id, worker_id
        )
    return mine


def job_interrupted_requeue(job: AnyJob) -> None:
    """Give back a job its worker was told to stop in the middle of: the try does not count."""
    job.status = READY
    job.run_after = timezone.now()
    job.worker_ids = job.worker_ids[:-1]
    job.save(update_fields=["status", "run_after", "worker_ids"])
    logger.warning("job %s (%s) interrupted by shutdown, back in the queue", job.id, job.task_path)


def orphaned_jobs_recover(now: datetime | None = None) -> int:
    """Put back (or fail, past their tries) the running jobs whose worker stopped beating.

    Safe to run from every worker at once: the rows are locked while they are read.
    """
    now = now or timezone.now()
    alive = set(
        WorkerBeat.objects.filter(seen_at__gte=now - lost_after()).values_list(
            "worker_id", flat=True
        )
    )
    recovered = 0
    with exclusive_transaction(DBTaskResult.objects.db):
        running = DBTaskResult.objects.running().filter(started_at__lt=now - lost_after())
        for job in running.select_for_update(skip_locked=True):
            worker = job.worker_ids[-1] if job.worker_ids else ""
            if worker in alive:
                continue
            recovered += 1
            lost = WorkerLost(f"the worker {worker or '?'} running it stopped answering")
            if len(job.worker_ids) < attempts_allowed():
                job.status = READY
                job.run_after = now
                job.exception_class_path = f"{__name__}.WorkerLost"
                job.traceback = str(lost)
                job.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])
                logger.warning("job %s (%s): %s; back in the queue", job.id, job.task_path, lost)
            else:
                job.set_failed(lost)
                logger.error("job %s (%s): %s; failed for good", job.id, job.task_path, lost)
                transaction.on_commit(partial(_tell_finished, job))
    WorkerBeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return recovered


def _tell_finished(job: AnyJob) -> None:
    """Send django-tasks' finished signal, so the app that queued the job can record its end."""
    try:
        result = job.task_result
        task_finished.send(sender=type(result.task.get_backend()), task_result=result)
    except (ImportError, SuspiciousOperation):  # the job's code is gone, or is no task
        logger.exception("job %s finished but its task %s is gone", job.id, job.task_path)
