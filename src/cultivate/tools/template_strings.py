"""Find the words people read in Django templates that are not marked for translation.

A template's visible text (between tags) and its human attributes (`title`, `aria-label`,
`placeholder`, `alt`, `hx-confirm`) must sit inside `{% translate %}` or `{% blocktranslate %}`.
`untranslated(source)` returns what does not, so a test can fail naming it; `wrap(source)`
marks the plain cases (a run of text, with or without variables) for translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.template.base import DebugLexer, TokenType

HUMAN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "hx-confirm", "data-confirm")
UNTRANSLATED_WORDS = frozenset({"Cultivate"})
"""Words that stay as they are in every language (the product's name)."""

_LETTER = re.compile(r"[A-Za-zÀ-ÿ]")
_TAG = re.compile(r"<[^<>]*>")
_ATTRIBUTE = re.compile(r"\s(" + "|".join(HUMAN_ATTRIBUTES) + r')="([^"]*)"')
_OPENING_BLOCKS = ("blocktranslate", "blocktrans", "comment", "verbatim")
_RAW_ELEMENTS = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.DOTALL | re.IGNORECASE)
TEXT, VAR, BLOCK, HIDDEN = "t", "v", "b", "h"


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of visible text: where it is, what it says, and whether it holds variables."""

    start: int
    end: int
    text: str
    variables: tuple[str, ...]
    in_attribute: bool


def _kinds(source: str) -> list[str]:
    """Say for each character of the source what it belongs to: text, a variable, a tag, or
    something never shown (comments, translation blocks, scripts and styles)."""
    kinds = [TEXT] * len(source)
    depth = 0
    for token in DebugLexer(source).tokenize():
        assert token.position is not None  # DebugLexer gives every token its place
        start, end = token.position
        word = token.contents.split()[0] if token.contents.split() else ""
        if token.token_type is TokenType.BLOCK:
            if word in _OPENING_BLOCKS:
                depth += 1
            elif word in ("endblocktranslate", "endblocktrans", "endcomment", "endverbatim"):
                depth -= 1
                kinds[start:end] = [HIDDEN] * (end - start)
                continue
            kind = HIDDEN if word in ("translate", "trans") or depth else BLOCK
        elif token.token_type is TokenType.VAR:
            kind = HIDDEN if depth else VAR
        elif token.token_type is TokenType.COMMENT:
            kind = HIDDEN
        else:
            kind = HIDDEN if depth else TEXT
        kinds[start:end] = [kind] * (end - start)
    masked = "".join(c if k == TEXT else "\x00" for c, k in zip(source, kinds, strict=True))
    for match in _RAW_ELEMENTS.finditer(masked):
        kinds[match.start() : match.end()] = [HIDDEN] * (match.end() - match.start())
    return kinds


def _runs_in(source: str, kinds: list[str], start: int, end: int, attribute: bool) -> list[Run]:
    """Split [start, end) at template tags into runs of text and variables that hold words."""
    runs: list[Run] = []
    piece_start = start
    for i in range(start, end + 1):
        if i == end or kinds[i] in (BLOCK, HIDDEN):
            runs.extend(_run(source, kinds, piece_start, i, attribute))
            piece_start = i + 1
    return runs


def _run(source: str, kinds: list[str], start: int, end: int, attribute: bool) -> list[Run]:
    text_only = "".join(source[i] for i in range(start, end) if kinds[i] == TEXT)
    words = set(re.findall(r"[A-Za-zÀ-ÿ]+", text_only))
    if not words or words <= UNTRANSLATED_WORDS:
        return []
    while start < end and source[start].isspace():
        start += 1
    while end > start and source[end - 1].isspace():
        end -= 1
    chunk = source[start:end]
    variables = tuple(re.findall(r"\{\{(.*?)\}\}", chunk))
    return [Run(start, end, chunk, tuple(v.strip() for v in variables), attribute)]


def untranslated(source: str) -> list[Run]:
    """Return every run of visible words not marked for translation."""
    kinds = _kinds(source)
    masked = "".join(
        c if k == TEXT else ("\x01" if k == VAR else "\x02")
        for c, k in zip(source, kinds, strict=True)
    )
    runs: list[Run] = []
    position = 0
    for tag in _TAG.finditer(masked):
        runs.extend(_runs_in(source, kinds, position, tag.start(), attribute=False))
        for attribute in _ATTRIBUTE.finditer(masked, tag.start(), tag.end()):
            runs.extend(
                _runs_in(source, kinds, attribute.start(2), attribute.end(2), attribute=True)
            )
        position = tag.end()
    runs.extend(_runs_in(source, kinds, position, len(source), attribute=False))
    return runs


def _name_of(expression: str, taken: set[str]) -> str:
    base = re.sub(r"\W+", "_", expression.split("|")[0].split(".")[-1]).strip("_") or "value"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def marked(run: Run) -> str | None:
    """Return the run marked for translation, or None when it needs a person (quotes, braces)."""
    if not run.variables and not any(c in run.text for c in "&<\n"):
        # `translate` escapes what it outputs, and a tag holds one line: entities, markup and
        # several lines need `blocktranslate`.
        if '"' not in run.text:
            return '{% translate "' + run.text + '" %}'
        if "'" not in run.text:
            return "{% translate '" + run.text + "' %}"
        return None
    taken: set[str] = set()
    names: list[tuple[str, str]] = []
    text = run.text
    for expression in run.variables:
        name = _name_of(expression, taken)
        names.append((name, expression))
        pattern = r"\{\{\s*" + re.escape(expression) + r"\s*\}\}"
        text = re.sub(pattern, "{{ " + name + " }}", text, count=1)
    if "{%" in text or "%" in text.replace("{{", "").replace("}}", ""):
        return None
    bindings = " ".join(f"{name}={expression}" for name, expression in names)
    opening = (
        "{% blocktranslate trimmed with " + bindings + " %}"
        if names
        else "{% blocktranslate trimmed %}"
    )
    return opening + text + "{% endblocktranslate %}"


_LOAD = re.compile(r"\{%\s*load\s[^%]*\bi18n\b[^%]*%\}")
_EXTENDS = re.compile(r"\A\s*\{%\s*extends\s[^%]*%\}\n?")


def wrap(source: str) -> tuple[str, list[Run]]:
    """Mark every plain run for translation; return the new source and the runs left to a person."""
    left: list[Run] = []
    out = source
    runs = untranslated(source)
    for run in sorted(runs, key=lambda r: -r.start):
        replacement = marked(run)
        if replacement is None:
            left.append(run)
            continue
        out = out[: run.start] + replacement + out[run.end :]
    if len(left) < len(runs) and not _LOAD.search(out):
        extends = _EXTENDS.match(out)
        at = extends.end() if extends else 0
        load = "{% load i18n %}" + ("\n" if extends else "")
        if extends and out[at - 1 : at] != "\n":
            load = "\n" + load
        out = out[:at] + load + out[at:]
    return out, sorted(left, key=lambda r: r.start)
