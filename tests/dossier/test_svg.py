"""The report's charts: well-formed SVG, escaped labels, deterministic layouts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from distillguard.dossier import svg

NS = "{http://www.w3.org/2000/svg}"


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def test_bars_draw_one_bar_per_label_and_escape_labels() -> None:
    chart = svg.bars(["coding", "<b>x</b>"], [10.0, 0.0], title="Areas & more")
    root = parse(chart)
    assert len(root.findall(f"{NS}rect")) == 2
    assert "<b>" not in chart
    assert "&lt;b&gt;" in chart


def test_a_timeline_has_a_column_per_day_and_the_accounts_line() -> None:
    root = parse(svg.timeline(["2026-05-01", "2026-05-02"], [3.0, 5.0], [1.0, 2.0], title="t"))
    assert len(root.findall(f"{NS}rect")) == 2
    assert len(root.findall(f"{NS}polyline")) == 1


def test_empty_charts_are_still_svg() -> None:
    parse(svg.bars([], [], title="none"))
    parse(svg.timeline([], [], [], title="none"))
    parse(svg.graph([], [], title="none"))
    parse(svg.graph(["a"], [], title="one"))


def test_the_graph_is_deterministic_and_draws_every_account_and_edge() -> None:
    nodes = [f"acct_{i}" for i in range(12)]
    edges = [svg.Edge(nodes[i], nodes[i + 1], "payment") for i in range(11)]
    edges.append(svg.Edge("acct_0", "acct_5", "unknown_kind"))
    first = svg.graph(nodes, edges, highlighted=frozenset(nodes[:6]), title="g")
    assert first == svg.graph(nodes, edges, highlighted=frozenset(nodes[:6]), title="g")
    root = parse(first)
    assert len(root.findall(f"{NS}circle")) == 12
    assert len(root.findall(f"{NS}line")) == 12
    filled = [c for c in root.findall(f"{NS}circle") if c.get("fill") != "white"]
    assert len(filled) == 6
