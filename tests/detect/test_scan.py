"""The scan end to end on the smoke workspace: the report, the committed tables, reasons."""

from __future__ import annotations

import shutil
from dataclasses import fields
from pathlib import Path
from typing import Any

import orjson
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from distillguard.cli import app
from distillguard.detect.core import Reason
from distillguard.detect.scan import ScanReport, scan
from distillguard.schema.results import CLUSTERS, LINKS, REASON_KINDS, REASONS, SCORED_ACCOUNTS
from distillguard.workspace import Workspace, WorkspaceError
from tests.conftest import Scanned
from tests.detect.conftest import settings

SCAN_TABLES = ("account_scores", "clusters", "links", "account_features")
REASON_FIELDS = {f.name for f in fields(Reason)}
SAMPLE = 20


def count(scanned: Scanned, sql: str, *params: Any) -> int:
    ((value,),) = scanned.rows(sql, *params)
    return int(value)


def reasons(scanned: Scanned, sql: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """``(key, reasons)`` rows; the reasons as the engine hands the stored structs back."""
    found = scanned.rows(sql)
    assert all(isinstance(items, list) for _, items in found)
    return [(key, items) for key, items in found]


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
    for name, schema in (("account_scores", SCORED_ACCOUNTS), ("clusters", CLUSTERS)):
        (path,) = scanned.workspace.files(name)
        assert pq.read_schema(path).field("reasons").type == REASONS, name
        assert pq.read_schema(path).names == schema.names, name
    (path,) = scanned.workspace.files("links")
    assert pq.read_schema(path).names == LINKS.names
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
    found = reasons(scanned, "SELECT account_id, reasons FROM account_scores")
    found += reasons(scanned, "SELECT cluster_id, reasons FROM clusters")
    assert found
    kinds: set[str] = set()
    for key, items in found:
        for reason in items:
            assert set(reason) == REASON_FIELDS, (key, reason)
            assert Reason.from_dict(reason).to_dict() == reason
            assert reason["kind"] in REASON_KINDS
            kinds.add(reason["kind"])
            assert isinstance(reason["examples"], list)
            assert reason["detail"]
            if reason["evidence"] is not None:
                assert 0.0 <= reason["evidence"] <= 1.0, (key, reason)
            if reason["kind"] in ("tie", "link"):
                assert 0.0 <= reason["specificity"] <= 1.0, (key, reason)
            else:
                assert reason["specificity"] is None, (key, reason)
    # no labels in this workspace: every other kind occurs on smoke
    assert kinds == set(REASON_KINDS) - {"label"}


def test_reasons_are_capped_and_sorted(scanned: Scanned) -> None:
    """The decision's reasons (label, membership of a flagged cluster) first, then the ties
    to its cluster, strongest first, then the account's own evidence, strongest first."""
    limit = settings().integer("detect.reasons")
    order = {"label": 0, "cluster": 1, "tie": 2}
    for key, items in reasons(scanned, "SELECT account_id, reasons FROM account_scores"):
        assert len(items) <= limit, key
        ranks = [order.get(r["kind"], 3) for r in items]
        assert ranks == sorted(ranks), key
        assert sum(r["kind"] == "cluster" for r in items) <= 1, key
        for rank in (2, 3):
            strengths = [r["evidence"] for r, k in zip(items, ranks, strict=True) if k == rank]
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
        "SELECT account_id, reasons FROM account_scores WHERE flagged AND len(reasons) > 0 "
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


def test_evidence_columns_are_in_range(scanned: Scanned) -> None:
    bad = (
        "SELECT count(*) FROM account_scores WHERE tie < 0 OR tie > 1 OR operator_ties < 0 "
        "OR unverified NOT IN (0, 1) OR (cluster_id IS NULL AND (tie > 0 OR operator_ties > 0))"
    )
    assert count(scanned, bad) == 0
    # no analyst labels, no trusted accounts: the verdict is the model's
    assert count(scanned, "SELECT count(*) FROM account_scores WHERE label IS NOT NULL") == 0
    assert count(scanned, "SELECT count(*) FROM account_scores WHERE model_verdict <> verdict") == 0
    assert count(scanned, "SELECT count(*) FROM account_scores WHERE reference") > 0
    reference_flagged = "SELECT count(*) FROM account_scores WHERE reference AND verdict <> 'clear'"
    assert count(scanned, reference_flagged) <= count(
        scanned, "SELECT count(*) FROM account_scores WHERE reference AND cluster_id IS NOT NULL"
    )
    ((low, high),) = scanned.rows("SELECT min(specificity), max(specificity) FROM links")
    assert 0.0 < low <= high <= 1.0


def test_clusters_count_their_core_and_left_out_members(scanned: Scanned) -> None:
    rows = scanned.rows(
        "SELECT c.cluster_id, c.flagged, c.n_accounts, c.n_core, c.n_left_out, c.n_flagged, "
        "count(*) FILTER (WHERE a.verdict = 'campaign'), "
        "count(*) FILTER (WHERE list_contains([r.name for r in a.reasons], "
        "'left_out_of_flagged_cluster')), "
        "count(*) FILTER (WHERE list_contains([r.name for r in a.reasons], "
        "'member_of_flagged_cluster')), "
        "c.score, c.behaviour, c.operator, c.together, c.content_share, c.coordination, "
        "c.operator_coordination "
        "FROM clusters c JOIN account_scores a USING (cluster_id) GROUP BY ALL"
    )
    assert rows
    for cluster_id, flagged, size, core, left, n_flagged, campaign, out, member, *sides in rows:
        assert core + left == size, cluster_id
        assert n_flagged == campaign, cluster_id
        assert all(0.0 <= value <= 1.0 for value in sides), cluster_id
        score, behaviour, operator, together = sides[:4]
        assert score == pytest.approx(
            1 - (1 - behaviour) * (1 - operator) * (1 - together), abs=1e-5
        )
        if flagged:
            assert (member, out) == (core, left), cluster_id
            assert core >= 2
        else:
            assert (member, out) == (0, 0), cluster_id
    core_reasons = reasons(scanned, "SELECT cluster_id, reasons FROM clusters")
    assert all(items[0]["name"] == "core" for _, items in core_reasons)


def test_members_left_out_of_a_flagged_cluster_lack_own_evidence(scanned: Scanned) -> None:
    policy = settings()
    rows = scanned.rows(
        "SELECT a.account_id, a.score, a.tie, a.operator_ties, a.verdict FROM account_scores a "
        "JOIN clusters c USING (cluster_id) WHERE c.flagged AND list_contains("
        "[r.name for r in a.reasons], 'left_out_of_flagged_cluster')"
    )
    for account_id, score, tie, operator_ties, verdict in rows:
        behaviour = score >= policy.number("detect.member_floor") and tie >= policy.number(
            "detect.member_tie"
        )
        assert not behaviour, account_id
        assert operator_ties < 2, account_id
        assert verdict in ("clear", "suspicious"), account_id


def test_ties_are_specific_and_never_carry_a_reference_account(scanned: Scanned) -> None:
    specific = settings().number("detect.specific")
    ties = scanned.rows(
        "SELECT account_id, r.specificity FROM (SELECT account_id, unnest(reasons) AS r "
        "FROM account_scores) WHERE r.kind = 'tie'"
    )
    assert ties
    assert all(spec >= specific for _, spec in ties)
    # its own witness: nothing a clean account shares is specific (no campaign labels here)
    carried = (
        "SELECT count(*) FROM account_scores WHERE reference AND (tie > 0 OR operator_ties > 0)"
    )
    assert count(scanned, carried) == 0


def test_fresh_follows_the_sign_up_age(scanned: Scanned) -> None:
    days = settings().number("detect.fresh_days")
    mismatched = (
        "SELECT count(*) FROM account_scores a JOIN account_features f USING (account_id) "
        "WHERE a.fresh <> (coalesce(f.age_days, 0) < ?)"
    )
    assert count(scanned, mismatched, days) == 0
    assert count(scanned, "SELECT count(*) FROM account_scores WHERE fresh") > 0
    # a fresh account is never established, so never in the clean reference population
    assert count(scanned, "SELECT count(*) FROM account_scores WHERE fresh AND reference") == 0


def test_operator_ties_come_from_a_card_or_a_fresh_account(scanned: Scanned) -> None:
    """Only a shared specific card, or a fresh account on a specific address, counts."""
    config = settings()
    rows = scanned.rows(
        "SELECT a.account_id, a.operator_ties, f.age_days, EXISTS ("
        "  SELECT 1 FROM links l JOIN links o USING (kind, entity) "
        "  JOIN account_scores b ON b.account_id = o.account_id "
        "  WHERE l.account_id = a.account_id AND o.account_id <> a.account_id "
        "  AND b.cluster_id = a.cluster_id AND l.kind = 'payment' AND l.specificity >= ?"
        ") AS carded "
        "FROM account_scores a JOIN account_features f USING (account_id) "
        "WHERE a.operator_ties > 0",
        config.number("detect.specific"),
    )
    assert rows
    fresh_days = config.number("detect.fresh_days")
    for account_id, operator_ties, age_days, carded in rows:
        fresh = (age_days or 0.0) < fresh_days
        assert carded or fresh, account_id
        if not fresh:
            assert operator_ties % 2 == 0, account_id  # cards only: 2 each


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
