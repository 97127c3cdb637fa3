"""A fact's table as HTML: escaped cells, readable numbers, long ids breakable, the query."""

from __future__ import annotations

from datetime import UTC, date, datetime

from distillguard.dossier.facts import Fact, Table
from distillguard.dossier.htmltable import breakable, cell, render


def test_cells_are_escaped_and_readable() -> None:
    assert cell(None) == "—"
    assert cell(True) == "yes"
    assert cell(1234567) == "1,234,567"
    assert cell(0.5) == "0.50"
    assert cell(1e-9) == "1e-09"
    assert cell(datetime(2026, 5, 1, 12, 0, tzinfo=UTC)) == "2026-05-01 12:00:00 UTC"
    assert cell(date(2026, 5, 1)) == "2026-05-01"
    assert cell(["a", "<b>"]) == "a, &lt;b&gt;"
    assert cell("<script>") == "&lt;script&gt;"


def test_long_runs_get_break_opportunities_without_splitting_an_escape() -> None:
    text = "acct_" + "&" * 30
    broken = breakable(text)
    assert "<wbr>" in broken
    assert broken.replace("<wbr>", "") == "acct_" + "&amp;" * 30
    assert breakable("short words only") == "short words only"


def test_a_table_prints_its_query_and_says_when_rows_are_left_out() -> None:
    fact = Fact("demo", "A <demo>", "SELECT 1 AS x -- <not a tag>")
    table = Table(fact, ("x",), ((1,), (2,), (3,)))
    html = render(table, limit=2, extra={"note": ["a", "b"]})
    assert "id='fact-demo'" in html
    assert "A &lt;demo&gt;" in html
    assert "query: SELECT 1 AS x -- &lt;not a tag&gt;" in html
    assert "The first 2 of 3 rows" in html
    assert html.count("<tr>") == 3
    empty = render(Table(fact, ("x",), ()))
    assert "no rows" in empty
