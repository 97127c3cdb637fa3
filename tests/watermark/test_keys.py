"""Watermark keys: generation, derivation of per-account sub-keys, the key file."""

from __future__ import annotations

import stat
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from distillguard.cli import app
from distillguard.watermark.keys import KEY_BYTES, MasterKey, WatermarkKeyError, load, save


def test_generated_keys_differ_and_have_the_right_size() -> None:
    a, b = MasterKey.generate(), MasterKey.generate()
    assert len(a.secret) == KEY_BYTES
    assert a.secret != b.secret
    assert a.fingerprint() != b.fingerprint()


def test_subkeys_are_stable_distinct_per_account_and_per_master() -> None:
    key = MasterKey(bytes(range(32)), "2026-11-27T00:00:00+00:00")
    other = MasterKey(bytes(range(1, 33)), "2026-11-27T00:00:00+00:00")
    assert key.subkey("acct_1") == key.subkey("acct_1")
    assert len({key.subkey("acct_1"), key.subkey("acct_2"), key.subkey("")}) == 3
    assert key.subkey("acct_1") != other.subkey("acct_1")
    assert key.secret not in key.subkey("acct_1")


def test_a_key_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(WatermarkKeyError, match="32 bytes"):
        MasterKey(b"short", "")


def test_save_and_load_round_trip_with_owner_only_permissions(tmp_path: Path) -> None:
    key = MasterKey.generate()
    path = tmp_path / "wm.key"
    save(key, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load(path) == key


def test_save_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "wm.key"
    save(MasterKey.generate(), path)
    before = path.read_bytes()
    with pytest.raises(WatermarkKeyError, match="never overwritten"):
        save(MasterKey.generate(), path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "not JSON"),
        (b'{"format": "something-else"}', "not a distillguard watermark key"),
        (b'{"format": "distillguard-watermark-key", "version": 9}', "version 9"),
        (b'{"format": "distillguard-watermark-key", "version": 1, "secret": "zz"}', "no valid"),
        (b'{"format": "distillguard-watermark-key", "version": 1, "secret": "00"}', "no valid"),
    ],
)
def test_bad_key_files_get_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.key"
    path.write_bytes(content)
    with pytest.raises(WatermarkKeyError, match=message):
        load(path)


def test_a_damaged_secret_is_caught_by_the_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "wm.key"
    save(MasterKey.generate(), path)
    data = orjson.loads(path.read_bytes())
    data["secret"] = ("00" if not data["secret"].startswith("00") else "11") + data["secret"][2:]
    path.write_bytes(orjson.dumps(data))
    with pytest.raises(WatermarkKeyError, match="fingerprint"):
        load(path)


def test_a_missing_key_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(WatermarkKeyError, match="does not exist"):
        load(tmp_path / "absent.key")


def test_cli_keygen_writes_a_loadable_key_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "wm.key"
    runner = CliRunner()
    first = runner.invoke(app, ["watermark", "keygen", "--out", str(path)])
    assert first.exit_code == 0, first.output
    key = load(path)
    assert key.fingerprint() in first.output
    again = runner.invoke(app, ["watermark", "keygen", "--out", str(path)])
    assert again.exit_code == 2
    assert "never overwritten" in again.output
    assert load(path) == key


def test_cli_keygen_into_a_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["watermark", "keygen", "--out", str(tmp_path / "no" / "k")])
    assert result.exit_code == 2
    assert "cannot create" in result.output
