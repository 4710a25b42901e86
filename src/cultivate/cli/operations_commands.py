"""The commands that run a deployment: `worker`, `scheduler`, `backup`, `restore`.

main.py registers them on the `cultivate` script; each configures Django itself.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .django_setup import setup_django

console = Console()
errors = Console(stderr=True)


def worker(
    queues: Annotated[
        str, typer.Option(help="The queues to take jobs from, comma-separated; * for all.")
    ] = "*",
    scheduler: Annotated[
        bool,
        typer.Option(
            "--scheduler", help="Also run the scheduler in this process (`make run` does)."
        ),
    ] = False,
    batch: Annotated[
        bool, typer.Option("--batch", help="Run the waiting jobs, then stop.")
    ] = False,
) -> None:
    """Run background jobs: imports, e-mails, snapshots. Start as many as the load needs, anywhere.

    Ctrl-C (or SIGTERM) lets the running job finish; a second one gives the job back to the queue.
    """
    setup_django()
    from django.conf import settings

    stop = threading.Event()
    if scheduler:
        from cultivate.apps.operations.schedule import scheduler_loop

        threading.Thread(target=scheduler_loop, args=(stop,), name="scheduler", daemon=True).start()
    backend = settings.TASKS["default"]["BACKEND"]
    try:
        if "RQ" in backend:
            from django.core.management import call_command

            call_command(
                "rqworker",
                *queues.replace("*", "default").split(","),
                with_scheduler=True,
                burst=batch,
            )
        elif backend.startswith("django_tasks_db"):
            from cultivate.apps.operations.worker import worker_run

            console.print(f"Worker taking jobs from {queues} (Ctrl-C to stop).")
            worker_run(queues=queues, batch=batch)
        else:
            errors.print(f"The task backend {backend} runs jobs in the request: no worker needed.")
            raise typer.Exit(1)
    finally:
        stop.set()


def scheduler(
    once: Annotated[
        bool, typer.Option("--once", help="Pass once and stop (cron can run this).")
    ] = False,
    interval: Annotated[float, typer.Option(min=1, help="Seconds between passes.")] = 20.0,
) -> None:
    """Queue the periodic jobs (reminders, digests, coffee rounds, snapshots) when they are due.

    Safe to run on several machines at once: each job's slot is claimed in the database, so it
    runs once.
    """
    setup_django()
    from cultivate.apps.operations.schedule import scheduler_loop, scheduler_pass

    if once:
        for job, outcome in scheduler_pass():
            console.print(f"{job}: {outcome}")
        return
    console.print("Scheduler running (Ctrl-C to stop).")
    stop = threading.Event()
    try:
        scheduler_loop(stop, interval=interval)
    except KeyboardInterrupt:
        stop.set()


def backup(
    path: Annotated[
        Path, typer.Argument(help="Where to write the backup (a manifest goes beside it).")
    ],
) -> None:
    """Back up the database (pg_dump's custom format, or SQLite's online backup) while serving."""
    setup_django()
    from django.conf import settings

    from cultivate.apps.operations.backup import BackupError, backup_write

    try:
        written = backup_write(settings.DATABASES["default"], path)
    except BackupError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    rows = sum(written.rows.values())
    console.print(f"Backed up {len(written.rows)} tables, {rows:,} rows, to {path}.")


def restore(
    path: Annotated[Path, typer.Argument(help="The backup `cultivate backup` wrote.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite a database that already holds tables.")
    ] = False,
) -> None:
    """Restore a backup into the configured (fresh) database and check it against its manifest."""
    setup_django()
    from django.conf import settings

    from cultivate.apps.operations.backup import BackupError, restore_read

    try:
        differences = restore_read(settings.DATABASES["default"], path, replace=replace)
    except BackupError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    if differences:
        for line in differences:
            errors.print(f"[yellow]{line}[/yellow]")
        raise typer.Exit(2)
    console.print(f"Restored {path}: every table's row count and the Activity checksum match.")
