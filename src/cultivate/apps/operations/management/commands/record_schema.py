"""`manage.py record_schema` (`make schema`): write the schema the migrations build on SQLite.

Run after adding or changing a migration; `migrate` builds an empty SQLite database from it, and
the suite fails while it is stale (tests/apps/operations/test_schema_snapshot.py).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cultivate.apps.operations.schema_snapshot import SNAPSHOT_PATH, record_snapshot


class Command(BaseCommand):
    help = "Replay every migration into a new SQLite file and record the schema it builds."

    def handle(self, *args: Any, **options: Any) -> None:
        snapshot = record_snapshot()
        self.stdout.write(
            f"Recorded the schema of {len(snapshot.migrations)} migrations in {SNAPSHOT_PATH}"
        )
