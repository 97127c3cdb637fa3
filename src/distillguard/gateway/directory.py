"""What the gateway knows about accounts: the accounts table, the latest scan, the labels.

A :class:`Directory` is an immutable snapshot, read from the workspace in one read-only
connection: each account's sign-up facts (``accounts``), its latest scan verdict, score and
cluster (``account_scores``), whether that cluster is flagged (``clusters``), and the label in
force now (``detect.labels.effective_labels``: the analysts' latest decisions, then the
trusted orgs and accounts of the settings). Labels mean here what they mean to the scan
(``detect/decide.py``): a benign label makes the verdict ``clear``, a campaign label makes
it ``campaign``, no label leaves the evidence's verdict (``model_verdict``). So a label
recorded after the scan, or withdrawn since, counts at once, without waiting for
``distillguard decide``. An account the scan never saw keeps no verdict unless it is
labelled; an account nobody knows gets :meth:`AccountFacts.unknown` (not verified, no
verdict).

:class:`DirectorySource` refreshes the snapshot without a restart. ``stale`` is cheap: a
``stat`` of the catalog and its write-ahead log, and only when they changed, one read-only
query of the catalog's file list (the latest scan's files, the accounts snapshot, the
labellings). ``load`` never raises: when the catalog is held by a writer, or a scan's files
are being swapped, it keeps the snapshot it has and the next refresh tries again. A workspace
that was never scanned gives facts without verdicts; one that does not exist yet, an empty
directory.

Memory: a snapshot stores columns, not objects per account. Strings that repeat (programme,
country, tier, verdict, label, cluster id) are dictionary codes (4 bytes each); known,
verified, flagged, score and created_at are numpy arrays (1 + 1 + 1 + 8 + 8 bytes); the
id → row ``dict`` holds the id string, its row number and the entry. Measured with
``tracemalloc`` for a million accounts with 21-character ids: about 130 bytes per account
(43 in the columns, the rest the dict, the id strings and row numbers), some 130 MB, built in
under two seconds in a thread off the request path. An :class:`AccountFacts` is made per
lookup (a few microseconds).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from distillguard.detect.labels import effective_labels
from distillguard.settings import Settings
from distillguard.workspace import CATALOG, Workspace, WorkspaceError

LOG = logging.getLogger("distillguard.gateway")
_LABELS: Final = "directory_labels"
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_NO_TIME: Final = np.iinfo(np.int64).min
_WATCHED: Final = ("account_scores", "clusters", "accounts", "analyst_labels")
"""Catalog tables whose files a snapshot is made of (the ``files`` rows of these names)."""
_STRINGS: Final = ("program", "billing_country", "tier", "verdict", "cluster_id", "label")


@dataclass(frozen=True)
class AccountFacts:
    """What the gateway knows about one account (``known``: it is in the accounts table)."""

    account_id: str
    verified: bool = False
    program: str | None = None
    billing_country: str | None = None
    tier: str | None = None
    created_at: datetime | None = None
    verdict: str | None = None
    cluster_id: str | None = None
    cluster_flagged: bool = False
    label: str | None = None
    score: float | None = None
    known: bool = False

    @classmethod
    def unknown(cls, account_id: str) -> AccountFacts:
        return cls(account_id)


Codes = npt.NDArray[np.int32]


@dataclass(frozen=True)
class _Strings:
    """One string column as dictionary codes (-1: null) and the values they stand for."""

    codes: Codes
    values: tuple[str, ...]

    @classmethod
    def of(cls, column: pa.ChunkedArray) -> _Strings:
        encoded = pc.dictionary_encode(column).combine_chunks()
        codes = encoded.indices.cast(pa.int32()).fill_null(-1).to_numpy(zero_copy_only=False)
        return cls(codes.astype(np.int32, copy=False), tuple(encoded.dictionary.to_pylist()))

    def at(self, row: int) -> str | None:
        code = int(self.codes[row])
        return None if code < 0 else self.values[code]


@dataclass(frozen=True)
class Directory:
    """A snapshot of the accounts, verdicts and labels; ``get`` answers in O(1)."""

    scan_id: str | None
    rows: Mapping[str, int]
    known: npt.NDArray[np.bool_]
    verified: npt.NDArray[np.bool_]
    flagged: npt.NDArray[np.bool_]
    score: npt.NDArray[np.float64]
    created: npt.NDArray[np.int64]
    strings: Mapping[str, _Strings]

    @classmethod
    def empty(cls, scan_id: str | None = None) -> Directory:
        return cls.of(pa.table({"account_id": pa.array([], pa.string())}), scan_id)

    @classmethod
    def of(cls, table: pa.Table, scan_id: str | None) -> Directory:
        """A snapshot of ``table`` (columns as :class:`AccountFacts`; missing ones null)."""
        n = table.num_rows

        def column(name: str, kind: pa.DataType) -> pa.ChunkedArray:
            if name in table.column_names:
                return table.column(name).cast(kind)
            return pa.chunked_array([pa.nulls(n, kind)], kind)

        def flags(name: str) -> npt.NDArray[np.bool_]:
            values = column(name, pa.bool_()).fill_null(False)
            return np.asarray(values.to_numpy(), dtype=np.bool_)

        created = column("created_at", pa.timestamp("us", "UTC")).cast(pa.int64())
        score = column("score", pa.float64()).to_numpy()
        ids = column("account_id", pa.string()).to_pylist()
        return cls(
            scan_id=scan_id,
            # A later row of one id wins (the accounts snapshot holds each id once).
            rows={account: row for row, account in enumerate(ids) if account is not None},
            known=flags("known"),
            verified=flags("verified"),
            flagged=flags("cluster_flagged"),
            score=np.asarray(score, dtype=np.float64),
            created=np.asarray(created.fill_null(_NO_TIME).to_numpy(), dtype=np.int64),
            strings={name: _Strings.of(column(name, pa.string())) for name in _STRINGS},
        )

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, account_id: object) -> bool:
        return account_id in self.rows

    def get(self, account_id: str) -> AccountFacts:
        """The facts of ``account_id``; an unknown account's are :meth:`AccountFacts.unknown`."""
        row = self.rows.get(account_id)
        if row is None:
            return AccountFacts.unknown(account_id)
        created = int(self.created[row])
        score = float(self.score[row])
        text = self.strings
        return AccountFacts(
            account_id=account_id,
            verified=bool(self.verified[row]),
            program=text["program"].at(row),
            billing_country=text["billing_country"].at(row),
            tier=text["tier"].at(row),
            created_at=None if created == _NO_TIME else _EPOCH + timedelta(microseconds=created),
            verdict=text["verdict"].at(row),
            cluster_id=text["cluster_id"].at(row),
            cluster_flagged=bool(self.flagged[row]),
            label=text["label"].at(row),
            score=None if np.isnan(score) else score,
            known=bool(self.known[row]),
        )

    def cluster_of(self, account_id: str) -> str | None:
        """The account's cluster in the latest scan (None: unlinked, unscanned or unknown)."""
        row = self.rows.get(account_id)
        return None if row is None else self.strings["cluster_id"].at(row)


