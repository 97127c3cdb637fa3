"""``keys create / list / revoke`` on a local Typer app that adds the ``keys`` sub-app."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import typer
from typer.testing import CliRunner

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
