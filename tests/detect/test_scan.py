"""The scan end to end on the smoke workspace: the report, the committed tables, reasons."""

from __future__ import annotations

import shutil
from dataclasses import fields
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from distillguard.cli import app
from distillguard.detect.scan import ScanReport, scan
from distillguard.schema import CLUSTERS, REASON_KINDS, SCORED_ACCOUNTS
from distillguard.workspace import Workspace, WorkspaceError
from tests.detect.conftest import Scanned, settings

SCAN_TABLES = ("account_scores", "clusters", "links", "account_features")
REASON_FIELDS = ("kind", "name", "value", "detail", "examples")
SAMPLE = 20


def count(scanned: Scanned, sql: str, *params: Any) -> int:
    ((value,),) = scanned.rows(sql, *params)
    return int(value)


def reasons(scanned: Scanned, sql: str) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(key, orjson.loads(text)) for key, text in scanned.rows(sql)]


def test_report_matches_the_committed_tables(scanned: Scanned) -> None:
    report = scanned.report
    assert report.interactions == count(scanned, "SELECT count(*) FROM interactions")
    active = count(scanned, "SELECT count(DISTINCT account_id) FROM interactions")
    assert report.accounts == active == count(scanned, "SELECT count(*) FROM account_scores")
    assert report.accounts == count(scanned, "SELECT count(*) FROM account_features")
    assert report.flagged_accounts == count(
        scanned, "SELECT count(*) FROM account_scores WHERE flagged"
    )
    assert report.clusters == count(scanned, "SELECT count(*) FROM clusters")
    assert report.flagged_clusters == count(scanned, "SELECT count(*) FROM clusters WHERE flagged")
    assert report.links == count(scanned, "SELECT count(*) FROM links")
    assert sum(report.verdicts.values()) == report.accounts
    assert report.verdicts.get("campaign", 0) + report.verdicts.get("suspicious", 0) == (
        report.flagged_accounts
    )
    assert 0 < report.flagged_accounts < report.accounts
    assert 0 < report.flagged_clusters <= report.clusters
    assert {"calls", "features", "links", "score", "total"} <= set(report.seconds)
    latest = scanned.workspace.latest_scan()
    assert latest is not None
    assert latest["scan_id"] == report.scan_id
    assert latest["report"] == orjson.loads(orjson.dumps(report.to_dict()))


def test_tables_have_the_result_schemas(scanned: Scanned) -> None:
    scores = scanned.table("SELECT * FROM account_scores")
    assert scores.column_names == SCORED_ACCOUNTS.names
    assert scanned.table("SELECT * FROM clusters").column_names == CLUSTERS.names
    ((low, high),) = scanned.rows("SELECT min(score), max(score) FROM account_scores")
    assert 0.0 <= low <= high <= 1.0
    verdicts = {v for (v,) in scanned.rows("SELECT DISTINCT verdict FROM account_scores")}
    assert verdicts <= {"campaign", "suspicious", "clear"}
    assert (
        count(scanned, "SELECT count(*) FROM account_scores WHERE flagged <> (verdict <> 'clear')")
        == 0
    )


def test_clusters_agree_with_their_members(scanned: Scanned) -> None:
    rows = scanned.rows(
        "SELECT c.cluster_id, c.n_accounts, c.n_interactions, count(a.account_id), "
        "sum(a.n_interactions) FROM clusters AS c LEFT JOIN account_scores AS a "
        "USING (cluster_id) GROUP BY ALL"
    )
    assert rows
    for cluster_id, n_accounts, n_interactions, members, calls in rows:
        assert n_accounts == members >= 2, cluster_id
        assert n_interactions == calls, cluster_id
    orphans = (
        "SELECT count(*) FROM account_scores "
        "WHERE cluster_id NOT IN (SELECT cluster_id FROM clusters)"
    )
    assert count(scanned, orphans) == 0
    campaign_outside = (
        "SELECT count(*) FROM account_scores AS a LEFT JOIN clusters AS c USING (cluster_id) "
        "WHERE a.verdict = 'campaign' AND NOT coalesce(c.flagged, false)"
    )
    assert count(scanned, campaign_outside) == 0


def test_every_reason_is_complete(scanned: Scanned) -> None:
    found = reasons(scanned, "SELECT account_id, reasons FROM account_scores WHERE flagged")
    found += reasons(scanned, "SELECT cluster_id, reasons FROM clusters")
    assert found
    for key, items in found:
        for reason in items:
            assert all(name in reason for name in REASON_FIELDS), (key, reason)
            assert reason["kind"] in REASON_KINDS
            assert isinstance(reason["examples"], list)
            assert reason["detail"]