Token = tuple[str | None, tuple[tuple[Any, ...], ...]]
Stamp = tuple[tuple[int, int, int, int] | None, ...]


def _stat(path: Path) -> tuple[int, int, int, int] | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _token(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> Token:
    """What a snapshot depends on: the latest scan and the files of the watched tables."""
    scan = con.execute("SELECT max_by(scan_id, finished_at) FROM scans").fetchone()
    files = con.execute(
        "SELECT table_name, count(*), sum(rows), min(path), max(path) FROM files "
        "WHERE list_contains(?, table_name) GROUP BY table_name ORDER BY table_name",
        [list(tables)],
    ).fetchall()
    return (None if scan is None else scan[0], tuple(files))


def _verdict_sql(con: duckdb.DuckDBPyConnection) -> str:
    """The evidence's verdict: ``model_verdict`` where the scan kept it, else ``verdict``."""
    names = {d[0] for d in con.execute("SELECT * FROM account_scores LIMIT 0").description}
    return "coalesce(s.model_verdict, s.verdict)" if "model_verdict" in names else "s.verdict"


_QUERY: Final = """
SELECT account_id, a.account_id IS NOT NULL AS known, a.verified, a.program,
       a.billing_country, a.tier, a.created_at,
       CASE l.label WHEN 'benign' THEN 'clear' WHEN 'campaign' THEN 'campaign'
            ELSE {verdict} END AS verdict,
       s.cluster_id, coalesce(c.flagged, false) AS cluster_flagged, l.label, s.score
FROM accounts AS a
FULL OUTER JOIN account_scores AS s USING (account_id)
FULL OUTER JOIN {labels} AS l USING (account_id)
LEFT JOIN clusters AS c ON c.cluster_id = s.cluster_id
"""


class DirectorySource:
    """Loads :class:`Directory` snapshots of one workspace and tells when one is out of date.

    ``settings`` gives the trusted orgs and accounts the labels include (default: the
    settings as the command line resolves them without ``--config``).
    """

    def __init__(self, workspace: Path | Workspace, settings: Settings | None = None) -> None:
        self.workspace = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
        self.settings = Settings.load() if settings is None else settings
        trusted_orgs = self.settings.text("detect.trusted_orgs").strip()
        # Trusted orgs are found in the calls, so new calls can change the labels too.
        self._tables = (*_WATCHED, "interactions") if trusted_orgs else _WATCHED
        self.current = Directory.empty()
        self.error: str | None = None
        """Why the latest load failed (None: it succeeded); the snapshot in use is older."""
        self._stamp: Stamp | None = None
        self._token: Token | None = None

    def _files(self) -> Stamp:
        catalog = self.workspace.root / CATALOG
        return (_stat(catalog), _stat(catalog.with_name(CATALOG + ".wal")))

    def stale(self) -> bool:
        """Whether the workspace changed since the snapshot was loaded (or a load failed)."""
        stamp = self._files()
        if stamp == self._stamp:
            return False
        if stamp[0] is None:  # no catalog (any more): stale unless the snapshot is empty too
            return self._token is not None
        try:
            with duckdb.connect(str(self.workspace.catalog_path), read_only=True) as con:
                token = _token(con, self._tables)
        except (duckdb.Error, OSError):
            return True  # held by a writer: let load try (and keep the old snapshot)
        if token == self._token:
            self._stamp = stamp  # the catalog changed, but nothing the snapshot is made of
            return False
        return True

    def load(self) -> Directory:
        """A fresh snapshot; the previous one when the workspace cannot be read right now."""
        stamp = self._files()  # before reading: a commit during the read shows next time
        try:
            directory, token = self._read()
        except (duckdb.Error, OSError, WorkspaceError, pa.ArrowException) as exc:
            if self.error != str(exc):
                LOG.warning("cannot read accounts and verdicts now (%s); keeping the old", exc)
            self.error = str(exc)
            return self.current
        self.current, self._token, self._stamp, self.error = directory, token, stamp, None
        return directory

    def _read(self) -> tuple[Directory, Token | None]:
        if not self.workspace.exists():
            return Directory.empty(), None
        with self.workspace.connect() as con:
            token = _token(con, self._tables)
            con.register(_LABELS, effective_labels(con, self.settings))
            relation = con.sql(_QUERY.format(verdict=_verdict_sql(con), labels=_LABELS))
            assert relation is not None  # a SELECT always gives a relation
            table = relation.to_arrow_table()
        return Directory.of(table, token[0]), token
