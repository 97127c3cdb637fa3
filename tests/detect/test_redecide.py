"""``distillguard decide``: the latest scan's evidence re-decided with today's policy and labels."""

from __future__ import annotations

import shutil
from dataclasses import fields
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from distillguard.cli import app
from distillguard.detect.core import reasons_of
from distillguard.detect.redecide import DecideReport, redecide
from distillguard.detect.scan import scan
from distillguard.settings import Settings
from distillguard.workspace import Workspace, WorkspaceError
from tests.conftest import Scanned

runner = CliRunner()
RESULT_TABLES = ("account_scores", "clusters", "links", "account_features")


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISTILLGUARD_WORKSPACE", raising=False)
    monkeypatch.delenv("DISTILLGUARD_CONFIG", raising=False)
    monkeypatch.setenv("USER", "analyst-under-test")


@pytest.fixture
def ws(scanned: Scanned, tmp_path: Path) -> Workspace:
    """A copy of the scanned smoke workspace, free to re-decide and label."""
    root = tmp_path / "ws"
    shutil.copytree(scanned.workspace.root, root)
    return Workspace(root)


def table(ws: Workspace, sql: str) -> pa.Table:
    with ws.connect() as con:
        return con.sql(sql).to_arrow_table()


def rows(ws: Workspace, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with ws.connect() as con:
        return con.execute(sql, list(params)).fetchall()


def verdicts(ws: Workspace) -> dict[str, str]:
    return dict(rows(ws, "SELECT account_id, verdict FROM account_scores"))


def invoke(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    if "--json" not in args:
        return {}
    value = orjson.loads(result.output.strip().splitlines()[-1])
    assert isinstance(value, dict)
    return value


def decide(ws: Workspace) -> dict[str, Any]:
    return invoke("decide", "-w", str(ws.root), "--json")


def label(ws: Workspace, account: str, value: str, note: str | None = None) -> None:
    extra = ["--note", note] if note else []
    invoke("label", "account", account, "--as", value, "-w", str(ws.root), *extra)


def campaign_account(ws: Workspace) -> str:
    """A well-evidenced member of the largest flagged cluster."""
    ((account,),) = rows(
        ws,
        "SELECT a.account_id FROM account_scores a JOIN clusters c USING (cluster_id) "
        "WHERE a.verdict = 'campaign' AND a.content ORDER BY c.n_accounts DESC, a.score DESC, "
        "a.tie DESC, a.account_id LIMIT 1",
    )
    return str(account)


def row(ws: Workspace, account: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = table(
        ws, f"SELECT * FROM account_scores WHERE account_id = '{account}'"
    ).to_pylist()
    assert len(found) == 1
    return found[0]


def test_unchanged_settings_change_no_verdict(ws: Workspace, scanned: Scanned) -> None:
    before = {name: table(ws, f"SELECT * FROM {name}") for name in RESULT_TABLES}
    report = decide(ws)
    assert set(report) == {f.name for f in fields(DecideReport)}
    assert report["decided_from"] == scanned.report.scan_id
    assert report["scan_id"] != scanned.report.scan_id
    assert report["changed"] == {}
    assert report["labelled"] == 0
    assert report["accounts"] == scanned.report.accounts
    assert report["flagged_accounts"] == scanned.report.flagged_accounts
    assert report["flagged_clusters"] == scanned.report.flagged_clusters
    assert report["verdicts"] == scanned.report.verdicts
    latest = ws.latest_scan()
    assert latest is not None
    assert latest["scan_id"] == report["scan_id"]
    assert latest["report"]["decided_from"] == scanned.report.scan_id
    assert rows(ws, "SELECT count(*) FROM scans") == [(2,)]
    for name in RESULT_TABLES:  # the same evidence, decided the same way
        after = table(ws, f"SELECT * FROM {name}")
        key = "cluster_id" if name == "clusters" else "account_id"
        if name == "links":
            key = "account_id, kind, entity"
        order = [(k.strip(), "ascending") for k in key.split(",")]
        assert after.sort_by(order).equals(before[name].sort_by(order)), name
        assert [p.parent.name for p in ws.files(name)] == [report["scan_id"]], name


def test_the_human_output_says_nothing_changed(ws: Workspace) -> None:
    result = runner.invoke(app, ["decide", "-w", str(ws.root), "--top", "2"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "verdicts changed" in text
    assert "none" in text


def test_a_higher_member_tie_changes_some_verdicts(ws: Workspace) -> None:
    before = verdicts(ws)
    strict = Settings.load(environ={}, overrides={"detect.member_tie": 0.95})
    report = redecide(ws, strict)
    after = verdicts(ws)
    changed = {a for a in before if before[a] != after[a]}
    assert changed
    assert sum(report.changed.values()) == len(changed)
    assert all(key.startswith("campaign->") for key in report.changed)  # stricter: only fewer
    weak = rows(
        ws,
        "SELECT count(*) FROM account_scores WHERE verdict = 'campaign' AND tie < 0.95 "
        "AND operator_ties < 2",
    )
    assert weak == [(0,)]
    left_out = rows(
        ws,
        "SELECT count(*) FROM account_scores WHERE list_contains(?, account_id) AND NOT "
        "list_contains([r.name for r in reasons], 'left_out_of_flagged_cluster') AND "
        "cluster_id IN (SELECT cluster_id FROM clusters WHERE flagged)",
        sorted(changed),
    )
    assert left_out == [(0,)]
    # the evidence is untouched: the default policy gives the first verdicts back
    again = redecide(ws, Settings.load(environ={}))
    assert verdicts(ws) == before
    assert sum(again.changed.values()) == len(changed)


def test_a_benign_label_clears_an_account_at_once(ws: Workspace) -> None:
    account = campaign_account(ws)
    label(ws, account, "benign", "our own red team")
    report = decide(ws)
    assert report["changed"] == {"campaign->clear": 1}
    assert report["labelled"] == 1
    found = row(ws, account)
    assert (found["verdict"], found["model_verdict"], found["label"]) == (
        "clear",
        "campaign",
        "benign",
    )
    assert found["flagged"] is False
    first, second, *_ = reasons_of(found["reasons"])
    assert first.kind == "label"
    assert first.name == "labelled_benign"
    assert "our own red team" in first.detail
    assert second.name == "member_of_flagged_cluster"  # why the model said campaign
    # withdrawn: the model's verdict again, and no label reason left behind
    label(ws, account, "none")
    report = decide(ws)
    assert report["changed"] == {"clear->campaign": 1}
    found = row(ws, account)
    assert (found["verdict"], found["label"]) == ("campaign", None)
    assert [r.kind for r in reasons_of(found["reasons"])].count("label") == 0


def test_a_campaign_label_flags_an_ordinary_account(ws: Workspace) -> None:
    ((account,),) = rows(
        ws,
        "SELECT account_id FROM account_scores WHERE verdict = 'clear' AND cluster_id IS NULL "
        "ORDER BY account_id LIMIT 1",
    )
    label(ws, account, "campaign")
    assert decide(ws)["changed"] == {"clear->campaign": 1}
    found = row(ws, account)
    assert (found["verdict"], found["model_verdict"], found["flagged"]) == (
        "campaign",
        "clear",
        True,
    )
    assert reasons_of(found["reasons"])[0].name == "labelled_campaign"


def test_labels_round_trip_through_a_full_scan(ws: Workspace) -> None:
    account = campaign_account(ws)
    ((ordinary,),) = rows(
        ws,
        "SELECT account_id FROM account_scores WHERE verdict = 'clear' AND cluster_id IS NULL "
        "ORDER BY account_id LIMIT 1",
    )
    label(ws, account, "benign", "an internal evaluation")
    label(ws, ordinary, "campaign")
    before = row(ws, account)
    report = scan(ws, Settings.load(environ={}))
    assert report.verdicts.get("campaign", 0) >= 2
    found = row(ws, account)
    assert (found["verdict"], found["label"], found["flagged"]) == ("clear", "benign", False)
    # a benign label puts it in the clean reference population: its own witness, so nothing
    # it shares is specific and its links never carry it; its own score still speaks
    assert found["reference"] is True
    assert (found["tie"], found["operator_ties"]) == (0.0, 0.0)
    assert before["score"] >= Settings.load(environ={}).number("detect.account_threshold")
    assert found["model_verdict"] == "suspicious"
    first = reasons_of(found["reasons"])[0]
    assert (first.kind, first.name) == ("label", "labelled_benign")
    assert "an internal evaluation" in first.detail
    assert "without the label the verdict would be suspicious" in first.detail
    other = row(ws, ordinary)
    assert (other["verdict"], other["model_verdict"], other["label"]) == (
        "campaign",
        "clear",
        "campaign",
    )
    assert other["reference"] is False
    # and deciding again changes nothing
    assert decide(ws)["changed"] == {}


def test_decide_before_any_scan_and_outside_a_workspace(tmp_path: Path) -> None:
    empty = Workspace(tmp_path / "empty")
    with empty.writer():
        pass
    with pytest.raises(WorkspaceError, match="has not been scanned"):
        redecide(empty, Settings.load(environ={}))
    result = runner.invoke(app, ["decide", "-w", str(empty.root)])
    assert result.exit_code == 2
    assert "has not been scanned" in result.output
    nowhere = runner.invoke(app, ["decide", "-w", str(tmp_path / "none")])
    assert nowhere.exit_code == 2
    assert "not a distillguard workspace" in nowhere.output


def test_a_scan_without_the_synchrony_evidence_is_refused_not_misread(ws: Workspace) -> None:
    """A scan written before an evidence column existed cannot be re-decided: it says so."""
    for path in ws.files("account_scores"):
        stored = pq.read_table(path)
        pq.write_table(stored.drop_columns(["sync_observed", "sync_expected"]), path)
    with pytest.raises(WorkspaceError, match=r"no sync_observed, sync_expected .* scan"):
        redecide(ws, Settings.load(environ={}))
