"""Server-side SVG charts for reports: no JavaScript, no external assets, readable without sight.

Every chart is an `<svg role="img">` whose `<title>` names it and whose `<desc>` sums up its data in
words, so the numbers reach people using a screen reader. Colours come from the Okabe-Ito palette,
which stays distinguishable under the common colour-vision deficiencies, and line series also
differ by dash pattern. Text is near-black on white. The output is a pure function of the input:
the same data gives the same bytes, so snapshots and tests can compare charts.

The SVGs carry no `xmlns`, so an HTML page that inlines them holds no URL at all (the HTML parser
puts `<svg>` in the SVG namespace by itself); `svg_document` adds it for a standalone .svg file.
"""

from __future__ import annotations

import hashlib
import html
import math
import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cultivate.core.analytics.maturity import LEVEL_NAMES

# Okabe & Ito (2008); the first four reach 3:1 against white, as WCAG asks of graphics.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 4", "1 2", "12 4")
TEXT = "#1a1a1a"
MUTED = "#4d4d4d"
GRID = "#dcdcdc"
AXIS = "#767676"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
BLOCKS = "▁▂▃▄▅▆▇█"
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


def _n(value: float) -> str:
    """Return a coordinate with one decimal at most (and never "-0"), for compact, stable SVG."""
    text = f"{round(value, 1) + 0.0:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _clean(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _text_width(text: str, size: float = _FONT_SIZE) -> float:
    return len(text) * size * _CHAR_WIDTH


def _chart_id(chart_id: str | None, *payload: object) -> str:
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


def _open(width: int, height: int, cid: str, title: str, desc: str) -> list[str]:
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


