"""``keys create / list / revoke`` on a local Typer app that adds the ``keys`` sub-app."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import orjson
import pytest
import typer
from typer.testing import CliRunner

from distillguard.gateway.controls import ControlsLog
from distillguard.gateway.key_commands import keys_app
from distillguard.gateway.keys import KeyIndex, KeyStore

runner = CliRunner()
app = typer.Typer()
app.add_typer(keys_app, name="keys")


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISTILLGUARD_WORKSPACE", raising=False)
    monkeypatch.delenv("DISTILLGUARD_CONFIG", raising=False)


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_create_prints_the_key_last_and_warns_once(tmp_path: Path) -> None:
    code, out, err = _run(
        "keys", "create", "--workspace", str(tmp_path), "--account", "acct_1", "--rpm", "30"
    )
    assert code == 0
    key = out.splitlines()[-1]
    assert "shown only this once" in err
    assert key not in err
    record = KeyIndex(tmp_path).lookup(key)
    assert record is not None
    assert (record.account_id, record.rpm, record.tpm) == ("acct_1", 30, None)
    assert record.key_id in out.splitlines()[0]


def test_create_json_holds_the_key_on_the_last_line(tmp_path: Path) -> None:
    code, out, _ = _run(
        "keys", "create", "-w", str(tmp_path), "--account", "a", "--org", "o", "--tpm", "900",
        "--json",
    )  # fmt: skip
    assert code == 0
    data = orjson.loads(out.splitlines()[-1])
    record = KeyIndex(tmp_path).lookup(data["key"])
    assert record is not None
    assert (data["key_id"], data["org_id"], data["tpm"]) == (record.key_id, "o", 900)
    assert "sha256" not in data


def test_list_never_shows_secrets_or_digests(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    first, first_key = store.create("acct_1")
    _, second_key = store.create("acct_2", rpm=5)
    store.revoke(first.key_id)
    code, out, _ = _run("keys", "list", "--workspace", str(tmp_path), "--json")
    assert code == 0
    keys = orjson.loads(out.splitlines()[-1])["keys"]
    assert [(k["account_id"], k["revoked_at"] is not None) for k in keys] == [
        ("acct_1", True),
        ("acct_2", False),
    ]
    code, table, _ = _run("keys", "list", "--workspace", str(tmp_path))
    assert code == 0
    assert "1 in force" in table
    assert f"dg-{first.key_id}-" in table
    for text in (out, table):
        for key in (first_key, second_key):
            assert key.split("-", 2)[2] not in text
        for record in store.records():
            assert record.sha256[:16] not in text


def test_revoke_by_id_or_by_the_key_itself(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    first, _ = store.create("acct_1")
    second, second_key = store.create("acct_2")
    code, out, _ = _run("keys", "revoke", "--workspace", str(tmp_path), first.key_id)
    assert code == 0
    assert f"revoked key dg-{first.key_id}-… of account acct_1" in out
    code, out, _ = _run("keys", "revoke", "--workspace", str(tmp_path), second_key, "--json")
    assert code == 0
    assert orjson.loads(out.splitlines()[-1])["key_id"] == second.key_id
    assert all(r.revoked for r in store.records())


def test_errors_exit_2_with_a_message(tmp_path: Path) -> None:
    code, _, err = _run("keys", "revoke", "--workspace", str(tmp_path), "nope")
    assert code == 2
    assert "no key 'nope'" in err
    code, _, err = _run("keys", "create", "--workspace", str(tmp_path), "--account", " ")
    assert (code, "give the account" in err) == (2, True)
    code, _, err = _run(
        "keys", "create", "--workspace", str(tmp_path), "--account", "a", "--rpm", "-1"
    )
    assert (code, "rpm must be a positive number" in err) == (2, True)
    assert KeyStore(tmp_path).records() == []


def test_create_from_a_file_writes_the_keys_to_a_private_file(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account,org,rpm,tpm\nacct_1,org_1,60,\nacct_2,,,900\nacct_1,,,\n")
    out = tmp_path / "keys.csv"
    ws = str(tmp_path / "ws")
    code, stdout, err = _run(
        "keys", "create", "-w", ws, "--file", str(accounts), "--out", str(out), "--json"
    )
    assert code == 0
    summary = orjson.loads(stdout.splitlines()[-1])
    assert (summary["issued"], summary["accounts"], summary["out"]) == (3, 2, str(out))
    assert f"only in {out}" in err
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    index = KeyIndex(tmp_path / "ws")
    found = [index.lookup(row["key"]) for row in rows]
    assert [(r.account_id, r.org_id, r.rpm, r.tpm) for r in found if r is not None] == [
        ("acct_1", "org_1", 60, None),
        ("acct_2", None, None, 900),
        ("acct_1", None, None, None),
    ]
    for row in rows:
        assert row["key"] not in stdout + err
    log = ControlsLog(tmp_path / "ws")
    assert [e["what"] for e in log.entries()] == [f"key {row['key_id']}" for row in rows]
    assert log.verify() == []
    code, stdout, _ = _run(
        "keys", "create", "-w", ws, "--file", str(accounts), "--out", str(tmp_path / "k2.csv")
    )
    assert code == 0
    assert stdout.startswith("issued 3 keys for 2 accounts")


def test_create_from_a_file_refuses_what_it_cannot_do_whole(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    good = tmp_path / "good.csv"
    good.write_text("account\nacct_1\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("account,rpm\nacct_1,10\nacct_2,ten\n")
    out = tmp_path / "keys.csv"
    existing = tmp_path / "existing.csv"
    existing.write_text("old keys\n")
    refused = [
        (("--file", str(bad), "--out", str(out)), "bad.csv, line 3: rpm 'ten' is not a whole"),
        (("--file", str(good), "--out", str(existing)), "already exists"),
        (("--file", str(good), "--account", "a", "--out", str(out)), "mutually exclusive"),
        (("--file", str(good), "--rpm", "5", "--out", str(out)), "mutually exclusive"),
        (("--file", str(good)), "--file needs --out"),
        (("--account", "a", "--out", str(out)), "--out is for --file"),
        ((), "give --account ID"),
    ]
    for args, message in refused:
        code, _, err = _run("keys", "create", "-w", ws, *args)
        assert (code, message in " ".join(err.split())) == (2, True), (args, err)
    assert not out.exists()
    assert existing.read_text() == "old keys\n"
    assert KeyStore(tmp_path / "ws").records() == []
