"""Line, bar and step charts of values over months, and the text sparkline, for reports.

Server-side SVG: no JavaScript, no external assets, readable without sight. Every chart is an
`<svg role="img">` whose `<title>` names it and whose `<desc>` sums up its data in words, so the
numbers reach people using a screen reader. The output is a pure function of the input: the same
data gives the same bytes, so snapshots and tests can compare charts. The shared pieces are in
`svg` (escaping, colours, the frame) and `axes`; the who-helps-whom picture is in `network`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cultivate.core.analytics.maturity import LEVEL_NAMES
from cultivate.core.text import Text, Translations, _, say

from .axes import PlotArea, left_margin, legend_height_for, legend_parts, nice_ticks, tick_decimals
from .svg import (
    DASHES,
    PALETTE,
    chart_xml_id,
    empty_chart,
    esc,
    finite_or_none,
    format_number,
    open_chart,
    svg_number,
)

BLOCKS = "▁▂▃▄▅▆▇█"


def _normalise(
    labels: Sequence[str], series: Mapping[str, Sequence[float | None]]
) -> tuple[list[str], dict[str, list[float | None]]]:
    """Return labels as text and every series cut or padded (with gaps) to the labels' length."""
    names = [str(label) for label in labels]
    data: dict[str, list[float | None]] = {}
    for key, values in series.items():
        row = [finite_or_none(v) for v in list(values)[: len(names)]]
        data[str(key)] = row + [None] * (len(names) - len(row))
    return names, data


def _summary(
    name: str, labels: Sequence[str], values: Sequence[float | None], tr: Translations | None
) -> str:
    """Describe one series in words: latest, lowest and highest value, and the gaps."""
    points = [(label, v) for label, v in zip(labels, values, strict=True) if v is not None]
    if not points:
        return _("%(name)s: no data", name=name).in_language(tr)
    low = min(points, key=lambda p: p[1])
    high = max(points, key=lambda p: p[1])
    text = _(
        "%(name)s: latest %(latest)s (%(latest_at)s), lowest %(low)s (%(low_at)s), highest "
        "%(high)s (%(high_at)s)",
        name=name,
        latest=format_number(points[-1][1]),
        latest_at=points[-1][0],
        low=format_number(low[1]),
        low_at=low[0],
        high=format_number(high[1]),
        high_at=high[0],
    ).in_language(tr)
    missing = len(values) - len(points)
    if not missing:
        return text
    gaps = _(", no data for %(missing)s of %(count)s", missing=missing, count=len(values))
    return text + gaps.in_language(tr)


