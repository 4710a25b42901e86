"""The who-helps-whom network chart, and its layout, which a stored report keeps.

Laying the people out (a seeded force-directed layout) is the costly part of the picture, so
`network_layout` computes it once when a report is stored and `network_chart` draws with it.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cultivate.core.text import Translations, _, ngettext, say

from .svg import (
    MUTED,
    PALETTE,
    TEXT,
    chart_xml_id,
    empty_chart,
    esc,
    open_chart,
    svg_number,
    text_width,
    truncate,
)


def _layout(
    nodes: Sequence[str], ties: Mapping[tuple[int, int], int], iterations: int, seed: int
) -> list[tuple[float, float]]:
    """Place nodes in the unit square with Fruchterman-Reingold, starting from a seeded circle.

    Each step works on whole arrays (every pair's repulsion at once): the same sums as a loop
    over pairs, at about a quarter of its time for the 40 people a picture shows. One step
    agrees with the loop to 1e-16, but 200 steps let such rounding grow: a large picture can
    settle elsewhere than the loop's did (both are the same kind of layout; a stored snapshot
    keeps the one it was drawn with).
    """
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
    spots = np.array([xs, ys], dtype=np.float64).T
    k = math.sqrt(1.0 / count)
    pairs = np.array(list(ties), dtype=np.intp).reshape(-1, 2)
    strength = (1 + np.log(np.array(list(ties.values()), dtype=np.float64))) / k
    for step in range(iterations):
        temperature = 0.1 * (1 - step / iterations) + 0.002
        apart = spots[:, None, :] - spots[None, :, :]  # apart[i, j] = spot i - spot j
        distance = np.hypot(apart[..., 0], apart[..., 1])
        distance[distance == 0] = 1e-6
        force = k * k / (distance * distance)
        np.fill_diagonal(force, 0.0)
        push = (apart * force[..., None]).sum(axis=1)
        if len(pairs):
            tie = spots[pairs[:, 0]] - spots[pairs[:, 1]]
            length = np.hypot(tie[:, 0], tie[:, 1])
            length[length == 0] = 1e-6
            pull = tie * (length * strength)[:, None]
            np.subtract.at(push, pairs[:, 0], pull)
            np.add.at(push, pairs[:, 1], pull)
        # A gentle pull to the centre keeps separate groups on the picture.
        push -= (spots - 0.5) * 0.5
        size = np.hypot(push[:, 0], push[:, 1])
        moving = size > 0
        step_size = np.minimum(size[moving], temperature) / size[moving]
        spots[moving] = np.clip(spots[moving] + push[moving] * step_size[:, None], 0.0, 1.0)
    return [(float(x), float(y)) for x, y in spots]


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


def fitted_height(people: int) -> int:
    """The picture's height for this many people: 240 px for two, up to 480 px from 14."""
    return max(240, min(480, 200 + 20 * people))


