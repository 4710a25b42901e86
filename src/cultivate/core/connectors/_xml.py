"""Stream the rows of Stack Exchange-style XML files with their line and column, refusing entities.

Expat is driven directly (the parser under ElementTree's iterparse) so that every row carries the
position it started at: a bad attribute is reported by line and column, not only bad syntax. No
tree is built, so memory stays flat whatever the file size; entity declarations are refused, which
closes the door on "billion laughs" and external-entity files.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

from .base import SourceError

CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class Row:
    """One `<row .../>` element: its attributes and where it starts in the file (1-based)."""

    attrs: dict[str, str]
    line: int
    column: int

    @property
    def where(self) -> str:
        """Name the row's position for an error message."""
        ident = self.attrs.get("Id")
        suffix = f" (row Id={ident})" if ident is not None else ""
        return f"line {self.line}, column {self.column}{suffix}"


class _Refused(Exception):
    """Raised inside an expat handler to stop on content the reader will not accept."""

    def __init__(self, where: str, expected: str) -> None:
        super().__init__(expected)
        self.where = where
        self.expected = expected


def xml_rows(stream: IO[bytes], display: str, root: str) -> Iterator[Row]:  # noqa: C901 - the readers' hot loop; calls cost time there
    """Yield the `<row>` children of the `<root>` element of an XML stream, checking as it goes."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    pending: list[Row] = []
    depth = 0

    def position() -> str:
        return f"line {parser.CurrentLineNumber}, column {parser.CurrentColumnNumber + 1}"

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth == 1 and name.lower() != root:
            raise _Refused(position(), f"a <{root}> root element, found <{name}>")
        if depth == 2:
            if name != "row":
                raise _Refused(position(), f"<row> elements inside <{root}>, found <{name}>")
            pending.append(Row(attrs, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def entity(*args: object) -> None:
        raise _Refused(position(), "no entity declarations (refused for safety)")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entity
    offset = 0
    while True:
        try:
            chunk = stream.read(CHUNK)
        except (
            OSError,
            EOFError,
            RuntimeError,
            NotImplementedError,
            zipfile.BadZipFile,
            zlib.error,
        ) as exc:
            raise SourceError(
                display, f"byte {offset}", f"a complete, readable file ({exc})"
            ) from None
        offset += len(chunk)
        try:
            parser.Parse(chunk, not chunk)
        except expat.ExpatError as exc:
            problem = expat.ErrorString(exc.code)
            if not chunk:  # the error came with the end of the file: it stops mid-document
                problem = f"the file is truncated: it ends early ({problem})"
            raise SourceError(
                display,
                f"line {exc.lineno}, column {exc.offset + 1}",
                f"well-formed XML ({problem})",
            ) from None
        except _Refused as exc:
            raise SourceError(display, exc.where, exc.expected) from None
        except LookupError as exc:  # an encoding declaration Python does not know
            raise SourceError(display, "XML declaration", f"a known encoding ({exc})") from None
        except UnicodeError as exc:
            raise SourceError(
                display, position(), f"text in its declared encoding ({exc})"
            ) from None
        yield from pending
        pending.clear()
        if not chunk:
            return
