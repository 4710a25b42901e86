"""Line diffs of two revisions, ready for a unified or a side-by-side page.

Built to stay fast on a megabyte of markdown: the common head and tail of the two texts are cut
off before difflib sees them, difflib compares whole lines, and words are compared only inside
the few changed lines shown, each of bounded length. No character diff ever runs over the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONTEXT = 3
MAX_SHOWN_LINES = 4000
"""A diff longer than this shows its first lines and says it was cut."""
MAX_WORD_DIFF_CHARS = 4000
"""Lines longer than this are marked whole: a word diff of them would cost more than it tells."""
MAX_WORD_DIFF_PAIRS = 200

Opcode = tuple[str, int, int, int, int]
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Line:
    """One line of a diff: 'equal', 'delete' or 'insert', its numbers, text and escaped HTML."""

    kind: str
    old_no: int | None
    new_no: int | None
    html: SafeString
    text: str


@dataclass(frozen=True)
class Row:
    """One row of the side-by-side view: the old line on the left, the new on the right."""

    left: Line | None
    right: Line | None


@dataclass
class Hunk:
    """A run of changes with a few unchanged lines around it."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    lines: list[Line] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    @property
    def header(self) -> str:
        return f"@@ -{self.old_start},{self.old_count} +{self.new_start},{self.new_count} @@"


@dataclass
class Diff:
    """The whole comparison: hunks, counts, and whether the two texts are the same."""

    hunks: list[Hunk]
    added: int
    removed: int
    truncated: bool = False

    @property
    def identical(self) -> bool:
        return not self.hunks


def split_lines(text: str) -> list[str]:
    """Return the text's lines without their endings (CRLF and CR count as LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def line_opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    """Return difflib opcodes for two lists of lines, cheap when they share a long head or tail."""
    prefix = 0
    limit = min(len(a), len(b))
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[len(a) - 1 - suffix] == b[len(b) - 1 - suffix]:
        suffix += 1
    middle_a, middle_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    ops: list[Opcode] = []
    if prefix:
        ops.append(("equal", 0, prefix, 0, prefix))
    if middle_a or middle_b:
        matcher = SequenceMatcher(None, middle_a, middle_b, autojunk=True)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            ops.append((tag, i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix))
    if suffix:
        ops.append(("equal", len(a) - suffix, len(a), len(b) - suffix, len(b)))
    return ops


def _grouped(ops: list[Opcode], n: int) -> list[list[Opcode]]:
    """Group opcodes into hunks with n lines of context (difflib's rule, on any opcodes)."""
    if not any(op[0] != "equal" for op in ops):
        return []
    codes = list(ops)
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = (tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2)
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = (tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n))
    groups: list[list[Opcode]] = []
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > n * 2:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups


def _words(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Return both lines as HTML with the changed words wrapped in <del> and <ins>."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    left: list[str] = []
    right: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_part, new_part = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if tag == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if old_part:
            left.append(f"<del>{old_part}</del>")
        if new_part:
            right.append(f"<ins>{new_part}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))


def _replace_block(
    a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int
) -> tuple[list[Line], list[Line]]:
    """Return the removed and added lines of a changed block, pairing lines for a word diff."""
    removed: list[Line] = []
    added: list[Line] = []
    pairs = min(i2 - i1, j2 - j1, MAX_WORD_DIFF_PAIRS)
    for k in range(max(i2 - i1, j2 - j1)):
        old = a[i1 + k] if i1 + k < i2 else None
        new = b[j1 + k] if j1 + k < j2 else None
        if (
            old is not None
            and new is not None
            and k < pairs
            and len(old) <= MAX_WORD_DIFF_CHARS
            and len(new) <= MAX_WORD_DIFF_CHARS
        ):
            old_html, new_html = _words(old, new)
        else:
            old_html = escape(old) if old is not None else mark_safe("")
            new_html = escape(new) if new is not None else mark_safe("")
        if old is not None:
            removed.append(Line("delete", i1 + k + 1, None, old_html, old))
        if new is not None:
            added.append(Line("insert", None, j1 + k + 1, new_html, new))
    return removed, added


def _hunk(a: list[str], b: list[str], group: list[Opcode]) -> Hunk:
    first, last = group[0], group[-1]
    hunk = Hunk(
        old_start=first[1] + 1,
        old_count=last[2] - first[1],
        new_start=first[3] + 1,
        new_count=last[4] - first[3],
    )
    for tag, i1, i2, j1, j2 in group:
        if tag == "equal":
            for k in range(i2 - i1):
                text = a[i1 + k]
                line = Line("equal", i1 + k + 1, j1 + k + 1, escape(text), text)
                hunk.lines.append(line)
                hunk.rows.append(Row(line, line))
            continue
        removed, added = _replace_block(a, b, i1, i2, j1, j2)
        hunk.lines.extend(removed)
        hunk.lines.extend(added)
        for k in range(max(len(removed), len(added))):
            hunk.rows.append(
                Row(removed[k] if k < len(removed) else None, added[k] if k < len(added) else None)
            )
    return hunk


def diff_texts(old: str, new: str, *, context: int = CONTEXT) -> Diff:
    """Return the line diff of two texts; `identical` is true when no line differs."""
    a, b = split_lines(old), split_lines(new)
    if a == b:
        return Diff(hunks=[], added=0, removed=0)
    ops = line_opcodes(a, b)
    added = sum(j2 - j1 for tag, _, _, j1, j2 in ops if tag in ("insert", "replace"))
    removed = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag in ("delete", "replace"))
    hunks: list[Hunk] = []
    shown = 0
    truncated = False
    for group in _grouped(ops, context):
        if shown >= MAX_SHOWN_LINES:
            truncated = True
            break
        hunk = _hunk(a, b, group)
        shown += len(hunk.lines)
        hunks.append(hunk)
    return Diff(hunks=hunks, added=added, removed=removed, truncated=truncated)
