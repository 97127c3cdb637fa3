"""``distillguard ledger`` and ``distillguard evidence`` through the real command line."""

from __future__ import annotations

import stat
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from distillguard.cli import app
from distillguard.evidence.entry import Draft
from distillguard.evidence.ledger import Ledger
from distillguard.gateway.controls import ControlsLog

runner = CliRunner()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WORKSPACE", "CONFIG", "EVIDENCE_KEY", "EVIDENCE_TSA_URL", "EVIDENCE_TSA_CA"):
        monkeypatch.delenv(f"DISTILLGUARD_{name}", raising=False)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_keygen_writes_an_owner_only_key_once(tmp_path: Path) -> None:
    code, out = run("evidence", "keygen", "--workspace", str(tmp_path), "--json")
    assert code == 0, out
    made = orjson.loads(out.strip().splitlines()[-1])
    path = Path(made["path"])
    assert path == tmp_path.resolve() / "evidence" / "key.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    code, out = run("evidence", "keygen", "--workspace", str(tmp_path))
    assert code == 2
    assert "never overwritten" in out
    code, out = run("evidence", "keygen", "--out", str(tmp_path / "elsewhere.json"))
    assert code == 0
    assert "set evidence.key" in out


def test_head_verify_and_an_earlier_head(tmp_path: Path) -> None:
    ws = str(tmp_path)
    ControlsLog(tmp_path).record("start", "policy", old=None, new={"rules": 1}, who="ops")
    code, out = run("ledger", "head", "--workspace", ws)
    assert code == 0, out
    unsigned = orjson.loads(out.strip().splitlines()[-1])
    assert unsigned["tree_size"] == 1
    assert unsigned["signature"] is None
    assert "no evidence key" in out
    assert run("evidence", "keygen", "--workspace", ws)[0] == 0
    code, out = run("ledger", "head", "--workspace", ws)
    head = orjson.loads(out.strip().splitlines()[-1])
    assert head["signature"]
    assert head["root_hash"] == unsigned["root_hash"]
    old = tmp_path / "old-head.json"
    old.write_text(out.strip().splitlines()[-1])
    ControlsLog(tmp_path).record("change", "policy", old={"rules": 1}, new={"rules": 2})
    code, out = run("ledger", "verify", "--workspace", ws, "--head", str(old), "--json")
    assert code == 0, out
    result = orjson.loads(out.strip().splitlines()[-1])
    assert result["entries"] == 2  # verify synced the new control first
    assert result["consistency"]["verified"] is True
    code, out = run("ledger", "verify", "--workspace", ws)
    assert code == 0
    assert "holds up" in out


def test_verify_fails_and_names_the_place(tmp_path: Path) -> None:
    ws = str(tmp_path)
    ledger = Ledger(tmp_path)
    ledger.append([Draft("case", "ana", {"n": i}) for i in range(4)])
    lines = ledger.path.read_bytes().splitlines(keepends=True)
    ledger.path.write_bytes(lines[0] + lines[2] + lines[3])
    code, out = run("ledger", "verify", "--workspace", ws)
    assert code == 1
    assert "FAIL line 2 (seq 3): seq jumps from 1: entries 2 were removed" in out
    assert "does NOT hold up" in out
    ControlsLog(tmp_path).record("start", "policy", old=None, new=1)
    code, out = run("ledger", "sync", "--workspace", ws)
    assert code == 2
    assert "damaged at line 2" in out


def test_sync_prove_and_bad_heads(tmp_path: Path) -> None:
    ws = str(tmp_path)
    ControlsLog(tmp_path).record("start", "policy", old=None, new=1)
    assert "added 1 controls" in run("ledger", "sync", "--workspace", ws)[1]
    assert "nothing new" in run("ledger", "sync", "--workspace", ws)[1]
    code, out = run("ledger", "prove", "1", "--workspace", ws)
    assert code == 0
    proof = orjson.loads(out.strip().splitlines()[-1])
    assert (proof["seq"], proof["tree_size"], proof["proof"]) == (1, 1, [])
    assert run("ledger", "prove", "5", "--workspace", ws)[0] == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    code, out = run("ledger", "verify", "--workspace", ws, "--head", str(bad))
    assert code == 2
    assert "not a distillguard tree head" in out
