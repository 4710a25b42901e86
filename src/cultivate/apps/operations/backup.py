"""`cultivate backup` and `cultivate restore`: a copy of the database that is known to restore.

PostgreSQL is dumped by pg_dump in its custom format (restored by pg_restore); SQLite is copied
by its online backup API, consistent while Cultivate keeps running. Beside the copy, a manifest
records every table's row count and a checksum of the Activity stream; a restore recomputes them
on the restored database and says whether they match, so a backup is proven, not hoped for.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ACTIVITY_TABLE = "insights_activityrecord"
ACTIVITY_COLUMNS = (
    "id, source, external_id, community_id, actor_id, verb, object_type, object_pk, parent_type, "
    "parent_pk, target_actor_id, at, text, meta"
)


_DJANGO_OPTIONS = frozenset(
    {"isolation_level", "assume_role", "server_side_binding", "pool", "cursor_factory", "context"}
)


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What a database holds, in brief: rows per table and the Activity stream's checksum."""

    rows: dict[str, int]
    activity_checksum: str

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "activity_checksum": self.activity_checksum}

    def differences(self, other: Fingerprint) -> list[str]:
        """Name every table whose count differs, and the checksum when it does."""
        tables = sorted(set(self.rows) | set(other.rows))
        found = [
            f"{t}: {self.rows.get(t, 'missing')} rows, then {other.rows.get(t, 'missing')}"
            for t in tables
            if self.rows.get(t) != other.rows.get(t)
        ]
        if self.activity_checksum != other.activity_checksum:
            found.append("the Activity stream's checksum differs")
        return found


def _is_postgres(database: dict[str, Any]) -> bool:
    return str(database["ENGINE"]).endswith("postgresql")


def _pg_environment(database: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for pg_dump and pg_restore (the password never on the command line)."""
    from django.db.backends.postgresql.client import DatabaseClient

    # Django's own translation carries what OPTIONS adds: sslmode and certificates, passfile,
    # service; the host, port, user and database come as variables too.
    _arguments, variables = DatabaseClient.settings_to_cmd_args_env(database, [])
    variables = dict(variables or {}) | {
        "PGHOST": str(database.get("HOST") or ""),
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": str(database.get("USER") or ""),
        "PGDATABASE": str(database["NAME"]),
    }
    return os.environ | {k: v for k, v in variables.items() if v}


def _connect(database: dict[str, Any]) -> Any:
    if _is_postgres(database):
        import psycopg

        libpq = {  # OPTIONS that are libpq's (sslmode, options...), not Django's own
            k: v for k, v in (database.get("OPTIONS") or {}).items() if k not in _DJANGO_OPTIONS
        }
        return psycopg.connect(
            **libpq,
            dbname=database["NAME"],
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            autocommit=True,  # transactions are opened explicitly (backup_write's snapshot)
        )
    name = str(database["NAME"])
    return sqlite3.connect(name, uri=name.startswith("file:"))


def fingerprint(database: dict[str, Any]) -> Fingerprint:
    """Count every table's rows and checksum the Activity stream, reading the database directly."""
    with closing(_connect(database)) as conn:
        return _fingerprint_of(conn, postgres=_is_postgres(database))


def _fingerprint_of(conn: Any, *, postgres: bool) -> Fingerprint:
    cursor = conn.cursor()
    if postgres:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    tables = sorted(row[0] for row in cursor.fetchall())
    rows = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        rows[table] = int(cursor.fetchone()[0])
    digest = hashlib.sha256()
    if ACTIVITY_TABLE in rows:
        cursor.execute(f"SELECT {ACTIVITY_COLUMNS} FROM {ACTIVITY_TABLE} ORDER BY id")  # noqa: S608
        while batch := cursor.fetchmany(5000):
            for row in batch:
                digest.update(repr(tuple(str(value) for value in row)).encode())
    return Fingerprint(rows, digest.hexdigest())


def _manifest(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def backup_write(database: dict[str, Any], path: Path) -> Fingerprint:
    """Copy the database to `path` (and its manifest beside it); return what it holds.

    Only the owner may read the files: they hold password hashes and open sessions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = os.umask(0o077)
    try:
        return _backup_write(database, path)
    finally:
        os.umask(previous)


def _backup_write(database: dict[str, Any], path: Path) -> Fingerprint:
    partial = path.with_name(path.name + ".partial")
    if _is_postgres(database):
        # The dump and the fingerprint read one snapshot, so the manifest matches the dump
        # exactly even while people keep writing.
        with closing(_connect(database)) as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            command = ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}"]
            _run([*command, "--file", str(partial)], database)
            print_ = _fingerprint_of(conn, postgres=True)
            conn.execute("ROLLBACK")
    else:
        with closing(_connect(database)) as source, closing(sqlite3.connect(partial)) as target:
            source.backup(target)
            print_ = _fingerprint_of(target, postgres=False)
    partial.replace(path)  # a backup file is whole or absent, never half-written
    _manifest(path).write_text(json.dumps(print_.as_dict(), indent=1), encoding="utf-8")
    return print_


def restore_read(database: dict[str, Any], path: Path, *, replace: bool = False) -> list[str]:
    """Restore the backup at `path` into the database; return how it differs from the manifest.

    Refuses a database that already holds tables unless `replace`, so a restore never mixes
    two histories. An empty list means every count and the checksum match.
    """
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    existing = fingerprint(database).rows
    if existing and not replace:
        raise BackupError(
            f"The database {database['NAME']} already holds {len(existing)} tables; restore into "
            "a fresh database, or pass --replace to overwrite it."
        )
    if _is_postgres(database):
        command = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction"]
        if existing:
            command += ["--clean", "--if-exists"]
        _run([*command, "--dbname", str(database["NAME"]), str(path)], database)
    else:
        target = Path(str(database["NAME"]))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".restoring")
        shutil.copyfile(path, partial)
        with closing(sqlite3.connect(partial)) as check:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"The backup {path} is damaged (SQLite's integrity check).")
        for suffix in ("-wal", "-shm"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        partial.replace(target)
    manifest = _manifest(path)
    if not manifest.is_file():
        return [f"no manifest beside the backup ({manifest.name}): nothing to compare"]
    expected = json.loads(manifest.read_text(encoding="utf-8"))
    recorded = Fingerprint(expected["rows"], expected["activity_checksum"])
    return recorded.differences(fingerprint(database))


def _run(command: list[str], database: dict[str, Any]) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is not installed: install PostgreSQL's client (postgresql-client)."
        )
    done = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
        command, env=_pg_environment(database), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()[:2000]}")
