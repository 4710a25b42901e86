"""The job queue keeps its promises: retried with backoff, never lost, failures shown to operators."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from cultivate.apps.imports.models import ImportJob, JobStatus
from cultivate.apps.operations.models import WorkerBeat
from cultivate.apps.operations.queue import orphaned_jobs_recover, retry_delay
from cultivate.apps.operations.selectors import jobs_failed, queue_counts
from cultivate.apps.operations.services import job_run_again
from cultivate.apps.operations.worker import BeatingWorker

pytestmark = pytest.mark.django_db

TASKS = "tests.apps.operations.jobs_for_tests"


def _queued(task: str, **kwargs: object) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=f"{TASKS}.{task}" if "." not in task else task,
        args_kwargs={"args": [], "kwargs": kwargs},
        backend_name="queue",
        run_after=get_date_max(),
    )


def _worker(worker_id: str = "w-test") -> BeatingWorker:
    return BeatingWorker(
        queue_names=["*"], interval=0, batch=True, backend_name="queue", startup_delay=False,
        max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
    )  # fmt: skip


def _claim_and_run(job: DBTaskResult, worker: BeatingWorker) -> DBTaskResult:
    job.refresh_from_db()
    job.claim(worker.worker_id)
    worker.run_task(job)
    job.refresh_from_db()
    return job


def test_a_failing_job_is_tried_again_later_each_wait_longer_then_stays_failed(tmp_path, settings):
    settings.CULTIVATE_JOB_ATTEMPTS = 3
    settings.CULTIVATE_JOB_RETRY_SECONDS = 10
    flag = tmp_path / "flag"
    flag.write_text("up")
    job = _queued("fail_while_flagged", flag=str(flag))
    worker = _worker()
    waits = []
    for _ in range(2):
        before = timezone.now()
        job = _claim_and_run(job, worker)
        assert job.status == "READY"
        waits.append(job.run_after - before)
        assert "flag" in job.traceback
    assert waits[0] >= timedelta(seconds=10)
    assert waits[1] >= timedelta(seconds=40) > waits[0]
    job = _claim_and_run(job, worker)
    assert job.status == "FAILED"
    assert len(job.worker_ids) == 3
    [failed] = jobs_failed()
    assert failed.tries == 3
    assert "flag" in failed.reason
    assert failed.task == "fail_while_flagged"
    assert queue_counts()["failed"] == 1


def test_an_operator_runs_a_failed_job_again_and_it_succeeds_once_the_cause_is_gone(
    tmp_path, settings, make_user
):
    settings.CULTIVATE_JOB_ATTEMPTS = 1
    flag = tmp_path / "flag"
    flag.write_text("up")
    job = _claim_and_run(_queued("fail_while_flagged", flag=str(flag)), _worker())
    assert job.status == "FAILED"
    member = make_user()
    with pytest.raises(PermissionDenied):
        job_run_again(job_id=str(job.id), by=member)
    operator = make_user(is_staff=True)
    flag.unlink()
    assert job_run_again(job_id=str(job.id), by=operator)
    job = _claim_and_run(job, _worker())
    assert job.status == "SUCCESSFUL"
    assert job.return_value == "done"
    assert not job_run_again(job_id=str(job.id), by=operator)


def test_the_delay_between_tries_grows_fourfold_and_never_passes_an_hour(settings):
    settings.CULTIVATE_JOB_RETRY_SECONDS = 30
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 120, 480]
    assert retry_delay(20) == timedelta(hours=1)


def test_a_job_whose_worker_stopped_beating_goes_back_to_the_queue(tmp_path):
    job = _queued("count_a_run", counter=str(tmp_path / "c"))
    long_ago = timezone.now() - timedelta(minutes=10)
    WorkerBeat.objects.create(worker_id="dead", host="h", pid=1, seen_at=long_ago)
    job.claim("dead")
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=long_ago)
    assert orphaned_jobs_recover() == 1
    job.refresh_from_db()
    assert job.status == "READY"
    assert "dead" in job.traceback
    job = _claim_and_run(job, _worker())
    assert job.status == "SUCCESSFUL"
    assert job.return_value == 1


def test_a_job_whose_worker_is_alive_is_left_running(tmp_path):
    job = _queued("count_a_run", counter=str(tmp_path / "c"))
    WorkerBeat.objects.create(worker_id="alive", host="h", pid=1)
    job.claim("alive")
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=1))
    assert orphaned_jobs_recover() == 0
    job.refresh_from_db()
    assert job.status == "RUNNING"


def test_an_import_whose_workers_all_died_is_marked_failed_with_the_reason_and_can_run_again(
    community, coordinator, settings, client
):
    settings.CULTIVATE_JOB_ATTEMPTS = 2
    imported = ImportJob.objects.create(
        community=community, by=coordinator, file_path="/nowhere/x.zip", file_name="x.zip",
        status=JobStatus.RUNNING,
    )  # fmt: skip
    job = _queued("cultivate.apps.imports.tasks.import_history", import_id=imported.pk)
    long_ago = timezone.now() - timedelta(minutes=10)
    DBTaskResult.objects.filter(pk=job.pk).update(
        status="RUNNING", worker_ids=["gone-1", "gone-2"], started_at=long_ago
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert orphaned_jobs_recover() == 1
    job.refresh_from_db()
    imported.refresh_from_db()
    assert job.status == "FAILED"
    assert imported.status == JobStatus.FAILED
    assert "gone-2" in imported.message
    client.force_login(coordinator)
    page = client.get(f"/imports/jobs/{imported.pk}/")
    assert "Import again" in page.content.decode()
    client.post(f"/imports/jobs/{imported.pk}/again/")
    imported.refresh_from_db()
    # The immediate backend of the tests ran it at once: the missing file fails it, saying so.
    assert imported.status == JobStatus.FAILED
    assert "could not be read" in imported.message


def test_the_jobs_page_is_for_operators_only(client, make_user):
    client.force_login(make_user())
    assert client.get("/operations/jobs/").status_code == 403
    client.force_login(make_user(is_staff=True))
    page = client.get("/operations/jobs/")
    assert page.status_code == 200
    assert "No worker is running" in page.content.decode()


def test_the_worker_gives_back_the_job_it_was_told_to_stop_in_the_middle_of(tmp_path, monkeypatch):
    job = _queued("count_a_run", counter=str(tmp_path / "c"))
    worker = _worker()
    job.claim(worker.worker_id)

    def interrupted(*args: object, **kwargs: object) -> None:
        raise SystemExit(1)

    monkeypatch.setattr(type(job.task), "call", interrupted)
    with pytest.raises(SystemExit):
        worker.run_task(job)
    job.refresh_from_db()
    assert job.status == "READY"
    assert job.worker_ids == []
    assert not Path(tmp_path / "c").exists()


def test_an_operator_running_a_given_up_import_again_completes_it(
    community, coordinator, make_user, data_dir
):
    imported = ImportJob.objects.create(
        community=community, by=coordinator, file_path=str(data_dir / "se-beer-meta"),
        file_name="se-beer-meta", status=JobStatus.FAILED, message="the worker stopped",
    )  # fmt: skip
    job = _queued("cultivate.apps.imports.tasks.import_history", import_id=imported.pk)
    DBTaskResult.objects.filter(pk=job.pk).update(status="FAILED", worker_ids=["a", "b", "c", "d"])
    assert job_run_again(job_id=str(job.id), by=make_user(is_staff=True))
    job = _claim_and_run(job, _worker())
    assert job.status == "SUCCESSFUL"
    imported.refresh_from_db()
    assert imported.status == JobStatus.DONE
    assert imported.message == ""
    assert imported.counts["created"]["questions"] > 50
