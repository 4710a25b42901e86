"""`cultivate import PATH --community SLUG`: load another platform's history into a community.

Kept apart from main.py so the command's logic reads on its own; main.py only declares options.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from .progress import progress_bar

if TYPE_CHECKING:
    from cultivate.apps.accounts.models import User
    from cultivate.apps.communities.models import Community

SUMMARY = (
    ("people", "people (new accounts)"),
    ("memberships", "memberships"),
    ("questions", "questions"),
    ("answers", "answers"),
    ("accepted answers", "accepted answers"),
    ("comments", "comments"),
    ("posts", "posts"),
    ("votes", "votes (voter known)"),
    ("score points kept", "score points kept (up-votes and likes counted in the export)"),
    ("activities", "activities recorded"),
)


def _fail(errors: Console, message: str) -> typer.Exit:
    errors.print(message)
    return typer.Exit(1)


def _importer(errors: Console, username: str | None, community: Community | None) -> User:
    from cultivate.apps.accounts.models import User
    from cultivate.apps.communities.models import Membership, MembershipState, Role

    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise _fail(errors, f"[red]Cannot import:[/red] nobody has the username {username!r}.")
        return user
    if community is None:
        raise _fail(errors, "[red]Cannot import:[/red] say who imports with --by USERNAME.")
    first = (
        Membership.objects.filter(
            community=community, role=Role.COORDINATOR, state=MembershipState.ACTIVE
        )
        .select_related("user")
        .order_by("joined_at", "pk")
        .first()
    )
    if first is None:
        raise _fail(
            errors, f"[red]Cannot import:[/red] {community.name} has no coordinator; use --by."
        )
    return first.user


def run_import(
    *,
    path: Path,
    source: str | None,
    slug: str,
    by: str | None,
    create: bool,
    console: Console,
    errors: Console,
    keep_names: bool = False,
) -> None:
    """Import the export at `path` into the community `slug`, showing progress on stderr.

    People are pseudonymous unless `keep_names` (ADR 28).
    """
    from cultivate.cli.django_setup import setup_django, unapplied_migrations

    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from cultivate.apps.communities.models import Community, Visibility
    from cultivate.apps.communities.services import community_create
    from cultivate.apps.imports.services import history_import
    from cultivate.core.connectors import SourceError

    pending = unapplied_migrations()
    if pending:
        raise _fail(
            errors,
            f"[red]The database has {pending} unapplied migrations.[/red] Run "
            "`django-admin migrate` (with the same DJANGO_SETTINGS_MODULE) first.",
        )
    community = Community.objects.filter(slug=slug).first()
    if community is None and not create:
        raise _fail(
            errors,
            f"[red]No community with the slug {slug!r}.[/red] "
            "Add --create to create it (private, with you as its coordinator).",
        )
    user = _importer(errors, by, community)
    if community is None:
        try:
            community = community_create(
                by=user,
                name=slug,
                slug=slug,
                practice=f"imported from {source or path.name}",
                visibility=Visibility.PRIVATE,
            )
        except ValidationError as error:
            details = "; ".join(m for ms in error.message_dict.values() for m in ms)
            raise _fail(errors, f"[red]Cannot create {slug!r}:[/red] {details}") from None
        errors.print(f"Created the private community {community.name} ({community.slug}).")

    progress = progress_bar(errors, "activities")
    task = progress.add_task("Checking the export", total=None)

    def show(stage: str, done: int, total: int | None) -> None:
        description = "Checking the export" if stage == "checking" else "Importing"
        progress.update(task, description=description, completed=done, total=total)

    try:
        with progress:
            result = history_import(
                path=path,
                source=source,
                community=community,
                by=user,
                progress=show,
                keep_names=keep_names,
            )
    except SourceError as error:
        raise _fail(
            errors, f"[red]Cannot read the export:[/red] {error}\nNothing was imported."
        ) from None
    except PermissionDenied as error:
        raise _fail(errors, f"[red]Not allowed:[/red] {error}") from None

    table = Table(
        title=f"Imported {path.name} into {community.name} ({result.source})",
        title_justify="left",
    )
    table.add_column("created")
    table.add_column("how many", justify="right")
    for key, label in SUMMARY:
        table.add_row(label, f"{result.created.get(key, 0):,}")
    table.add_row("skipped as already imported", f"{result.already_imported:,}")
    for reason, n in sorted(result.not_imported.items()):
        table.add_row(f"not imported: {reason}", f"{n:,}")
    console.print(table)
    console.print(f"Read {result.activities:,} activities in {result.seconds:.1f} s.")
    if keep_names:
        console.print("People keep the names and e-mail addresses the export gives.")
    else:
        console.print(
            "People are imported under pseudonyms: their names and e-mail addresses are not "
            "stored (--keep-names keeps them)."
        )
