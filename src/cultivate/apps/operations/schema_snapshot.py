"""A new SQLite database built from the recorded schema instead of replaying 100 migrations.

Replaying every migration into an empty SQLite file takes 13-18 s on a slow machine, nearly all
of it Django re-rendering model states (each change to a model related to Person re-renders
about thirty models): the largest part of a first `make run` and of every test process's
database. A fully migrated empty database is always the same, so `make schema` records it once
(`schema/sqlite.sql`: its tables, indexes and triggers in order, and the migrations that built
it with a hash of each file), and `migrate` on an empty SQLite database runs that script in one
transaction and records the migrations as applied, as Rails loads `schema.rb` (ADR 30).

The contract: the script is used only when every migration on disk is one it was built from,
byte for byte; otherwise `migrate` replays the migrations as before. A test builds the schema
both ways and compares them, so a stale script fails the suite instead of drifting.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps as installed_apps
from django.db import router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

SNAPSHOT_PATH = Path(__file__).with_name("schema") / "sqlite.sql"
_MIGRATIONS_LINE = "-- migrations: "
_TABLELESS_LINE = "-- apps without tables: "
_RECREATED_BY_SIGNALS = frozenset({"django_migrations", "django_content_type", "auth_permission"})
"""Rows the snapshot leaves out: `migrate` records its migrations, post_migrate the rest."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A recorded schema: the SQL that builds it and what it was built from."""

    migrations: dict[str, str]
    """'app.name' of every migration replayed to build it, with a SHA-256 of its file."""
    tableless_apps: frozenset[str]
    """Apps whose migrations made no table: they may be absent where the script is run."""
    script: str


def migration_hashes(loader: MigrationLoader) -> dict[str, str]:
    """'app.name' to a SHA-256 of the migration's file, for every migration on disk."""
    hashes = {}
    for (app_label, name), migration in loader.disk_migrations.items():
        source = Path(inspect.getfile(type(migration)))
        hashes[f"{app_label}.{name}"] = hashlib.sha256(source.read_bytes()).hexdigest()
    return dict(sorted(hashes.items()))


def read_snapshot(path: Path = SNAPSHOT_PATH) -> Snapshot | None:
    """The recorded schema, or None when there is none or its header cannot be read (then the
    migrations are replayed, and the suite's test of the recorded schema says to rewrite it)."""
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    migrations: dict[str, str] = {}
    tableless: list[str] = []
    try:
        for line in text.splitlines():
            if line.startswith(_MIGRATIONS_LINE):
                migrations = dict(json.loads(line.removeprefix(_MIGRATIONS_LINE)))
            elif line.startswith(_TABLELESS_LINE):
                tableless = list(json.loads(line.removeprefix(_TABLELESS_LINE)))
            elif not line.startswith("--"):
                break
    except (ValueError, TypeError):
        return None
    if not migrations:
        return None
    return Snapshot(migrations, frozenset(tableless), text)


def fits(snapshot: Snapshot, on_disk: dict[str, str]) -> bool:
    """Whether the snapshot is exactly what replaying the migrations on disk would build.

    Every migration on disk must be one the snapshot replayed, with the same file; the
    snapshot may hold more only for apps that are not installed here and made no table.
    """
    if any(snapshot.migrations.get(key) != digest for key, digest in on_disk.items()):
        return False
    missing_apps = {key.split(".", 1)[0] for key in snapshot.migrations.keys() - on_disk.keys()}
    return missing_apps <= snapshot.tableless_apps