def _empty(width: int, height: int, cid: str, title: str, message: str = "no data") -> str:
    parts = _open(width, height, cid, title, f"{title}: {message}.")
    parts.append(
        f'<text x="{_n(width / 2)}" y="{_n(height / 2 + 10)}" text-anchor="middle" '
        f'font-size="13" fill="{MUTED}">{esc(message)}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


# --- scales --------------------------------------------------------------------------------------


def _nice(value: float, rounded: bool) -> float:
    """Heckbert's nice number: 1, 2, 5 or 10 times a power of ten close to value."""
    power = 10.0 ** math.floor(math.log10(value))
    fraction = value / power
    if rounded:
        nice = 1.0 if fraction < 1.5 else 2.0 if fraction < 3 else 5.0 if fraction < 7 else 10.0
    else:
        nice = 1.0 if fraction <= 1 else 2.0 if fraction <= 2 else 5.0 if fraction <= 5 else 10.0
    return nice * power


def nice_ticks(low: float, high: float, count: int = 5, *, integer: bool = False) -> list[float]:
    """Return evenly spaced round tick values covering [low, high] (Heckbert, Graphics Gems)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    low, high = min(low, high), max(low, high)
    if high == low:
        if high == 0:
            high = 1.0
        elif high > 0:
            low = 0.0
        else:
            high = 0.0
    step = _nice(_nice(high - low, False) / max(1, count - 1), True)
    if integer:
        step = max(step, 1.0)
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    steps = round((stop - start) / step)
    return [round(start + i * step, 10) + 0.0 for i in range(steps + 1)]


def _tick_decimals(ticks: Sequence[float]) -> int:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    return 0 if step >= 1 else min(6, -math.floor(math.log10(step)))


class _Plot:
    """The plotting area of a chart with a category x axis and a numeric y axis."""

    def __init__(
        self,
        width: int,
        height: int,
        ticks: Sequence[float],
        *,
        left: float,
        bottom: float,
        top: float = 42,
        right: float = 16,
    ) -> None:
        self.left, self.top = left, top
        self.right, self.bottom = width - right, height - bottom
        self.ticks = list(ticks)
        self.low, self.high = self.ticks[0], self.ticks[-1]

    @property
    def width(self) -> float:
        return max(1.0, self.right - self.left)

    def y(self, value: float) -> float:
        span = self.high - self.low or 1.0
        return self.bottom - (value - self.low) / span * (self.bottom - self.top)

    def y_axis(self, y_label: str, tick_labels: Sequence[str] | None = None) -> list[str]:
        decimals = _tick_decimals(self.ticks)
        parts = ['<g class="y-axis" aria-hidden="true">']
        for i, tick in enumerate(self.ticks):
            y = _n(self.y(tick))
            label = tick_labels[i] if tick_labels else format_number(tick, decimals)
            colour = AXIS if tick == 0 else GRID
            parts.append(
                f'<line x1="{_n(self.left)}" x2="{_n(self.right)}" y1="{y}" y2="{y}" '
                f'stroke="{colour}" stroke-width="1"/>'
            )
            parts.append(
                f'<text x="{_n(self.left - 6)}" y="{y}" dy="0.35em" text-anchor="end" '
                f'fill="{TEXT}">{esc(label)}</text>'
            )
        if y_label:
            middle = (self.top + self.bottom) / 2
            parts.append(
                f'<text transform="translate(13 {_n(middle)}) rotate(-90)" text-anchor="middle" '
                f'fill="{MUTED}">{esc(truncate(y_label, 40))}</text>'
            )
        parts.append("</g>")
        return parts

    def x_labels(self, labels: Sequence[str], centres: Sequence[float]) -> list[str]:
        """Label as many categories as fit without overlapping, evenly thinned."""
        shown = [truncate(label, 12) for label in labels]
        widest = max((_text_width(s) for s in shown), default=0.0) + 8
        fit = max(1, int(self.width // max(widest, 1.0)))
        every = max(1, math.ceil(len(labels) / fit))
        parts = ['<g class="x-axis" aria-hidden="true">']
        parts.append(
            f'<line x1="{_n(self.left)}" x2="{_n(self.right)}" y1="{_n(self.bottom)}" '
            f'y2="{_n(self.bottom)}" stroke="{AXIS}" stroke-width="1"/>'
        )
        for i, (label, x) in enumerate(zip(shown, centres, strict=True)):
            if i % every:
                continue
            parts.append(
                f'<text x="{_n(x)}" y="{_n(self.bottom + 16)}" text-anchor="middle" '
                f'fill="{TEXT}">{esc(label)}</text>'
            )
        parts.append("</g>")
        return parts


def _legend_rows(names: Sequence[str], width: int) -> list[list[tuple[int, str, float]]]:
    """Place legend entries left to right, wrapping onto new rows: (index, label, x)."""
    rows: list[list[tuple[int, str, float]]] = [[]]
    x = 12.0
    for i, name in enumerate(names):
        label = truncate(name, 32)
        item = 26 + _text_width(label) + 16
        if rows[-1] and x + item > width - 12:
            rows.append([])
            x = 12.0
        rows[-1].append((i, label, x))
        x += item
    return rows


def _legend(names: Sequence[str], width: int, top: float, *, lines: bool) -> list[str]:
    parts = ['<g class="legend">']
    for r, row in enumerate(_legend_rows(names, width)):
        y = top + r * 18
        for i, label, x in row:
            colour = PALETTE[i % len(PALETTE)]
            if lines:
                dash = DASHES[i % len(DASHES)]
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(
                    f'<line x1="{_n(x)}" x2="{_n(x + 20)}" y1="{_n(y)}" y2="{_n(y)}" '
                    f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
                )
            else:
                parts.append(
                    f'<rect x="{_n(x + 4)}" y="{_n(y - 6)}" width="12" height="12" '
                    f'fill="{colour}"/>'
                )
            parts.append(
                f'<text x="{_n(x + 26)}" y="{_n(y)}" dy="0.35em" fill="{TEXT}">{esc(label)}</text>'
            )
    parts.append("</g>")
    return parts


def _legend_height(names: Sequence[str], width: int) -> float:
    return 18.0 * len(_legend_rows(names, width)) if names else 0.0


def _normalise(
    labels: Sequence[str], series: Mapping[str, Sequence[float | None]]
) -> tuple[list[str], dict[str, list[float | None]]]:
    """Return labels as text and every series cut or padded (with gaps) to the labels' length."""
    names = [str(label) for label in labels]
    data: dict[str, list[float | None]] = {}
    for key, values in series.items():
        row = [_clean(v) for v in list(values)[: len(names)]]
        data[str(key)] = row + [None] * (len(names) - len(row))
    return names, data


def _summary(name: str, labels: Sequence[str], values: Sequence[float | None]) -> str:
    """Describe one series in words: latest, lowest and highest value, and the gaps."""
    points = [(label, v) for label, v in zip(labels, values, strict=True) if v is not None]
    if not points:
        return f"{name}: no data"
    low = min(points, key=lambda p: p[1])
    high = max(points, key=lambda p: p[1])
    text = (
        f"{name}: latest {format_number(points[-1][1])} ({points[-1][0]}), "
        f"lowest {format_number(low[1])} ({low[0]}), highest {format_number(high[1])} ({high[0]})"
    )
    missing = len(values) - len(points)
    return text + (f", no data for {missing} of {len(values)}" if missing else "")


def _left_margin(tick_labels: Sequence[str], y_label: str) -> float:
    return 10 + (18 if y_label else 0) + max(_text_width(t) for t in tick_labels) + 8


# --- charts --------------------------------------------------------------------------------------


def line_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    y_label: str = "",
    width: int = 640,
    height: int = 240,
    chart_id: str | None = None,
) -> str:
    """Return a line chart of one or more series over categories; None leaves a gap in the line."""
    names, data = _normalise(labels, series)
    cid = _chart_id(chart_id, "line", title, y_label, width, height, names, data)
    present = [v for values in data.values() for v in values if v is not None]
    if not names or not present:
        return _empty(width, height, cid, title)
    ticks = nice_ticks(
        min(0.0, min(present)),
        max(0.0, max(present)),
        integer=all(v.is_integer() for v in present),
    )
    decimals = _tick_decimals(ticks)
    tick_labels = [format_number(t, decimals) for t in ticks]
    legend_height = _legend_height(list(data), width)
    plot = _Plot(
        width,
        height,
        ticks,
        left=_left_margin(tick_labels, y_label),
        bottom=30 + legend_height,
    )
    pad = min(12.0, plot.width / 4)
    count = len(names)

    def x(i: int) -> float:
        if count == 1:
            return plot.left + plot.width / 2
        return plot.left + pad + i * (plot.width - 2 * pad) / (count - 1)

    desc = (
        f"{title}. Line chart of {count} points from {names[0]} to {names[-1]}"
        f"{' (' + y_label + ')' if y_label else ''}. "
        + "; ".join(_summary(name, names, values) for name, values in data.items())
        + "."
    )
    parts = _open(width, height, cid, title, desc)
    parts += plot.y_axis(y_label, tick_labels)
    parts += plot.x_labels(names, [x(i) for i in range(count)])
    for s, (name, values) in enumerate(data.items()):
        colour = PALETTE[s % len(PALETTE)]
        dash = DASHES[s % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segments: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append((x(i), plot.y(value)))
        parts.append(f'<g class="series" data-series="{esc(name)}">')
        for segment in segments:
            if len(segment) > 1:
                path = " ".join(
                    f"{'M' if j == 0 else 'L'}{_n(px)} {_n(py)}"
                    for j, (px, py) in enumerate(segment)
                )
                parts.append(
                    f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5" '
                    f'stroke-linejoin="round" stroke-linecap="round"{dash_attr}/>'
                )
        for i, value in enumerate(values):
            if value is None:
                continue
            parts.append(
                f'<circle cx="{_n(x(i))}" cy="{_n(plot.y(value))}" r="3.5" fill="{colour}" '
                f'stroke="#ffffff" stroke-width="1"><title>{esc(names[i])} · {esc(name)}: '
                f"{esc(format_number(value))}</title></circle>"
            )
        parts.append("</g>")
    parts += _legend(list(data), width, height - legend_height + 4, lines=True)
    parts.append("</svg>")
    return "\n".join(parts)


def bar_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    stacked: bool = False,
    y_label: str = "",
    width: int = 640,
    height: int = 240,
    chart_id: str | None = None,
) -> str:
    """Return a bar chart of series over categories, grouped side by side or stacked."""
    names, data = _normalise(labels, series)
    cid = _chart_id(chart_id, "bar", title, stacked, y_label, width, height, names, data)
    present = [v for values in data.values() for v in values if v is not None]
    if not names or not data or not present:
        return _empty(width, height, cid, title)
    columns = list(zip(*data.values(), strict=True))
    if stacked:
        tops = [sum(v for v in col if v is not None and v > 0) for col in columns]
        bottoms = [sum(v for v in col if v is not None and v < 0) for col in columns]
        low, high = min(0.0, *bottoms), max(0.0, *tops)
    else:
        low, high = min(0.0, *present), max(0.0, *present)
    ticks = nice_ticks(low, high, integer=all(v.is_integer() for v in present))
    decimals = _tick_decimals(ticks)
    tick_labels = [format_number(t, decimals) for t in ticks]
    legend_height = _legend_height(list(data), width)
    plot = _Plot(
        width,
        height,
        ticks,
        left=_left_margin(tick_labels, y_label),
        bottom=30 + legend_height,
    )
    band = plot.width / len(names)
    centres = [plot.left + (i + 0.5) * band for i in range(len(names))]
    kind = "Stacked bar chart" if stacked else "Bar chart"
    totals = "; ".join(
        f"{name} total {format_number(sum(v for v in values if v is not None))}"
        for name, values in data.items()
    )
    desc = (
        f"{title}. {kind} of {len(names)} categories from {names[0]} to {names[-1]}"
        f"{' (' + y_label + ')' if y_label else ''}. "
        + "; ".join(_summary(name, names, values) for name, values in data.items())
        + f". {totals}."
    )
    parts = _open(width, height, cid, title, desc)
    parts += plot.y_axis(y_label, tick_labels)
    parts.append('<g class="bars">')
    zero = plot.y(0.0)
    for i, label in enumerate(names):
        above, below = 0.0, 0.0
        for s, (name, values) in enumerate(data.items()):
            value = values[i]
            if value is None or value == 0:
                continue
            colour = PALETTE[s % len(PALETTE)]
            if stacked:
                bar_width = band * 0.6
                bar_x = centres[i] - bar_width / 2
                if value > 0:
                    y0, y1 = plot.y(above), plot.y(above + value)
                    above += value
                else:
                    y0, y1 = plot.y(below + value), plot.y(below)
                    below += value
            else:
                bar_width = band * 0.8 / len(data)
                bar_x = centres[i] - band * 0.4 + s * bar_width
                y0, y1 = (zero, plot.y(value)) if value > 0 else (plot.y(value), zero)
            top, bar_height = min(y0, y1), abs(y0 - y1)
            parts.append(
                f'<rect x="{_n(bar_x)}" y="{_n(top)}" width="{_n(max(bar_width - 1, 1))}" '
                f'height="{_n(max(bar_height, 0.5))}" fill="{colour}"><title>{esc(label)} · '
                f"{esc(name)}: {esc(format_number(value))}</title></rect>"
            )
    parts.append("</g>")
    parts += plot.x_labels(names, centres)
    parts += _legend(list(data), width, height - legend_height + 4, lines=False)
    parts.append("</svg>")
    return "\n".join(parts)


