"""The controls log, scans, verdicts and labels come into the ledger once each."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson

from distillguard.detect.labels import label_account
from distillguard.evidence import feeds
from distillguard.evidence.canonical import sha256_hex
from distillguard.evidence.ledger import Ledger
from distillguard.evidence.verify import verify
from distillguard.gateway.controls import ControlsLog
from distillguard.ingest.pipeline import ingest
from distillguard.settings import Settings
from distillguard.workspace import Workspace
from tests import factories as f
from tests.conftest import Scanned


def test_controls_are_imported_once_by_their_hash(tmp_path: Path) -> None:
    log = ControlsLog(tmp_path)
    log.record("start", "policy", old=None, new={"rules": 3}, who="ops")
    assert feeds.record_controls(tmp_path).added == {"controls": 1}
    log.record("change", "limits", old=10, new=5, who="ops")
    assert feeds.record_controls(tmp_path).added == {"controls": 1}
    assert feeds.sync(tmp_path).added == {}
    entries = Ledger(tmp_path).entries()
    lines = log.path.read_bytes().splitlines()
    assert [e.payload["line_sha256"] for e in entries] == [sha256_hex(x) for x in lines]
    assert [e.payload["entry"]["what"] for e in entries] == ["policy", "limits"]
    assert {e.actor for e in entries} == {"ops"}
    assert verify(tmp_path).ok


def test_a_broken_controls_log_is_reported_and_its_readable_lines_kept(tmp_path: Path) -> None:
    log = ControlsLog(tmp_path)
    log.record("start", "policy", old=None, new=1)
    with log.path.open("ab") as handle:
        handle.write(b"{torn\n")
    report = feeds.sync(tmp_path)
    assert report.added == {"controls": 1}
    assert any("controls log line 2" in note for note in report.notes)


def test_scans_verdicts_and_labels_are_imported(scanned: Scanned, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(scanned.workspace.root, root)
    first = feeds.sync(root)
    assert first.added.get("scan") == 1
    assert first.added.get("verdict") == scanned.report.flagged_clusters
    scan = next(e for e in Ledger(root).entries() if e.kind == "scan")
    assert scan.payload["scan_id"] == scanned.report.scan_id
    assert set(scan.payload["files"]) >= {"account_scores", "clusters"}
    path = root / scan.payload["files"]["clusters"]["path"]
    assert scan.payload["files"]["clusters"]["sha256"] == sha256_hex(path.read_bytes())
    with Workspace(root).connect() as con:
        row = con.execute("SELECT account_id FROM account_scores LIMIT 1").fetchone()
    assert row is not None
    label_account(Workspace(root), row[0], "benign", note="known customer", analyst="ana")
    second = feeds.sync(root)
    assert second.added == {"label": 1}
    label = Ledger(root).entries()[-1]
    assert label.actor == "ana"
    assert label.payload["decisions"][0]["account_id"] == row[0]
    assert label.payload["decisions"][0]["note"] == "known customer"
    assert feeds.sync(root).added == {}
    verdicts = [e for e in Ledger(root).entries() if e.kind == "verdict"]
    for verdict in verdicts:
        assert verdict.payload["accounts"]
        assert verdict.payload["scan_id"] == scanned.report.scan_id
    assert verify(root).ok


def _gateway_log(path: Path) -> None:
    records = []
    for i, (account, action, rules) in enumerate(
        [
            ("acct_a", "allow", []),
            ("acct_a", "throttle", ["shared-infrastructure"]),
            ("acct_a", "throttle", ["shared-infrastructure", "elicitation"]),
            ("acct_b", "block", ["analyst-confirmed-campaign"]),
            ("acct_c", None, None),
        ]
    ):
        rec = f.chat_record(request_id=f"req_{i}", account_id=account)
        rec["ts"] = f"2026-05-01T12:00:0{i}Z"
        if action is not None:
            rec["decision"] = {"action": action, "rules": rules}
        records.append(rec)
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))


def test_the_gateways_decisions_come_in_once_per_ingest_account_and_action(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    _gateway_log(tmp_path / "gateway.jsonl")
    ingest(Workspace(root), [tmp_path / "gateway.jsonl"], Settings.load(environ={}))
    assert feeds.sync(root).added.get("decision") == 2
    assert feeds.sync(root).added == {}
    decisions = {e.payload["account_id"]: e for e in Ledger(root).entries() if e.kind == "decision"}
    throttled = decisions["acct_a"].payload
    assert (throttled["action"], throttled["calls"]) == ("throttle", 2)
    assert throttled["rules"] == {"elicitation": 1, "shared-infrastructure": 2}
    assert throttled["request_ids"] == ["req_1", "req_2"]
    assert (throttled["first"], throttled["last"]) == (
        "2026-05-01T12:00:01.000000Z",
        "2026-05-01T12:00:02.000000Z",
    )
    assert decisions["acct_b"].payload["action"] == "block"
    assert decisions["acct_b"].actor == "gateway"
    assert verify(root).ok
