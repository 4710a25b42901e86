"""Read and write the plain activity format: CSV or JSON Lines, one Activity per row.

For communities no other reader knows: export the activities from anywhere (a spreadsheet, a
database query, a script) with the Activity contract's columns and Cultivate diagnoses them.
The format (also in docs/connectors.md, "CSV and JSON Lines"):

- Columns (CSV header) or keys (one JSON object per line): id, source, community, actor, verb,
  object_id and at are required; parent_id, target_actor, text and meta are optional.
- `verb` is one of the contract's verbs (ask, answer, reply, share, ...).
- `at` is ISO 8601 with a UTC offset (2024-05-01T09:30:00+02:00 or ...Z); a time without one
  is refused, because guessing a zone shifts every response time.
- `meta` is a JSON object (in CSV: its JSON text); `meta.name` and `meta.email` may name the
  actor, which lets identities merge across sources by e-mail.
- An empty CSV cell (or a JSON null) means absent. Files are UTF-8, optionally gzip-compressed.

Files are read one row at a time, so memory stays flat. Every error names the file, the line,
the column and what was expected.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import json
import zlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, cast

from cultivate.core.activity import COLUMNS, Activity, ActivityError, Verb

from .base import BATCH_SIZE, Batches, Person, ReadStats, SourceError, batched

__all__ = [
    "CSV_SUFFIXES",
    "JSONL_SUFFIXES",
    "OPTIONAL",
    "REQUIRED",
    "people_csv",
    "people_jsonl",
    "read_csv",
    "read_jsonl",
    "sniff_tabular",
    "write_csv",
    "write_jsonl",
]

REQUIRED: tuple[str, ...] = ("id", "source", "community", "actor", "verb", "object_id", "at")
OPTIONAL: tuple[str, ...] = ("parent_id", "target_actor", "text", "meta")
CSV_SUFFIXES: tuple[str, ...] = (".csv", ".csv.gz")
JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
_FIELD_LIMIT = 1 << 26
"""Longest CSV cell accepted (64 MB): long e-mails are real, the csv module's 128 kB is not."""
_VERBS = ", ".join(v.value for v in Verb)


def _open(file: Path) -> IO[bytes]:
    """Open a file for reading bytes, decompressing gzip when its first bytes say so."""
    try:
        handle = file.open("rb")
    except OSError as exc:
        raise SourceError(file, "file", f"a readable file ({exc.strerror or exc})") from None
    if handle.read(2) == b"\x1f\x8b":
        handle.seek(0)
        return cast(IO[bytes], gzip.GzipFile(fileobj=handle, mode="rb"))
    handle.seek(0)
    return handle


def _files(path: Path, suffixes: tuple[str, ...], what: str) -> list[Path]:
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith(suffixes))
        if not found:
            raise SourceError(path, "folder", f"{what} files ending in {', '.join(suffixes)}")
        return found
    if not path.is_file():
        raise SourceError(path, "path", f"an existing {what} file or a folder of them")
    return [path]