def step_chart(
    labels: Sequence[str],
    levels: Sequence[int],
    *,
    title: str,
    width: int = 640,
    height: int = 200,
    chart_id: str | None = None,
) -> str:
    """Return the maturity level (0-3) month by month as a step line, levels named on the axis."""
    names = [str(label) for label in labels]
    values = [int(v) for v in list(levels)[: len(names)]]
    names = names[: len(values)]
    cid = _chart_id(chart_id, "step", title, width, height, names, values)
    if not values:
        return _empty(width, height, cid, title)
    top_level = max(3, *values)
    ticks = [float(t) for t in range(min(0, *values), top_level + 1)]
    tick_labels = [f"{int(t)} {LEVEL_NAMES.get(int(t), '')}".strip() for t in ticks]
    plot = _Plot(width, height, ticks, left=_left_margin(tick_labels, ""), bottom=28)
    band = plot.width / len(values)
    changes = [
        f"{names[i]} {'rose' if v > values[i - 1] else 'fell'} to {v}"
        for i, v in enumerate(values)
        if i and v != values[i - 1]
    ]
    highest = max(values)
    first_highest = names[values.index(highest)]
    shown_changes = "; ".join(changes[:6]) + (
        f"; and {len(changes) - 6} more" if len(changes) > 6 else ""
    )
    desc = (
        f"{title}. Maturity level by month from {names[0]} to {names[-1]}. Latest: level "
        f"{values[-1]} ({LEVEL_NAMES.get(values[-1], 'unknown')}) in {names[-1]}. Highest: level "
        f"{highest}, first in {first_highest}. "
        + (f"Changes: {shown_changes}." if changes else f"Level {values[0]} throughout.")
    )
    parts = _open(width, height, cid, title, desc)
    parts += plot.y_axis("", tick_labels)
    parts += plot.x_labels(names, [plot.left + (i + 0.5) * band for i in range(len(values))])
    path: list[str] = []
    for i, value in enumerate(values):
        x0, x1, y = plot.left + i * band, plot.left + (i + 1) * band, plot.y(value)
        path.append(f"{'M' if i == 0 else 'L'}{_n(x0)} {_n(y)} L{_n(x1)} {_n(y)}")
    line = " ".join(path)
    base = _n(plot.y(ticks[0]))
    area = f"{line} L{_n(plot.right)} {base} L{_n(plot.left)} {base} Z"
    parts.append(f'<path d="{area}" fill="{PALETTE[0]}" fill-opacity="0.12" stroke="none"/>')
    parts.append(
        f'<path d="{line}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5" '
        'stroke-linejoin="round"/>'
    )
    for i, value in enumerate(values):
        parts.append(
            f'<circle cx="{_n(plot.left + (i + 0.5) * band)}" cy="{_n(plot.y(value))}" r="3" '
            f'fill="{PALETTE[0]}"><title>{esc(names[i])}: level {value} '
            f"{esc(LEVEL_NAMES.get(value, ''))}</title></circle>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _layout(
    nodes: Sequence[str], ties: Mapping[tuple[int, int], int], iterations: int, seed: int
) -> list[tuple[float, float]]:
    """Place nodes in the unit square with Fruchterman-Reingold, starting from a seeded circle."""
    count = len(nodes)
    if count == 1:
        return [(0.5, 0.5)]
    rng = random.Random(seed)
    xs = [
        0.5 + 0.4 * math.cos(2 * math.pi * i / count) + rng.uniform(-0.02, 0.02)
        for i in range(count)
    ]
    ys = [
        0.5 + 0.4 * math.sin(2 * math.pi * i / count) + rng.uniform(-0.02, 0.02)
        for i in range(count)
    ]
    k = math.sqrt(1.0 / count)
    for step in range(iterations):
        temperature = 0.1 * (1 - step / iterations) + 0.002
        dx = [0.0] * count
        dy = [0.0] * count
        for i in range(count):
            for j in range(i + 1, count):
                ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
                distance = math.hypot(ddx, ddy) or 1e-6
                force = k * k / distance / distance
                dx[i] += ddx * force
                dy[i] += ddy * force
                dx[j] -= ddx * force
                dy[j] -= ddy * force
        for (i, j), weight in ties.items():
            ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
            distance = math.hypot(ddx, ddy) or 1e-6
            force = distance / k * (1 + math.log(weight))
            dx[i] -= ddx * force
            dy[i] -= ddy * force
            dx[j] += ddx * force
            dy[j] += ddy * force
        for i in range(count):
            # A gentle pull to the centre keeps separate groups on the picture.
            dx[i] -= (xs[i] - 0.5) * 0.5
            dy[i] -= (ys[i] - 0.5) * 0.5
            length = math.hypot(dx[i], dy[i])
            if length > 0:
                move = min(length, temperature)
                xs[i] = min(1.0, max(0.0, xs[i] + dx[i] / length * move))
                ys[i] = min(1.0, max(0.0, ys[i] + dy[i] / length * move))
    return list(zip(xs, ys, strict=True))


