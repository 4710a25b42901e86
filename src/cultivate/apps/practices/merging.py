"""Three-way merge of line-based texts, after bzr's merge3: keep both sides' changes when they
touch different lines, and report a conflict when they change the same ones differently."""

from __future__ import annotations

from dataclasses import dataclass

from .diffing import line_opcodes

Block = tuple[int, int, int]  # start in base, start in the other text, length


@dataclass(frozen=True)
class MergeResult:
    """The merged text when `clean`; with conflicts, `text` is empty and must not be saved."""

    text: str
    clean: bool
    conflicts: int


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").splitlines(keepends=True)


def _matching(base: list[str], other: list[str]) -> list[Block]:
    return [
        (i1, j1, i2 - i1) for tag, i1, i2, j1, j2 in line_opcodes(base, other) if tag == "equal"
    ]


def _sync_regions(base: list[str], a: list[str], b: list[str]) -> list[tuple[int, int, int, int]]:
    """Return (base start, a start, b start, length) of runs all three texts share, then an end."""
    a_blocks, b_blocks = _matching(base, a), _matching(base, b)
    regions: list[tuple[int, int, int, int]] = []
    ia = ib = 0
    while ia < len(a_blocks) and ib < len(b_blocks):
        a_base, a_start, a_len = a_blocks[ia]
        b_base, b_start, b_len = b_blocks[ib]
        start = max(a_base, b_base)
        end = min(a_base + a_len, b_base + b_len)
        if start < end:
            regions.append((start, a_start + start - a_base, b_start + start - b_base, end - start))
        if a_base + a_len < b_base + b_len:
            ia += 1
        else:
            ib += 1
    regions.append((len(base), len(a), len(b), 0))
    return regions


def merge3(base: str, mine: str, theirs: str) -> MergeResult:
    """Merge my edit of `base` with theirs; a region both changed differently is a conflict."""
    z, a, b = _lines(base), _lines(mine), _lines(theirs)
    out: list[str] = []
    conflicts = 0
    iz = ia = ib = 0
    for z_match, a_match, b_match, length in _sync_regions(z, a, b):
        z_part, a_part, b_part = z[iz:z_match], a[ia:a_match], b[ib:b_match]
        if a_part == z_part:
            out.extend(b_part)
        elif b_part == z_part or a_part == b_part:
            out.extend(a_part)
        else:
            conflicts += 1
        out.extend(z[z_match : z_match + length])
        iz, ia, ib = z_match + length, a_match + length, b_match + length
    if conflicts:
        return MergeResult(text="", clean=False, conflicts=conflicts)
    return MergeResult(text="".join(out), clean=True, conflicts=0)
