"""A bundle verifies, and fails verification after any change to any of its files, to its
ledger entries, or to its head."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from distillguard.dossier.manifest import FILE as MANIFEST
from distillguard.dossier.verify import verify_bundle
from distillguard.evidence.canonical import canonical
from distillguard.evidence.keys import EvidenceKey
from distillguard.evidence.signing import from_dict, sign
from tests.dossier.conftest import Bundle


def _copy(bundle: Bundle, tmp_path: Path) -> Path:
    out = tmp_path / "copy"
    shutil.copytree(bundle.exported.out, out)
    return out


def test_a_fresh_bundle_holds_up(bundle: Bundle) -> None:
    result = verify_bundle(bundle.exported.out, key_id=bundle.exported.head.key_id)
    assert result.problems == []
    assert result.files_checked == len(bundle.exported.files)
    assert result.entries_checked >= 3  # the scan, the verdict, the opening... and the export


def test_the_wrong_key_is_refused(bundle: Bundle) -> None:
    result = verify_bundle(bundle.exported.out, key_id="0" * 64)
    assert any("not the evidence key" in p for p in result.problems)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    which=st.integers(min_value=0), where=st.floats(min_value=0, max_value=1), bit=st.integers(0, 7)
)
def test_any_one_byte_edit_of_any_file_fails(
    bundle: Bundle, which: int, where: float, bit: int
) -> None:
    folder = bundle.exported.out
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.stat().st_size)
    path = files[which % len(files)]
    original = path.read_bytes()
    position = min(int(where * len(original)), len(original) - 1)
    edited = bytearray(original)
    edited[position] ^= 1 << bit
    try:
        path.write_bytes(bytes(edited))
        result = verify_bundle(folder)
    finally:
        path.write_bytes(original)
    assert not result.ok, f"an edit of {path.name} at byte {position} went unnoticed"
    assert verify_bundle(folder).ok


def _ledger_lines(folder: Path) -> list[bytes]:
    return (folder / "records" / "ledger.jsonl").read_bytes().splitlines()


def _write_lines(folder: Path, lines: list[bytes]) -> None:
    (folder / "records" / "ledger.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))


def test_a_removed_ledger_entry_is_named(bundle: Bundle, tmp_path: Path) -> None:
    folder = _copy(bundle, tmp_path)
    lines = _ledger_lines(folder)
    removed = orjson.loads(lines[1])["seq"]
    _write_lines(folder, lines[:1] + lines[2:])
    problems = verify_bundle(folder).problems
    assert f"ledger entry seq {removed}: recorded by the export but missing" in problems


def test_reordered_ledger_entries_are_found(bundle: Bundle, tmp_path: Path) -> None:
    folder = _copy(bundle, tmp_path)
    lines = _ledger_lines(folder)
    _write_lines(folder, [lines[1], lines[0], *lines[2:]])
    problems = verify_bundle(folder).problems
    assert "ledger entries: not in the order the export recorded" in problems


def test_a_forged_head_is_refused(bundle: Bundle, tmp_path: Path) -> None:
    """Re-signing the head with another key: valid on its own, refused against the
    provider's key; changing its root without re-signing breaks the signature."""
    folder = _copy(bundle, tmp_path)
    manifest = orjson.loads((folder / MANIFEST).read_bytes())
    head = from_dict(manifest["head"], "head")
    forged = sign(EvidenceKey.generate(), head.tree_size, bytes.fromhex(head.root_hash))
    manifest["head"] = forged.to_dict()
    manifest["export_entry"]["payload"]["key_id"] = forged.key_id
    (folder / MANIFEST).write_bytes(canonical(manifest) + b"\n")
    problems = verify_bundle(folder, key_id=bundle.exported.head.key_id).problems
    assert any("not the evidence key" in p for p in problems)
    assert any("export entry" in p or "inclusion proof" in p for p in problems)

    manifest["head"] = {**head.to_dict(), "root_hash": "ab" * 32}
    (folder / MANIFEST).write_bytes(canonical(manifest) + b"\n")
    problems = verify_bundle(folder).problems
    assert any("signature does not match" in p for p in problems)
    assert any("does not lead to the head's root" in p for p in problems)


def test_an_added_or_missing_file_is_named(bundle: Bundle, tmp_path: Path) -> None:
    folder = _copy(bundle, tmp_path)
    (folder / "records" / "extra.jsonl").write_text("{}\n")
    (folder / "certification.html").unlink()
    problems = verify_bundle(folder).problems
    assert "records/extra.jsonl: in the bundle but not in the manifest (added)" in problems
    assert "certification.html: listed in the manifest but missing" in problems


def test_not_a_bundle(tmp_path: Path) -> None:
    assert verify_bundle(tmp_path / "nothing").problems == [
        f"{tmp_path / 'nothing'} is not a folder"
    ]
    (tmp_path / MANIFEST).write_text("{}")
    assert verify_bundle(tmp_path).problems == [
        f"{MANIFEST}: not a bundle manifest (fields differ)"
    ]
