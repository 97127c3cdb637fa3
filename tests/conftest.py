"""One run of the built-in ``smoke`` scenario, ingested, shared by the simulator's and the
scan's tests (``Run.workspace`` is the ingested workspace, ``Run.out`` the simulator output),
and ``scanned``: one scan of a copy of it, for the scan's and the gateway's tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from distillguard.cases.store import open_case
from distillguard.detect.scan import ScanReport, scan
from distillguard.evidence.keys import EvidenceKey, save
from distillguard.ingest.pipeline import IngestReport, ingest
from distillguard.settings import Settings
from distillguard.simulate.generate import SimulationReport, simulate
from distillguard.simulate.scenario import Scenario, load
from distillguard.workspace import Workspace


@dataclass
class Run:
    out: Path
    scenario: Scenario
    report: SimulationReport
    ingested: IngestReport
    workspace: Workspace
    con: duckdb.DuckDBPyConnection  # views: interactions, accounts, labels (+ population)

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, list(params)).fetchall()

    def value(self, sql: str, *params: Any) -> Any:
        row = self.con.execute(sql, list(params)).fetchone()
        assert row is not None
        return row[0]


@pytest.fixture(scope="session")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    out = tmp_path_factory.mktemp("smoke")
    scenario = load("smoke")
    report = simulate(scenario, out, workers=2)
    workspace = Workspace(tmp_path_factory.mktemp("smoke-ws"))
    ingested = ingest(
        workspace,
        [out / "log"],
        Settings.load(environ={}, overrides={"ingest.workers": 2}),
        accounts=[out / "accounts.jsonl"],
    )
    con = workspace.connect()
    labels = str(out / "labels.csv").replace("'", "''")
    con.execute(
        "CREATE TEMP VIEW labels AS SELECT account_id, coalesce(campaign_id, '') campaign_id,"
        f" population FROM read_csv('{labels}', header = true, all_varchar = true)"
    )
    con.execute(
        "CREATE TEMP VIEW calls AS SELECT i.*, l.population, l.campaign_id,"
        " a.billing_country, a.created_at, a.payment_fingerprint"
        " FROM interactions i JOIN labels l USING (account_id)"
        " JOIN accounts a USING (account_id)"
    )
    try:
        yield Run(out, scenario, report, ingested, workspace, con)
    finally:
        con.close()


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


@dataclass(frozen=True)
class Opened:
    """A copy of the scanned workspace with an evidence key and one case open on its top
    flagged cluster (read it; open other cases in a copy of your own)."""

    workspace: Workspace
    case_id: str
    cluster_id: str


@pytest.fixture(scope="session")
def opened(scanned: Scanned, tmp_path_factory: pytest.TempPathFactory) -> Opened:
    root = tmp_path_factory.mktemp("opened") / "ws"
    shutil.copytree(scanned.workspace.root, root)
    workspace = Workspace(root)
    save(EvidenceKey.generate(), root / "evidence" / "key.json")
    [(cluster_id,)] = scanned.rows(
        "SELECT cluster_id FROM clusters WHERE flagged ORDER BY score DESC, n_accounts DESC LIMIT 1"
    )
    meta = open_case(workspace, cluster_id, "Top flagged cluster", "analyst@example.test")
    return Opened(workspace, meta.case_id, cluster_id)
