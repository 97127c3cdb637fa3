"""Reading a frozen case: its description and its tables, as DuckDB views.

``FrozenCase.connect()`` opens an in-memory DuckDB with one view per frozen table
(``cluster``, ``accounts``, ``calls``, ``links``, ``features``, ``labels``), so everything
computed from a case is a query over its own files: the dossier prints each table's query
next to it, and anyone holding the bundle's records can run it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import orjson

from distillguard.cases import store
from distillguard.cases.case import TABLES, Attachment, CaseError, CaseMeta


@dataclass(frozen=True)
class FrozenCase:
    meta: CaseMeta
    folder: Path

    @classmethod
    def load(cls, root: Path, case_id: str) -> FrozenCase:
        """Case ``case_id`` of the workspace at ``root``, its files checked against case.json."""
        meta = store.read(root, case_id)
        problems = store.check_frozen(root, meta)
        if problems:
            raise CaseError(f"case {case_id} has been changed since it was frozen: {problems[0]}")
        return cls(meta, store.folder(root, case_id))

    def table_path(self, name: str) -> Path:
        if name not in TABLES:
            raise CaseError(f"no frozen table {name!r}; tables: {', '.join(TABLES)}")
        return self.folder / f"{name}.parquet"

    def connect(self) -> duckdb.DuckDBPyConnection:
        """An in-memory connection with a view per frozen table."""
        con = duckdb.connect()
        for name in TABLES:
            path = str(self.table_path(name)).replace("'", "''")
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
        return con

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """The rows of a query over the case's views, as dicts."""
        with self.connect() as con:
            cursor = con.execute(sql, params or [])
            names = [d[0] for d in cursor.description or []]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def cluster(self) -> dict[str, Any]:
        found = self.rows("SELECT * FROM cluster")
        if not found:
            raise CaseError(f"case {self.meta.case_id} has no cluster row")
        return found[0]

    def attachments(self, kind: str) -> list[tuple[Attachment, dict[str, Any]]]:
        """The attachments of one kind with their JSON content (last JSON line of the file)."""
        found = []
        for attachment in self.meta.attachments:
            if attachment.kind != kind:
                continue
            lines = [
                line for line in (self.folder / attachment.path).read_bytes().splitlines() if line
            ]
            found.append((attachment, orjson.loads(lines[-1]) if lines else {}))
        return found
