"""Shared by the scan's tests: one scan of a copy of the smoke workspace, and small tables.

``scanned`` copies the session's smoke workspace (which other tests read through a
connection opened earlier) and scans the copy once. The table helpers build tiny
``interactions`` / ``accounts`` tables with the real schemas and run the scan's Ibis
expressions on a plain DuckDB connection (compiled to SQL as the scan does, so Ibis never
executes anything itself).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest

from distillguard.detect.calls import call_rows
from distillguard.detect.flags import interactions, to_sql
from distillguard.detect.scan import ScanReport, scan
from distillguard.schema import ACCOUNTS, INTERACTIONS
from distillguard.settings import Settings
from distillguard.workspace import Workspace
from tests.conftest import Run

T0 = datetime(2026, 5, 4, tzinfo=UTC)
"""Monday 00:00 UTC: the start of every hand-made table's traffic."""


def at(hours: float) -> datetime:
    """``hours`` after :data:`T0`."""
    return T0 + timedelta(hours=hours)


def interaction_rows(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """An ``interactions`` table: each row's fields over defaults for the required ones."""
    full = []
    for i, row in enumerate(rows):
        ts: datetime = row.get("ts", T0)
        full.append(
            {
                "request_id": f"req_{i:04d}",
                "day": date(ts.year, ts.month, ts.day),
                "account_id": "a",
                "endpoint": "/v1/chat/completions",
                "n_user_turns": 1,
                "source_format": "raw",
                "source_file": "log.jsonl",
                "source_line": i,
                "ingest_id": "ingest-1",
                **row,
                "ts": ts,
            }
        )
    return pa.Table.from_pylist(full, schema=INTERACTIONS)


def account_rows(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """An ``accounts`` table (every field but ``account_id`` defaults to null)."""
    return pa.Table.from_pylist([{"ingest_id": "ingest-1", **r} for r in rows], schema=ACCOUNTS)


def run(expr: ir.Table, **tables: pa.Table) -> pa.Table:
    """``expr`` compiled to DuckDB SQL and run with ``tables`` registered under their names."""
    with duckdb.connect() as con:
        for name, table in tables.items():
            con.register(name, table)
        return con.sql(to_sql(expr)).to_arrow_table()


def calls_of(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """The scan's slim ``calls`` table for the given interaction rows."""
    return run(call_rows(interactions()), interactions=interaction_rows(rows))


def calls_expr() -> ir.Table:
    """The ``calls`` table as the scan names it, unbound."""
    return ibis.table(call_rows(interactions()).schema(), name="calls")


def settings(**overrides: Any) -> Settings:
    return Settings.load(environ={}, overrides=overrides)


@dataclass(frozen=True)
class Scanned:
    """A scanned copy of the smoke workspace (read it; never scan it again)."""

    workspace: Workspace
    report: ScanReport
    labels: Path

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with self.workspace.connect() as con:
            return con.execute(sql, list(params)).fetchall()

    def table(self, sql: str) -> pa.Table:
        with self.workspace.connect() as con:
            return con.sql(sql).to_arrow_table()


@pytest.fixture(scope="session")
def scanned(smoke: Run, tmp_path_factory: pytest.TempPathFactory) -> Scanned:
    root = tmp_path_factory.mktemp("scanned") / "ws"
    shutil.copytree(smoke.workspace.root, root)
    workspace = Workspace(root)
    report = scan(workspace, Settings.load(environ={}))
    return Scanned(workspace, report, smoke.out / "labels.csv")
