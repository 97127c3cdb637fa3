"""Explanations of the latest scan's verdicts, in Python and through `distillguard show`."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from distillguard.cli import app
from distillguard.detect.core import Reason
from distillguard.detect.explain import (
    TOP_LINKS,
    TOP_MEMBERS,
    NotFoundError,
    explain_account,
    explain_cluster,
    sentence,
)
from distillguard.workspace import Workspace, WorkspaceError
from tests.conftest import Scanned

runner = CliRunner()


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISTILLGUARD_WORKSPACE", raising=False)
    monkeypatch.delenv("DISTILLGUARD_CONFIG", raising=False)


def top_cluster(scanned: Scanned) -> str:
    ((cluster_id,),) = scanned.rows(
        "SELECT cluster_id FROM clusters ORDER BY flagged DESC, score DESC, n_accounts DESC LIMIT 1"
    )
    return str(cluster_id)


def top_account(scanned: Scanned) -> str:
    ((account_id,),) = scanned.rows(
        "SELECT account_id FROM account_scores WHERE cluster_id IS NOT NULL "
        "ORDER BY score DESC, account_id LIMIT 1"
    )
    return str(account_id)


def test_explain_account(scanned: Scanned) -> None:
    account = top_account(scanned)
    found = explain_account(scanned.workspace, account)
    assert found.kind == "account"
    assert found.row["account_id"] == account
    assert found.row["flagged"] is True
    ((stored,),) = scanned.rows("SELECT reasons FROM account_scores WHERE account_id = ?", account)
    assert found.reasons == stored
    assert found.reasons
    assert [Reason.from_dict(r).to_dict() for r in found.reasons] == found.reasons
    assert 0 < len(found.links) <= TOP_LINKS
    assert found.related == found.links
    # the most specific links first (what says "one operator"), then the most shared
    order = [(link["specificity"], link["n_accounts"]) for link in found.links]
    assert order == sorted(order, reverse=True)
    assert all(0.0 <= link["specificity"] <= 1.0 for link in found.links)
    kinds = {link["kind"] for link in found.links}
    ((in_table,),) = scanned.rows(
        "SELECT count(DISTINCT kind) FROM links WHERE account_id = ? AND list_contains(?, kind)",
        account,
        sorted(kinds),
    )
    assert in_table == len(kinds)


def test_explain_cluster(scanned: Scanned) -> None:
    cluster = top_cluster(scanned)
    found = explain_cluster(scanned.workspace, cluster)
    assert found.kind == "cluster"
    assert found.row["cluster_id"] == cluster
    assert found.row["flagged"] is True
    assert any(r["kind"] == "link" for r in found.reasons)
    assert 0 < len(found.related) <= TOP_MEMBERS
    scores = [m["score"] for m in found.related]
    assert scores == sorted(scores, reverse=True)
    members = {m["account_id"] for m in found.related}
    ((inside,),) = scanned.rows(
        "SELECT count(*) FROM account_scores WHERE cluster_id = ? AND list_contains(?, account_id)",
        cluster,
        sorted(members),
    )
    assert inside == len(members)
    assert 0 < len(found.links) <= TOP_LINKS
    shares = [link["members"] for link in found.links]
    assert shares == sorted(shares, reverse=True)
    assert all(0.0 <= link["specificity"] <= 1.0 for link in found.links)
    for name in ("n_core", "n_flagged", "n_left_out", "coordination", "behaviour", "operator"):
        assert name in found.row
    assert found.reasons[0]["name"] == "core"


def test_sentence_names_the_value_its_baseline_and_examples() -> None:
    line = sentence(
        {
            "kind": "signal",
            "name": "elicitation_share",
            "value": 0.8125,
            "baseline": 0.0,
            "peer": "build/none//v1/chat/completions",
            "detail": "Share of calls carrying an elicitation signal.",
            "examples": ["req_1", "req_2"],
        }
    )
    assert line.startswith("elicitation_share = 0.8125")
    assert "(peers build/none//v1/chat/completions: 0)" in line
    assert "Share of calls carrying an elicitation signal." in line
    assert line.endswith("e.g. req_1, req_2")
    bare = sentence({"name": "member_scores", "value": None, "baseline": None, "examples": []})
    assert bare == "member_scores = -: "


def test_sentence_of_a_tie_names_its_specificity() -> None:
    tie = Reason(
        "tie",
        "ip",
        "shares ip 198.51.100.7 with 2 other member(s) of its cluster",
        value=0.3,
        evidence=0.3,
        specificity=0.5,
        examples=("req_1",),
    )
    line = sentence(tie.to_dict())
    assert line == (
        "ip = 0.3 [specificity 0.5]: shares ip 198.51.100.7 with 2 other member(s) of its "
        "cluster e.g. req_1"
    )


def test_unknown_ids(scanned: Scanned) -> None:
    with pytest.raises(NotFoundError, match="not in the latest scan"):
        explain_account(scanned.workspace, "acct_nobody")
    with pytest.raises(NotFoundError, match="not in the latest scan"):
        explain_cluster(scanned.workspace, "c99999")


def test_before_any_scan_and_outside_a_workspace(tmp_path: Path) -> None:
    empty = Workspace(tmp_path / "empty")
    with empty.writer():
        pass
    with pytest.raises(NotFoundError, match="has not been scanned"):
        explain_account(empty, "acct_1")
    with pytest.raises(WorkspaceError, match="not a distillguard workspace"):
        explain_cluster(Workspace(tmp_path / "nowhere"), "c00001")


def test_show_cluster_prints_its_reasons(scanned: Scanned) -> None:
    cluster = top_cluster(scanned)
    result = runner.invoke(
        app, ["show", "cluster", cluster, "--workspace", str(scanned.workspace.root)]
    )
    assert result.exit_code == 0, result.output
    assert f"cluster {cluster}" in result.output
    assert "FLAGGED" in result.output
    row = explain_cluster(scanned.workspace, cluster).row
    text = " ".join(result.output.split())
    assert f"{row['n_core']:,} with own evidence, {row['n_flagged']:,} flagged" in text
    assert "specificity" in result.output
    for reason in explain_cluster(scanned.workspace, cluster).reasons:
        assert f"[{reason['kind']}] {reason['name']} = " in result.output


def test_show_account_json(scanned: Scanned) -> None:
    account = top_account(scanned)
    result = runner.invoke(
        app, ["show", "account", account, "-w", str(scanned.workspace.root), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = orjson.loads(result.output.strip().splitlines()[-1])
    assert set(data) == {"row", "reasons", "related", "links"}
    assert data["row"]["account_id"] == account
    assert data["reasons"] == explain_account(scanned.workspace, account).reasons
    assert all(set(r) == {f.name for f in fields(Reason)} for r in data["reasons"])
    assert all("specificity" in link for link in data["links"])


@pytest.mark.parametrize(("what", "ident"), [("cluster", "c99999"), ("account", "acct_nobody")])
def test_show_unknown_id_exits_2(scanned: Scanned, what: str, ident: str) -> None:
    result = runner.invoke(app, ["show", what, ident, "-w", str(scanned.workspace.root)])
    assert result.exit_code == 2
    assert "not in the latest scan" in result.output
