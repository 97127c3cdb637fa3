"""The ledger file: numbered, chained, durable appends; refs recorded once; damage refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from distillguard.evidence.canonical import sha256_hex
from distillguard.evidence.entry import Draft, parse
from distillguard.evidence.ledger import Ledger, LedgerError, chain_break
from distillguard.evidence.verify import chain_problems


def draft(n: int, ref: str | None = None) -> Draft:
    return Draft("case", "ana", {"n": n}, ref=ref)


def test_entries_are_numbered_and_chained(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    first = ledger.append([draft(1), draft(2)])
    second = ledger.append([draft(3)])
    assert [e.seq for e in first + second] == [1, 2, 3]
    lines = ledger.path.read_bytes().splitlines()
    assert first[0].prev is None
    assert second[0].prev == sha256_hex(lines[1])
    assert [parse(line) for line in lines] == first + second
    assert ledger.entries() == first + second
    assert ledger.path == tmp_path / "evidence" / "ledger.jsonl"
    assert chain_break(lines) is None


def test_a_ref_is_recorded_once(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    assert len(ledger.append([draft(1, "x:1"), draft(2, "x:2"), draft(1, "x:1")])) == 2
    assert ledger.append([draft(1, "x:1"), draft(3, "x:3")])[0].payload == {"n": 3}
    assert ledger.refs() == {"x:1", "x:2", "x:3"}
    assert ledger.append([]) == []


def test_a_torn_last_line_is_cut_off_by_the_next_append(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    ledger.append([draft(1)])
    with ledger.path.open("ab") as handle:
        handle.write(b'{"actor":"ana","ki')
    assert chain_problems(*ledger.read())[-1].startswith("line 2: torn")
    written = ledger.append([draft(2)])
    assert written[0].seq == 2
    assert chain_problems(*ledger.read()) == []


def test_a_damaged_ledger_is_not_extended(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    ledger.append([draft(1), draft(2), draft(3)])
    lines = ledger.path.read_bytes().splitlines(keepends=True)
    ledger.path.write_bytes(lines[0] + lines[2])
    before = ledger.path.read_bytes()
    with pytest.raises(LedgerError, match="damaged at line 2"):
        ledger.append([draft(4)])
    with pytest.raises(LedgerError, match="damaged at line 2"):
        ledger.entries()
    assert ledger.path.read_bytes() == before


def test_an_empty_ledger(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    assert ledger.entries() == []
    assert ledger.leaves() == []
    assert ledger.read() == ([], b"")


WRITER = """
import sys
from pathlib import Path
from distillguard.evidence.entry import Draft
from distillguard.evidence.ledger import Ledger
ledger = Ledger(Path(sys.argv[1]))
for i in range(int(sys.argv[3])):
    ledger.append([Draft("case", sys.argv[2], {"i": i}), Draft("case", sys.argv[2], {"j": i})])
"""


def test_processes_appending_at_once_never_interleave(tmp_path: Path) -> None:
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), f"w{k}", "25"])
        for k in range(4)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0, 0]
    lines, torn = Ledger(tmp_path).read()
    assert torn == b""
    assert len(lines) == 200
    assert chain_problems(lines, torn) == []
    # Each append's two entries are adjacent: nothing came between them.
    entries = [orjson.loads(line) for line in lines]
    for a, b in zip(entries[::2], entries[1::2], strict=True):
        assert a["actor"] == b["actor"]
        assert a["payload"]["i"] == b["payload"]["j"]
