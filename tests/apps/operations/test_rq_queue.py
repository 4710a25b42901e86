"""The scale-out queue, RQ on a real Redis: the same tries, and the end told once, after the last."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import redis
from django_tasks.signals import task_finished

from tests.apps.operations.jobs_for_tests import count_a_run, fail_and_count

URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def rq_connection() -> redis.Redis:
    """The local Redis, emptied of this test database's jobs; skip without it, fail in CI."""
    connection = redis.Redis.from_url(URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not answering at {URL}; CI must provide it")
        pytest.skip(f"Redis is not answering at {URL}")
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
