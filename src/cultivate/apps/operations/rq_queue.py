"""The scale-out queue: RQ on Redis (CULTIVATE_TASKS_BACKEND=rq), with the same retry policy.

django-tasks-rq queues each job once; this backend gives it RQ's Retry with the database queue's
delays (queue.retry_delay), so a failed job is tried again later on any machine's worker. RQ
itself puts back the jobs of a worker that died (its started-job registry is cleaned by the other
workers), and `rqworker --with-scheduler` runs the delayed tries.

When Redis does not answer, a job is not lost and the request that queued it does not fail: the
job waits in the database (the backend OPTIONS' WAITING_BACKEND, a django-tasks-db backend that no
worker runs) with a log line saying so, and the scheduler moves the waiting jobs to RQ as soon as
Redis answers again (`waiting_jobs_forward`).
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any

import django_rq
from django.db import transaction
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_db.models import DBTaskResult
from django_tasks_rq.backend import Job, RQBackend, failed_callback, success_callback
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Retry
from rq.callbacks import Callback
from rq.job import JobStatus

from .queue import attempts_allowed, retry_delay

logger = logging.getLogger("cultivate.jobs")

REDIS_AWAY = (RedisConnectionError, RedisTimeoutError)
WAITING_BACKEND = "waiting"
"""The database backend a job waits in while Redis is away, unless OPTIONS name another."""


def failed_after_last_try(
    job: Job,
    connection: Redis | None,
    exception_class: type[Exception],
    exception_value: Exception,
    traceback: TracebackType,
) -> None:
    """Tell the app a job failed only after its last try: RQ calls back after every one."""
    if job.retries_left:
        return
    failed_callback(job, connection, exception_class, exception_value, traceback)


class RetryingRQBackend(RQBackend):
    """django-tasks-rq's backend, each job carrying RQ's Retry, waiting in the database when
    Redis is away."""

    @property
    def waiting_backend(self) -> str:
        return str(self.options.get("WAITING_BACKEND", WAITING_BACKEND))

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any]:
        try:
            return self.rq_enqueue(task, args, kwargs, job_id=get_random_id())
        except REDIS_AWAY as error:
            waiting = task.using(backend=self.waiting_backend).enqueue(*args, **kwargs)
            logger.warning(
                "Redis is not answering (%s): job %s (%s) waits in the database until it does",
                error,
                waiting.id,
                task.name,
            )
            return waiting

    def waiting_jobs_forward(self, *, limit: int = 500) -> int:
        """Move the jobs that waited in the database to RQ, oldest first; return how many.

        Stops at the first refusal (Redis still away); safe on several schedulers at once.
        """
        moved = 0
        with transaction.atomic():
            waiting = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .ready()
                .filter(backend_name=self.waiting_backend)
                .order_by("-priority", "enqueued_at")[:limit]
            )
            for row in waiting:
                args_kwargs = row.args_kwargs
                try:
                    self.rq_enqueue(
                        row.task.using(backend=self.alias),
                        args_kwargs["args"],
                        args_kwargs["kwargs"],
                        job_id=str(row.id),
                    )
                except REDIS_AWAY:
                    break
                row.delete()
                moved += 1
        if moved:
            logger.info("Redis answers again: %d jobs that waited moved to RQ", moved)
        return moved

    def rq_enqueue(
        self, task: Task[Any, Any], args: Any, kwargs: Any, *, job_id: str
    ) -> TaskResult[Any]:
        """Queue the job on RQ under `job_id`; raise Redis's error when Redis is away."""
        self.validate_task(task)
        result: TaskResult[Any] = TaskResult(
            task=task,
            id=job_id,
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        retries = attempts_allowed() - 1
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_after_last_try),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
            retry=Retry(
                max=retries,
                interval=[int(retry_delay(n).total_seconds()) for n in range(1, retries + 1)],
            )
            if retries
            else None,
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=result)
        return result
