"""The SVG pieces every chart shares: escaping, numbers, colours, ids and the chart's frame.

Colours come from the Okabe-Ito palette, which stays distinguishable under the common
colour-vision deficiencies, and line series also differ by dash pattern. Text is near-black on
white.

The SVGs carry no `xmlns`, so an HTML page that inlines them holds no URL at all (the HTML parser
puts `<svg>` in the SVG namespace by itself); `svg_document` adds it for a standalone .svg file.
"""

from __future__ import annotations

import hashlib
import html
import math
import re

# Okabe & Ito (2008); the first four reach 3:1 against white, as WCAG asks of graphics.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 4", "1 2", "12 4")
TEXT = "#1a1a1a"
MUTED = "#4d4d4d"
GRID = "#dcdcdc"
AXIS = "#767676"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")
_TITLE_SIZE = 14
_FONT_SIZE = 11
_CHAR_WIDTH = 0.6  # average glyph width as a share of the font size, for layout estimates


# --- small helpers -------------------------------------------------------------------------------


def without_unholdable(text: object) -> str:
    """Return the text without the characters XML cannot hold (most control characters)."""
    return _NOT_XML.sub("", str(text))


def esc(text: object) -> str:
    """Return text safe inside XML and HTML: escaped, without characters XML cannot hold."""
    return html.escape(without_unholdable(text), quote=True)


def truncate(text: str, limit: int) -> str:
    """Return text cut to `limit` characters with an ellipsis, so labels keep their place."""
    if limit < 1:
        return ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_number(value: float, decimals: int | None = None) -> str:
    """Return a number for people: whole numbers bare, others with up to two decimals."""
    if decimals is None:
        if float(value).is_integer():
            return f"{int(value):,}"
        decimals = 2 if abs(value) < 10 else 1
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def svg_number(value: float) -> str:
    """Return a coordinate with one decimal at most (and never "-0"), for compact, stable SVG."""
    text = f"{round(value, 1) + 0.0:.1f}"
    return text[:-2] if text.endswith(".0") else text


def finite_or_none(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def text_width(text: str, size: float = _FONT_SIZE) -> float:
    return len(text) * size * _CHAR_WIDTH


def chart_xml_id(chart_id: str | None, *payload: object) -> str:
    """Return a valid, deterministic XML id: the caller's, or one derived from the chart's data."""
    if chart_id:
        cleaned = _NOT_ID.sub("-", chart_id)
        return cleaned if cleaned[0].isalpha() else f"c{cleaned}"
    digest = hashlib.sha256(repr(payload).encode("utf-8", "replace")).hexdigest()
    return f"chart-{digest[:12]}"


def svg_document(svg: str) -> str:
    """Return a chart as a standalone .svg file (with the XML declaration and namespace)."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg.replace(
        "<svg ", f'<svg xmlns="{SVG_NAMESPACE}" ', 1
    )


def open_chart(width: int, height: int, cid: str, title: str, desc: str) -> list[str]:
    shown = truncate(title, int((width - 24) / (_TITLE_SIZE * _CHAR_WIDTH)))
    return [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{cid}-title {cid}-desc" '
        f'font-family="{FONT}" font-size="{_FONT_SIZE}">',
        f'<title id="{cid}-title">{esc(title)}</title>',
        f'<desc id="{cid}-desc">{esc(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="12" y="21" font-size="{_TITLE_SIZE}" font-weight="600" fill="{TEXT}" '
        f'aria-hidden="true">{esc(shown)}</text>',
    ]


def empty_chart(width: int, height: int, cid: str, title: str, message: str = "no data") -> str:
    parts = open_chart(width, height, cid, title, f"{title}: {message}.")
    parts.append(
        f'<text x="{svg_number(width / 2)}" y="{svg_number(height / 2 + 10)}" text-anchor="middle" '
        f'font-size="13" fill="{MUTED}">{esc(message)}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)
