"""An export writes the whole bundle, records it in the ledger, and refuses what it must."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from distillguard.cases.frozen import FrozenCase
from distillguard.dossier.bundle import ExportError, export
from distillguard.evidence.ledger import Ledger
from distillguard.evidence.verify import verify
from distillguard.settings import Settings
from tests.conftest import Opened
from tests.dossier.conftest import Bundle


def test_the_export_is_a_ledger_entry_under_the_signed_head(bundle: Bundle) -> None:
    entries = Ledger(bundle.root).entries()
    entry = entries[bundle.exported.entry.seq - 1]
    assert entry == bundle.exported.entry
    assert entry.payload["event"] == "exported"
    assert entry.payload["files"] == bundle.exported.files
    assert entry.payload["custody"]["exported_by"] == "counsel-liaison"
    assert bundle.exported.head.tree_size >= entry.seq
    assert verify(bundle.root).problems == []


def test_the_records_are_every_call_of_the_case(bundle: Bundle) -> None:
    case = FrozenCase.load(bundle.root, bundle.case_id)
    lines = (bundle.exported.out / "records" / "calls.jsonl").read_bytes().splitlines()
    assert len(lines) == case.meta.calls
    ids = {orjson.loads(line)["request_id"] for line in lines}
    assert ids == {r["request_id"] for r in case.rows("SELECT request_id FROM calls")}


def test_a_redacted_bundle_shows_no_address_nor_text(opened: Opened, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(opened.workspace.root, root)
    out = tmp_path / "redacted"
    export(root, opened.case_id, out, Settings.load(environ={}), [], redact=True,
           exporter=None, command="test")  # fmt: skip
    case = FrozenCase.load(root, opened.case_id)
    texts = case.rows("SELECT client_ip, user_text FROM calls WHERE user_text IS NOT NULL")
    data = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    for row in texts[:200]:
        assert f'"{row["client_ip"]}"'.encode() not in data
        assert orjson.dumps(row["user_text"]) not in data


def test_export_needs_the_evidence_key_and_a_new_folder(opened: Opened, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(opened.workspace.root, root)
    settings = Settings.load(environ={})
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x").write_text("x")
    with pytest.raises(ExportError, match="not an empty folder"):
        export(root, opened.case_id, taken, settings, [], redact=False, exporter=None,
               command="test")  # fmt: skip
    (root / "evidence" / "key.json").unlink()
    with pytest.raises(ExportError, match="no evidence key"):
        export(root, opened.case_id, tmp_path / "new", settings, [], redact=False,
               exporter=None, command="test")  # fmt: skip
    assert not (tmp_path / "new").exists()
    assert not list(tmp_path.glob(".*partial*"))
