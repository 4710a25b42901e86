"""Write a generated section into a hand-written doc, between its markers, leaving the rest."""

from __future__ import annotations

from pathlib import Path

__all__ = ["replace_section"]


def replace_section(doc: Path, start: str, end: str, section: str) -> None:
    """Replace the part of `doc` between `start` and `end` with `section` (or append it)."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    if start in text and end in text:
        before = text.split(start, 1)[0]
        after = text.split(end, 1)[1].lstrip("\n")
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.write_text(text, encoding="utf-8")
