"""`cultivate worker`: django-tasks-db's worker with a beat, retries and recovery of lost jobs.

The upstream worker claims a job, runs it and marks it successful or failed. This one also
beats (a thread writes WorkerBeat every few seconds and, from time to time, puts back the jobs of
workers that stopped beating), tries a failed job again later (queue.job_failure_handle), and
gives back the job it was running when told to stop.

A job stuck in a live worker (a socket that never answers, a lock never released) cannot be
stopped from inside Python, so the beat gives it up: past CULTIVATE_JOB_TIMEOUT_SECONDS the job
counts a failed try and the worker process exits with EXIT_JOB_STUCK, for its supervisor
(systemd's Restart=always) to start a fresh one.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import close_old_connections, connection
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskContext
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import WorkerBeat
from .queue import (
    AnyJob,
    JobTimedOut,
    beat_seconds,
    job_failed_for_good,
    job_failure_handle,
    job_interrupted_requeue,
    job_still_mine,
    job_timeout,
    lost_after,
    orphaned_jobs_recover,
)

logger = logging.getLogger("cultivate.queue")

EXIT_JOB_STUCK = 70
"""The worker's exit status when it gave up a stuck job (EX_SOFTWARE)."""


class BeatingWorker(Worker):
    """A database worker that proves it is alive and never loses a job."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._stop_beating = threading.Event()
        self._running: tuple[Any, float] | None = None  # the job and when it started

    def run(self) -> None:
        self.beat()
        beating = threading.Thread(target=self._beat_forever, name="worker-beat", daemon=True)
        beating.start()
        try:
            super().run()
        finally:
            self._stop_beating.set()
            beating.join(timeout=beat_seconds() + 5)
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()

    def beat(self) -> None:
        """Say this worker is alive (and where it runs, for the operator's page)."""
        WorkerBeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"host": socket.gethostname(), "pid": os.getpid(), "seen_at": timezone.now()},
        )

    def _beat_forever(self) -> None:
        beats_between_recoveries = max(1, round(lost_after().total_seconds() / beat_seconds() / 2))
        count = 0
        try:
            while not self._stop_beating.wait(beat_seconds()):
                try:
                    close_old_connections()
                    self.beat()
                    self._give_up_a_stuck_job()
                    count += 1
                    if count % beats_between_recoveries == 0:
                        orphaned_jobs_recover()
                except Exception:  # a database hiccup must not stop the beat for good
                    logger.exception("worker %s could not beat", self.worker_id)
        finally:
            connection.close()

    def _give_up_a_stuck_job(self) -> None:
        """Past the timeout, fail the running job's try and end this process (see above)."""
        running = self._running
        limit = job_timeout()
        if running is None or time.monotonic() - running[1] < limit.total_seconds():
            return
        job = DBTaskResult.objects.filter(pk=running[0]).first()
        if job is None or not job_still_mine(job, self.worker_id):
            return
        error = JobTimedOut(
            f"ran longer than {limit}: its worker gave it up and stopped, to be started again"
        )
        job_failure_handle(job, error, timezone.now())
        WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
        logger.error(
            "job %s (%s) ran longer than %s: worker %s exits with status %d",
            job.id, job.task_path, limit, self.worker_id, EXIT_JOB_STUCK,
        )  # fmt: skip
        logging.shutdown()
        os._exit(EXIT_JOB_STUCK)

    def run_task(self, db_task_result: AnyJob) -> None:
        """Run one claimed job; on failure try again later, on shutdown give it back.

        A job whose code is gone (removed, or not a task) fails at once: no try could help.
        The outcome is written only while the job is still this worker's: one taken back
        from it (it missed its beats, yet lived) belongs to the worker that took it.
        """
        self.running_task = True
        self._running = (db_task_result.pk, time.monotonic())
        try:
            try:
                task = db_task_result.task
            except (ImportError, SuspiciousOperation) as error:
                if job_still_mine(db_task_result, self.worker_id):
                    job_failed_for_good(db_task_result, error)
                return
            task_result = db_task_result.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=task_result)
            context = TaskContext(task_result=task_result)
            arguments = (context, *task_result.args) if task.takes_context else task_result.args
            value = task.call(*arguments, **task_result.kwargs)
            if job_still_mine(db_task_result, self.worker_id):
                db_task_result.set_successful(value)
                task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
                WorkerBeat.objects.filter(worker_id=self.worker_id).update(
                    jobs_done=F("jobs_done") + 1
                )
        except (KeyboardInterrupt, SystemExit):
            if job_still_mine(db_task_result, self.worker_id):
                job_interrupted_requeue(db_task_result)
            raise
        except Exception as error:
            logger.exception("job %s (%s) raised", db_task_result.id, db_task_result.task_path)
            if job_still_mine(db_task_result, self.worker_id):
                job_failure_handle(db_task_result, error, timezone.now())
        finally:
            self._running = None
            self.running_task = False
            self._run_tasks += 1


def worker_run(
    *, queues: str = "*", interval: float = 1.0, batch: bool = False, max_tasks: int | None = None
) -> None:
    """Run a database worker until stopped (or, with batch, until the queue is empty)."""
    worker = BeatingWorker(
        queue_names=queues.split(","),
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=max_tasks,
        worker_id=f"{socket.gethostname()[:40]}-{get_random_string(12)}",
        excluded_queue_names=[],
    )
    worker.configure_signals()
    orphaned_jobs_recover()
    worker.run()
