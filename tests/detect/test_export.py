"""Exporting scan results: every format reads back to the same rows, best score first."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import orjson
import pyarrow.parquet as pq
import pytest

from distillguard.detect.core import Reason, reasons_of
from distillguard.detect.export import ACCOUNT_COLUMNS, CLUSTER_COLUMNS, ExportError, export
from distillguard.schema.results import CLUSTERS, SCORED_ACCOUNTS
from distillguard.workspace import Workspace, WorkspaceError
from tests.detect.test_evaluate import scanned_workspace


def scored(
    account_id: str, flagged: bool, cluster_id: str | None = None, score: float = 0.1
) -> dict[str, Any]:
    """A full ``account_scores`` row; its reasons are typed, one with an awkward detail."""
    verdict = "clear" if not flagged else "campaign" if cluster_id else "suspicious"
    reasons = [
        Reason(
            "signal",
            "elicitation_share",
            f'asks for reasoning, "{account_id}", twice',
            value=0.8,
            baseline=0.0,
            evidence=0.72,
            family="content",
            peer="free/none//v1/chat/completions",
            examples=(f"req_{account_id}",),
        ),
        Reason("tie", "payment", "shares payment pm_1", value=1.0, evidence=1.0, specificity=0.5),
    ]
    return {
        "account_id": account_id,
        "peer": "free/none//v1/chat/completions",
        "n_interactions": 10,
        "score": score,
        "flagged": flagged,
        "verdict": verdict,
        "cluster_id": cluster_id,
        "reasons": [r.to_dict() for r in reasons[: 2 if cluster_id else 1]],
        "content": flagged,
        "unverified": 1.0 if flagged else 0.0,
        "fresh": flagged,
        "reference": not flagged,
        "tie": 0.75 if cluster_id else 0.0,
        "operator_ties": 2.0 if cluster_id else 0.0,
        "operator_links": 0,
        "sync_observed": 0.0,
        "sync_expected": 0.0,
        "label": "benign" if account_id == "low" else None,
        "model_verdict": "suspicious" if account_id == "low" else verdict,
    }


def cluster(cluster_id: str, n_accounts: int, score: float, kinds: list[str]) -> dict[str, Any]:
    core = Reason("members", "core", f"{n_accounts} of {n_accounts} members", value=n_accounts)
    return {
        "cluster_id": cluster_id,
        "n_accounts": n_accounts,
        "n_interactions": 10 * n_accounts,
        "score": score,
        "flagged": score >= 0.5,
        "link_kinds": kinds,
        "reasons": [core.to_dict()],
        "coordination": 0.5,
        "operator_coordination": 0.25,
        "behaviour": score,
        "operator": 0.0,
        "content_share": 1.0,
        "together": 0.0,
        "sync_lift": 0.0,
        "n_core": n_accounts,
        "n_flagged": n_accounts if score >= 0.5 else 0,
        "n_left_out": 0,
    }


ACCOUNTS = [
    scored("low", False, score=0.1),
    scored("top", True, "k1", score=0.95),
    scored("tie_b", True, score=0.5),
    scored("tie_a", True, "k1", score=0.5),
    scored('odd, "quoted"\nname ü', False, score=0.30000000000000004),
]
CLUSTERS_ROWS = [
    cluster("k2", 1, 0.2, []),
    cluster("k1", 2, 0.7, ["payment", "network"]),
]
ACCOUNT_ORDER = ["top", "tie_a", "tie_b", 'odd, "quoted"\nname ü', "low"]


def test_the_example_rows_have_every_column() -> None:
    assert all(set(row) == set(SCORED_ACCOUNTS.names) for row in ACCOUNTS)
    assert all(set(row) == set(CLUSTERS.names) for row in CLUSTERS_ROWS)
    assert set(ACCOUNT_COLUMNS) <= set(SCORED_ACCOUNTS.names)
    assert set(CLUSTER_COLUMNS) <= set(CLUSTERS.names)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return scanned_workspace(tmp_path / "ws", ACCOUNTS, CLUSTERS_ROWS)


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
    assert table.to_pylist() == expected(CLUSTERS_ROWS, CLUSTER_COLUMNS, "cluster_id")


def test_accounts_to_json_lines_parse_the_reasons(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "accounts.jsonl"
    assert export(ws, "accounts", "json", out) == 5
    lines = out.read_bytes().splitlines()
    rows = [orjson.loads(line) for line in lines]
    assert rows == expected(ACCOUNTS, ACCOUNT_COLUMNS, "account_id")
    assert isinstance(rows[0]["reasons"], list)
    assert list(rows[0]) == list(ACCOUNT_COLUMNS)
    # every field of a reason is there, and it reads back as the reason it was
    top = rows[0]["reasons"]
    assert [set(r) for r in top] == [set(Reason.__dataclass_fields__)] * 2
    assert reasons_of(top) == reasons_of(ACCOUNTS[1]["reasons"])
    assert top[1]["specificity"] == 0.5


def test_clusters_to_json_lines(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "clusters.jsonl"
    assert export(ws, "clusters", "json", out) == 2
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert rows[0]["cluster_id"] == "k1"
    assert rows[0]["link_kinds"] == ["payment", "network"]
    assert rows[0]["reasons"] == CLUSTERS_ROWS[1]["reasons"]
    assert (rows[0]["n_core"], rows[0]["n_flagged"], rows[0]["n_left_out"]) == (2, 2, 0)
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
        assert orjson.loads(got["reasons"]) == want["reasons"]  # JSON text, quoted
        assert int(got["n_interactions"]) == want["n_interactions"]
        assert float(got["tie"]) == want["tie"]
        assert float(got["operator_ties"]) == want["operator_ties"]
        assert got["label"] == (want["label"] or "")
        assert got["model_verdict"] == want["model_verdict"]


def test_clusters_to_csv_join_the_link_kinds(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "clusters.csv"
    assert export(ws, "clusters", "csv", out) == 2
    rows = _read_csv(out)
    assert [r["cluster_id"] for r in rows] == ["k1", "k2"]
    assert [r["link_kinds"] for r in rows] == ["payment;network", ""]
    assert orjson.loads(rows[0]["reasons"]) == CLUSTERS_ROWS[1]["reasons"]
    assert [int(r["n_core"]) for r in rows] == [2, 1]


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
