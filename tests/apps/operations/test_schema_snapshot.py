"""The recorded schema: what the migrations build, used only where it fits, all or nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from cultivate.apps.operations.schema_snapshot import (
    SNAPSHOT_PATH,
    Snapshot,
    build_from_snapshot,
    fits,
    migration_hashes,
    read_snapshot,
    record_snapshot,
    usable_snapshot,
)

REPO = Path(__file__).resolve().parents[3]


def _migrate(database: Path, *arguments: str) -> str:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
    }
    command = [sys.executable, "manage.py", "migrate", *arguments]
    done = subprocess.run(
        command, env=environment, cwd=REPO, capture_output=True, text=True, check=True
    )
    return done.stdout


def _schema(database: Path) -> list[tuple[str, str, str]]:
    with closing(sqlite3.connect(database)) as raw:
        return raw.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
            "ORDER BY type, name"
        ).fetchall()


def _empty_sqlite(database: Path) -> DatabaseWrapper:
    settings_dict = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(database),
        "OPTIONS": {},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    return DatabaseWrapper(settings_dict, alias="schema_snapshot_test")


def test_the_recorded_schema_is_what_the_migrations_build_today(tmp_path: Path) -> None:
    recorded = read_snapshot()
    assert recorded is not None, f"{SNAPSHOT_PATH} is missing: run `make schema`"
    rebuilt = record_snapshot(tmp_path / "sqlite.sql")
    assert rebuilt.script == recorded.script, (
        "the recorded schema is not what the migrations build: run `make schema` and commit "
        f"{SNAPSHOT_PATH.relative_to(REPO)}"
    )


def test_the_recorded_schema_fits_every_migration_on_disk() -> None:
    recorded = read_snapshot()
    assert recorded is not None
    assert fits(recorded, migration_hashes(MigrationLoader(None, ignore_no_migrations=True)))


def test_an_empty_sqlite_database_is_built_from_the_recorded_schema_as_migrating_would(
    tmp_path: Path,
) -> None:
    fast, replayed = tmp_path / "fast.sqlite3", tmp_path / "replayed.sqlite3"

    said = _migrate(fast)
    _migrate(replayed, "--replay")

    assert "Built the empty database from the recorded schema" in said
    assert _schema(fast) == _schema(replayed)
    with closing(sqlite3.connect(fast)) as one, closing(sqlite3.connect(replayed)) as other:
        for query in (
            "SELECT app, name FROM django_migrations",
            "SELECT app_label, model FROM django_content_type",
            "SELECT c.app_label, c.model, p.codename, p.name FROM auth_permission p "
            "JOIN django_content_type c ON c.id = p.content_type_id",
            *(f'SELECT * FROM "{table}"' for table in _tables_with_plain_rows(other)),
        ):
            assert sorted(one.execute(query)) == sorted(other.execute(query)), query
        (applied,) = one.execute("SELECT applied FROM django_migrations LIMIT 1").fetchone()
        (replay_applied,) = other.execute(
            "SELECT applied FROM django_migrations LIMIT 1"
        ).fetchone()
    assert len(applied) == len(replay_applied)  # written as Django's recorder writes it
    assert "+" not in applied
    assert "No migrations to apply" in _migrate(fast)


def _tables_with_plain_rows(raw: sqlite3.Connection) -> list[str]:
    """Every table but those whose ids or times differ by nature (checked apart)."""
    kinds = dict(raw.execute("SELECT name, type FROM pragma_table_list WHERE schema = 'main'"))
    return [
        name
        for name, kind in kinds.items()
        if kind in ("table", "shadow")
        and not name.startswith("sqlite_")
        and name not in ("django_migrations", "django_content_type", "auth_permission")
    ]


def test_a_schema_built_from_other_migrations_is_not_used() -> None:
    on_disk = {"app.0001_initial": "aaa", "app.0002_more": "bbb"}
    same = Snapshot(dict(on_disk), frozenset(), "")
    edited = Snapshot({"app.0001_initial": "aaa", "app.0002_more": "ccc"}, frozenset(), "")
    older = Snapshot({"app.0001_initial": "aaa"}, frozenset(), "")
    with_another_app = {**on_disk, "other.0001_initial": "ddd"}

    assert fits(same, on_disk)
    assert not fits(edited, on_disk)
    assert not fits(older, on_disk)
    assert fits(Snapshot(with_another_app, frozenset({"other"}), ""), on_disk)
    assert not fits(Snapshot(with_another_app, frozenset(), ""), on_disk)


def test_the_recorded_schema_is_not_used_inside_a_transaction_or_where_a_router_refuses(
    tmp_path: Path, django_db_blocker: DjangoDbBlocker
) -> None:
    connection = _empty_sqlite(tmp_path / "empty.sqlite3")
    loader = MigrationLoader(None, ignore_no_migrations=True)
    with django_db_blocker.unblock():
        try:
            assert usable_snapshot(connection, loader) is not None
            connection.in_atomic_block = True  # the script would commit the caller's work
            assert usable_snapshot(connection, loader) is None
            connection.in_atomic_block = False
            with override_settings(DATABASE_ROUTERS=[_NoSearchHere()]):
                assert usable_snapshot(connection, loader) is None
        finally:
            connection.close()


class _NoSearchHere:
    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool | None:
        return False if app_label == "search" else None


def test_a_script_that_fails_half_way_leaves_the_database_empty(
    tmp_path: Path, django_db_blocker: DjangoDbBlocker
) -> None:
    broken = Snapshot(
        {}, frozenset(), "-- header\nCREATE TABLE kept (x);\nCREATE TABLE kept (x);\n"
    )
    connection = _empty_sqlite(tmp_path / "empty.sqlite3")
    with django_db_blocker.unblock():
        try:
            with pytest.raises(sqlite3.OperationalError, match="already exists"):
                build_from_snapshot(connection, broken, [("app", "0001_initial")])
            assert connection.introspection.table_names() == []
        finally:
            connection.close()


@pytest.mark.parametrize(
    "header",
    ["-- migrations: {not json\n", "-- migrations: [1, 2]\n", "CREATE TABLE t (x);\n", ""],
)
def test_a_damaged_or_headless_script_is_not_used(tmp_path: Path, header: str) -> None:
    damaged = tmp_path / "sqlite.sql"
    damaged.write_text(header + "CREATE TABLE t (x);\n")

    assert read_snapshot(damaged) is None