class _Row:
    """One row's values, turned into an Activity with errors that name line and column."""

    def __init__(self, file: Path, line: int) -> None:
        self.file = file
        self.line = line

    def fail(self, column: str | None, expected: str) -> SourceError:
        where = f"line {self.line}" if column is None else f"line {self.line} column {column!r}"
        return SourceError(self.file, where, expected)

    def required(self, values: Mapping[str, Any], name: str) -> str:
        value = values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise self.fail(name, "a value (the column is required)")
        if not isinstance(value, str):
            raise self.fail(name, f"a string, found {json.dumps(value)[:60]}")
        return value

    def optional(self, values: Mapping[str, Any], name: str) -> str | None:
        value = values.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise self.fail(name, f"a string or nothing, found {json.dumps(value)[:60]}")
        return value

    def verb(self, value: str) -> Verb:
        try:
            return Verb(value.strip())
        except ValueError:
            raise self.fail("verb", f"one of {_VERBS}; found {value[:40]!r}") from None

    def at(self, value: str) -> datetime:
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise self.fail(
                "at",
                f"an ISO 8601 date-time such as 2024-05-01T09:30:00+02:00; found {text[:40]!r}",
            ) from None
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise self.fail(
                "at",
                f"a date-time with a UTC offset (+02:00 or Z); found the naive {text[:40]!r}",
            )
        return moment.astimezone(UTC)

    def meta(self, value: Any) -> dict[str, Any]:
        if value is None or value == "":
            return {}
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise self.fail(
                    "meta", f"a JSON object ({exc.msg} at character {exc.pos + 1})"
                ) from None
            except RecursionError:
                raise self.fail("meta", "a JSON object nested less deeply") from None
        if not isinstance(value, dict):
            raise self.fail("meta", f"a JSON object, found {json.dumps(value)[:60]}")
        return value

    def activity(self, values: Mapping[str, Any]) -> Activity:
        fields = {name: self.required(values, name) for name in REQUIRED}
        try:
            return Activity(
                id=fields["id"],
                source=fields["source"],
                community=fields["community"],
                actor=fields["actor"],
                verb=self.verb(fields["verb"]),
                object_id=fields["object_id"],
                at=self.at(fields["at"]),
                parent_id=self.optional(values, "parent_id"),
                target_actor=self.optional(values, "target_actor"),
                text=self.optional(values, "text"),
                meta=self.meta(values.get("meta")),
            )
        except ActivityError as exc:
            raise self.fail(None, f"a valid activity ({exc})") from None


def _check_columns(file: Path, where: str, names: Iterable[str], what: str) -> None:
    present = list(names)
    for name in present:
        if name not in COLUMNS:
            raise SourceError(
                file, f"{where} {what} {name!r}", f"only the columns {', '.join(COLUMNS)}"
            )
    for name in REQUIRED:
        if name not in present:
            raise SourceError(file, where, f"the {what} {name!r} (required: {', '.join(REQUIRED)})")


def _lines(file: Path, handle: IO[bytes]) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) one line at a time; bad UTF-8 is named by line and byte."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
    number = 0
    try:
        for number, raw in enumerate(handle, start=1):
            try:
                yield number, decoder.decode(raw)
            except UnicodeDecodeError as exc:
                raise SourceError(
                    file, f"line {number} byte {exc.start + 1}", f"UTF-8 text ({exc.reason})"
                ) from None
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise SourceError(
            file, f"line {number + 1}", f"intact gzip-compressed text ({exc})"
        ) from None


def _csv_activities(file: Path) -> Iterator[Activity]:
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    with _open(file) as handle:
        lines = _lines(file, handle)
        position = {"line": 0}

        def texts() -> Iterator[str]:
            for number, text in lines:
                position["line"] = number
                yield text

        reader = csv.reader(texts(), strict=True)
        header: list[str] | None = None
        while True:
            start = position["line"] + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise SourceError(
                    file, f"line {position['line']}", f"well-formed CSV ({exc})"
                ) from None
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                if len(set(header)) != len(header):
                    duplicate = next(h for h in header if header.count(h) > 1)
                    raise SourceError(
                        file, f"line {start} (header)", f"each column once, {duplicate!r} repeats"
                    )
                _check_columns(file, f"line {start} (header)", header, "column")
                continue
            if len(record) != len(header):
                raise SourceError(
                    file,
                    f"line {start}",
                    f"{len(header)} fields like the header, found {len(record)}",
                )
            yield _Row(file, start).activity(dict(zip(header, record, strict=True)))
        if header is None:
            raise SourceError(
                file, "line 1", f"a header row naming the columns {', '.join(COLUMNS)}"
            )


def _jsonl_activities(file: Path) -> Iterator[Activity]:
    with _open(file) as handle:
        for number, line in _lines(file, handle):
            if not line.strip():
                continue
            try:
                values = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as exc:
                raise SourceError(
                    file, f"line {number} column {exc.colno}", f"valid JSON ({exc.msg})"
                ) from None
            except RecursionError:
                raise SourceError(
                    file, f"line {number}", "a JSON object nested less deeply"
                ) from None
            if not isinstance(values, dict):
                raise SourceError(file, f"line {number}", "one JSON object per line (an activity)")
            _check_columns(file, f"line {number}", values, "key")
            yield _Row(file, number).activity(values)


