"""How the figures are computed, in the app: the method part of docs/metrics.md, one section each.

docs/metrics.md is the one place the formulas are written; the Health page's footnotes link to
its sections here (`/insights/method/#health-score`), so what a reader is told is what the engine
does. The evaluation sections after it (back-tests, the classifier's scores) are for engineers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from cultivate.core.markup import render_markdown

METHOD_END = "<!-- early-warning back-test"
"""Where the method ends in docs/metrics.md and the evaluations begin."""


@dataclass(frozen=True, slots=True)
class MethodSection:
    anchor: str
    title: str
    html: SafeString


def method_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "metrics.md"


def section_anchor(title: str) -> str:
    """The anchor of a section: its title without the code name in brackets ("health-score")."""
    return slugify(title.split("(")[0])


@lru_cache(maxsize=4)
def _sections(text: str) -> tuple[MethodSection, ...]:
    method = text.split(METHOD_END)[0]
    parts = re.split(r"^## ", method, flags=re.MULTILINE)
    sections = [MethodSection("", "", mark_safe(render_markdown(re.sub(r"^# .*\n", "", parts[0]))))]
    for part in parts[1:]:
        title, _, body = part.partition("\n")
        sections.append(
            MethodSection(section_anchor(title), title.strip(), mark_safe(render_markdown(body)))
        )
    return tuple(sections)


def method_sections() -> tuple[MethodSection, ...] | None:
    """The method's sections, rendered and sanitised; None where the docs are not installed."""
    path = method_path()
    if not path.is_file():
        return None
    return _sections(path.read_text(encoding="utf-8"))
