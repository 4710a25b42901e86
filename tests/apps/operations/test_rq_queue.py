"""The scale-out queue, RQ on a real Redis: the same tries, and the end told once, after the last."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import redis
from django_tasks.signals import task_finished

from tests.apps.operations.jobs_for_tests import count_a_run, fail_and_count


@pytest.fixture
def rq_connection() -> redis.Redis:
    """The local Redis, emptied of this test database's jobs; skip without it, fail in CI."""
    from django.conf import settings

    url = settings.RQ_QUEUES["default"]["URL"]
    connection = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not answering at {url}; CI must provide it")
        pytest.skip(f"Redis is not answering at {url}")
    connection.flushdb()
    yield connection
    connection.flushdb()


def _work(connection: redis.Redis) -> None:
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=connection, job_class=Job).work(burst=True)


def test_a_job_on_rq_runs_on_a_worker(rq_connection, tmp_path):
    counter = tmp_path / "c"
    result = count_a_run.using(backend="rq").enqueue(str(counter))
    _work(rq_connection)
    assert counter.read_text().splitlines() == ["run"]
    result.refresh()
    assert result.status.name == "SUCCESSFUL"


def test_a_failing_job_on_rq_is_tried_every_time_allowed_and_its_end_told_once(
    rq_connection, tmp_path, settings
):
    settings.CULTIVATE_JOB_ATTEMPTS = 3
    settings.CULTIVATE_JOB_RETRY_SECONDS = 0  # tried again at once, so one burst sees them all
    ends = []

    def heard(sender: object, task_result: object, **kwargs: object) -> None:
        ends.append(task_result)

    task_finished.connect(heard)
    try:
        counter = tmp_path / "c"
        result = fail_and_count.using(backend="rq").enqueue(str(counter))
        _work(rq_connection)
    finally:
        task_finished.disconnect(heard)
    assert Path(counter).read_text().splitlines() == ["try", "try", "try"]
    assert len(ends) == 1
    assert ends[0].status.name == "FAILED"
    result.refresh()
    assert result.status.name == "FAILED"


@pytest.fixture
def redis_away(monkeypatch):
    """RQ pointed at a port where no Redis listens, as when Redis is down."""
    from django_rq.settings import QUEUES

    monkeypatch.setitem(QUEUES, "default", {"URL": "redis://127.0.0.1:1/15"})


@pytest.mark.django_db
def test_a_job_queued_while_redis_is_down_waits_in_the_database_with_a_log_line(
    rq_connection, redis_away, tmp_path, caplog
):
    from django_tasks_db.models import DBTaskResult

    counter = tmp_path / "c"
    with caplog.at_level("WARNING", logger="cultivate.jobs"):
        result = count_a_run.using(backend="rq").enqueue(str(counter))
    assert result.backend == "waiting"
    assert DBTaskResult.objects.filter(pk=result.id, backend_name="waiting").exists()
    assert "Redis is not answering" in caplog.text
    assert result.id in caplog.text
    assert not counter.exists()


@pytest.mark.django_db
def test_the_waiting_jobs_stay_in_the_database_while_redis_is_still_down(
    rq_connection, redis_away, tmp_path
):
    from django_tasks import task_backends
    from django_tasks_db.models import DBTaskResult

    count_a_run.using(backend="rq").enqueue(str(tmp_path / "c"))
    assert task_backends["rq"].waiting_jobs_forward() == 0
    assert DBTaskResult.objects.filter(backend_name="waiting").count() == 1


@pytest.mark.django_db
def test_the_waiting_jobs_move_to_rq_when_redis_answers_and_run_once(
    rq_connection, tmp_path, monkeypatch
):
    from django_rq.settings import QUEUES
    from django_tasks import task_backends
    from django_tasks_db.models import DBTaskResult

    counters = [tmp_path / "a", tmp_path / "b"]
    answering = dict(QUEUES["default"])
    monkeypatch.setitem(QUEUES, "default", {"URL": "redis://127.0.0.1:1/15"})
    waiting = [count_a_run.using(backend="rq").enqueue(str(counter)) for counter in counters]
    monkeypatch.setitem(QUEUES, "default", answering)

    assert task_backends["rq"].waiting_jobs_forward() == 2
    assert task_backends["rq"].waiting_jobs_forward() == 0
    assert not DBTaskResult.objects.filter(backend_name="waiting").exists()
    _work(rq_connection)
    assert [counter.read_text().splitlines() for counter in counters] == [["run"], ["run"]]
    moved = task_backends["rq"].get_result(waiting[0].id)
    assert moved.status.name == "SUCCESSFUL"