def _all(path: Path, suffixes: tuple[str, ...], what: str, each: Any) -> Iterator[Activity]:
    for file in _files(path, suffixes, what):
        yield from each(file)


def read_csv(
    path: Path, *, batch_size: int = BATCH_SIZE, stats: ReadStats | None = None
) -> Batches:
    """Yield the activities of a CSV file (or a folder of .csv files) in batches.

    Rows are the Activity contract itself: a bad one refuses the file (no keep-going here).
    """
    return batched(_all(Path(path), CSV_SUFFIXES, "CSV", _csv_activities), batch_size)


def read_jsonl(
    path: Path, *, batch_size: int = BATCH_SIZE, stats: ReadStats | None = None
) -> Batches:
    """Yield the activities of a JSON Lines file (or a folder of .jsonl files) in batches."""
    return batched(_all(Path(path), JSONL_SUFFIXES, "JSON Lines", _jsonl_activities), batch_size)


def _people(batches: Batches) -> Iterator[Person]:
    """Yield each actor once, named and addressed by the first row whose meta says so."""
    seen: dict[str, Person] = {}
    for batch in batches:
        for activity in batch:
            name = activity.meta.get("name")
            email = activity.meta.get("email")
            known = seen.get(activity.actor)
            if known is not None and (known.email or not isinstance(email, str)):
                continue
            person = Person(
                key=activity.actor,
                name=name if isinstance(name, str) and name.strip() else activity.actor,
                email=email.strip().lower() if isinstance(email, str) and email.strip() else None,
            )
            seen[activity.actor] = person
    yield from seen.values()


def people_csv(path: Path) -> Iterator[Person]:
    """Yield the actors of a CSV file; meta.name and meta.email name and address them."""
    return _people(read_csv(path))


def people_jsonl(path: Path) -> Iterator[Person]:
    """Yield the actors of a JSON Lines file; meta.name and meta.email name and address them."""
    return _people(read_jsonl(path))


def _row(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.id,
        "source": activity.source,
        "community": activity.community,
        "actor": activity.actor,
        "verb": activity.verb.value,
        "object_id": activity.object_id,
        "parent_id": activity.parent_id,
        "target_actor": activity.target_actor,
        "at": activity.at.isoformat(),
        "text": activity.text,
        "meta": dict(activity.meta),
    }


def write_csv(activities: Iterable[Activity], path: Path) -> int:
    """Write activities in the CSV format read_csv reads; return how many were written."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for activity in activities:
            row = _row(activity)
            row["meta"] = json.dumps(row["meta"], sort_keys=True, default=str)
            writer.writerow(["" if row[name] is None else row[name] for name in COLUMNS])
            count += 1
    return count


def write_jsonl(activities: Iterable[Activity], path: Path) -> int:
    """Write activities in the JSON Lines format read_jsonl reads; return how many."""
    count = 0
    with Path(path).open("w", encoding="utf-8") as handle:
        for activity in activities:
            handle.write(json.dumps(_row(activity), ensure_ascii=False, default=str) + "\n")
            count += 1
    return count


def sniff_tabular(file: Path) -> str | None:
    """Return "csv" or "jsonl" when a file's name or first line says it is one, else None."""
    name = file.name.lower()
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    try:
        with _open(file) as handle:
            first = handle.readline(64 * 1024)
    except (SourceError, OSError, EOFError, zlib.error):
        return None
    text = first.decode("utf-8-sig", "replace").strip()
    if text.startswith("{") and '"verb"' in text:
        return "jsonl"
    try:
        header = {cell.strip() for cell in next(csv.reader([text]), [])}
    except csv.Error:
        return None
    if set(REQUIRED) <= header:
        return "csv"
    return None
