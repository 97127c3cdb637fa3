"""A workspace: Parquet partitions by day plus a DuckDB catalog that says which files count.

Layout of a workspace folder::

    catalog.duckdb                      ingests, files (the list of committed files), views
    interactions/day=YYYY-MM-DD/*.parquet
    accounts/<ingest_id>.parquet        the current accounts snapshot (one file)
    ip_info/<ingest_id>.parquet         offline enrichment of each client IP, looked up once
    quarantine/<ingest_id>.jsonl        records that could not be read, with their reasons
    scans/<scan_id>/*.parquet           the latest scan's results (account scores, clusters,
                                        links, account features)
    analyst_labels/<labelling_id>.parquet  analysts' label decisions, one file per command;
                                        never replaced (the history is the record)
    .staging/<ingest_id>/               work in progress of a running ingest
    .lock                               held by the one process that writes

A file is part of the workspace only once the catalog lists it, and the catalog changes in
one transaction. A failed ingest therefore leaves nothing visible; its leftovers (staging
folders, files written but never listed) are removed the next time a writer opens the
workspace.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from distillguard.schema.accounts import ACCOUNTS
from distillguard.schema.catalogue import TABLES
from distillguard.schema.interactions import ENRICHMENT_COLUMNS, INTERACTIONS
from distillguard.schema.ip_info import IP_INFO
from distillguard.schema.labels import ANALYST_LABELS
from distillguard.schema.quarantine import QUARANTINE

CATALOG = "catalog.duckdb"
DATA_DIRS = ("interactions", "accounts", "ip_info", "quarantine", "scans", "analyst_labels")
SCAN_TABLES = ("account_scores", "clusters", "links", "account_features")
"""Tables a scan writes; views of these names show the latest scan."""

_CATALOG_DDL = (
    """CREATE TABLE IF NOT EXISTS ingests (
        ingest_id VARCHAR PRIMARY KEY,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ NOT NULL,
        report JSON NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS scans (
        scan_id VARCHAR PRIMARY KEY,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ NOT NULL,
        report JSON NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS labellings (
        labelling_id VARCHAR PRIMARY KEY,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ NOT NULL,
        report JSON NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS files (
        path VARCHAR PRIMARY KEY,
        table_name VARCHAR NOT NULL,
        ingest_id VARCHAR NOT NULL,
        rows BIGINT NOT NULL
    )""",
)


class WorkspaceError(Exception):
    """The workspace cannot be used as asked (locked by another writer, not a workspace...)."""


@dataclass(frozen=True)
class CommittedFile:
    path: str
    table_name: str
    rows: int


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


class Workspace:
    """Handle on a workspace folder; cheap to create, opens connections on demand."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    @property
    def catalog_path(self) -> Path:
        return self.root / CATALOG

    def exists(self) -> bool:
        return self.catalog_path.is_file()

    def require(self) -> None:
        if not self.exists():
            raise WorkspaceError(
                f"{self.root} is not a distillguard workspace (no {CATALOG}); "
                "create one with `distillguard ingest`"
            )

    @contextmanager
    def writer(self) -> Iterator[None]:
        """Exclusive right to change the workspace; cleans up after a failed earlier writer."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise WorkspaceError(
                    f"{self.root} is being written by another process; try again when it ends"
                ) from exc
            try:
                for name in DATA_DIRS:
                    (self.root / name).mkdir(exist_ok=True)
                with self._write_connection() as con:
                    for ddl in _CATALOG_DDL:
                        con.execute(ddl)
                    self._remove_leftovers(con)
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write_connection(self) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(str(self.catalog_path))
        except duckdb.Error as exc:
            raise WorkspaceError(
                f"cannot open {self.catalog_path} for writing ({exc}); close other programs "
                "that have it open (a DuckDB shell, a notebook) and try again"
            ) from exc

    def _remove_leftovers(self, con: duckdb.DuckDBPyConnection) -> None:
        shutil.rmtree(self.root / ".staging", ignore_errors=True)
        listed = {row[0] for row in con.execute("SELECT path FROM files").fetchall()}
        for name in DATA_DIRS:
            for path in (self.root / name).rglob("*"):
                if path.is_file() and str(path.relative_to(self.root)) not in listed:
                    path.unlink()

    def staging(self, ingest_id: str) -> Path:
        path = self.root / ".staging" / ingest_id
        path.mkdir(parents=True)
        return path

    def files(self, table_name: str, con: duckdb.DuckDBPyConnection | None = None) -> list[Path]:
        if not self.exists():
            return []
        if con is None:
            with duckdb.connect(str(self.catalog_path), read_only=True) as own:
                return self.files(table_name, own)
        rows = con.execute(
            "SELECT path FROM files WHERE table_name = ? ORDER BY path", [table_name]
        ).fetchall()
        return [self.root / row[0] for row in rows]

    def commit(
        self,
        ingest_id: str,
        started_at: Any,
        finished_at: Any,
        report: dict[str, Any],
        moves: list[tuple[Path, str, str, int]],
        replaced: list[str],
    ) -> None:
        """Move staged files into place and list them in the catalog in one transaction.

        ``moves`` holds (staged path, path relative to the workspace, table, rows); ``replaced``
        the relative paths of files the new ones supersede (removed after the commit).
        """
        for staged, relative, _, _ in moves:
            target = self.root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        with self._write_connection() as con:
            self._swap(
                con,
                "ingests",
                [ingest_id, started_at, finished_at, report],
                [(relative, table, ingest_id, rows) for _, relative, table, rows in moves],
                replaced,
            )
        for relative in replaced:
            (self.root / relative).unlink(missing_ok=True)

    def commit_scan(
        self,
        scan_id: str,
        started_at: Any,
        finished_at: Any,
        report: dict[str, Any],
        staged: dict[str, Path],
    ) -> None:
        """Make a scan's results (``staged``: table name to Parquet file) the current ones.

        The previous scan's files are removed once the catalog lists the new ones.
        """
        moves: list[tuple[str, str, int]] = []
        for table, path in staged.items():
            relative = f"scans/{scan_id}/{table}.parquet"
            target = self.root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            moves.append((relative, table, _parquet_rows(target)))
        with self._write_connection() as con:
            old = [
                r[0]
                for r in con.execute(
                    "SELECT path FROM files WHERE list_contains(?, table_name)", [list(SCAN_TABLES)]
                ).fetchall()
            ]
            self._swap(
                con,
                "scans",
                [scan_id, started_at, finished_at, report],
                [(relative, table, scan_id, rows) for relative, table, rows in moves],
                old,
            )
        for relative in old:
            (self.root / relative).unlink(missing_ok=True)
            with suppress(OSError):
                (self.root / relative).parent.rmdir()

    def commit_labels(
        self,
        labelling_id: str,
        started_at: Any,
        finished_at: Any,
        report: dict[str, Any],
        staged: Path,
    ) -> None:
        """Add one labelling's decisions (``staged``: a Parquet file of ``ANALYST_LABELS``).

        Labels are appended, never replaced: withdrawing one is a new row, so the files of
        earlier labellings stay listed and the history stays whole.
        """
        relative = f"analyst_labels/{labelling_id}.parquet"
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)
        rows = _parquet_rows(target)
        with self._write_connection() as con:
            self._swap(
                con,
                "labellings",
                [labelling_id, started_at, finished_at, report],
                [(relative, "analyst_labels", labelling_id, rows)],
                [],
            )

    def _swap(
        self,
        con: duckdb.DuckDBPyConnection,
        ledger: str,
        run: list[Any],
        added: list[tuple[str, str, str, int]],
        removed: list[str],
    ) -> None:
        """In one transaction: unlist ``removed``, list ``added`` (path, table, run id, rows),
        record the run (id, started, finished, report) in ``ledger`` and refresh the views."""
        run_id, started_at, finished_at, report = run
        con.execute("BEGIN TRANSACTION")
        try:
            if removed:
                con.execute("DELETE FROM files WHERE list_contains(?, path)", [removed])
            if added:
                con.executemany("INSERT INTO files VALUES (?, ?, ?, ?)", [list(a) for a in added])
            con.execute(
                f"INSERT INTO {ledger} VALUES (?, ?, ?, ?)",
                [run_id, started_at, finished_at, orjson.dumps(report).decode()],
            )
            self._create_views(con, temporary=False)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def latest_scan(self) -> dict[str, Any] | None:
        """The latest scan's id, times and report; None when the workspace was never scanned."""
        with duckdb.connect(str(self.catalog_path), read_only=True) as con:
            exists = con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'scans'"
            ).fetchone()
            if not exists or not exists[0]:
                return None
            row = con.execute(
                "SELECT scan_id, started_at, finished_at, report FROM scans "
                "ORDER BY finished_at DESC LIMIT 1"
            ).fetchone()
        if row is None:
            return None
        return {
            "scan_id": row[0],
            "started_at": row[1],
            "finished_at": row[2],
            "report": orjson.loads(row[3]),
        }

    def quarantine_keys(self) -> set[tuple[str, int, int | None, str]]:
        """Identity of every quarantined record (reason, line, item, md5 of the content)."""
        files = self.files("quarantine")
        if not files:
            return set()
        with duckdb.connect() as con:
            rows = con.execute(
                "SELECT reason, source_line, item, md5(coalesce(raw, raw_b64, '')) "
                f"FROM read_json({_sql_list([str(p) for p in files])}, "
                f"format = 'newline_delimited', columns = {_duck_columns(QUARANTINE)})"
            ).fetchall()
        return {(r[0], r[1], r[2], r[3]) for r in rows}

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the catalog with views over the current files."""
        self.require()
        try:
            con = duckdb.connect(str(self.catalog_path), read_only=True)
        except duckdb.Error as exc:
            raise WorkspaceError(
                f"cannot open {self.catalog_path} for reading ({exc}); if an ingest is "
                "committing, try again in a moment"
            ) from exc
        self._create_views(con, temporary=True)
        return con

    def _create_views(self, con: duckdb.DuckDBPyConnection, temporary: bool) -> None:
        kind = "TEMP VIEW" if temporary else "VIEW"
        files = {name: [str(p) for p in self.files(name, con)] for name in DATA_DIRS}
        stored = ", ".join(
            ("e." if name in ENRICHMENT_COLUMNS else "i.") + name for name in INTERACTIONS.names
        )
        views = {
            "ip_info": (
                f"SELECT * FROM read_parquet({_sql_list(files['ip_info'])})"
                if files["ip_info"]
                else _empty(IP_INFO)
            ),
            "interactions": (
                f"SELECT {stored} FROM read_parquet({_sql_list(files['interactions'])}, "
                "hive_partitioning = true, hive_types = {'day': DATE}, union_by_name = true) "
                "AS i LEFT JOIN ip_info AS e ON i.client_ip = e.ip"
                if files["interactions"]
                else _empty(INTERACTIONS)
            ),
            "accounts": (
                f"SELECT {', '.join(ACCOUNTS.names)} "
                f"FROM read_parquet({_sql_list(files['accounts'])})"
                if files["accounts"]
                else _empty(ACCOUNTS)
            ),
            "quarantine": (
                f"SELECT * FROM read_json({_sql_list(files['quarantine'])}, "
                f"format = 'newline_delimited', columns = {_duck_columns(QUARANTINE)})"
                if files["quarantine"]
                else _empty(QUARANTINE)
            ),
            "analyst_labels": (
                f"SELECT {', '.join(ANALYST_LABELS.names)} "
                f"FROM read_parquet({_sql_list(files['analyst_labels'])})"
                if files["analyst_labels"]
                else _empty(ANALYST_LABELS)
            ),
        }
        for name in SCAN_TABLES:
            scan_files = self.files(name, con)
            if scan_files:
                views[name] = f"SELECT * FROM read_parquet({_sql_list([str(scan_files[0])])})"
            elif name in TABLES:
                views[name] = _empty(_schema_of(name))
        for name, query in views.items():
            con.execute(f"CREATE OR REPLACE {kind} {name} AS {query}")


def _parquet_rows(path: Path) -> int:
    rows: int = pq.ParquetFile(path).metadata.num_rows
    return rows


def _schema_of(name: str) -> pa.Schema:
    return pa.schema([c.field() for c in TABLES[name]])


def _duck_types(schema: pa.Schema) -> list[str]:
    """DuckDB's own names for the types of an Arrow schema (DuckDB does the mapping)."""
    with duckdb.connect() as con:
        return [str(t) for t in con.from_arrow(schema.empty_table()).dtypes]


def _duck_columns(schema: pa.Schema) -> str:
    pairs = zip(schema.names, _duck_types(schema), strict=True)
    return "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in pairs) + "}"


def _empty(schema: pa.Schema) -> str:
    pairs = zip(schema.names, _duck_types(schema), strict=True)
    columns = ", ".join(f"CAST(NULL AS {kind}) AS {name}" for name, kind in pairs)
    return f"SELECT {columns} WHERE false"
