"""Writing the latest scan's scored accounts or clusters to a file: CSV, JSON Lines or Parquet.

DuckDB's ``COPY`` does the writing, straight from the workspace's views, so an export of
millions of accounts streams rather than passing through Python. Rows come out by score,
highest first. Each format keeps what it can hold:

* Parquet keeps every column's type (``link_kinds`` a list, ``reasons`` a list of structs);
* JSON Lines has one object per row, ``link_kinds`` a list and ``reasons`` a list of objects;
* CSV has a header, ``link_kinds`` joined with ``;`` and ``reasons`` as JSON text.

The file appears whole or not at all: it is written next to ``out`` and renamed into place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, get_args

import duckdb

from distillguard.workspace import Workspace

What = Literal["accounts", "clusters"]
Format = Literal["csv", "json", "parquet"]

ACCOUNT_COLUMNS: Final = (
    "account_id",
    "score",
    "flagged",
    "cluster_id",
    "reasons",
    "verdict",
    "peer",
    "n_interactions",
    "tie",
    "operator_ties",
    "label",
    "model_verdict",
)
CLUSTER_COLUMNS: Final = (
    "cluster_id",
    "n_accounts",
    "n_interactions",
    "score",
    "flagged",
    "link_kinds",
    "reasons",
    "n_core",
    "n_flagged",
    "n_left_out",
)


class ExportError(ValueError):
    """The export cannot run: no scan to export, or nowhere to write it."""


def _expression(column: str, fmt: Format) -> str:
    if column == "reasons" and fmt == "csv":
        return "CAST(to_json(reasons) AS VARCHAR) AS reasons"
    if column == "link_kinds" and fmt == "csv":
        return "array_to_string(link_kinds, ';') AS link_kinds"
    return column


def query(what: What, fmt: Format) -> str:
    """The SELECT that gives ``what``'s rows in the shape ``fmt`` writes, best score first."""
    view, columns, key = (
        ("account_scores", ACCOUNT_COLUMNS, "account_id")
        if what == "accounts"
        else ("clusters", CLUSTER_COLUMNS, "cluster_id")
    )
    select = ", ".join(_expression(column, fmt) for column in columns)
    return f"SELECT {select} FROM {view} ORDER BY score DESC, {key}"


_OPTIONS: Final[Mapping[Format, str]] = MappingProxyType(
    {
        "csv": "FORMAT csv, HEADER true",
        "json": "FORMAT json",
        "parquet": "FORMAT parquet",
    }
)


def _check(ws: Workspace, what: str, fmt: str, out: Path) -> None:
    if what not in get_args(What):
        raise ExportError(f"cannot export {what!r}; choose one of {', '.join(get_args(What))}")
    if fmt not in get_args(Format):
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(get_args(Format))}")
    if not out.parent.is_dir():
        raise ExportError(f"cannot write {out}: the folder {out.parent} does not exist")
    if out.is_dir():
        raise ExportError(f"cannot write {out}: it is a folder; give a file name")
    ws.require()
    if ws.latest_scan() is None:
        raise ExportError(f"{ws.root} has no scan results; run `distillguard scan` first")


def export(ws: Workspace, what: What, fmt: Format, out: Path) -> int:
    """Write the latest scan's ``what`` to ``out`` in format ``fmt``; the number of rows."""
    _check(ws, what, fmt, out)
    partial = out.with_name(f".partial-{out.name}")
    target = str(partial).replace("'", "''")
    try:
        with ws.connect() as con:
            row = con.execute(
                f"COPY ({query(what, fmt)}) TO '{target}' ({_OPTIONS[fmt]})"
            ).fetchone()
        os.replace(partial, out)
    except (duckdb.Error, OSError) as exc:
        raise ExportError(f"cannot export {what} to {out}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return int(row[0]) if row else 0
