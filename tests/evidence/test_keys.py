"""The evidence key file: 0600, never overwritten, checked when read."""

from __future__ import annotations

import stat
from pathlib import Path

import orjson
import pytest

from distillguard.evidence.keys import (
    EvidenceKey,
    EvidenceKeyError,
    check_signature,
    default_path,
    load,
    save,
)
from distillguard.settings import Settings


def test_a_key_is_saved_owner_only_and_loads_back(tmp_path: Path) -> None:
    key = EvidenceKey.generate()
    path = tmp_path / "sub" / "key.json"
    save(key, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = load(path)
    assert loaded.public == key.public
    assert loaded.key_id == key.key_id
    assert len(key.key_id) == 64
    assert check_signature(key.public, loaded.sign(b"m"), b"m")
    assert not check_signature(key.public, loaded.sign(b"m"), b"n")
    assert not check_signature(key.public, b"short", b"m")


def test_a_key_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "key.json"
    save(EvidenceKey.generate(), path)
    before = path.read_bytes()
    with pytest.raises(EvidenceKeyError, match="never overwritten"):
        save(EvidenceKey.generate(), path)
    assert path.read_bytes() == before


def test_bad_key_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(EvidenceKeyError, match="does not exist"):
        load(tmp_path / "missing.json")
    path = tmp_path / "key.json"
    save(EvidenceKey.generate(), path)
    data = orjson.loads(path.read_bytes())
    data["public_key"] = EvidenceKey.generate().public.hex()
    path.write_bytes(orjson.dumps(data))
    with pytest.raises(EvidenceKeyError, match="damaged"):
        load(path)
    path.write_bytes(orjson.dumps({**data, "version": 9}))
    with pytest.raises(EvidenceKeyError, match="version 9"):
        load(path)
    path.write_bytes(orjson.dumps({**data, "secret": "zz"}))
    with pytest.raises(EvidenceKeyError, match="no valid"):
        load(path)
    path.write_bytes(orjson.dumps({"format": "distillguard-watermark-key"}))
    with pytest.raises(EvidenceKeyError, match="not a distillguard evidence key"):
        load(path)


def test_the_default_path(tmp_path: Path) -> None:
    assert default_path(tmp_path, Settings.load(environ={})) == tmp_path / "evidence" / "key.json"
    named = Settings.load(environ={"DISTILLGUARD_EVIDENCE_KEY": "/k.json"})
    assert default_path(tmp_path, named) == Path("/k.json")
