"""Analysts' labels: storage, cluster expansion, file import, withdrawal, trust, precedence.

The workspace holds four accounts (a1-a3 in the accounts file; t1 only in the interactions,
calling for the trusted org ``org_t``) and a scan with two clusters: k1 = {a1, a2}, k2 = {a3}.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from distillguard.cli import app
from distillguard.detect import labels as labels_module
from distillguard.detect.labels import (
    LabelError,
    effective_labels,
    history,
    label_account,
    label_cluster,
    label_file,
    read_label_file,
)
from distillguard.schema.accounts import ACCOUNTS
from distillguard.schema.interactions import STORED
from distillguard.schema.labels import ANALYST_LABELS, EFFECTIVE_LABELS
from distillguard.settings import Settings
from distillguard.workspace import Workspace, WorkspaceError
from tests.detect.test_evaluate import conform, scanned_workspace, scored

runner = CliRunner()
NO_TRUST = Settings.load(environ={})


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISTILLGUARD_WORKSPACE", raising=False)
    monkeypatch.delenv("DISTILLGUARD_CONFIG", raising=False)
    monkeypatch.setattr(labels_module.getpass, "getuser", lambda: "os-user")


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
        "ingest_id": "ingest-1",
    }


def _add_data(ws: Workspace, staging: Path) -> None:
    staging.mkdir()
    accounts = conform(
        [{"account_id": a, "ingest_id": "ingest-1"} for a in ("a1", "a2", "a3")], ACCOUNTS
    )
    calls = conform(
        [
            _call(1, "a1", "org_x"),
            _call(2, "a3", None),
            _call(3, "t1", "org_t"),
            _call(4, "t1", "org_x"),
        ],
        STORED,
    )
    pq.write_table(accounts, staging / "accounts.parquet")
    pq.write_table(calls, staging / "calls.parquet")
    now = datetime.now(UTC)
    with ws.writer():
        ws.commit(
            "ingest-1",
            now,
            now,
            {},
            [
                (staging / "accounts.parquet", "accounts/ingest-1.parquet", "accounts", 3),
                (
                    staging / "calls.parquet",
                    "interactions/day=2026-05-01/ingest-1.parquet",
                    "interactions",
                    4,
                ),
            ],
            [],
        )


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    scanned = [scored("a1", True, "k1"), scored("a2", True, "k1"), scored("a3", False, "k2")]
    workspace = scanned_workspace(tmp_path / "ws", scanned)
    _add_data(workspace, tmp_path / "data")
    return workspace


def rows(ws: Workspace) -> list[dict[str, Any]]:
    with ws.connect() as con:
        return history(con).to_pylist()


def effective(ws: Workspace, settings: Settings = NO_TRUST) -> list[dict[str, Any]]:
    with ws.connect() as con:
        return effective_labels(con, settings).to_pylist()


def trust(orgs: str = "", accounts: str = "") -> Settings:
    return Settings.load(
        environ={}, overrides={"detect.trusted_orgs": orgs, "detect.trusted_accounts": accounts}
    )


def summary(ws: Workspace, settings: Settings = NO_TRUST) -> dict[str, tuple[str, str]]:
    return {r["account_id"]: (r["label"], r["source"]) for r in effective(ws, settings)}


# storage


def test_an_account_label_is_one_row_of_the_history(ws: Workspace) -> None:
    done = label_account(ws, "a1", "campaign", note=" same card as k9 ", analyst="ana")
    assert (done.target, done.accounts, done.by_label) == ("account", 1, {"campaign": 1})
    [row] = rows(ws)
    assert row["labelling_id"] == done.labelling_id
    assert (row["target"], row["account_id"], row["label"]) == ("account", "a1", "campaign")
    assert (row["note"], row["analyst"]) == ("same card as k9", "ana")
    assert row["labelled_at"].tzinfo is not None
    assert row["cluster_id"] is None
    assert row["scan_id"] == "scan-1"  # the scan the analyst was looking at
    with ws.connect() as con:
        ledger = con.execute("SELECT labelling_id, report FROM labellings").fetchall()
    assert [(lid, orjson.loads(report)["accounts"]) for lid, report in ledger] == [
        (done.labelling_id, 1)
    ]


def test_the_analyst_defaults_to_the_os_user(ws: Workspace) -> None:
    assert label_account(ws, "a1", "benign").analyst == "os-user"
    assert label_account(ws, "a1", "benign", analyst="  ").analyst == "os-user"


def test_the_history_view_has_the_declared_columns(ws: Workspace) -> None:
    with ws.connect() as con:
        assert history(con).schema == ANALYST_LABELS  # empty, before any label
    label_account(ws, "a2", "benign")
    with ws.connect() as con:
        assert history(con).schema == ANALYST_LABELS
        columns = [d[0] for d in con.execute("SELECT * FROM analyst_labels").description]
    assert columns == ANALYST_LABELS.names


def test_unknown_accounts_are_refused(ws: Workspace) -> None:
    with pytest.raises(LabelError, match=r"unknown account.*nope"):
        label_account(ws, "nope", "benign")
    assert rows(ws) == []
    label_account(ws, "t1", "benign")  # known from its calls only: fine


def test_a_bad_label_value_is_refused(ws: Workspace) -> None:
    with pytest.raises(LabelError, match="not one of campaign, benign, none"):
        label_account(ws, "a1", "maybe")
    assert label_account(ws, "a1", " Benign ").by_label == {"benign": 1}


def test_a_folder_that_is_not_a_workspace_stays_one(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a distillguard workspace"):
        label_account(Workspace(tmp_path / "none"), "a1", "benign")
    assert not (tmp_path / "none").exists()


def test_a_label_waits_for_no_other_writer(ws: Workspace) -> None:
    with ws.writer(), pytest.raises(WorkspaceError, match="being written"):
        label_account(ws, "a1", "benign")
    assert rows(ws) == []


def test_a_failed_commit_leaves_nothing(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Workspace._create_views

    def broken(self: Workspace, con: Any, temporary: bool) -> None:
        # The catalog's own views are refreshed inside the commit's transaction: fail there.
        if not temporary:
            raise OSError("disk full")
        original(self, con, temporary)

    monkeypatch.setattr(Workspace, "_create_views", broken)
    with pytest.raises(OSError, match="disk full"):
        label_account(ws, "a1", "campaign")
    monkeypatch.undo()
    assert rows(ws) == []  # the catalog transaction was rolled back
    with ws.writer():  # the next writer removes the file that was never listed
        pass
    assert list((ws.root / "analyst_labels").iterdir()) == []


# clusters


def test_a_cluster_label_is_kept_per_member(ws: Workspace) -> None:
    done = label_cluster(ws, "k1", "campaign", note="one operator")
    assert (done.target, done.accounts, done.cluster_id, done.scan_id) == (
        "cluster",
        2,
        "k1",
        "scan-1",
    )
    got = [(r["account_id"], r["label"], r["cluster_id"], r["scan_id"]) for r in rows(ws)]
    assert got == [("a1", "campaign", "k1", "scan-1"), ("a2", "campaign", "k1", "scan-1")]
    assert {r["note"] for r in rows(ws)} == {"one operator"}


def test_a_cluster_label_survives_a_rescan(ws: Workspace, tmp_path: Path) -> None:
    label_cluster(ws, "k1", "campaign")
    # the next scan renumbers: a1 and a2 are now in k7, and k1 is someone else
    renumbered = [scored("a1", True, "k7"), scored("a2", True, "k7"), scored("a3", True, "k1")]
    staging = tmp_path / "scan-2"
    staging.mkdir()
    pq.write_table(conform(renumbered, scanned_schema(ws)), staging / "account_scores.parquet")
    now = datetime.now(UTC)
    with ws.writer():
        ws.commit_scan(
            "scan-2", now, now, {}, {"account_scores": staging / "account_scores.parquet"}
        )
    assert summary(ws) == {"a1": ("campaign", "analyst"), "a2": ("campaign", "analyst")}


def scanned_schema(ws: Workspace) -> pa.Schema:
    return pq.read_schema(next((ws.root / "scans").rglob("account_scores.parquet")))


def test_an_unknown_cluster_is_refused(ws: Workspace) -> None:
    with pytest.raises(LabelError, match="cluster k9 is not in the latest scan \\(scan-1\\)"):
        label_cluster(ws, "k9", "benign")
    assert rows(ws) == []


def test_a_cluster_label_needs_a_scan(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    with ws.writer():
        pass
    with pytest.raises(LabelError, match="no scan"):
        label_cluster(ws, "k1", "benign")


# files


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_labels_file(ws: Workspace, tmp_path: Path) -> None:
    path = write(
        tmp_path / "l.csv",
        'account_id,label,note\na1,campaign,"shared card, same prompts"\n'
        " a2 ,benign,\nt1,BENIGN,qa\n",
    )
    done = label_file(ws, path, analyst="ana")
    assert (done.target, done.accounts, done.file) == ("file", 3, str(path))
    assert done.by_label == {"benign": 2, "campaign": 1}
    got = {r["account_id"]: (r["target"], r["label"], r["note"]) for r in rows(ws)}
    assert got == {
        "a1": ("file", "campaign", "shared card, same prompts"),
        "a2": ("file", "benign", None),
        "t1": ("file", "benign", "qa"),
    }


def test_a_labels_file_without_notes(tmp_path: Path) -> None:
    path = write(tmp_path / "l.csv", "label,account_id\nnone,a1\n")
    [decision] = read_label_file(path)
    assert (decision.account_id, decision.label, decision.note, decision.line) == (
        "a1",
        "none",
        None,
        2,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("account_id,label\na1,campaign\na2,maybe\n", "line 3: label 'maybe' is not one of"),
        ("account_id,label\na1,campaign\n,benign\n", "line 3: no account_id"),
        (
            "account_id,label\na1,campaign\na2,benign\na1,benign\n",
            "line 4: account a1 is already labelled on line 2",
        ),
        ("account_id,label\na1,campaign,extra\n", "line 2: more cells"),
        ('account_id,label,note\na1,benign,"two\nlines"\na2,bad\n', "line 4: label 'bad'"),
        ("account_id,campaign_id\na1,camp\n", "has the columns account_id, campaign_id"),
        ("account_id,label,analyst\na1,benign,x\n", "expected account_id,label\\[,note\\]"),
        ("account_id,label\n", "has no rows"),
        ("", "has the columns none"),
    ],
)
def test_a_bad_labels_file_stores_nothing(
    ws: Workspace, tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(LabelError, match=message):
        label_file(ws, write(tmp_path / "l.csv", text))
    assert rows(ws) == []


def test_unknown_accounts_in_a_file_are_named_with_their_lines(
    ws: Workspace, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "l.csv", "account_id,label\na1,campaign\nx1,benign\na2,benign\nx2,none\n"
    )
    with pytest.raises(LabelError, match=r"x1 \(line 3\), x2 \(line 5\)"):
        label_file(ws, path)
    assert rows(ws) == []  # a1 and a2 were fine, and are not stored either


def test_a_missing_or_unreadable_file(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(LabelError, match="does not exist"):
        label_file(ws, tmp_path / "nope.csv")
    (tmp_path / "bin.csv").write_bytes(b"account_id,label\n\xff\xfe,benign\n")
    with pytest.raises(LabelError, match="cannot read"):
        label_file(ws, tmp_path / "bin.csv")


# effective labels


def test_the_latest_decision_wins_and_none_withdraws(ws: Workspace) -> None:
    label_account(ws, "a1", "benign")
    label_account(ws, "a1", "campaign")
    label_account(ws, "a2", "benign")
    label_account(ws, "a2", "none")
    assert summary(ws) == {"a1": ("campaign", "analyst")}
    assert [r["label"] for r in rows(ws)] == ["benign", "campaign", "benign", "none"]


def test_effective_labels_have_exactly_the_declared_columns(ws: Workspace) -> None:
    with ws.connect() as con:
        assert effective_labels(con, trust("org_t")).schema == EFFECTIVE_LABELS  # empty
    label_account(ws, "a1", "campaign", note="n", analyst="ana")
    with ws.connect() as con:
        table = effective_labels(con, trust("org_t", "a3"))
    assert table.schema == EFFECTIVE_LABELS
    assert table.schema.field("labelled_at").type == pa.timestamp("us", tz="UTC")
    first = table.to_pylist()[0]
    assert (first["account_id"], first["note"], first["analyst"]) == ("a1", "n", "ana")


def test_trusted_orgs_and_accounts_are_benign(ws: Workspace) -> None:
    got = effective(ws, trust(orgs=" org_t ,", accounts="a3"))
    assert got == [
        {
            "account_id": "a3",
            "label": "benign",
            "source": "trusted",
            "note": "listed in detect.trusted_accounts",
            "analyst": None,
            "labelled_at": None,
        },
        {
            "account_id": "t1",
            "label": "benign",
            "source": "trusted",
            "note": "trusted org org_t",
            "analyst": None,
            "labelled_at": None,
        },
    ]
    assert effective(ws, trust(orgs="org_none")) == []


def test_an_analyst_label_beats_trust_until_withdrawn(ws: Workspace) -> None:
    settings = trust(orgs="org_t", accounts="a3")
    label_account(ws, "t1", "campaign", note="the org's key leaked")
    label_account(ws, "a3", "benign", note="checked by hand")
    assert summary(ws, settings) == {"a3": ("benign", "analyst"), "t1": ("campaign", "analyst")}
    label_account(ws, "t1", "none")
    assert summary(ws, settings) == {"a3": ("benign", "analyst"), "t1": ("benign", "trusted")}


# command line


def invoke(*args: str) -> Any:
    return runner.invoke(app, ["label", *args])


def test_cli_account_and_list(ws: Workspace) -> None:
    done = invoke("account", "a1", "--as", "campaign", "--note", "n", "-w", str(ws.root))
    assert done.exit_code == 0, done.output
    assert "labelled 1 account(s): campaign 1; by os-user" in done.output
    listed = invoke("list", "-w", str(ws.root), "--json")
    assert listed.exit_code == 0, listed.output
    [label] = orjson.loads(listed.output.strip().splitlines()[-1])["labels"]
    assert (label["account_id"], label["label"], label["source"], label["analyst"]) == (
        "a1",
        "campaign",
        "analyst",
        "os-user",
    )
    table = invoke("list", "-w", str(ws.root))
    assert table.exit_code == 0
    assert "a1" in table.output
    assert "campaign" in table.output


def test_cli_cluster_withdraw_and_history(ws: Workspace) -> None:
    done = invoke(
        "cluster", "k1", "--as", "benign", "--analyst", "bo", "-w", str(ws.root), "--json"
    )
    assert done.exit_code == 0, done.output
    data = orjson.loads(done.output.strip().splitlines()[-1])
    assert (data["accounts"], data["cluster_id"], data["analyst"]) == (2, "k1", "bo")
    assert invoke("account", "a2", "--as", "none", "-w", str(ws.root)).exit_code == 0
    listed = invoke("list", "--history", "-w", str(ws.root), "--json")
    history_rows = orjson.loads(listed.output.strip().splitlines()[-1])["history"]
    assert [(r["account_id"], r["label"]) for r in history_rows] == [
        ("a1", "benign"),
        ("a2", "benign"),
        ("a2", "none"),
    ]
    assert summary(ws) == {"a1": ("benign", "analyst")}


def test_cli_file(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "l.csv", "account_id,label\na1,campaign\na3,benign\n")
    done = invoke("--file", str(path), "-w", str(ws.root), "--analyst", "cy")
    assert done.exit_code == 0, done.output
    assert "labelled 2 account(s): benign 1, campaign 1; by cy" in done.output
    bad = write(tmp_path / "bad.csv", "account_id,label\na1,campaign\nzz,benign\n")
    refused = invoke("--file", str(bad), "-w", str(ws.root))
    assert refused.exit_code == 2
    assert "zz (line 3)" in refused.output
    assert len(rows(ws)) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("account", "nope", "--as", "benign", "-w", "WS"), "unknown account(s) nope"),
        (("cluster", "k9", "--as", "benign", "-w", "WS"), "cluster k9 is not in the latest scan"),
        (("account", "a1", "--as", "maybe", "-w", "WS"), "Invalid value"),
        (("-w", "WS"), "give --file FILE"),
        (("--file", "x.csv", "-w", "WS", "list"), "without a sub-command"),
    ],
)
def test_cli_refusals(ws: Workspace, args: tuple[str, ...], message: str) -> None:
    done = invoke(*(str(ws.root) if a == "WS" else a for a in args))
    assert done.exit_code == 2, done.output
    assert message in done.output
    assert rows(ws) == []


def test_cli_on_a_folder_that_is_not_a_workspace(tmp_path: Path) -> None:
    done = invoke("account", "a1", "--as", "benign", "-w", str(tmp_path / "none"))
    assert done.exit_code == 2
    assert "not a distillguard workspace" in done.output
    listed = invoke("list", "-w", str(tmp_path / "none"))
    assert listed.exit_code == 2


def test_the_docs_list_the_effective_label_columns() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "labels.md").read_text("utf-8")
    for field in EFFECTIVE_LABELS:
        null = "yes" if field.nullable else "no"
        assert f"| `{field.name}` | `{field.type}` | {null} |" in text