def network_chart(
    edges: Sequence[tuple[str, str, int]],
    *,
    title: str,
    width: int = 640,
    height: int | None = None,
    max_nodes: int = 40,
    iterations: int = 200,
    seed: int = 7,
    chart_id: str | None = None,
    layout: NetworkLayout | None = None,
    translations: Translations | None = None,
) -> str:
    """Return the who-helps-whom network: an arrow from helper to helped, wider for more help.

    Node size follows the number of helping acts a person gave and received; only the
    `max_nodes` most connected people are drawn (ties broken by name), so the picture stays
    readable. The layout is a seeded force-directed one: the same edges give the same picture.
    A `layout` computed earlier for the same people (`network_layout`) is used as it is.
    Without a `height` the picture is as tall as its people need (`fitted_height`), so three
    people do not sit in a tall empty box.
    """
    network = _network(edges, max_nodes)
    if height is None:
        height = fitted_height(len(network.nodes))
    weights, gave, got = network.weights, network.gave, network.got
    degree = gave + got
    everyone, nodes = network.everyone, network.nodes
    cid = chart_xml_id(
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
        nobody = _("no one helped anyone in this period").in_language(translations)
        return empty_chart(width, height, cid, title, nobody)
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

    def ties_of(person: str) -> str:
        helped = ngettext("helped %(n)s time", "helped %(n)s times", gave[person])
        was_helped = ngettext("was helped %(n)s time", "was helped %(n)s times", got[person])
        return _("%(gave)s, %(got)s", gave=helped, got=was_helped).in_language(translations)

    leaders = ", ".join(f"{p} ({ties_of(p)})" for p in nodes[:3])
    (s_from, s_to), s_weight = min(weights.items(), key=lambda item: (-item[1], item[0]))
    cut = (
        _(
            "Showing the %(shown)s most connected of %(count)s people.",
            shown=len(nodes),
            count=len(everyone),
        )
        if len(everyone) > len(nodes)
        else ""
    )
    summary = _(
        "Who helps whom: %(people)s people and %(ties)s helping ties; %(mutual)s of them go "
        "both ways.",
        people=len(everyone),
        ties=len(weights),
        mutual=mutual,
    )
    strongest = _(
        "Most connected: %(leaders)s. Strongest tie: %(helper)s helped %(helped)s %(times)s.",
        leaders=leaders,
        helper=s_from,
        helped=s_to,
        times=ngettext("%(n)s time", "%(n)s times", s_weight),
    )
    said = [f"{title}.", say(summary, translations), say(cut, translations)]
    desc = " ".join(part for part in said if part) + " " + strongest.in_language(translations)
    parts = open_chart(width, height, cid, title, desc)
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
                f'<line x1="{svg_number(x1 + ux * start + ox)}" '
                f'y1="{svg_number(y1 + uy * start + oy)}" '
                f'x2="{svg_number(x1 + ux * end + ox)}" y2="{svg_number(y1 + uy * end + oy)}" '
                f'stroke="{MUTED}" stroke-opacity="0.75" stroke-width="{svg_number(stroke)}"/>'
            )
        tx, ty = x1 + ux * tip + ox, y1 + uy * tip + oy
        bx, by = tx - ux * head, ty - uy * head
        half = head * 0.45
        parts.append(
            f'<polygon points="{svg_number(tx)},{svg_number(ty)} '
            f"{svg_number(bx - uy * half)},{svg_number(by + ux * half)} "
            f'{svg_number(bx + uy * half)},{svg_number(by - ux * half)}" fill="{MUTED}"/>'
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
            f'<circle cx="{svg_number(x)}" cy="{svg_number(y)}" r="{svg_number(radius[i])}" '
            f'fill="{colour}" stroke="{TEXT}" stroke-width="1"><title>{esc(person)}: '
            f"{esc(ties_of(person))}</title></circle>"
        )
    for i, person in enumerate(nodes):
        x, y = points[i]
        parts.append(
            f'<text x="{svg_number(x)}" y="{svg_number(y + radius[i] + 12)}" '
            f'text-anchor="middle" fill="{TEXT}" stroke="#ffffff" stroke-width="3" '
            f'paint-order="stroke" aria-hidden="true">'
            f"{esc(truncate(person, 16))}</text>"
        )
    parts.append("</g>")
    legend_y = height - legend_space / 2 - 4
    parts.append('<g class="legend">')
    x = 12.0
    for colour, label in (
        (PALETTE[0], _("mostly helps").in_language(translations)),
        (PALETTE[4], _("mostly helped").in_language(translations)),
        (PALETTE[2], _("helps and is helped equally").in_language(translations)),
    ):
        parts.append(
            f'<circle cx="{svg_number(x + 6)}" cy="{svg_number(legend_y)}" r="6" fill="{colour}" '
            f'stroke="{TEXT}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{svg_number(x + 16)}" y="{svg_number(legend_y)}" dy="0.35em" '
            f'fill="{TEXT}">{esc(label)}</text>'
        )
        x += 24 + text_width(label)
    key = _("arrow: helper to helped; wider arrow: more help; bigger circle: more ties")
    parts.append(
        f'<text x="12" y="{svg_number(legend_y + 18)}" dy="0.35em" fill="{MUTED}">'
        f"{esc(key.in_language(translations))}</text>"
    )
    parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)
