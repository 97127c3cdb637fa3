"""Exporting scan results: every format reads back to the same rows, best score first."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import orjson
import pyarrow.parquet as pq
import pytest

from distillguard.detect.export import ACCOUNT_COLUMNS, CLUSTER_COLUMNS, ExportError, export
from distillguard.workspace import Workspace, WorkspaceError
from tests.detect.test_evaluate import cluster, scanned_workspace, scored

ACCOUNTS = [
    scored("low", False, score=0.1),
    scored("top", True, "k1", score=0.95),
    scored("tie_b", True, score=0.5),
    scored("tie_a", True, "k1", score=0.5),
    scored('odd, "quoted"\nname ü', False, score=0.30000000000000004),
]
CLUSTERS = [
    cluster("k2", 1, 0.2, []),
    cluster("k1", 2, 0.7, ["payment", "network"]),
]
ACCOUNT_ORDER = ["top", "tie_a", "tie_b", 'odd, "quoted"\nname ü', "low"]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return scanned_workspace(tmp_path / "ws", ACCOUNTS, CLUSTERS)


def expected(
    rows: list[dict[str, Any]], columns: tuple[str, ...], key: str
) -> list[dict[str, Any]]:
    ordered = sorted(rows, key=lambda r: (-r["score"], r[key]))
    return [{c: r[c] for c in columns} for r in ordered]


def test_accounts_to_parquet(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "accounts.parquet"
    assert export(ws, "accounts", "parquet", out) == 5
    table = pq.read_table(out)
    assert tuple(table.column_names) == ACCOUNT_COLUMNS
    assert table.to_pylist() == expected(ACCOUNTS, ACCOUNT_COLUMNS, "account_id")
    assert [r["account_id"] for r in table.to_pylist()] == ACCOUNT_ORDER


def test_clusters_to_parquet_keep_the_list(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "clusters.parquet"
    assert export(ws, "clusters", "parquet", out) == 2
    table = pq.read_table(out)
    assert tuple(table.column_names) == CLUSTER_COLUMNS
    assert table.to_pylist() == expected(CLUSTERS, CLUSTER_COLUMNS, "cluster_id")


def test_accounts_to_json_lines_parse_the_reasons(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "accounts.jsonl"
    assert export(ws, "accounts", "json", out) == 5
    lines = out.read_bytes().splitlines()
    rows = [orjson.loads(line) for line in lines]
    want = expected(ACCOUNTS, ACCOUNT_COLUMNS, "account_id")
    for row in want:
        row["reasons"] = orjson.loads(row["reasons"])
    assert rows == want
    assert isinstance(rows[0]["reasons"], list)
    assert list(rows[0]) == list(ACCOUNT_COLUMNS)


def test_clusters_to_json_lines(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "clusters.jsonl"
    assert export(ws, "clusters", "json", out) == 2
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert rows[0]["cluster_id"] == "k1"
    assert rows[0]["link_kinds"] == ["payment", "network"]
    assert rows[0]["reasons"] == [{"kind": "members", "name": "members", "value": 2}]
    assert rows[1]["link_kinds"] == []


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_accounts_to_csv(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "accounts.csv"
    assert export(ws, "accounts", "csv", out) == 5
    rows = _read_csv(out)
    assert list(rows[0]) == list(ACCOUNT_COLUMNS)
    for got, want in zip(rows, expected(ACCOUNTS, ACCOUNT_COLUMNS, "account_id"), strict=True):
        assert got["account_id"] == want["account_id"]
        assert float(got["score"]) == want["score"]  # exact: the shortest round-trip form
        assert got["flagged"] == str(want["flagged"]).lower()
        assert got["cluster_id"] == (want["cluster_id"] or "")
        assert got["reasons"] == want["reasons"]  # the JSON text, quoted
        assert int(got["n_interactions"]) == want["n_interactions"]


def test_clusters_to_csv_join_the_link_kinds(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "clusters.csv"
    assert export(ws, "clusters", "csv", out) == 2
    rows = _read_csv(out)
    assert [r["cluster_id"] for r in rows] == ["k1", "k2"]
    assert [r["link_kinds"] for r in rows] == ["payment;network", ""]
    assert orjson.loads(rows[0]["reasons"]) == orjson.loads(CLUSTERS[1]["reasons"])


def test_an_empty_scan_writes_an_empty_file(tmp_path: Path) -> None:
    ws = scanned_workspace(tmp_path / "ws", [])
    out = tmp_path / "accounts.csv"
    assert export(ws, "accounts", "csv", out) == 0
    assert out.read_text().strip() == ",".join(ACCOUNT_COLUMNS)
    assert export(ws, "clusters", "parquet", tmp_path / "c.parquet") == 0
    assert pq.read_table(tmp_path / "c.parquet").num_rows == 0


def test_an_export_replaces_the_file(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "accounts.jsonl"
    out.write_text("old\n" * 100)
    export(ws, "accounts", "json", out)
    assert len(out.read_bytes().splitlines()) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.jsonl", "ws", "ws-staged"]


def test_a_workspace_never_scanned(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    with ws.writer():
        pass
    with pytest.raises(ExportError, match="no scan results"):
        export(ws, "accounts", "csv", tmp_path / "a.csv")
    assert not (tmp_path / "a.csv").exists()


def test_a_folder_that_is_not_a_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a distillguard workspace"):
        export(Workspace(tmp_path / "ws"), "accounts", "csv", tmp_path / "a.csv")


def test_the_output_folder_must_exist(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        export(ws, "accounts", "csv", tmp_path / "missing" / "a.csv")
    with pytest.raises(ExportError, match="is a folder"):
        export(ws, "accounts", "csv", tmp_path)


def test_unknown_choices_are_refused(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot export 'links'"):
        export(ws, "links", "csv", tmp_path / "a.csv")  # type: ignore[arg-type]
    with pytest.raises(ExportError, match="unknown format 'xlsx'"):
        export(ws, "accounts", "xlsx", tmp_path / "a.xlsx")  # type: ignore[arg-type]
