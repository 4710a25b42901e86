"""Open a Stack Exchange data dump (a folder or a .zip) and read its rows' typed fields.

Kept apart from stackexchange.py, which maps rows to activities: here is only where rows come
from (members found by file name, the shallowest of a zip, opened as byte streams), what the
site and community are called after the dump's name, and the typed reading of a row's
attributes that names the file, row and attribute of any malformed value.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from ._xml import Row, xml_rows
from .base import ZIP_ERRORS, SourceError, check_zip, zip_problem

_ROOTS = {
    "Posts.xml": "posts",
    "Users.xml": "users",
    "Comments.xml": "comments",
    "Votes.xml": "votes",
    "PostHistory.xml": "posthistory",
}


class Dump:
    """A dump as a folder or a zip: finds members by file name and opens them as byte streams."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, str] = {}
        if not path.exists():
            raise SourceError(path, "path", "an existing dump folder or .zip file")
        if path.is_dir():
            for child in path.iterdir():
                self._members.setdefault(child.name.lower(), child.name)
            return
        if path.suffix.lower() != ".zip":
            raise SourceError(
                path, "file name", "a dump folder or a .zip (extract .7z dumps first)"
            )
        self._zip = check_zip(path)
        # Prefer the shallowest member of each name, so a dump zipped with its folder works too.
        names = sorted(self._zip.namelist(), key=lambda n: (n.count("/"), n))
        for name in names:
            if not name.endswith("/"):
                self._members.setdefault(name.rsplit("/", 1)[-1].lower(), name)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def has(self, name: str) -> bool:
        return name.lower() in self._members

    def display(self, name: str) -> str:
        member = self._members.get(name.lower(), name)
        if self._zip is not None:
            return f"{self.path}!{member}"
        return str(self.path / member)

    def require(self, name: str) -> None:
        if not self.has(name):
            raise SourceError(self.display(name), "file", f"{name} in the dump (it is missing)")

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        self.require(name)
        member = self._members[name.lower()]
        try:
            if self._zip is not None:
                stream: IO[bytes] = self._zip.open(member)
            else:
                stream = (self.path / member).open("rb")
        except ZIP_ERRORS as exc:
            raise SourceError(self.display(name), "member header", zip_problem(exc)) from None
        with stream:
            yield stream

    def rows(self, name: str) -> Iterator[Row]:
        with self.open(name) as stream:
            yield from xml_rows(stream, self.display(name), _ROOTS[name])


@contextlib.contextmanager
def opened_dump(path: Path) -> Iterator[Dump]:
    dump = Dump(path)
    try:
        yield dump
    finally:
        dump.close()


def site_name(path: Path) -> str:
    """Return the site part of people's and posts' keys: the folder or zip stem, sans "se-"."""
    stem = path.name[:-4] if path.name.lower().endswith(".zip") else path.name
    stem = stem.removesuffix(".stackexchange.com").removesuffix(".com")
    return stem.removeprefix("se-") or stem


def community_name(path: Path) -> str:
    """Return the default community name: the folder or zip stem (e.g. "se-ai")."""
    return path.name[:-4] if path.name.lower().endswith(".zip") else path.name


def is_iso_date(raw: str) -> bool:
    """Whether `RowFields.date` would read the value (an unused vote date must still be one)."""
    try:
        datetime.fromisoformat(raw)
    except ValueError:
        return False
    return True


class RowFields:
    """Typed access to a row's attributes; a missing or malformed value is a SourceError."""

    def __init__(self, display: str, row: Row) -> None:
        self.display = display
        self.row = row

    def fail(self, expected: str) -> SourceError:
        return SourceError(self.display, self.row.where, expected)

    def text(self, name: str) -> str | None:
        return self.row.attrs.get(name)

    def integer(self, name: str) -> int:
        value = self.opt_integer(name)
        if value is None:
            raise self.fail(f"an integer attribute {name} (it is missing)")
        return value

    def opt_integer(self, name: str) -> int | None:
        raw = self.row.attrs.get(name)
        if raw is None or raw == "":
            return None
        try:
            return int(raw)
        except ValueError:
            raise self.fail(f"an integer in attribute {name}, got {raw[:40]!r}") from None

    def date(self, name: str) -> datetime:
        raw = self.row.attrs.get(name)
        if raw is None:
            raise self.fail(f"an ISO 8601 date in attribute {name} (it is missing)")
        try:  # dump times are UTC without a zone: read as such in one step, five times faster
            quick = datetime.fromisoformat(raw + "+00:00")
            if quick.tzinfo is not None:
                return quick
        except ValueError:
            pass  # a date with its own zone, or a malformed one: the careful way below
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise self.fail(f"an ISO 8601 date in attribute {name}, got {raw[:40]!r}") from None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
