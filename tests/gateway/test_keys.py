"""API keys: issuing, storing hashed, revoking, the controls log, and the request-path index."""

from __future__ import annotations

import hashlib
import os
import stat
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from distillguard.gateway import keys
from distillguard.gateway.controls import ControlsLog
from distillguard.gateway.keys import KeyIndex, KeyRequest, KeyStore, KeyStoreError, key_id_of
from distillguard.workspace import Workspace


@pytest.fixture(autouse=True)
def os_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("distillguard.detect.labels.getpass.getuser", lambda: "os-user")


def test_a_key_has_a_public_id_and_a_long_secret(tmp_path: Path) -> None:
    record, key = KeyStore(tmp_path).create("acct_1", "org_1", rpm=60, tpm=10_000)
    prefix, key_id, secret = key.split("-", 2)
    assert (prefix, key_id) == ("dg", record.key_id)
    assert len(key_id) == 12
    assert key_id_of(key) == key_id
    assert len(secret) >= 43  # 32 random bytes in URL-safe base64
    assert record.sha256 == hashlib.sha256(key.encode()).hexdigest()
    assert (record.account_id, record.org_id, record.rpm, record.tpm) == (
        "acct_1",
        "org_1",
        60,
        10_000,
    )
    assert record.created_by == "os-user"
    assert not record.revoked
    assert datetime.fromisoformat(record.created_at).utcoffset() is not None


