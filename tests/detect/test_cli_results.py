"""The `eval` and `export` commands, run in-process against a workspace with a scan."""

from __future__ import annotations

import csv
from dataclasses import fields
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from distillguard.cli import app
from distillguard.detect.core import REASONS, Reason, reasons_of
from distillguard.workspace import Workspace
from tests.detect.test_evaluate import (
    EXAMPLE_ACCOUNTS,
    EXAMPLE_CLUSTERS,
    EXAMPLE_LABELS,
    scanned_workspace,
    write_labels,
)

runner = CliRunner()


def last_json(output: str) -> dict[str, object]:
    value = orjson.loads(output.strip().splitlines()[-1])
    assert isinstance(value, dict)
    return value


def flat(output: str) -> str:
    """The output without spaces and table borders (tables wrap to the terminal's width)."""
    return "".join(output.split()).replace("│", "").replace("┃", "")


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISTILLGUARD_WORKSPACE", raising=False)
    monkeypatch.delenv("DISTILLGUARD_CONFIG", raising=False)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return scanned_workspace(tmp_path / "ws", EXAMPLE_ACCOUNTS, EXAMPLE_CLUSTERS).root


@pytest.fixture
def labels(tmp_path: Path) -> Path:
    return write_labels(
        tmp_path / "labels.csv", EXAMPLE_LABELS, "account_id,campaign_id,population"
    )


def test_eval_json(ws: Path, labels: Path) -> None:
    result = runner.invoke(app, ["eval", "-w", str(ws), "--labels", str(labels), "--json"])
    assert result.exit_code == 0, result.output
    data = last_json(result.output)
    assert (data["tp"], data["fp"], data["fn"], data["tn"]) == (10, 1, 1, 13)
    assert data["labelled_not_scanned"] == 1
    assert data["all_targets_met"] is False
    by_campaign = data["by_campaign"]
    assert isinstance(by_campaign, dict)
    assert by_campaign["camp_b"]["recall"] == 0.75


def test_eval_tables(ws: Path, labels: Path) -> None:
    result = runner.invoke(app, ["eval", "--workspace", str(ws), "--labels", str(labels)])
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "precision90.91%≥98.0%no" in text
    assert "benignfalse-positiverate7.143%≤0.1%no" in text
    assert "devsbenign9111.11%" in text  # population, kind, accounts, flagged, share
    assert "camp_a5/5100.0%2k180.0%80.0%" in text  # flagged / accounts, recall, clusters...
    assert "alltargetsmet:no" in text


def test_eval_with_a_bad_labels_file(ws: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("account_id,campaign_id\na1,camp\na1,\n")
    result = runner.invoke(app, ["eval", "-w", str(ws), "--labels", str(path)])
    assert result.exit_code == 2
    assert "more than once" in result.output
    missing = runner.invoke(app, ["eval", "-w", str(ws), "--labels", str(tmp_path / "no.csv")])
    assert missing.exit_code == 2
    assert "does not exist" in missing.output


def test_eval_before_any_scan(tmp_path: Path, labels: Path) -> None:
    with Workspace(tmp_path / "empty").writer():
        pass
    result = runner.invoke(app, ["eval", "-w", str(tmp_path / "empty"), "--labels", str(labels)])
    assert result.exit_code == 2
    assert "no scan" in result.output
    nowhere = runner.invoke(app, ["eval", "-w", str(tmp_path / "none"), "--labels", str(labels)])
    assert nowhere.exit_code == 2
    assert "not a distillguard workspace" in nowhere.output


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export_each_format(ws: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"clusters.{fmt}"
    result = runner.invoke(
        app, ["export", "clusters", "-w", str(ws), "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote 3 rows to {out}"
    assert out.is_file()


def test_export_defaults_to_csv(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "accounts.out"
    result = runner.invoke(app, ["export", "accounts", "-w", str(ws), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("account_id,score,flagged,cluster_id,reasons")
    assert len(out.read_text().splitlines()) == 1 + len(EXAMPLE_ACCOUNTS)


def test_export_reasons_are_typed_in_every_format(ws: Path, tmp_path: Path) -> None:
    """CSV holds each row's reasons as JSON text, JSON Lines as a list of objects, Parquet
    as the stored list of structs: all three read back as the same reasons."""
    found: dict[str, list[list[Reason]]] = {}
    for fmt in ("csv", "json", "parquet"):
        out = tmp_path / f"accounts.{fmt}"
        args = ["export", "accounts", "-w", str(ws), "--format", fmt, "--out", str(out)]
        assert runner.invoke(app, args).exit_code == 0
        if fmt == "csv":
            with out.open(newline="", encoding="utf-8") as handle:
                cells = [orjson.loads(r["reasons"]) for r in csv.DictReader(handle)]
        elif fmt == "json":
            cells = [orjson.loads(line)["reasons"] for line in out.read_bytes().splitlines()]
        else:
            table = pq.read_table(out)
            stored = table.schema.field("reasons").type  # the engine names the items
            assert pa.types.is_list(stored)
            assert [f.name for f in stored.value_type] == [f.name for f in REASONS.value_type]
            cells = table.column("reasons").to_pylist()
        assert all(isinstance(cell, list) for cell in cells), fmt
        assert all(set(r) == {f.name for f in fields(Reason)} for c in cells for r in c), fmt
        found[fmt] = [reasons_of(cell) for cell in cells]
    assert found["csv"] == found["json"] == found["parquet"]
    assert any(found["csv"])


def test_export_parquet_reads_back(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "accounts.parquet"
    args = ["export", "accounts", "-w", str(ws), "--format", "parquet", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    assert pq.read_table(out).num_rows == len(EXAMPLE_ACCOUNTS)


def test_export_errors(ws: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "a.csv"
    result = runner.invoke(app, ["export", "accounts", "-w", str(ws), "--out", str(missing)])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    with Workspace(tmp_path / "empty").writer():
        pass
    empty = runner.invoke(
        app, ["export", "accounts", "-w", str(tmp_path / "empty"), "--out", str(tmp_path / "a")]
    )
    assert empty.exit_code == 2
    assert "no scan results" in empty.output
    bad = runner.invoke(app, ["export", "links", "-w", str(ws), "--out", str(tmp_path / "a")])
    assert bad.exit_code == 2  # typer refuses the choice
    fmt = runner.invoke(
        app, ["export", "accounts", "-w", str(ws), "--format", "xlsx", "--out", str(tmp_path / "a")]
    )
    assert fmt.exit_code == 2
