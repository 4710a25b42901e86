"""Scales, axes and legends for the charts over categories (the line, bar and step charts).

Ticks are round numbers (Heckbert's nice numbers); the plotting area maps values to heights and
labels as many categories as fit; the legend wraps onto new rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .svg import (
    AXIS,
    DASHES,
    GRID,
    MUTED,
    PALETTE,
    TEXT,
    esc,
    format_number,
    svg_number,
    text_width,
    truncate,
)

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


def tick_decimals(ticks: Sequence[float]) -> int:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    return 0 if step >= 1 else min(6, -math.floor(math.log10(step)))


class PlotArea:
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
        decimals = tick_decimals(self.ticks)
        parts = ['<g class="y-axis" aria-hidden="true">']
        for i, tick in enumerate(self.ticks):
            y = svg_number(self.y(tick))
            label = tick_labels[i] if tick_labels else format_number(tick, decimals)
            colour = AXIS if tick == 0 else GRID
            parts.append(
                f'<line x1="{svg_number(self.left)}" x2="{svg_number(self.right)}" '
                f'y1="{y}" y2="{y}" stroke="{colour}" stroke-width="1"/>'
            )
            parts.append(
                f'<text x="{svg_number(self.left - 6)}" y="{y}" dy="0.35em" text-anchor="end" '
                f'fill="{TEXT}">{esc(label)}</text>'
            )
        if y_label:
            middle = (self.top + self.bottom) / 2
            parts.append(
                f'<text transform="translate(13 {svg_number(middle)}) rotate(-90)" '
                f'text-anchor="middle" fill="{MUTED}">{esc(truncate(y_label, 40))}</text>'
            )
        parts.append("</g>")
        return parts

    def x_labels(self, labels: Sequence[str], centres: Sequence[float]) -> list[str]:
        """Label as many categories as fit without overlapping, evenly thinned."""
        shown = [truncate(label, 12) for label in labels]
        widest = max((text_width(s) for s in shown), default=0.0) + 8
        fit = max(1, int(self.width // max(widest, 1.0)))
        every = max(1, math.ceil(len(labels) / fit))
        parts = ['<g class="x-axis" aria-hidden="true">']
        parts.append(
            f'<line x1="{svg_number(self.left)}" x2="{svg_number(self.right)}" '
            f'y1="{svg_number(self.bottom)}" y2="{svg_number(self.bottom)}" '
            f'stroke="{AXIS}" stroke-width="1"/>'
        )
        for i, (label, x) in enumerate(zip(shown, centres, strict=True)):
            if i % every:
                continue
            parts.append(
                f'<text x="{svg_number(x)}" y="{svg_number(self.bottom + 16)}" '
                f'text-anchor="middle" fill="{TEXT}">{esc(label)}</text>'
            )
        parts.append("</g>")
        return parts


def _legend_rows(names: Sequence[str], width: int) -> list[list[tuple[int, str, float]]]:
    """Place legend entries left to right, wrapping onto new rows: (index, label, x)."""
    rows: list[list[tuple[int, str, float]]] = [[]]
    x = 12.0
    for i, name in enumerate(names):
        label = truncate(name, 32)
        item = 26 + text_width(label) + 16
        if rows[-1] and x + item > width - 12:
            rows.append([])
            x = 12.0
        rows[-1].append((i, label, x))
        x += item
    return rows


def legend_parts(names: Sequence[str], width: int, top: float, *, lines: bool) -> list[str]:
    parts = ['<g class="legend">']
    for r, row in enumerate(_legend_rows(names, width)):
        y = top + r * 18
        for i, label, x in row:
            colour = PALETTE[i % len(PALETTE)]
            if lines:
                dash = DASHES[i % len(DASHES)]
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(
                    f'<line x1="{svg_number(x)}" x2="{svg_number(x + 20)}" '
                    f'y1="{svg_number(y)}" y2="{svg_number(y)}" '
                    f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
                )
            else:
                parts.append(
                    f'<rect x="{svg_number(x + 4)}" y="{svg_number(y - 6)}" width="12" height="12" '
                    f'fill="{colour}"/>'
                )
            parts.append(
                f'<text x="{svg_number(x + 26)}" y="{svg_number(y)}" dy="0.35em" '
                f'fill="{TEXT}">{esc(label)}</text>'
            )
    parts.append("</g>")
    return parts


def legend_height_for(names: Sequence[str], width: int) -> float:
    return 18.0 * len(_legend_rows(names, width)) if names else 0.0


def left_margin(tick_labels: Sequence[str], y_label: str) -> float:
    return 10 + (18 if y_label else 0) + max(text_width(t) for t in tick_labels) + 8