def usable_snapshot(connection: BaseDatabaseWrapper, loader: MigrationLoader) -> Snapshot | None:
    """The snapshot to build this database from, or None to replay the migrations.

    Only an empty SQLite database qualifies, outside any transaction (SQLite's script would
    commit the caller's), where the routers let every model be migrated.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None
    if not all(
        router.allow_migrate_model(connection.alias, model)
        for model in installed_apps.get_models(include_auto_created=True)
    ):
        return None
    if connection.introspection.table_names():
        return None
    snapshot = read_snapshot()
    if snapshot is None or not fits(snapshot, migration_hashes(loader)):
        return None
    return snapshot


def build_from_snapshot(
    connection: BaseDatabaseWrapper, snapshot: Snapshot, applied: list[tuple[str, str]]
) -> None:
    """Run the script and record `applied` as migrated, in one transaction.

    The script's own `--` lines are comments to SQLite; it runs exactly as recorded.
    """
    from django.utils import timezone

    now = connection.ops.adapt_datetimefield_value(timezone.now())  # as Django's recorder writes
    records = "".join(
        "INSERT INTO django_migrations (app, name, applied) VALUES "  # noqa: S608 (quoted)
        f"({_quote(app)}, {_quote(name)}, {_quote(now)});\n"
        for app, name in applied
    )
    connection.ensure_connection()
    raw: sqlite3.Connection = connection.connection
    try:
        raw.executescript(f"BEGIN;\n{snapshot.script}\n{records}COMMIT;")
    except sqlite3.Error:
        if raw.in_transaction:
            raw.rollback()
        raise


def _quote(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} has no SQL literal")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, bytes):
        return f"X'{value.hex()}'"
    return "'" + str(value).replace("'", "''") + "'"


def schema_statements(raw: sqlite3.Connection) -> list[str]:
    """The statements that rebuild this database's schema and the rows its migrations wrote.

    Tables first (a trigger needs its table), then indexes, triggers and views, each in the
    order SQLite recorded them; a full-text table's own shadow tables are left to it, but their
    rows (its configuration) are kept.
    """
    kinds = dict(raw.execute("SELECT name, type FROM pragma_table_list WHERE schema = 'main'"))
    entries = raw.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
        "AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
    ).fetchall()
    statements = []
    for wanted in ("table", "index", "trigger", "view"):
        for kind, name, sql in entries:
            if kind == wanted and kinds.get(name) != "shadow":
                statements.append(f"{sql};")
    for kind, name, _ in entries:
        if kind != "table" or kinds.get(name) == "virtual" or name in _RECREATED_BY_SIGNALS:
            continue
        columns = [row[1] for row in raw.execute(f'PRAGMA table_info("{name}")')]
        names = ", ".join(f'"{column}"' for column in columns)
        verb = "INSERT OR REPLACE" if kinds.get(name) == "shadow" else "INSERT"
        order = ", ".join(str(position) for position in range(1, len(columns) + 1))
        for row in raw.execute(f'SELECT * FROM "{name}" ORDER BY {order}'):  # noqa: S608
            values = ", ".join(_quote(value) for value in row)
            statements.append(f'{verb} INTO "{name}" ({names}) VALUES ({values});')
    return statements


def record_snapshot(path: Path = SNAPSHOT_PATH) -> Snapshot:
    """Replay every migration into a new SQLite file and write what it built to `path`.

    The replay runs in a process of its own on that file as its only database, as a fresh
    `migrate` would (some data migrations read the default database, not the one migrated).
    """
    from django.conf import settings

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "schema.sqlite3"
        environment = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
        }
        command = [sys.executable, "-m", "django", "migrate", "--replay", "--run-syncdb", "-v0"]
        subprocess.run(command, env=environment, check=True)  # noqa: S603 (our own interpreter)
        with closing(sqlite3.connect(database)) as raw:
            statements = schema_statements(raw)
            tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    hashes = migration_hashes(MigrationLoader(None, ignore_no_migrations=True))
    tableless = sorted(_tableless_apps(tables, hashes))
    header = [
        "-- Cultivate's schema as its migrations build it on SQLite: `make schema` writes this "
        "file, do not edit it.",
        "-- `migrate` runs it on an empty SQLite database (apps/operations/schema_snapshot.py).",
        _MIGRATIONS_LINE + json.dumps(hashes),
        _TABLELESS_LINE + json.dumps(tableless),
    ]
    text = "\n".join([*header, *statements]) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Snapshot(hashes, frozenset(tableless), text)


def _tableless_apps(tables: set[str], hashes: dict[str, str]) -> set[str]:
    """Migrated apps none of whose models has a table in the database just built."""
    tableless = set()
    for app_label in {key.split(".", 1)[0] for key in hashes}:
        models = installed_apps.get_app_config(app_label).get_models(include_auto_created=True)
        if not any(model._meta.db_table in tables for model in models):
            tableless.add(app_label)
    return tableless
