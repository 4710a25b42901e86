"""`cultivate analyze PATH`: diagnose an export straight from its files, with no database.

Nothing here imports Django: the export is read by `cultivate.core.connectors`, diagnosed by
`cultivate.core.analytics` and rendered by `cultivate.core.reports`, so the command runs where
no settings or database exist (a knowledge-management lead's laptop with one Slack export).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
import typer
from rich.console import Console
from rich.markup import escape

from cultivate.core.activity import FRAME_SCHEMA, Activity, ActivityError, to_frame
from cultivate.core.analytics import FrameError, analyze
from cultivate.core.connectors import (
    PEOPLE,
    READERS,
    ReadStats,
    SourceError,
    detect_and_read,
    detect_source,
)
from cultivate.core.connectors.identity import (
    Identities,
    Pseudonymizer,
    apply_identities,
    merge_people,
)
from cultivate.core.reports import Report, build_report
from cultivate.core.reports.html import render_html, render_html_many
from cultivate.core.reports.render import render_terminal, to_json
from cultivate.core.reports.report import reading_sentences
from cultivate.core.text import Translations, say

from .progress import progress_bar

SALT_ENV = "CULTIVATE_PSEUDONYM_SALT"


class ExportError(Exception):
    """An export that cannot be diagnosed; the message says why (file, position, expected)."""


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """The reports of one export, one per community, and what was read."""

    source: str
    reports: list[Report]
    activities: int
    as_of: datetime
    reading: ReadStats


def _frame(batches: Iterable[list[Activity]], on_batch: Callable[[int], None]) -> pl.DataFrame:
    """Collect the stream into one frame, batch by batch (a frame holds no Python objects)."""
    frames: list[pl.DataFrame] = []
    for batch in batches:
        frames.append(to_frame(batch))
        on_batch(len(batch))
    if not frames:
        return pl.DataFrame(schema=dict(FRAME_SCHEMA))
    return pl.concat(frames, how="vertical", rechunk=True)


def diagnose_export(
    path: Path,
    *,
    source: str | None = None,
    as_of: datetime | None = None,
    salt: str | None = None,
    pseudonymize: bool = False,
    keep_going: bool = False,
    split_by_folder: bool = False,
    on_read: Callable[[int], None] = lambda n: None,
    on_community: Callable[[str], None] = lambda c: None,
    communities: Callable[[int], None] = lambda n: None,
) -> Diagnosis:
    """Read an export, merge its people by e-mail, and diagnose each community in it.

    With `pseudonymize`, people are replaced by stable pseudonyms (HMAC with `salt`) before
    anything is analysed, so no real name or address reaches a report. Without `as_of`, every
    community is diagnosed as of the export's last activity: a channel that fell silent long
    before the export was taken reads as silent. With `keep_going`, damaged files are left out
    and listed in each report instead of refusing the export; `split_by_folder` makes each
    sub-folder of a mail archive its own list.
    """
    name = source or detect_source(path)
    if name not in READERS:
        raise SourceError(path, "--source", f"one of {', '.join(READERS)}, not {name!r}")
    reading = ReadStats(keep_going=keep_going)
    identities: Identities = merge_people(PEOPLE[name](path))
    raw = detect_and_read(path, name, stats=reading, split_by_folder=split_by_folder)
    batches: Iterator[list[Activity]]
    names: dict[str, str]
    if pseudonymize:
        if not salt:
            raise ValueError("pseudonymize needs a salt")
        pseudonymizer = Pseudonymizer(salt, identities)
        batches = pseudonymizer.batches(raw)
        names = pseudonymizer.names
    else:
        batches = apply_identities(raw, identities)
        names = dict(identities.names)
    try:
        frame = _frame(batches, on_read)
    except ActivityError as exc:
        raise ExportError(f"{path}: an activity breaks the contract: {exc}") from None
    if frame.is_empty():
        raise ExportError(f"{path}: the export holds no activities ({name} format)")
    latest = frame["at"].max()
    assert isinstance(latest, datetime)
    moment = as_of or latest
    parts = frame.partition_by("community", as_dict=True, maintain_order=False)
    keys = sorted(str(key[0]) for key in parts)
    communities(len(keys))
    reports: list[Report] = []
    for community in keys:
        part = parts[(community,)]
        try:
            analysis = analyze(part, community, as_of=moment, names=names, on_platform=False)
        except FrameError as exc:
            raise ExportError(f"{path}: community {community!r}: {exc}") from None
        reports.append(
            build_report(
                analysis,
                community_name=community,
                names=names,
                source=name,
                reading=reading.summary(),
            )
        )
        on_community(community)
    return Diagnosis(
        source=name, reports=reports, activities=frame.height, as_of=moment, reading=reading
    )


def analyze_path(
    *,
    path: Path,
    source: str | None,
    as_of: datetime | None,
    as_json: bool,
    html: Path | None,
    pseudonymize: bool,
    salt: str | None,
    console: Console,
    keep_going: bool = False,
    split_by_folder: bool = False,
    translations: Translations | None = None,
) -> None:
    """Print (or write) the maturity report of every community in the export at `path`.

    `translations` says the reports in another language than English (`core.text.catalogue`).
    """
    errors = Console(stderr=True)
    if source is not None and source not in READERS:
        errors.print(
            f"[red]Unknown --source {escape(source)!r}.[/red] Use one of {', '.join(READERS)}, "
            "or leave it out to detect the format.",
            soft_wrap=True,
        )
        raise typer.Exit(2)
    if pseudonymize and not salt:
        salt = secrets.token_hex(16)
        errors.print(
            f"No salt given (--salt or {SALT_ENV}): a random one was used, so these pseudonyms "
            "will not match another run's."
        )
    reading = progress_bar(errors, "activities", disable=not errors.is_terminal)
    analysing = progress_bar(errors, "communities", disable=not errors.is_terminal)
    read_task = reading.add_task(f"Reading {path.name}", total=None)
    analyse_task = analysing.add_task("Analysing communities", total=None)

    def counted(n: int) -> None:
        reading.advance(read_task, n)

    def planned(n: int) -> None:
        reading.stop()
        analysing.start()
        analysing.update(analyse_task, total=n)

    try:
        with reading:
            diagnosis = diagnose_export(
                path,
                source=source,
                as_of=as_of,
                salt=salt,
                pseudonymize=pseudonymize,
                keep_going=keep_going,
                split_by_folder=split_by_folder,
                on_read=counted,
                communities=planned,
                on_community=lambda _: analysing.advance(analyse_task),
            )
    except (SourceError, ExportError) as error:
        errors.print(f"[red]Cannot analyse the export:[/red] {escape(str(error))}", soft_wrap=True)
        raise typer.Exit(1) from None
    except OSError as error:
        errors.print(f"[red]Cannot read the export:[/red] {escape(str(error))}", soft_wrap=True)
        raise typer.Exit(1) from None
    finally:
        analysing.stop()

    reports = diagnosis.reports
    count = len(reports)
    plural = "community" if count == 1 else "communities"
    errors.print(
        f"{diagnosis.activities:,} activities read ({diagnosis.source}), {count} {plural}, "
        f"as of {diagnosis.as_of:%Y-%m-%d %H:%M} UTC."
    )
    for note in reading_sentences(diagnosis.reading.summary()):
        errors.print(f"  {escape(say(note, translations))}", soft_wrap=True)
    if as_json:
        typer.echo("[\n" + ",\n".join(to_json(r) for r in reports) + "\n]")
    if html is not None:
        page = (
            render_html_many(reports, translations)
            if count > 1
            else render_html(reports[0], translations)
        )
        html.write_text(page, encoding="utf-8")
        errors.print(f"Wrote {escape(str(html))} ({count} {plural}).")
    if not as_json and html is None:
        for report in reports:
            render_terminal(report, console=console, translations=translations)
