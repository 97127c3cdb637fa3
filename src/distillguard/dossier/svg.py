"""Small inline SVG charts for the report: bars, a daily timeline and the cluster graph.

Written by hand so that the report stays one offline file: no JavaScript, no fonts or images
to fetch, nothing a PDF renderer has to download. Every label is escaped (account ids and
network names come from the records). Layouts are deterministic: the same records draw the
same picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from types import MappingProxyType
from typing import Final

import igraph

INK: Final = "#1f2937"
MUTED: Final = "#6b7280"
BAR: Final = "#2563eb"
SECOND: Final = "#d97706"
FONT: Final = "font-family='sans-serif' font-size='11'"

KIND_COLOURS: Final = MappingProxyType(
    {
        "payment": "#b91c1c",
        "ip": "#c2410c",
        "hosting_ip": "#d97706",
        "network": "#ca8a04",
        "skeleton": "#15803d",
        "system_prompt": "#0f766e",
        "near_duplicate": "#0369a1",
        "signal_profile": "#4338ca",
        "synchronized": "#7e22ce",
        "user_agent": "#a21caf",
        "email_domain": "#be185d",
        "creation_burst": "#57534e",
    }
)
"""One colour per link kind, strongest ties (cards, addresses) in the warm colours."""


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:,.2f}"


def bars(labels: Sequence[str], values: Sequence[float], *, title: str, width: int = 640) -> str:
    """A horizontal bar chart, one bar per label, its value written at its end."""
    row, left, top = 20, 170, 24
    height = top + row * len(labels) + 8
    most = max((v for v in values), default=0) or 1
    span = width - left - 90
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}'><title>{escape(title)}</title>",
        f"<text x='0' y='14' {FONT} fill='{INK}' font-weight='bold'>{escape(title)}</text>",
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row
        length = max(1.0, span * value / most) if value else 0.0
        parts.append(
            f"<text x='{left - 6}' y='{y + 13}' text-anchor='end' {FONT} fill='{INK}'>"
            f"{escape(label[:28])}</text>"
            f"<rect x='{left}' y='{y + 3}' width='{length:.1f}' height='{row - 6}' fill='{BAR}'/>"
            f"<text x='{left + length + 4:.1f}' y='{y + 13}' {FONT} fill='{MUTED}'>"
            f"{_number(value)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def timeline(
    days: Sequence[str],
    calls: Sequence[float],
    accounts: Sequence[float],
    *,
    title: str,
    width: int = 640,
) -> str:
    """Calls per day as columns, accounts active per day as a line on its own scale."""
    height, left, right, top, bottom = 220, 56, 56, 24, 40
    inner_w, inner_h = width - left - right, height - top - bottom
    n = max(1, len(days))
    step = inner_w / n
    most_calls = max(calls, default=0) or 1
    most_accounts = max(accounts, default=0) or 1
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}'><title>{escape(title)}</title>",
        f"<text x='0' y='14' {FONT} fill='{INK}' font-weight='bold'>{escape(title)}</text>",
        f"<line x1='{left}' y1='{top + inner_h}' x2='{left + inner_w}' y2='{top + inner_h}' "
        f"stroke='{MUTED}'/>",
        f"<text x='{left - 4}' y='{top + 8}' text-anchor='end' {FONT} fill='{BAR}'>"
        f"{_number(most_calls)}</text>",
        f"<text x='{left + inner_w + 4}' y='{top + 8}' {FONT} fill='{SECOND}'>"
        f"{_number(most_accounts)}</text>",
    ]
    points = []
    label_every = max(1, math.ceil(n / 12))
    for i, (day, value, active) in enumerate(zip(days, calls, accounts, strict=True)):
        x = left + i * step
        h = inner_h * value / most_calls
        parts.append(
            f"<rect x='{x + step * 0.1:.1f}' y='{top + inner_h - h:.1f}' "
            f"width='{step * 0.8:.1f}' height='{h:.1f}' fill='{BAR}'/>"
        )
        points.append(f"{x + step / 2:.1f},{top + inner_h - inner_h * active / most_accounts:.1f}")
        if i % label_every == 0:
            parts.append(
                f"<text x='{x + step / 2:.1f}' y='{top + inner_h + 14}' text-anchor='middle' "
                f"{FONT} fill='{MUTED}'>{escape(day[5:])}</text>"
            )
    if points:
        parts.append(
            f"<polyline points='{' '.join(points)}' fill='none' stroke='{SECOND}' "
            "stroke-width='2'/>"
        )
    parts.append(
        f"<text x='{left}' y='{height - 6}' {FONT} fill='{BAR}'>■ calls per day</text>"
        f"<text x='{left + 140}' y='{height - 6}' {FONT} fill='{SECOND}'>"
        "— accounts active per day</text></svg>"
    )
    return "".join(parts)


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    kind: str  # the strongest kind of link between the two accounts


def _layout(nodes: Sequence[str], edges: Sequence[Edge]) -> list[tuple[float, float]]:
    index = {node: i for i, node in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[e.a], index[e.b]) for e in edges])
    n = max(1, len(nodes))
    circle = [[math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)] for i in range(n)]
    if len(nodes) < 2:
        return [(0.0, 0.0)] * len(nodes)
    layout = graph.layout_kamada_kawai(seed=circle, maxiter=50 * n)  # no randomness
    return [(float(x), float(y)) for x, y in layout.coords]


def graph(
    nodes: Sequence[str],
    edges: Sequence[Edge],
    *,
    highlighted: frozenset[str] = frozenset(),
    title: str,
    width: int = 640,
) -> str:
    """Accounts as dots, links between them as lines coloured by kind, with a legend.

    ``highlighted`` accounts (those the case is about) are drawn dark, the others hollow.
    """
    height, legend_h, margin = 560, 18 * math.ceil(len(KIND_COLOURS) / 4), 16
    coords = _layout(nodes, edges)
    xs = [x for x, _ in coords] or [0.0]
    ys = [y for _, y in coords] or [0.0]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    box_h = height - legend_h - 2 * margin - 20

    def at(i: int) -> tuple[float, float]:
        x, y = coords[i]
        return (
            margin + (x - min(xs)) / span_x * (width - 2 * margin),
            20 + margin + (y - min(ys)) / span_y * box_h,
        )

    index = {node: i for i, node in enumerate(nodes)}
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}'><title>{escape(title)}</title>",
        f"<text x='0' y='14' {FONT} fill='{INK}' font-weight='bold'>{escape(title)}</text>",
    ]
    for edge in edges:
        (x1, y1), (x2, y2) = at(index[edge.a]), at(index[edge.b])
        colour = KIND_COLOURS.get(edge.kind, MUTED)
        parts.append(
            f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' stroke='{colour}' "
            "stroke-opacity='0.45' stroke-width='0.8'/>"
        )
    for i, node in enumerate(nodes):
        x, y = at(i)
        fill = INK if node in highlighted else "white"
        parts.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='{fill}' stroke='{INK}' "
            f"stroke-width='0.8'><title>{escape(node)}</title></circle>"
        )
    top = height - legend_h
    for i, (kind, colour) in enumerate(KIND_COLOURS.items()):
        x, y = (i % 4) * (width / 4), top + (i // 4) * 18
        parts.append(
            f"<rect x='{x:.1f}' y='{y + 4}' width='14' height='4' fill='{colour}'/>"
            f"<text x='{x + 18:.1f}' y='{y + 10}' {FONT} fill='{INK}'>{escape(kind)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
