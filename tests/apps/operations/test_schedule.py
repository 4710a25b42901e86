"""One clock for the deployment: each periodic job runs once per slot, however many schedulers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from cultivate.apps.operations.models import ScheduledRun
from cultivate.apps.operations.schedule import Periodic, scheduler_pass, slot_of

NOON = datetime(2030, 1, 7, 12, 10, tzinfo=UTC)


def _counting() -> tuple[Periodic, list[datetime]]:
    runs: list[datetime] = []

    def run(now: datetime) -> str:
        runs.append(now)
        return "ran"

    return Periodic("count", timedelta(hours=1), run), runs


def test_a_slot_is_the_start_of_the_period_the_moment_falls_in():
    assert slot_of(NOON, timedelta(hours=1)) == datetime(2030, 1, 7, 12, tzinfo=UTC)
    assert slot_of(NOON, timedelta(minutes=1)) == NOON
    assert slot_of(NOON, timedelta(days=7)).weekday() == 0  # weekly slots start on Mondays


@pytest.mark.django_db
def test_a_second_scheduler_in_the_same_hour_runs_nothing_and_the_next_hour_runs_again():
    periodic, runs = _counting()
    assert scheduler_pass(NOON, by="a", schedule=(periodic,)) == [("count", "ran")]
    assert scheduler_pass(NOON + timedelta(minutes=40), by="b", schedule=(periodic,)) == []
    assert scheduler_pass(NOON + timedelta(hours=1), by="b", schedule=(periodic,)) == [
        ("count", "ran")
    ]
    assert len(runs) == 2
    assert list(ScheduledRun.objects.order_by("slot").values_list("claimed_by", flat=True)) == [
        "a",
        "b",
    ]


@pytest.mark.django_db
def test_a_failing_periodic_job_does_not_stop_the_others():
    def broken(now: datetime) -> str:
        raise RuntimeError("mail server away")

    periodic, _runs = _counting()
    done = scheduler_pass(
        NOON, by="a", schedule=(Periodic("broken", timedelta(hours=1), broken), periodic)
    )
    assert done == [("broken", "failed: mail server away"), ("count", "ran")]


@pytest.mark.django_db
def test_the_real_schedule_queues_the_due_jobs_once_an_hour():
    first = dict(scheduler_pass(NOON, by="a"))
    assert "event reminders" in first["due jobs"]
    assert "prune" in first
    assert "due jobs" not in dict(scheduler_pass(NOON + timedelta(seconds=30), by="b"))


@pytest.mark.django_db(transaction=True)
def test_eight_schedulers_at_once_run_each_job_once():
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL's concurrent transactions")
    periodic, runs = _counting()
    start = threading.Barrier(8)

    def one(name: str) -> None:
        start.wait()
        try:
            scheduler_pass(NOON, by=name, schedule=(periodic,))
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(f"s{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(runs) == 1
    assert ScheduledRun.objects.count() == 1
