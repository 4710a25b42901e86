"""What every part of the web benchmark shares: its paths, console, progress bars, Django env.

The parts, driven by bench/run.py: web_render.py renders the text once in the parent,
web_load.py loads one database in a forked child (its own Django setup, the text shared without
copying), web_server.py serves it with gunicorn and web_measure.py measures it, which needs no
Django: it is plain HTTP against 127.0.0.1.
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SETTINGS = "cultivate.config.settings.local"
console = Console()


def progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    )


def django_env(database_url: str) -> dict[str, str]:
    """Return the environment of every process that touches the bench database (DEBUG off)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        CULTIVATE_DEBUG="0",
        DATABASE_URL=database_url,
        CULTIVATE_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        # Benchmark clients are a few people asking hundreds of times a second from one
        # address: the rate limits would answer 429, which is not what is measured.
        CULTIVATE_RATE_LIMITS="false",
    )
    return env
