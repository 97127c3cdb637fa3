"""Opening a case freezes the cluster's evidence and records it in the ledger."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from distillguard.cases import store
from distillguard.cases.case import CaseError
from distillguard.cases.frozen import FrozenCase
from distillguard.evidence.ledger import Ledger
from distillguard.workspace import Workspace
from tests.conftest import Opened, Scanned


def test_a_case_holds_the_campaign_members_and_all_their_calls(opened: Opened) -> None:
    case = FrozenCase.load(opened.workspace.root, opened.case_id)
    assert case.meta.cluster_id == opened.cluster_id
    with opened.workspace.connect() as con:
        members = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE verdict = 'campaign') FROM account_scores "
            "WHERE cluster_id = ?",
            [opened.cluster_id],
        ).fetchone()
        calls = con.execute(
            "SELECT count(*), sum(output_tokens) FROM interactions WHERE account_id IN "
            "(SELECT account_id FROM account_scores WHERE cluster_id = ? "
            "AND verdict = 'campaign')",
            [opened.cluster_id],
        ).fetchone()
    assert members is not None
    assert calls is not None
    assert (case.meta.members, case.meta.accounts) == members
    assert case.meta.calls == calls[0]
    [frozen] = case.rows("SELECT count(*) AS n, sum(output_tokens) AS out FROM calls")
    assert (frozen["n"], frozen["out"]) == calls
    assert case.cluster()["cluster_id"] == opened.cluster_id


def test_opening_is_recorded_in_the_ledger_after_the_scan_it_cites(opened: Opened) -> None:
    entries = Ledger(opened.workspace.root).entries()
    [event] = [e for e in entries if e.ref == f"case:{opened.case_id}:opened"]
    scan = [e for e in entries if e.kind == "scan" and e.seq < event.seq]
    assert scan, "the scan is recorded before the case"
    meta = store.read(opened.workspace.root, opened.case_id)
    recorded = {f["path"]: f["sha256"] for f in event.payload["files"]}
    assert recorded == {f.path: f.sha256 for f in meta.files}


def test_a_changed_frozen_file_is_found(opened: Opened, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(opened.workspace.root, root)
    path = store.folder(root, opened.case_id) / "calls.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    problems = store.check_frozen(root, store.read(root, opened.case_id))
    assert problems == ["calls.parquet: not the file recorded when it was frozen"]
    with pytest.raises(CaseError, match="changed since it was frozen"):
        FrozenCase.load(root, opened.case_id)


def test_unknown_cluster_and_case_are_clear_errors(scanned: Scanned, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(scanned.workspace.root, root)
    with pytest.raises(CaseError, match="not in the latest scan"):
        store.open_case(Workspace(root), "no-such-cluster", None, "a")
    with pytest.raises(CaseError, match="no case 'case-x'"):
        store.read(root, "case-x")
    with pytest.raises(CaseError, match="no case"):
        store.read(root, "../evidence")
    assert not list((root / "cases").glob(".staging-*"))


def test_an_unflagged_cluster_opens_with_all_its_members(scanned: Scanned, tmp_path: Path) -> None:
    rows = scanned.rows(
        "SELECT cluster_id, n_accounts FROM clusters WHERE NOT flagged "
        "AND cluster_id NOT IN (SELECT cluster_id FROM account_scores "
        "WHERE verdict = 'campaign' AND cluster_id IS NOT NULL) LIMIT 1"
    )
    if not rows:
        pytest.skip("the smoke scan has no cluster without a campaign verdict")
    root = tmp_path / "ws"
    shutil.copytree(scanned.workspace.root, root)
    meta = store.open_case(Workspace(root), rows[0][0], None, "a")
    assert meta.scope == "all members"
    assert meta.accounts == meta.members == rows[0][1]


def test_a_watermark_report_is_attached_and_recorded(opened: Opened, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(opened.workspace.root, root)
    report = tmp_path / "probe.json"
    report.write_text(
        '{"p_value": 1e-9, "detected": true, "alpha": 1e-6, '
        '"tested": {"endpoint": "http://suspect/v1"}}\n'
    )
    attachment = store.attach(root, opened.case_id, report, "watermark", "suspect", "a")
    case = FrozenCase.load(root, opened.case_id)
    [(found, content)] = case.attachments("watermark")
    assert found == attachment
    assert content["detected"] is True
    assert any(e.ref and e.ref.endswith(attachment.sha256) for e in Ledger(root).entries())
    not_a_report = tmp_path / "other.json"
    not_a_report.write_text('{"hello": 1}\n')
    with pytest.raises(CaseError, match="not a watermark report"):
        store.attach(root, opened.case_id, not_a_report, "watermark", None, "a")
