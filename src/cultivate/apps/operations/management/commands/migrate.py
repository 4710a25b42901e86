"""`migrate`, Django's own, but an empty SQLite database is built from the recorded schema.

Replaying every migration into an empty file takes most of a first `make run` and of every test
process's start; when the recorded schema (`apps/operations/schema_snapshot.py`) is exactly what
the migrations on disk build, it is run instead, in one transaction, and the same signals are
sent. Anything else (a database with tables, a target, `--fake`, `--plan`, a schema that does not
fit the migrations, PostgreSQL) goes to Django's command unchanged; `--replay` forces it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import CommandParser
from django.core.management.commands import migrate
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.migration import Migration
from django.db.migrations.state import ProjectState
from django.utils.module_loading import module_has_submodule

from cultivate.apps.operations.schema_snapshot import build_from_snapshot, usable_snapshot

_OPTIONS_THAT_REPLAY: tuple[str, ...] = ("app_label", "migration_name", "plan", "check_unapplied")
_OPTIONS_THAT_REPLAY += ("prune", "fake", "fake_initial", "replay")


class Command(migrate.Command):
    help = migrate.Command.help + " An empty SQLite database is built from the recorded schema."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--replay",
            action="store_true",
            help="Replay every migration even where the recorded schema could be used.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if any(options.get(name) for name in _OPTIONS_THAT_REPLAY) or not self._built_fast(options):
            options.pop("replay", None)
            super().handle(*args, **options)

    def _built_fast(self, options: dict[str, Any]) -> bool:
        """Build an empty SQLite database from the recorded schema; False if it does not apply."""
        connection = connections[options["database"]]
        executor = MigrationExecutor(connection)
        if _unmigrated_tables(executor):
            return False
        snapshot = usable_snapshot(connection, executor.loader)
        if snapshot is None:
            return False
        verbosity, interactive = options["verbosity"], options["interactive"]
        for app_config in apps.get_app_configs():  # as Django's command: handlers register here
            if module_has_submodule(app_config.module, "management"):
                import_module(".management", app_config.name)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        state = ProjectState(real_apps=executor.loader.unmigrated_apps)  # nothing applied yet
        emit_pre_migrate_signal(
            verbosity, interactive, connection.alias, stdout=self.stdout, apps=state.apps, plan=plan
        )
        build_from_snapshot(connection, snapshot, _recorded(plan))
        if verbosity >= 1:
            self.stdout.write(
                self.style.MIGRATE_HEADING("Built the empty database from the recorded schema:")
                + f" {len(plan)} migrations recorded as applied."
            )
        # The schema is the models' own (the snapshot fits every migration), so the handlers
        # (content types, permissions) get the installed apps rather than a re-rendered state.
        emit_post_migrate_signal(
            verbosity, interactive, connection.alias, stdout=self.stdout, apps=apps, plan=plan
        )
        return True


def _recorded(plan: list[tuple[Migration, bool]]) -> list[tuple[str, str]]:
    """What Django's executor records as applied for this plan: a squashed migration is
    recorded as the migrations it replaces."""
    names: list[tuple[str, str]] = []
    for migration, _backwards in plan:
        names.extend(migration.replaces or [(migration.app_label, migration.name)])
    return names


def _unmigrated_tables(executor: MigrationExecutor) -> bool:
    """Whether an app without migrations has tables to create (the recorded schema has none)."""
    for app_label in executor.loader.unmigrated_apps:
        config = apps.get_app_config(app_label)
        if any(model._meta.managed for model in config.get_models(include_auto_created=True)):
            return True
    return False
