"""The controls log: entries, the hash chain, torn lines, concurrent writers, ``changed``."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import orjson
import pytest

from distillguard.gateway.controls import Control, ControlsLog


def _lines(log: ControlsLog) -> list[bytes]:
    return log.path.read_bytes().splitlines()


def test_an_entry_says_who_what_when_where(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[limits]\n")
    log = ControlsLog(tmp_path / "ws")
    entry = log.record(
        "start",
        "gateway",
        old=None,
        new={"rpm": 60, "scopes": ("key", "ip")},
        file=policy,
        who="ops",
    )
    assert entry["seq"] == 1
    assert entry["prev"] is None
    assert (entry["event"], entry["what"], entry["who"]) == ("start", "gateway", "ops")
    assert entry["new"] == {"rpm": 60, "scopes": ["key", "ip"]}  # as it reads back
    assert entry["file_sha256"] == hashlib.sha256(policy.read_bytes()).hexdigest()
    assert entry["file"] == str(policy)
    assert (entry["host"], entry["pid"]) == (socket.gethostname(), os.getpid())
    assert datetime.fromisoformat(entry["at"]).utcoffset() is not None
    assert log.path == tmp_path / "ws" / "gateway" / "controls.jsonl"
    assert log.entries() == [entry]


def test_the_os_user_is_the_default_who(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("distillguard.detect.labels.getpass.getuser", lambda: "os-user")
    entry = ControlsLog(tmp_path).record("change", "x", old=1, new=2, who="  ")
    assert entry["who"] == "os-user"
    assert entry["file_sha256"] is None


def test_entries_chain_by_the_hash_of_the_line_before(tmp_path: Path) -> None:
    log = ControlsLog(tmp_path)
    for i in range(5):
        log.record("change", "limits", old=i, new=i + 1)
    lines = _lines(log)
    entries = log.entries()
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    for before, entry in zip(lines, entries[1:], strict=False):
        assert entry["prev"] == hashlib.sha256(before).hexdigest()
    assert log.verify() == []


def test_verify_names_an_edited_line(tmp_path: Path) -> None:
    log = ControlsLog(tmp_path)
    for i in range(4):
        log.record("change", "limits", old=i, new=i + 1)
    lines = _lines(log)
    edited = orjson.loads(lines[1])
    edited["new"] = 999
    lines[1] = orjson.dumps(edited)
    log.path.write_bytes(b"\n".join(lines) + b"\n")
    assert log.verify() == [
        "line 3: prev does not match the line before it (a line was edited, inserted or removed)"
    ]


def test_verify_names_a_removed_line(tmp_path: Path) -> None:
    log = ControlsLog(tmp_path)
    for i in range(4):
        log.record("change", "limits", old=i, new=i + 1)
    lines = _lines(log)
    log.path.write_bytes(b"\n".join(lines[:1] + lines[2:]) + b"\n")
    problems = log.verify()
    assert problems[0].startswith("line 2: prev does not match")
    assert "line 2: seq is 3, not 2" in problems


def test_a_torn_line_is_ended_and_the_chain_goes_on(tmp_path: Path) -> None:
    log = ControlsLog(tmp_path)
    log.record("start", "gateway", old=None, new={"a": 1})
    with log.path.open("ab") as handle:
        handle.write(b'{"seq": 2, "event": "cha')  # a writer died mid-line
    entry = log.record("change", "gateway", old={"a": 1}, new={"a": 2})
    lines = _lines(log)
    assert len(lines) == 3
    assert lines[1] == b'{"seq": 2, "event": "cha'
    assert entry["seq"] == 3  # the torn line keeps its place in the count
    assert entry["prev"] == hashlib.sha256(lines[1]).hexdigest()
    assert [e["seq"] for e in log.entries()] == [1, 3]
    assert log.verify() == ["line 2: not a JSON object (torn or edited)"]


def test_long_entries_are_read_back_across_chunks(tmp_path: Path) -> None:
    log = ControlsLog(tmp_path)
    big = {"countries": ["X" * 50] * 3000}  # ~160 KB per line: larger than a read chunk
    log.record("start", "gateway", old=None, new=big)
    log.record("start", "gateway", old=None, new=big)
    assert log.verify() == []
    assert not log.changed("gateway", big)


def test_changed_compares_with_the_last_value_of_the_same_thing(tmp_path: Path) -> None:
    log = ControlsLog(tmp_path)
    assert log.changed("policy", {"rules": 3})  # nothing recorded yet
    log.record("start", "policy", old=None, new={"rules": 3, "names": ("a", "b")})
    log.record("start", "limits", old=None, new={"rpm": 60})
    assert not log.changed("policy", {"rules": 3, "names": ["a", "b"]})
    assert not log.changed("policy", {"names": ("a", "b"), "rules": 3})
    assert log.changed("policy", {"rules": 4, "names": ["a", "b"]})
    assert not log.changed("limits", {"rpm": 60})
    assert log.last("nothing") is None


def test_a_log_that_does_not_exist_reads_empty(tmp_path: Path) -> None:
    log = ControlsLog(tmp_path / "nowhere")
    assert (log.entries(), log.verify(), log.last("x")) == ([], [], None)
    assert not (tmp_path / "nowhere").exists()


def test_processes_writing_at_once_keep_one_chain(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from distillguard.gateway.controls import ControlsLog
        log = ControlsLog(Path(sys.argv[1]))
        for i in range(25):
            log.record("start", "gateway", old=None, new={"worker": sys.argv[2], "i": i})
        """
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), str(n)]) for n in range(4)
    ]
    assert [w.wait(timeout=60) for w in workers] == [0, 0, 0, 0]
    log = ControlsLog(tmp_path)
    entries = log.entries()
    assert [e["seq"] for e in entries] == list(range(1, 101))
    assert len({e["pid"] for e in entries}) == 4
    assert log.verify() == []


