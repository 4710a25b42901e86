"""Reads for the operator's Background jobs page: the queue's state, the workers, what failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import ScheduledRun, WorkerBeat
from .queue import AnyJob, lost_after


@dataclass(frozen=True, slots=True)
class FailedJob:
    id: str
    task: str
    tries: int
    reason: str
    finished_at: datetime | None


def queue_counts() -> dict[str, int]:
    """Jobs waiting, running, failed for good (kept 30 days) and done in the last day."""
    by_status = dict(
        DBTaskResult.objects.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    done_today = DBTaskResult.objects.successful().filter(
        finished_at__gte=timezone.now() - timedelta(days=1)
    )
    return {
        "waiting": by_status.get("READY", 0),
        "running": by_status.get("RUNNING", 0),
        "failed": by_status.get("FAILED", 0),
        "done_today": done_today.count(),
    }


def workers_alive() -> list[WorkerBeat]:
    """The workers beating now, the longest-running first."""
    since = timezone.now() - lost_after()
    return list(WorkerBeat.objects.filter(seen_at__gte=since).order_by("started_at"))


def _reason(job: AnyJob) -> str:
    """The exception's class and the traceback's last line: enough to know where to look."""
    last = job.traceback.strip().splitlines()[-1] if job.traceback.strip() else ""
    name = job.exception_class_path.rsplit(".", 1)[-1]
    return last if last.startswith(name) else f"{name}: {last}".strip(": ")


def jobs_failed(limit: int = 50) -> list[FailedJob]:
    """The jobs that failed for good, newest first."""
    failed = DBTaskResult.objects.failed().order_by("-finished_at")[:limit]
    return [
        FailedJob(str(job.id), job.task_name, len(job.worker_ids), _reason(job), job.finished_at)
        for job in failed
    ]


def scheduled_recently(limit: int = 20) -> list[ScheduledRun]:
    """The periodic slots claimed lately, with the scheduler that ran each."""
    return list(ScheduledRun.objects.order_by("-claimed_at")[:limit])
