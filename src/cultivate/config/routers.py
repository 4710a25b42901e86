"""Send the analytics' and reports' reads to the read replica when DATABASE_REPLICA_URL is set.

Only reads made inside `replica_reads()` go there (apps/replica.py marks them): the health
engine's activity scans, the portfolio and the reports, which tolerate a replica's lag of a few
seconds. Everything else, and every write, stays on the primary, so a person always reads back
what they just wrote.
"""

from __future__ import annotations

from typing import Any

from cultivate.apps.replica import reading_from_replica


class ReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return "replica" if reading_from_replica() else None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"  # the replica follows the primary's schema by replication