def _about(title: str, kind: Text, y_label: str, tr: Translations | None) -> str:
    """The first sentence of a chart's description: its title, kind, extent and unit."""
    unit = f" ({y_label})" if y_label else ""
    return f"{title}. {kind.in_language(tr)}{unit}. "


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
    translations: Translations | None = None,
) -> str:
    """Return a line chart of one or more series over categories; None leaves a gap in the line."""
    names, data = _normalise(labels, series)
    cid = chart_xml_id(chart_id, "line", title, y_label, width, height, names, data)
    present = [v for values in data.values() for v in values if v is not None]
    if not names or not present:
        return empty_chart(width, height, cid, title, _("no data").in_language(translations))
    ticks = nice_ticks(
        min(0.0, min(present)),
        max(0.0, max(present)),
        integer=all(v.is_integer() for v in present),
    )
    decimals = tick_decimals(ticks)
    tick_labels = [format_number(t, decimals) for t in ticks]
    legend_height = legend_height_for(list(data), width)
    plot = PlotArea(
        width,
        height,
        ticks,
        left=left_margin(tick_labels, y_label),
        bottom=30 + legend_height,
    )
    pad = min(12.0, plot.width / 4)
    count = len(names)

    def x(i: int) -> float:
        if count == 1:
            return plot.left + plot.width / 2
        return plot.left + pad + i * (plot.width - 2 * pad) / (count - 1)

    kind = _(
        "Line chart of %(count)s points from %(first)s to %(last)s",
        count=count,
        first=names[0],
        last=names[-1],
    )
    desc = (
        _about(title, kind, y_label, translations)
        + "; ".join(_summary(name, names, values, translations) for name, values in data.items())
        + "."
    )
    parts = open_chart(width, height, cid, title, desc)
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
                    f"{'M' if j == 0 else 'L'}{svg_number(px)} {svg_number(py)}"
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
                f'<circle cx="{svg_number(x(i))}" cy="{svg_number(plot.y(value))}" r="3.5" '
                f'fill="{colour}" stroke="#ffffff" stroke-width="1">'
                f"<title>{esc(names[i])} · {esc(name)}: "
                f"{esc(format_number(value))}</title></circle>"
            )
        parts.append("</g>")
    parts += legend_parts(list(data), width, height - legend_height + 4, lines=True)
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
    translations: Translations | None = None,
) -> str:
    """Return a bar chart of series over categories, grouped side by side or stacked."""
    names, data = _normalise(labels, series)
    cid = chart_xml_id(chart_id, "bar", title, stacked, y_label, width, height, names, data)
    present = [v for values in data.values() for v in values if v is not None]
    if not names or not data or not present:
        return empty_chart(width, height, cid, title, _("no data").in_language(translations))
    columns = list(zip(*data.values(), strict=True))
    if stacked:
        tops = [sum(v for v in col if v is not None and v > 0) for col in columns]
        bottoms = [sum(v for v in col if v is not None and v < 0) for col in columns]
        low, high = min(0.0, *bottoms), max(0.0, *tops)
    else:
        low, high = min(0.0, *present), max(0.0, *present)
    ticks = nice_ticks(low, high, integer=all(v.is_integer() for v in present))
    decimals = tick_decimals(ticks)
    tick_labels = [format_number(t, decimals) for t in ticks]
    legend_height = legend_height_for(list(data), width)
    plot = PlotArea(
        width,
        height,
        ticks,
        left=left_margin(tick_labels, y_label),
        bottom=30 + legend_height,
    )
    band = plot.width / len(names)
    centres = [plot.left + (i + 0.5) * band for i in range(len(names))]
    extent = {"count": len(names), "first": names[0], "last": names[-1]}
    kind = (
        _("Stacked bar chart of %(count)s categories from %(first)s to %(last)s", **extent)
        if stacked
        else _("Bar chart of %(count)s categories from %(first)s to %(last)s", **extent)
    )
    totals = "; ".join(
        _(
            "%(name)s total %(total)s",
            name=name,
            total=format_number(sum(v for v in values if v is not None)),
        ).in_language(translations)
        for name, values in data.items()
    )
    desc = (
        _about(title, kind, y_label, translations)
        + "; ".join(_summary(name, names, values, translations) for name, values in data.items())
        + f". {totals}."
    )
    parts = open_chart(width, height, cid, title, desc)
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
                f'<rect x="{svg_number(bar_x)}" y="{svg_number(top)}" '
                f'width="{svg_number(max(bar_width - 1, 1))}" '
                f'height="{svg_number(max(bar_height, 0.5))}" fill="{colour}">'
                f"<title>{esc(label)} · {esc(name)}: {esc(format_number(value))}</title></rect>"
            )
    parts.append("</g>")
    parts += plot.x_labels(names, centres)
    parts += legend_parts(list(data), width, height - legend_height + 4, lines=False)
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
    translations: Translations | None = None,
) -> str:
    """Return the maturity level (0-3) month by month as a step line, levels named on the axis."""
    names = [str(label) for label in labels]
    values = [int(v) for v in list(levels)[: len(names)]]
    names = names[: len(values)]
    cid = chart_xml_id(chart_id, "step", title, width, height, names, values)
    if not values:
        return empty_chart(width, height, cid, title, _("no data").in_language(translations))
    top_level = max(3, *values)
    ticks = [float(t) for t in range(min(0, *values), top_level + 1)]
    level_names = {n: name.in_language(translations) for n, name in LEVEL_NAMES.items()}
    tick_labels = [f"{int(t)} {level_names.get(int(t), '')}".strip() for t in ticks]
    plot = PlotArea(width, height, ticks, left=left_margin(tick_labels, ""), bottom=28)
    band = plot.width / len(values)
    changes = [
        (
            _("%(month)s rose to %(level)s", month=names[i], level=v)
            if v > values[i - 1]
            else _("%(month)s fell to %(level)s", month=names[i], level=v)
        ).in_language(translations)
        for i, v in enumerate(values)
        if i and v != values[i - 1]
    ]
    highest = max(values)
    first_highest = names[values.index(highest)]
    more = _("; and %(count)s more", count=len(changes) - 6) if len(changes) > 6 else ""
    shown_changes = "; ".join(changes[:6]) + say(more, translations)
    summary = _(
        "Maturity level by month from %(first)s to %(last)s. Latest: level %(latest)s "
        "(%(latest_name)s) in %(last)s. Highest: level %(highest)s, first in %(first_highest)s.",
        first=names[0],
        last=names[-1],
        latest=values[-1],
        latest_name=level_names.get(values[-1], "?"),
        highest=highest,
        first_highest=first_highest,
    )
    ending = (
        _("Changes: %(changes)s.", changes=shown_changes)
        if changes
        else _("Level %(level)s throughout.", level=values[0])
    )
    desc = f"{title}. {summary.in_language(translations)} {ending.in_language(translations)}"
    parts = open_chart(width, height, cid, title, desc)
    parts += plot.y_axis("", tick_labels)
    parts += plot.x_labels(names, [plot.left + (i + 0.5) * band for i in range(len(values))])
    path: list[str] = []
    for i, value in enumerate(values):
        x0, x1, y = plot.left + i * band, plot.left + (i + 1) * band, plot.y(value)
        path.append(
            f"{'M' if i == 0 else 'L'}{svg_number(x0)} {svg_number(y)} "
            f"L{svg_number(x1)} {svg_number(y)}"
        )
    line = " ".join(path)
    base = svg_number(plot.y(ticks[0]))
    area = f"{line} L{svg_number(plot.right)} {base} L{svg_number(plot.left)} {base} Z"
    parts.append(f'<path d="{area}" fill="{PALETTE[0]}" fill-opacity="0.12" stroke="none"/>')
    parts.append(
        f'<path d="{line}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5" '
        'stroke-linejoin="round"/>'
    )
    for i, value in enumerate(values):
        parts.append(
            f'<circle cx="{svg_number(plot.left + (i + 0.5) * band)}" '
            f'cy="{svg_number(plot.y(value))}" r="3" fill="{PALETTE[0]}">'
            f"<title>{esc(names[i])}: "
            f"{esc(_('level %(level)s', level=value).in_language(translations))} "
            f"{esc(level_names.get(value, ''))}</title></circle>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def sparkline(values: Sequence[float | None]) -> str:
    """Return one block character per value (a space for None), scaled from zero to the maximum."""
    clean = [finite_or_none(v) for v in values]
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
