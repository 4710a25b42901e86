"""The `cultivate` console script.

Django is configured inside each command (not at import), so `cultivate --help` works anywhere
and the settings module can come from the environment.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cultivate.core.text import Translations, catalogue, languages

from .django_setup import setup_django, unapplied_migrations
from .operations_commands import backup, restore, scheduler, worker
from .progress import progress_bar

app = typer.Typer(
    help="Cultivate: communities of practice that know where they stand.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()


@app.callback()
def main() -> None:
    """Run Cultivate's command-line tools."""


for _command in (worker, scheduler, backup, restore):
    app.command()(_command)


def parse_as_of(value: str | None) -> datetime | None:
    """Read an ISO date or date-time; a date means midnight UTC at its start, naive means UTC."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO date (2025-03-31) or date-time (2025-03-31T12:00:00Z)",
            param_hint="--as-of",
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 7,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="End the history at this ISO date or date-time (default: now)."
        ),
    ] = None,
    people: Annotated[
        int, typer.Option(min=40, max=5000, help="How many people work at the organisation.")
    ] = 300,
    months: Annotated[
        int, typer.Option(min=6, max=60, help="How many months of history to generate.")
    ] = 18,
    migrate: Annotated[
        bool,
        typer.Option(
            "--migrate", help="Apply the database's pending migrations first (`make run` does)."
        ),
    ] = False,
) -> None:
    """Load the demo organisation: people, eight communities and months of history.

    Does nothing (and exits 0) when the demo is already loaded, so it is safe to run every time.
    """
    end = parse_as_of(as_of)
    setup_django()
    from cultivate.apps.demo.cast import LOGINS
    from cultivate.apps.demo.services import (
        DemoError,
        demo_conflicts,
        demo_is_loaded,
        demo_organisation_create,
    )

    pending = unapplied_migrations()
    if pending and migrate:
        from django.core.management import call_command

        console.print(f"Applying {pending} database migrations")
        call_command("migrate", interactive=False, verbosity=0)
        pending = 0
    if pending:
        console.print(
            f"[red]The database has {pending} unapplied migrations.[/red] Run "
            "`django-admin migrate` (with the same DJANGO_SETTINGS_MODULE) first."
        )
        raise typer.Exit(1)
    if demo_is_loaded():
        console.print("demo organisation already loaded")
        _print_logins([(login.username, login.password, login.what) for login in LOGINS])
        return
    taken = demo_conflicts()
    if taken:
        console.print(
            f"[red]Cannot load the demo:[/red] people named {', '.join(taken)} already exist. "
            "Load the demo into an empty database."
        )
        raise typer.Exit(1)

    progress = progress_bar(console, "steps")
    task = progress.add_task("Generating the demo organisation", total=None)
    try:
        with progress:
            result = demo_organisation_create(
                seed=seed,
                as_of=end,
                people=people,
                months=months,
                on_plan=lambda total: progress.update(task, total=total),
                on_progress=lambda n: progress.advance(task, n),
            )
    except DemoError as error:
        console.print(f"[red]Cannot load the demo:[/red] {error}")
        raise typer.Exit(1) from None

    table = Table(title=f"Demo organisation (seed {seed})", title_justify="left")
    table.add_column("community")
    table.add_column("built for level")
    table.add_column("members", justify="right")
    table.add_column("activities", justify="right")
    table.add_column("last activity")
    for c in result.communities:
        last = c.last_activity.date().isoformat() if c.last_activity else "-"
        table.add_row(c.name, c.intent, str(c.members), f"{c.activities:,}", last)
    console.print(table)
    console.print(
        f"{result.people} people, {len(result.communities)} communities, "
        f"{result.activities:,} activities from {result.start:%Y-%m-%d} to {result.end:%Y-%m-%d}, "
        f"generated in {result.seconds:.1f} s."
    )
    console.print(
        "A background job embeds the questions and routes those still unanswered to people "
        "who can answer them: `make run` starts the worker that runs it "
        "(otherwise `cultivate worker`)."
    )
    _print_logins(result.logins)


def _catalogue_or_exit(language: str, errors: Console) -> Translations | None:
    """The catalogue for --language, or a message naming the languages there are."""
    code = language.strip().replace("_", "-")
    known = languages()
    if code.split("-")[0].lower() not in known:
        errors.print(
            f"[red]No catalogue for --language {escape(repr(language))}.[/red] "
            f"Use one of: {', '.join(known)}."
        )
        raise typer.Exit(2)
    return catalogue(code)


@app.command()
def analyze(  # noqa: C901 - one branch per option of the command
    path: Annotated[
        Path | None,
        typer.Argument(
            help="An export to analyse instead of the platform (no database is touched): a "
            "Stack Exchange dump, Slack export, mbox, pipermail archive, Discourse export, CSV "
            "or JSON Lines file; one report per site, channel, list or category.",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="The export's format: stackexchange, slack, mbox, pipermail, discourse, csv or "
            "jsonl (default: detected from its files).",
            metavar="FORMAT",
        ),
    ] = None,
    pseudonymize: Annotated[
        bool,
        typer.Option(
            "--pseudonymize",
            help="Replace people's names and addresses with stable pseudonyms (with PATH).",
        ),
    ] = False,
    salt: Annotated[
        str | None,
        typer.Option(
            "--salt",
            envvar="CULTIVATE_PSEUDONYM_SALT",
            help="Secret that makes the pseudonyms stable: the same salt, the same pseudonyms.",
            show_default=False,
        ),
    ] = None,
    community: Annotated[
        str | None,
        typer.Option(
            "--community", "-c", help="Analyse this community (its slug).", metavar="SLUG"
        ),
    ] = None,
    all_communities: Annotated[
        bool, typer.Option("--all", help="Analyse every community on the platform.")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Diagnose as of this ISO date or date-time (default: now; with PATH, the "
            "export's last activity).",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON (a list with --all or PATH).")
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Write a self-contained HTML report to this file.",
            dir_okay=False,
            metavar="FILE",
        ),
    ] = None,
    save: Annotated[
        bool, typer.Option("--save", help="Also store the results as the pages' snapshots.")
    ] = False,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going",
            help="With PATH: leave out damaged files and list them in the report, instead of "
            "refusing the export.",
        ),
    ] = False,
    split_by_folder: Annotated[
        bool,
        typer.Option(
            "--split-by-folder",
            help="With PATH: read each sub-folder of a mail archive as its own list (default: "
            "one list named after the folder given).",
        ),
    ] = False,
    language: Annotated[
        str,
        typer.Option(
            "--language",
            envvar="CULTIVATE_LANGUAGE",
            help="Say the terminal and HTML reports in this language: en or fr. The JSON stays "
            "English with its words beside it.",
            metavar="CODE",
        ),
    ] = "en",
) -> None:
    """Diagnose communities on the platform database, or an export's: level, health, advice.

    Prints to the terminal unless --json or --html says otherwise.

    With PATH: reads the export, never touches a database, one report per community.
    """
    errors = Console(stderr=True)
    translations = _catalogue_or_exit(language, errors)
    if path is not None:
        if community or all_communities or save:
            errors.print(
                "[red]Give PATH (an export) or --community/--all (the platform), not both.[/red]"
            )
            raise typer.Exit(2)
        from cultivate.cli.analyze_path import analyze_path

        analyze_path(
            path=path,
            source=source,
            as_of=parse_as_of(as_of),
            as_json=as_json,
            html=html,
            pseudonymize=pseudonymize,
            salt=salt,
            console=console,
            keep_going=keep_going,
            split_by_folder=split_by_folder,
            translations=translations,
        )
        return
    if source is not None or pseudonymize or keep_going or split_by_folder:
        errors.print(
            "[red]--source, --pseudonymize, --keep-going and --split-by-folder need PATH, an "
            "export to analyse.[/red]"
        )
        raise typer.Exit(2)
    if bool(community) == all_communities:
        errors.print("[red]Say which communities:[/red] --community SLUG, or --all.")
        raise typer.Exit(2)
    moment = parse_as_of(as_of)
    setup_django()
    from django.utils import timezone

    from cultivate.apps.communities.models import Community
    from cultivate.apps.insights.services import community_report, health_snapshot_compute
    from cultivate.core.reports import Report
    from cultivate.core.reports.html import render_html, render_html_many
    from cultivate.core.reports.render import render_terminal, to_json

    pending = unapplied_migrations()
    if pending:
        errors.print(
            f"[red]The database has {pending} unapplied migrations.[/red] Run "
            "`django-admin migrate` (with the same DJANGO_SETTINGS_MODULE) first."
        )
        raise typer.Exit(1)
    moment = moment or timezone.now()
    if all_communities:
        targets = list(Community.objects.order_by("name"))
    else:
        found = Community.objects.filter(slug=community).first()
        if found is None:
            errors.print(
                f"[red]No community with the slug {community!r}.[/red] "
                "`cultivate analyze --all` lists every community."
            )
            raise typer.Exit(1)
        targets = [found]

    def report_of(target: Community) -> Report:
        if save:
            snapshot = health_snapshot_compute(community=target, as_of=moment)
            return Report.from_dict(snapshot.report)
        return community_report(community=target, as_of=moment)[0]

    reports: list[Report] = []
    if all_communities:
        progress = progress_bar(errors, "communities")
        with progress:
            for target in progress.track(
                targets, total=len(targets), description="Analysing communities"
            ):
                reports.append(report_of(target))
    else:
        reports = [report_of(targets[0])]

    if as_json:
        if all_communities:
            text = "[\n" + ",\n".join(to_json(r) for r in reports) + "\n]"
        else:
            text = to_json(reports[0])
        typer.echo(text)
    if html is not None:
        page = (
            render_html_many(reports, translations)
            if all_communities
            else render_html(reports[0], translations)
        )
        html.write_text(page, encoding="utf-8")
        errors.print(
            f"Wrote {html} ({len(reports)} communit{'y' if len(reports) == 1 else 'ies'})."
        )
    if not as_json and html is None:
        for report in reports:
            render_terminal(report, console=console, translations=translations)
    if save:
        errors.print(f"Stored {len(reports)} snapshot{'' if len(reports) == 1 else 's'}.")


@app.command()
def tick(
    now: Annotated[
        str | None, typer.Option(help="Act as if it were this ISO date-time (default: now).")
    ] = None,
) -> None:
    """Queue the jobs that are due: reminders, closings, e-mail summaries, coffee rounds and
    health snapshots.

    Run it from cron every hour; each job is safe to run again.
    """
    try:
        moment = parse_as_of(now) or datetime.now(UTC)
    except typer.BadParameter as error:
        raise typer.BadParameter(error.message, param_hint="--now") from None
    setup_django()
    from cultivate.apps.operations.periodic import enqueue_due_jobs

    for item in enqueue_due_jobs(moment):
        console.print(f"{item.job}: {item.detail}")


@app.command("import")
def import_history(
    path: Annotated[
        Path,
        typer.Argument(
            help="The export: a Stack Exchange dump, Slack export, mbox/pipermail archive or "
            "Discourse folder (folder, .zip or file).",
            show_default=False,
        ),
    ],
    community: Annotated[
        str,
        typer.Option(
            "--community", "-c", help="Import into this community (its slug).", metavar="SLUG"
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--source", help="stackexchange, slack, mbox, pipermail or discourse (default: detect)."
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="The coordinator who imports (default: the community's first coordinator).",
            metavar="USERNAME",
        ),
    ] = None,
    create: Annotated[
        bool,
        typer.Option("--create", help="Create the community (private) when it does not exist."),
    ] = False,
    keep_names: Annotated[
        bool,
        typer.Option(
            "--keep-names",
            help="Keep people's names and e-mail addresses (default: stable pseudonyms such as "
            "'Member 4f2a9c', with no name or address stored).",
        ),
    ] = False,
) -> None:
    """Load another platform's history into a community, with its original dates.

    People are imported under pseudonyms unless --keep-names. Importing the same export again
    adds nothing; an interrupted import can simply be run again.
    """
    from cultivate.cli.import_command import run_import

    run_import(
        path=path,
        source=source,
        slug=community,
        by=by,
        create=create,
        keep_names=keep_names,
        console=console,
        errors=Console(stderr=True),
    )


def _print_logins(rows: list[tuple[str, str, str]]) -> None:
    """Show the demo logins, every time, so `make run` always says how to get in."""
    logins = Table(
        title="Demo logins (fixed passwords: for local demos only, never a shared server)",
        title_justify="left",
    )
    logins.add_column("username")
    logins.add_column("password")
    logins.add_column("what you see")
    for username, password, what in rows:
        logins.add_row(username, password, what)
    console.print(logins)


if __name__ == "__main__":  # pragma: no cover
    app()