def test_record_many_chains_as_one_by_one_would(tmp_path: Path) -> None:
    one_by_one, together = ControlsLog(tmp_path / "a"), ControlsLog(tmp_path / "b")
    controls = [Control("change", "limits", old=i, new=i + 1, who="ops") for i in range(5)]
    for c in controls:
        one_by_one.record(c.event, c.what, old=c.old, new=c.new, who=c.who)
    together.record("start", "gateway", old=None, new={"a": 1})
    written = together.record_many(controls)
    assert written == together.entries()[1:]
    assert [e["seq"] for e in together.entries()] == [1, 2, 3, 4, 5, 6]
    assert [(e["new"], e["who"]) for e in written] == [(i + 1, "ops") for i in range(5)]
    lines = _lines(together)
    for before, entry in zip(lines, together.entries()[1:], strict=False):
        assert entry["prev"] == hashlib.sha256(before).hexdigest()
    assert together.verify() == [] == one_by_one.verify()
    assert together.record_many([]) == []


def test_record_many_ends_a_torn_line_and_writes_nothing_for_nothing(tmp_path: Path) -> None:
    log = ControlsLog(tmp_path)
    log.record_many([])
    assert not log.path.exists()
    log.record("start", "gateway", old=None, new={"a": 1})
    with log.path.open("ab") as handle:
        handle.write(b'{"seq": 2, "event": "cha')
    first, second = log.record_many(
        [Control("change", "gateway", {"a": 1}, {"a": 2}), Control("change", "x", 1, 2)]
    )
    lines = _lines(log)
    assert (first["seq"], second["seq"], len(lines)) == (3, 4, 4)
    assert first["prev"] == hashlib.sha256(lines[1]).hexdigest()
    assert second["prev"] == hashlib.sha256(lines[2]).hexdigest()
    assert log.verify() == ["line 2: not a JSON object (torn or edited)"]
