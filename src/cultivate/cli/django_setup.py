"""Start Django for a command-line run: settings, the database folder, the migrations check.

Every command that touches the database calls `setup_django` first; the commands live in
`main.py` and in modules of their own (`import_command.py`), which all import from here.
"""

from __future__ import annotations

import os
from pathlib import Path


def setup_django() -> None:
    """Configure Django before any app is imported; local settings unless told otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cultivate.config.settings.local")
    import django

    django.setup()
    from django.conf import settings

    # A command-line run serves no pages, so DEBUG's record of every query only costs time
    # (a twentieth of the demo load) and memory that grows with the run.
    settings.DEBUG = False
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and str(database["NAME"]) != ":memory:":
        # SQLite cannot create the folder its file lives in (var/ in a fresh checkout).
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)


def unapplied_migrations() -> int:
    """Count the migrations the database still lacks (commands refuse to run on a stale one)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
