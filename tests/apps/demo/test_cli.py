"""The `cultivate demo` command, driven as a person would run it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.cli.main import app

runner = CliRunner()
ARGS = ["demo", "--people", "40", "--months", "6", "--as-of", "2025-03-31", "--seed", "3"]


def test_the_demo_command_loads_once_then_says_already_loaded(db: None) -> None:
    first = runner.invoke(app, ARGS)
    assert first.exit_code == 0, first.output
    assert "demo-password-1" in first.output
    assert "admin-password-1" in first.output
    assert "40 people, 8 communities" in first.output
    assert User.objects.count() == 40
    assert Community.objects.count() == 8

    second = runner.invoke(app, ARGS)
    assert second.exit_code == 0, second.output
    assert "demo organisation already loaded" in second.output
    assert User.objects.count() == 40


def test_with_migrate_the_demo_command_applies_pending_migrations_first(
    transactional_db: None, encoder_dir: Path
) -> None:
    from django.core.management import call_command

    call_command("migrate", "sharing", "zero", verbosity=0)
    try:
        refused = runner.invoke(app, ARGS)
        assert refused.exit_code == 1
        assert "unapplied migrations" in refused.output

        loaded = runner.invoke(app, [*ARGS, "--migrate"])
        assert loaded.exit_code == 0, loaded.output
        assert "Applying" in loaded.output
        assert "40 people, 8 communities" in loaded.output
        # The demo's questions are read by meaning once it commits (similar questions, search).
        from cultivate.apps.search.models import Embedding
        from cultivate.apps.sharing.models import Question

        assert Embedding.objects.filter(kind="question").count() == Question.objects.count()
    finally:
        call_command("migrate", verbosity=0)


def test_a_bad_as_of_date_is_refused_naming_the_option(db: None) -> None:
    result = runner.invoke(app, ["demo", "--as-of", "last tuesday"])
    assert result.exit_code == 2
    assert "--as-of" in result.output
    assert not User.objects.exists()


def test_the_demo_refuses_to_load_over_someone_using_a_demo_login(
    make_user: Callable[..., User],
) -> None:
    make_user("admin")
    result = runner.invoke(app, ARGS)
    assert result.exit_code == 1
    assert "admin" in result.output
    assert "empty database" in result.output
    assert User.objects.count() == 1
    assert not Community.objects.exists()


def test_the_demo_queues_embedding_and_routing_for_the_worker_and_says_so(
    db: None, settings
) -> None:
    from django_tasks_db.models import DBTaskResult

    from cultivate.apps.operations.worker import BeatingWorker
    from cultivate.apps.sharing.models import RoutedQuestion

    settings.TASKS = settings.TASKS | {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}  # as `make run` has it
    }
    loaded = runner.invoke(app, ARGS)
    assert loaded.exit_code == 0, loaded.output
    assert "cultivate worker" in loaded.output
    job = DBTaskResult.objects.get(task_path="cultivate.apps.demo.tasks.demo_questions_route")
    assert not RoutedQuestion.objects.exists()  # the load did not wait for it

    worker = BeatingWorker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="w-demo", excluded_queue_names=[],
    )  # fmt: skip
    job.claim(worker.worker_id)
    worker.run_task(job)
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    assert RoutedQuestion.objects.exists()