def test_only_the_digest_is_stored_in_a_private_file(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    _, key = store.create("acct_1")
    data = store.path.read_bytes()
    assert store.path == tmp_path / "gateway" / "keys.jsonl"
    assert key.encode() not in data
    assert key.split("-", 2)[2].encode() not in data
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    [event] = [orjson.loads(line) for line in data.splitlines()]
    assert event["event"] == "create"
    assert event["sha256"] == hashlib.sha256(key.encode()).hexdigest()


def test_keys_are_distinct_and_listed_oldest_first(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    made = [store.create(f"acct_{i}") for i in range(5)]
    assert len({key for _, key in made}) == 5
    assert store.records() == [record for record, _ in made]


def test_revoking_appends_an_event_and_never_rewrites(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    first, _ = store.create("acct_1")
    store.create("acct_2")
    before = store.path.read_bytes()
    revoked = store.revoke(first.key_id, who="ana")
    after = store.path.read_bytes()
    assert after.startswith(before)
    assert after.count(b"\n") == 3
    assert revoked.revoked
    assert revoked.revoked_by == "ana"
    assert [r.revoked for r in store.records()] == [True, False]
    with pytest.raises(KeyStoreError, match="was already revoked at"):
        store.revoke(first.key_id)
    with pytest.raises(KeyStoreError, match="no key 'nope'"):
        store.revoke("nope")


def test_bad_accounts_and_limits_are_refused(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    with pytest.raises(KeyStoreError, match="give the account"):
        store.create("  ")
    with pytest.raises(KeyStoreError, match="not a usable id"):
        store.create("acct\n1")
    with pytest.raises(KeyStoreError, match="rpm must be a positive"):
        store.create("acct_1", rpm=0)
    assert store.records() == []


def test_issuing_and_revoking_are_recorded_as_controls_without_secrets(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    record, key = store.create("acct_1", rpm=5)
    store.revoke(record.key_id)
    log = ControlsLog(tmp_path)
    created, revoked = log.entries()
    assert (created["event"], created["what"]) == ("key_created", f"key {record.key_id}")
    assert created["new"]["account_id"] == "acct_1"
    assert created["new"]["rpm"] == 5
    assert (revoked["event"], revoked["old"]["revoked_at"]) == ("key_revoked", None)
    assert revoked["new"]["revoked_at"] is not None
    text = log.path.read_bytes()
    assert key.encode() not in text
    assert record.sha256.encode() not in text
    assert log.verify() == []


def test_issuing_a_key_does_not_wait_for_the_workspace_writer(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    with ws.writer():  # a scan or an ingest running
        record, key = KeyStore(ws.root).create("acct_1")
    assert KeyIndex(ws.root).lookup(key) == record


def test_the_index_finds_a_key_by_its_whole_value(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    record, key = store.create("acct_1")
    index = KeyIndex(tmp_path)
    assert index.lookup(key) == record
    assert index.lookup(key[:-1] + ("A" if key[-1] != "A" else "B")) is None  # wrong secret
    assert index.lookup(f"dg-{'0' * 12}-{key.split('-', 2)[2]}") is None  # unknown id
    assert index.lookup("sk-proj-abc") is None
    assert index.lookup("") is None


def test_a_new_key_works_at_once_and_a_revocation_at_the_next_refresh(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    index = KeyIndex(tmp_path)  # before any key exists
    assert len(index) == 0
    assert not index.refresh()
    record, key = store.create("acct_1")
    assert index.lookup(key) == record  # an unknown key id refreshes first
    store.revoke(record.key_id)
    assert index.lookup(key) == record  # the index in memory is as of its last refresh
    assert index.refresh()
    found = index.lookup(key)
    assert found is not None
    assert found.revoked
    assert not index.refresh()  # nothing changed: one stat, no read


def test_refresh_reads_only_what_was_appended(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    _, first_key = store.create("acct_1")
    index = KeyIndex(tmp_path)
    # Edit the first line in place (same inode, same length), then append a key: the index
    # reads from where it stopped, so it sees the new key and not the edit.
    data = store.path.read_bytes()
    with store.path.open("r+b") as handle:
        handle.write(data.replace(b'"acct_1"', b'"acct_X"'))
    second, key = store.create("acct_2")
    assert index.refresh()
    assert index.lookup(key) == second
    assert len(index) == 2
    old = index.lookup(first_key)
    assert old is not None
    assert old.account_id == "acct_1"
    new = KeyIndex(tmp_path).lookup(first_key)  # a full read sees the edit
    assert new is not None
    assert new.account_id == "acct_X"


def test_a_replaced_file_is_read_again_whole(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    record, key = store.create("acct_1")
    index = KeyIndex(tmp_path)
    lines = store.path.read_bytes().splitlines(keepends=True)
    replacement = tmp_path / "keys.new"
    replacement.write_bytes(b"".join(lines))
    store.path.unlink()
    assert index.refresh()
    assert len(index) == 0
    os.replace(replacement, store.path)
    assert index.refresh()
    assert index.lookup(key) == record


def test_a_torn_last_line_waits_and_malformed_lines_are_counted(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    record, key = store.create("acct_1")
    line = store.path.read_bytes()
    with store.path.open("ab") as handle:
        handle.write(b"not json\n")
        handle.write(b'{"event": "create", "key_id": "x"}\n')  # fields missing
        handle.write(b'{"event": "rename", "key_id": "y"}\n')  # unknown event
        handle.write(line[:-20])  # a writer caught mid-line
    index = KeyIndex(tmp_path)
    assert index.lookup(key) == record
    assert index.skipped == 3
    with store.path.open("ab") as handle:  # the rest of the torn line arrives
        handle.write(line[-20:])
    assert index.refresh()
    assert index.skipped == 3
    assert len(index) == 1
    _, fresh = store.create("acct_2")
    assert index.lookup(fresh) is not None
    assert index.skipped == 3


def test_create_many_issues_keys_that_authenticate(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    earlier, _ = store.create("acct_0")
    requests = [
        KeyRequest(" acct_1 ", "org_1", rpm=60),
        KeyRequest("acct_2", tpm=900),
        KeyRequest("acct_1"),  # an account may hold several keys
    ]
    issued = store.create_many(requests, who="ops")
    assert [(r.account_id, r.org_id, r.rpm, r.tpm, r.created_by) for r, _ in issued] == [
        ("acct_1", "org_1", 60, None, "ops"),
        ("acct_2", None, None, 900, "ops"),
        ("acct_1", None, None, None, "ops"),
    ]
    assert len({r.key_id for r, _ in issued} | {earlier.key_id}) == 4
    index = KeyIndex(tmp_path)
    assert [index.lookup(key) for _, key in issued] == [r for r, _ in issued]
    assert store.records() == [earlier, *(r for r, _ in issued)]
    assert store.create_many([]) == []


def test_a_bad_request_issues_nothing_and_is_named(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    good = KeyRequest("acct_1")
    with pytest.raises(KeyStoreError, match=r"^request 3: tpm must be a positive number"):
        store.create_many([good, good, KeyRequest("acct_3", tpm=-5), good])
    with pytest.raises(KeyStoreError, match=r"^request 2: give the account"):
        store.create_many([good, KeyRequest(" ")])
    assert store.records() == []
    assert not ControlsLog(tmp_path).path.exists()


def test_each_key_of_a_bulk_has_its_control_record_in_order(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    store.create("acct_0")
    issued = store.create_many([KeyRequest(f"acct_{i}") for i in range(1, 30)])
    log = ControlsLog(tmp_path)
    entries = log.entries()
    assert [e["what"] for e in entries] == [f"key {r.key_id}" for r in store.records()]
    assert [e["event"] for e in entries] == ["key_created"] * 30
    assert [e["new"] for e in entries[1:]] == [r.public() for r, _ in issued]
    assert log.verify() == []
    text = log.path.read_bytes()
    assert not any(key.encode() in text or r.sha256.encode() in text for r, key in issued)


def test_a_bulk_costs_what_one_key_costs_in_reads_and_flushes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Counted, not timed: issuing n keys one by one re-reads the keys file and the log's end
    # n times and flushes both n times; a bulk does each once, whatever n.
    calls: Counter[str] = Counter()

    def counting(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            calls[name] += 1
            return real(*args)

        return call

    monkeypatch.setattr(keys, "_read", counting("read", keys._read))
    monkeypatch.setattr(ControlsLog, "_head", staticmethod(counting("head", ControlsLog._head)))
    monkeypatch.setattr(os, "fsync", counting("fsync", os.fsync))
    KeyStore(tmp_path / "one").create_many([KeyRequest("acct_0")])
    one = dict(calls)
    calls.clear()
    issued = KeyStore(tmp_path / "many").create_many(
        [KeyRequest(f"acct_{i:04d}") for i in range(2_000)]
    )
    assert dict(calls) == one
    assert one["read"] == 1
    assert one["head"] == 1
    index = KeyIndex(tmp_path / "many")
    assert len(index) == 2_000
    assert index.lookup(issued[-1][1]) == issued[-1][0]
    assert len(ControlsLog(tmp_path / "many").entries()) == 2_000