@dataclass(frozen=True, slots=True)
class NetworkLayout:
    """Where each drawn person sits in the unit square: the costly part of the picture.

    Computed once with a stored report (`network_layout`) and handed back to `network_chart`,
    so a page that shows the picture does not lay it out again on every request.
    """

    nodes: tuple[str, ...]
    spots: tuple[tuple[float, float], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": list(self.nodes), "spots": [list(spot) for spot in self.spots]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NetworkLayout | None:
        """Return the layout a stored report holds, or None where it holds none or a bad one."""
        try:
            nodes = tuple(str(n) for n in data["nodes"])
            spots = tuple((float(x), float(y)) for x, y in data["spots"])
        except (KeyError, TypeError, ValueError):
            return None
        return cls(nodes, spots) if len(nodes) == len(spots) else None


@dataclass(frozen=True, slots=True)
class _Network:
    weights: dict[tuple[str, str], int]
    gave: Counter[str]
    got: Counter[str]
    everyone: list[str]
    nodes: list[str]
    ties: dict[tuple[int, int], int]


def _network(edges: Sequence[tuple[str, str, int]], max_nodes: int) -> _Network:
    """Sum the help between people and keep the `max_nodes` most connected (ties by name)."""
    weights: dict[tuple[str, str], int] = {}
    for helper, helped, weight in edges:
        key = (str(helper), str(helped))
        if key[0] != key[1] and int(weight) > 0:
            weights[key] = weights.get(key, 0) + int(weight)
    gave: Counter[str] = Counter()
    got: Counter[str] = Counter()
    for (helper, helped), weight in weights.items():
        gave[helper] += weight
        got[helped] += weight
    degree = gave + got
    everyone = sorted(degree, key=lambda person: (-degree[person], person))
    nodes = everyone[: max(0, max_nodes)]
    index = {person: i for i, person in enumerate(nodes)}
    ties: dict[tuple[int, int], int] = {}
    for (helper, helped), weight in sorted(weights.items()):
        if helper in index and helped in index:
            pair = (min(index[helper], index[helped]), max(index[helper], index[helped]))
            ties[pair] = ties.get(pair, 0) + weight
    return _Network(weights, gave, got, everyone, nodes, ties)


def network_layout(
    edges: Sequence[tuple[str, str, int]],
    *,
    max_nodes: int = 40,
    iterations: int = 200,
    seed: int = 7,
) -> NetworkLayout:
    """Lay out the who-helps-whom picture of `network_chart` (same arguments, same result)."""
    network = _network(edges, max_nodes)
    if not network.nodes:
        return NetworkLayout((), ())
    spots = _layout(network.nodes, network.ties, iterations, seed)
    return NetworkLayout(tuple(network.nodes), tuple(spots))


def network_chart(
    edges: Sequence[tuple[str, str, int]],
    *,
    title: str,
    width: int = 640,
    height: int = 480,
    max_nodes: int = 40,
    iterations: int = 200,
    seed: int = 7,
    chart_id: str | None = None,
    layout: NetworkLayout | None = None,
) -> str:
    """Return the who-helps-whom network: an arrow from helper to helped, wider for more help.

    Node size follows the number of helping acts a person gave and received; only the
    `max_nodes` most connected people are drawn (ties broken by name), so the picture stays
    readable. The layout is a seeded force-directed one: the same edges give the same picture.
    A `layout` computed earlier for the same people (`network_layout`) is used as it is.
    """
    network = _network(edges, max_nodes)
    weights, gave, got = network.weights, network.gave, network.got
    degree = gave + got
    everyone, nodes = network.everyone, network.nodes
    cid = _chart_id(
        chart_id,
        "network",
        title,
        width,
        height,
        max_nodes,
        iterations,
        seed,
        sorted(weights.items()),
    )
    if not nodes:
        return _empty(width, height, cid, title, "no one helped anyone in this period")
    index = {person: i for i, person in enumerate(nodes)}
    shown = {key: w for key, w in sorted(weights.items()) if key[0] in index and key[1] in index}
    if layout is not None and list(layout.nodes) == nodes:
        spots = list(layout.spots)
    else:
        spots = _layout(nodes, network.ties, iterations, seed)
    legend_space = 40
    margin_x, margin_top = 70.0, 44.0
    xs, ys = [p[0] for p in spots], [p[1] for p in spots]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    box_w = width - 2 * margin_x
    box_h = height - margin_top - legend_space - 24

    def place(i: int) -> tuple[float, float]:
        if len(nodes) == 1:
            return width / 2, margin_top + box_h / 2
        return (
            margin_x + (xs[i] - min(xs)) / span_x * box_w,
            margin_top + (ys[i] - min(ys)) / span_y * box_h,
        )

    points = [place(i) for i in range(len(nodes))]
    top_degree = degree[nodes[0]]
    radius = [5 + 11 * math.sqrt(degree[p] / top_degree) for p in nodes]
    heaviest = max(shown.values(), default=1)
    mutual = sum(1 for helper, helped in weights if (helped, helper) in weights)
    leaders = ", ".join(
        f"{p} (helped {gave[p]} times, was helped {got[p]} times)" for p in nodes[:3]
    )
    (s_from, s_to), s_weight = min(weights.items(), key=lambda item: (-item[1], item[0]))
    cut = (
        f" Showing the {len(nodes)} most connected of {len(everyone)} people."
        if len(everyone) > len(nodes)
        else ""
    )
    desc = (
        f"{title}. Who helps whom: {len(everyone)} people and {len(weights)} helping ties; "
        f"{mutual} of them go both ways.{cut} Most connected: {leaders}. Strongest tie: "
        f"{s_from} helped {s_to} {s_weight} time{'s' * (s_weight != 1)}."
    )
    parts = _open(width, height, cid, title, desc)
    parts.append('<g class="ties" aria-hidden="true">')
    for (helper, helped), weight in sorted(shown.items(), key=lambda item: (item[1], item[0])):
        a, b = index[helper], index[helped]
        (x1, y1), (x2, y2) = points[a], points[b]
        distance = math.hypot(x2 - x1, y2 - y1)
        if distance < 1e-6:
            continue
        ux, uy = (x2 - x1) / distance, (y2 - y1) / distance
        offset = 3.0 if (helped, helper) in shown else 0.0
        ox, oy = -uy * offset, ux * offset
        stroke = 1.0 + (4.0 * (weight - 1) / (heaviest - 1) if heaviest > 1 else 0.5)
        head = 6 + 1.5 * stroke
        tip = max(0.0, distance - radius[b] - 1)
        start, end = radius[a], tip - head
        if end > start:
            parts.append(
                f'<line x1="{_n(x1 + ux * start + ox)}" y1="{_n(y1 + uy * start + oy)}" '
                f'x2="{_n(x1 + ux * end + ox)}" y2="{_n(y1 + uy * end + oy)}" stroke="{MUTED}" '
                f'stroke-opacity="0.75" stroke-width="{_n(stroke)}"/>'
            )
        tx, ty = x1 + ux * tip + ox, y1 + uy * tip + oy
        bx, by = tx - ux * head, ty - uy * head
        half = head * 0.45
        parts.append(
            f'<polygon points="{_n(tx)},{_n(ty)} {_n(bx - uy * half)},{_n(by + ux * half)} '
            f'{_n(bx + uy * half)},{_n(by - ux * half)}" fill="{MUTED}"/>'
        )
    parts.append("</g>")
    parts.append('<g class="people">')
    for i, person in enumerate(nodes):
        x, y = points[i]
        if gave[person] > got[person]:
            colour = PALETTE[0]
        elif gave[person] < got[person]:
            colour = PALETTE[4]
        else:
            colour = PALETTE[2]
        parts.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(radius[i])}" fill="{colour}" '
            f'stroke="{TEXT}" stroke-width="1"><title>{esc(person)}: helped {gave[person]} '
            f"times, was helped {got[person]} times</title></circle>"
        )
    for i, person in enumerate(nodes):
        x, y = points[i]
        parts.append(
            f'<text x="{_n(x)}" y="{_n(y + radius[i] + 12)}" text-anchor="middle" fill="{TEXT}" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke" aria-hidden="true">'
            f"{esc(truncate(person, 16))}</text>"
        )
    parts.append("</g>")
    legend_y = height - legend_space / 2 - 4
    parts.append('<g class="legend">')
    x = 12.0
    for colour, label in (
        (PALETTE[0], "mostly helps"),
        (PALETTE[4], "mostly helped"),
        (PALETTE[2], "helps and is helped equally"),
    ):
        parts.append(
            f'<circle cx="{_n(x + 6)}" cy="{_n(legend_y)}" r="6" fill="{colour}" '
            f'stroke="{TEXT}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_n(x + 16)}" y="{_n(legend_y)}" dy="0.35em" fill="{TEXT}">{label}</text>'
        )
        x += 24 + _text_width(label)
    parts.append(
        f'<text x="12" y="{_n(legend_y + 18)}" dy="0.35em" fill="{MUTED}">arrow: helper to '
        "helped; wider arrow: more help; bigger circle: more ties</text>"
    )
    parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def sparkline(values: Sequence[float | None]) -> str:
    """Return one block character per value (a space for None), scaled from zero to the maximum."""
    clean = [_clean(v) for v in values]
    present = [v for v in clean if v is not None]
    if not present:
        return " " * len(clean)
    low, high = min(0.0, *present), max(0.0, *present)
    span = high - low
    top = len(BLOCKS) - 1
    return "".join(
        " " if v is None else BLOCKS[0] if span == 0 else BLOCKS[round((v - low) / span * top)]
        for v in clean
    )
