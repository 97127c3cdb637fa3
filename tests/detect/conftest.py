"""Shared by the scan's tests: small tables (``scanned``, the scan of a copy of the smoke
workspace, is in ``tests/conftest.py``). The table helpers build tiny
``interactions`` / ``accounts`` tables with the real schemas and run the scan's Ibis
expressions on a plain DuckDB connection (compiled to SQL as the scan does, so Ibis never
executes anything itself).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa

from distillguard.detect.calls import call_rows
from distillguard.detect.flags import interactions, to_sql
from distillguard.schema.accounts import ACCOUNTS
from distillguard.schema.interactions import INTERACTIONS
from distillguard.settings import Settings

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