def test_reasons_are_capped_and_sorted(scanned: Scanned) -> None:
    """The verdict's own reason (membership of a flagged cluster) first, then by evidence."""
    limit = settings().integer("detect.reasons")
    for key, items in reasons(scanned, "SELECT account_id, reasons FROM account_scores"):
        assert len(items) <= limit, key
        assert all(r["kind"] != "cluster" for r in items[1:]), key
        strengths = [r["evidence"] for r in items if r["kind"] != "cluster"]
        assert strengths == sorted(strengths, reverse=True), key


def test_campaign_members_say_which_cluster(scanned: Scanned) -> None:
    rows = reasons(
        scanned,
        "SELECT account_id || ' ' || cluster_id, reasons FROM account_scores "
        "WHERE verdict = 'campaign'",
    )
    assert rows
    for key, items in rows:
        assert items[0]["kind"] == "cluster", key
        assert key.split()[1] in items[0]["detail"], key


def test_accounts_flagged_on_their_own_have_reasons(scanned: Scanned) -> None:
    rows = reasons(
        scanned, "SELECT account_id, reasons FROM account_scores WHERE verdict = 'suspicious'"
    )
    assert all(items for _, items in rows)
    clusters = reasons(scanned, "SELECT cluster_id, reasons FROM clusters WHERE flagged")
    assert all(any(r["kind"] == "link" for r in items) for _, items in clusters)


def test_every_flagged_account_has_a_reason(scanned: Scanned) -> None:
    rows = reasons(scanned, "SELECT account_id, reasons FROM account_scores WHERE flagged")
    assert [key for key, items in rows if not items] == []


def test_examples_are_calls_of_the_workspace(scanned: Scanned) -> None:
    sample = reasons(
        scanned,
        "SELECT account_id, reasons FROM account_scores WHERE flagged AND reasons <> '[]' "
        f"ORDER BY hash(account_id) LIMIT {SAMPLE}",
    )
    sample += reasons(scanned, "SELECT cluster_id, reasons FROM clusters WHERE flagged")
    wanted: set[str] = set()
    for key, items in sample:
        for reason in items:
            if reason["kind"] == "signal":  # a content signal always has its example call
                assert reason["examples"], (key, reason["name"])
            wanted.update(reason["examples"])
        if not key.startswith("acct"):
            assert any(r["examples"] for r in items), key
    links = scanned.rows(
        "SELECT example_request_id FROM links WHERE example_request_id IS NOT NULL "
        f"ORDER BY hash(account_id, kind, entity) LIMIT {SAMPLE}"
    )
    wanted.update(r[0] for r in links)
    assert len(wanted) >= SAMPLE
    existing = scanned.rows(
        "SELECT count(DISTINCT request_id) FROM interactions WHERE list_contains(?, request_id)",
        sorted(wanted),
    )
    assert existing[0][0] == len(wanted)


def test_scanning_a_folder_that_is_not_a_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a distillguard workspace"):
        scan(Workspace(tmp_path / "nothing"), settings())


def test_scanning_with_an_unknown_engine(scanned: Scanned) -> None:
    with pytest.raises(WorkspaceError, match="unknown engine"):
        scan(scanned.workspace, settings(), engine="sqlite")


def test_cli_rescan_replaces_the_previous_results(
    scanned: Scanned, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISTILLGUARD_CONFIG", raising=False)
    root = tmp_path / "ws"
    shutil.copytree(scanned.workspace.root, root)
    before = {name: Workspace(root).files(name) for name in SCAN_TABLES}
    result = CliRunner().invoke(app, ["scan", "--workspace", str(root), "--json"])
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.output.strip().splitlines()[-1])
    assert set(report) == {f.name for f in fields(ScanReport)}
    assert report["scan_id"] != scanned.report.scan_id
    # clusters and verdicts are left out: Leiden's cut depends on the order of the links
    # (see test_clusters.test_partition_does_not_depend_on_the_order_of_the_links)
    for key in ("interactions", "accounts", "links", "candidates"):
        assert report[key] == getattr(scanned.report, key), key
    ws = Workspace(root)
    for name in SCAN_TABLES:
        files = ws.files(name)
        assert [p.parent.name for p in files] == [report["scan_id"]], name
        assert files[0].is_file()
        assert not before[name][0].exists()  # the previous scan's file is gone
    with ws.connect() as con:
        assert con.execute("SELECT count(*) FROM account_scores").fetchall() == [
            (scanned.report.accounts,)
        ]
        assert con.execute("SELECT count(*) FROM scans").fetchall() == [(2,)]
    latest = ws.latest_scan()
    assert latest is not None
    assert latest["scan_id"] == report["scan_id"]
