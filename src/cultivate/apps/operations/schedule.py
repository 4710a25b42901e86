"""`cultivate scheduler`: the one clock of a deployment, safe to run on several machines at once.

Each periodic job has a period; its slot is the start of the current period. A scheduler runs a
job only after inserting the (job, slot) row of ScheduledRun, and the unique constraint lets one
insert win whichever machine tries first, so a job runs once per slot however many schedulers run.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult

from cultivate.apps.accounts.services import login_attempts_prune, unfinished_sign_ups_prune
from cultivate.apps.imports.retention import uploads_prune
from cultivate.apps.notifications.services import notifications_prune
from cultivate.apps.people.tasks import personal_data_exports_prune

from .models import ScheduledRun
from .periodic import enqueue_due_jobs

logger = logging.getLogger("cultivate.scheduler")

KEEP_FINISHED = timedelta(days=30)
"""Finished jobs and claimed slots are kept this long for the operator, then pruned."""
EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday: weekly slots start on Mondays


@dataclass(frozen=True, slots=True)
class Periodic:
    name: str
    every: timedelta
    run: Callable[[datetime], str]


def _due_jobs(now: datetime) -> str:
    return "; ".join(f"{item.job}: {item.detail}" for item in enqueue_due_jobs(now))


def _prune(now: datetime) -> str:
    jobs, _ = DBTaskResult.objects.finished().filter(finished_at__lt=now - KEEP_FINISHED).delete()
    runs, _ = ScheduledRun.objects.filter(slot__lt=now - KEEP_FINISHED).delete()
    sign_ups = unfinished_sign_ups_prune()
    uploads = uploads_prune(now)
    notices = notifications_prune(now=now)
    logins = login_attempts_prune(now=now)
    copies = personal_data_exports_prune()
    return (
        f"{jobs} finished jobs, {runs} slots, {sign_ups} unfinished sign-ups, {uploads} uploaded "
        f"exports, {notices} notifications, {logins} login records and {copies} copies of "
        "personal data pruned"
    )


SCHEDULE: tuple[Periodic, ...] = (
    Periodic("due jobs", timedelta(hours=1), _due_jobs),
    Periodic("prune", timedelta(days=1), _prune),
)
"""Reminders, closings, summaries, digests, coffee rounds and snapshots are the hourly "due jobs"
(periodic.py decides which are due); each is safe to run again, so a missed hour costs nothing."""


def slot_of(now: datetime, every: timedelta) -> datetime:
    """Return the start of the period `now` falls in (periods counted from a fixed Monday)."""
    periods = (now - EPOCH) // every
    return EPOCH + periods * every


def slot_claim(job: str, slot: datetime, by: str, now: datetime) -> bool:
    """Insert the slot's row; say whether this scheduler won it."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job, slot=slot, claimed_by=by, claimed_at=now)
    except IntegrityError:
        return False
    return True


def scheduler_pass(
    now: datetime | None = None, *, by: str = "", schedule: tuple[Periodic, ...] = SCHEDULE
) -> list[tuple[str, str]]:
    """Run every job whose current slot no scheduler has claimed yet; return (job, outcome)."""
    now = now or timezone.now()
    by = by or socket.gethostname()
    done = []
    for periodic in schedule:
        if not slot_claim(periodic.name, slot_of(now, periodic.every), by, now):
            continue
        try:
            outcome = periodic.run(now)
        except Exception as error:  # the next slot tries again; the others still run
            logger.exception("scheduled %s failed", periodic.name)
            outcome = f"failed: {error}"
        logger.info("scheduled %s: %s", periodic.name, outcome)
        done.append((periodic.name, outcome))
    return done


def scheduler_loop(stop: threading.Event, *, interval: float = 20.0) -> None:
    """Pass every `interval` seconds until `stop` is set."""
    by = f"{socket.gethostname()}:{threading.get_native_id()}"
    while not stop.is_set():
        close_old_connections()
        try:
            scheduler_pass(by=by)
            waiting_jobs_forward()
        except Exception:  # the database is away: say so and try at the next pass
            logger.exception("the scheduler could not pass")
        stop.wait(interval)


def waiting_jobs_forward() -> int:
    """Move the jobs that waited in the database for the queue's broker (RQ's Redis) to it."""
    forward = getattr(default_task_backend, "waiting_jobs_forward", None)
    return int(forward()) if forward is not None else 0
