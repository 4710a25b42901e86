"""What the queue's workers and schedulers share through the database.

A worker proves it is alive by its beat; a job whose worker stopped beating is picked up again
(queue.orphaned_jobs_recover). A scheduler claims each periodic slot by inserting its row: the
unique constraint lets exactly one of any number of schedulers run it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class WorkerBeat(models.Model):
    """One running worker process: where it runs and when it last said it was alive."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    jobs_done = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.host} (pid {self.pid})"


class ScheduledRun(models.Model):
    """A periodic job's slot (its hour, say), claimed by the one scheduler that ran it."""

    job = models.CharField(max_length=80)
    slot = models.DateTimeField()
    claimed_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_slot")]
        indexes = [models.Index(fields=["-claimed_at"])]

    def __str__(self) -> str:
        return f"{self.job} at {self.slot:%Y-%m-%d %H:%M} by {self.claimed_by}"
