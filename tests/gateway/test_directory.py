"""The directory: accounts, the latest scan's verdicts and the labels in force, refreshed.

The workspace holds the accounts a1-a4 and a scan of a1, a2, a3 and s1 (s1 is not in the
accounts table; a4 was not scanned). Cluster k1 = {a1, a2} is flagged, k2 = {a3} is not.
The scan applied a benign label to a2: its verdict is ``clear``, its evidence said
``campaign``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from distillguard.detect.labels import label_account
from distillguard.gateway.directory import AccountFacts, Directory, DirectorySource
from distillguard.schema.accounts import ACCOUNTS
from distillguard.schema.interactions import STORED
from distillguard.settings import Settings
from distillguard.workspace import Workspace
from tests.detect.test_evaluate import cluster, conform, scanned_workspace, scored, scores_schema

NO_TRUST = Settings.load(environ={})
CREATED = datetime(2026, 4, 1, 8, 30, tzinfo=UTC)
ACCOUNT_ROWS = [
    {
        "account_id": "a1",
        "created_at": CREATED,
        "billing_country": "SG",
        "tier": "scale",
        "program": "education",
        "verified": False,
    },
    {"account_id": "a2", "tier": "free", "program": "none", "verified": True},
    {"account_id": "a3", "tier": "free", "program": "none", "verified": True},
    {"account_id": "a4", "billing_country": "DE", "verified": True},
]


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISTILLGUARD_CONFIG", raising=False)
    monkeypatch.setattr("distillguard.detect.labels.getpass.getuser", lambda: "os-user")


def _call(n: int, account_id: str, org_id: str | None) -> dict[str, Any]:
    return {
        "request_id": f"req_{n}",
        "ts": datetime(2026, 5, 1, 12, n, tzinfo=UTC),
        "account_id": account_id,
        "org_id": org_id,
        "endpoint": "/v1/chat/completions",
        "source_format": "raw",
        "source_file": "log.jsonl",
        "source_line": n,
        "ingest_id": f"ingest-{n}",
    }


def _ingest(ws: Workspace, staging: Path, n: int, accounts: list[dict[str, Any]] | None) -> None:
    """Commit one call (account a1, or s1 for the org ``org_t``) and maybe an accounts file."""
    staging.mkdir()
    calls = conform([_call(n, "s1" if n > 1 else "a1", "org_t" if n > 1 else None)], STORED)
    pq.write_table(calls, staging / "calls.parquet")
    moves = [
        (staging / "calls.parquet", f"interactions/day=2026-05-01/{n}.parquet", "interactions", 1)
    ]
    replaced: list[str] = []
    if accounts is not None:
        rows = [{**row, "ingest_id": f"ingest-{n}"} for row in accounts]
        pq.write_table(conform(rows, ACCOUNTS), staging / "accounts.parquet")
        moves.append((staging / "accounts.parquet", f"accounts/{n}.parquet", "accounts", 4))
        replaced = [str(p.relative_to(ws.root)) for p in ws.files("accounts")]
    now = datetime.now(UTC)
    with ws.writer():
        ws.commit(f"ingest-{n}", now, now, {}, moves, replaced)


def _scan_rows() -> list[dict[str, Any]]:
    a2 = {**scored("a2", True, "k1"), "verdict": "clear", "flagged": False, "label": "benign"}
    a2["model_verdict"] = "campaign"
    return [scored("a1", True, "k1"), a2, scored("a3", False, "k2"), scored("s1", True)]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    clusters = [cluster("k1", 2, 0.9, ["card"]), cluster("k2", 1, 0.1, ["ip24"])]
    workspace = scanned_workspace(tmp_path / "ws", _scan_rows(), clusters, scores_schema(True))
    _ingest(workspace, tmp_path / "data", 1, ACCOUNT_ROWS)
    return workspace


def test_facts_join_the_accounts_the_scan_and_its_clusters(ws: Workspace) -> None:
    directory = DirectorySource(ws, NO_TRUST).load()
    assert directory.scan_id == "scan-1"
    assert len(directory) == 5
    assert directory.get("a1") == AccountFacts(
        account_id="a1",
        verified=False,
        program="education",
        billing_country="SG",
        tier="scale",
        created_at=CREATED,
        verdict="campaign",
        cluster_id="k1",
        cluster_flagged=True,
        label=None,
        score=0.9,
        known=True,
    )
    a3 = directory.get("a3")
    assert (a3.verdict, a3.cluster_id, a3.cluster_flagged, a3.verified) == (
        "clear",
        "k2",
        False,
        True,
    )
    a4 = directory.get("a4")  # in the accounts table, never scanned
    assert (a4.known, a4.verdict, a4.score, a4.cluster_id, a4.billing_country) == (
        True,
        None,
        None,
        None,
        "DE",
    )
    s1 = directory.get("s1")  # scanned, not in the accounts table
    assert (s1.known, s1.verdict, s1.cluster_id, s1.created_at) == (False, "suspicious", None, None)
    assert (directory.cluster_of("a2"), directory.cluster_of("s1")) == ("k1", None)


def test_an_unknown_account_is_not_verified_and_has_no_verdict(ws: Workspace) -> None:
    directory = DirectorySource(ws, NO_TRUST).load()
    assert directory.get("nobody") == AccountFacts("nobody")
    assert AccountFacts.unknown("x") == AccountFacts(
        "x", verified=False, verdict=None, cluster_flagged=False, known=False
    )
    assert directory.cluster_of("nobody") is None
    assert "nobody" not in directory


def test_labels_mean_what_they_mean_to_the_scan(ws: Workspace) -> None:
    source = DirectorySource(ws, NO_TRUST)
    before = source.load()
    assert (before.get("a2").verdict, before.get("a2").label) == ("campaign", None)
    # a2's benign label was applied by the scan but is not in the workspace's labels: what
    # counts is the label in force now, so the evidence's verdict is back.
    assert before.get("a2").cluster_flagged

    label_account(ws, "a2", "benign")
    label_account(ws, "a3", "campaign")
    label_account(ws, "a4", "campaign")  # never scanned: the analyst's word is the verdict
    assert source.stale()
    after = source.load()
    assert (after.get("a2").verdict, after.get("a2").label) == ("clear", "benign")
    assert (after.get("a3").verdict, after.get("a3").label) == ("campaign", "campaign")
    assert after.get("a4").verdict == "campaign"
    assert after.get("a3").cluster_flagged is False  # a label changes no cluster
    assert before.get("a3").verdict == "clear"  # an old snapshot never changes

    label_account(ws, "a3", "none")  # withdrawn: back to the evidence
    assert source.stale()
    assert source.load().get("a3").verdict == "clear"
    assert not source.stale()


def test_trusted_orgs_are_benign_labels_and_new_calls_can_add_them(
    ws: Workspace, tmp_path: Path
) -> None:
    trust = Settings.load(environ={}, overrides={"detect.trusted_orgs": "org_t"})
    source = DirectorySource(ws, trust)
    assert source.load().get("s1").verdict == "suspicious"
    _ingest(ws, tmp_path / "more", 2, None)  # s1 now calls for the trusted org
    assert source.stale()
    s1 = source.load().get("s1")
    assert (s1.verdict, s1.label) == ("clear", "benign")


def test_a_scan_without_label_columns_gets_the_labels_applied(tmp_path: Path) -> None:
    old = scanned_workspace(tmp_path / "old", [scored("a1", True, "k1")], (), scores_schema(False))
    _ingest(old, tmp_path / "data", 1, ACCOUNT_ROWS)
    source = DirectorySource(old, NO_TRUST)
    assert source.load().get("a1").verdict == "campaign"
    label_account(old, "a1", "benign")
    directory = source.load()
    assert (directory.get("a1").verdict, directory.get("a1").cluster_flagged) == ("clear", False)


def test_stale_is_cheap_and_ignores_what_the_snapshot_is_not_made_of(
    ws: Workspace, tmp_path: Path
) -> None:
    source = DirectorySource(ws, NO_TRUST)
    first = source.load()
    assert not source.stale()
    _ingest(ws, tmp_path / "more", 2, None)  # new calls; no trusted orgs configured
    assert not source.stale()  # the catalog changed, the snapshot's inputs did not
    _ingest(ws, tmp_path / "accounts", 3, [*ACCOUNT_ROWS, {"account_id": "a5"}])
    assert source.stale()
    second = source.load()
    assert "a5" in second
    assert "a5" not in first


def test_a_workspace_never_scanned_has_facts_and_no_verdicts(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    _ingest(ws, tmp_path / "data", 1, ACCOUNT_ROWS)
    directory = DirectorySource(ws, NO_TRUST).load()
    assert directory.scan_id is None
    a1 = directory.get("a1")
    assert (a1.known, a1.tier, a1.verdict, a1.score) == (True, "scale", None, None)


def test_a_workspace_that_does_not_exist_yet_is_an_empty_directory(tmp_path: Path) -> None:
    source = DirectorySource(tmp_path / "later", NO_TRUST)
    directory = source.load()
    assert len(directory) == 0
    assert directory.get("a1") == AccountFacts("a1")
    assert not source.stale()
    assert not (tmp_path / "later").exists()  # reading never creates a workspace
    _ingest(Workspace(tmp_path / "later"), tmp_path / "data", 1, ACCOUNT_ROWS)
    assert source.stale()
    assert source.load().get("a4").known


@contextmanager
def _writer_holding(catalog: Path) -> Iterator[None]:
    """Another process with the catalog open for writing (as a commit has it)."""
    script = textwrap.dedent(
        """
        import sys, duckdb
        con = duckdb.connect(sys.argv[1])
        print("ready", flush=True)
        sys.stdin.readline()
        """
    )
    with subprocess.Popen(
        [sys.executable, "-c", script, str(catalog)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdin is not None
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        try:
            yield
        finally:
            holder.stdin.close()
            holder.wait(timeout=30)


def _failure(source: DirectorySource) -> str | None:
    return source.error


def test_a_locked_catalog_keeps_the_snapshot_until_it_can_be_read(ws: Workspace) -> None:
    source = DirectorySource(ws, NO_TRUST)
    first = source.load()
    label_account(ws, "a3", "campaign")
    with _writer_holding(ws.catalog_path):
        assert source.stale()  # cannot tell: say so, so that the next refresh tries again
        assert source.load() is first
        assert _failure(source) is not None
        assert source.stale()
    second = source.load()
    assert _failure(source) is None
    assert second.get("a3").verdict == "campaign"


def test_a_file_missing_mid_swap_keeps_the_snapshot(ws: Workspace) -> None:
    source = DirectorySource(ws, NO_TRUST)
    first = source.load()
    label_account(ws, "a1", "benign")
    [scores] = ws.files("account_scores")
    moved = scores.with_suffix(".away")
    scores.rename(moved)  # as between a scan's catalog swap and a reader opening its files
    assert source.stale()
    assert source.load() is first
    moved.rename(scores)
    assert source.load().get("a1").verdict == "clear"


def test_an_empty_snapshot() -> None:
    directory = Directory.empty("scan-x")
    assert (directory.scan_id, len(directory), directory.get("a").verdict) == ("scan-x", 0, None)
