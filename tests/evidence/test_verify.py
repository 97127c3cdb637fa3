"""Tampering with the ledger is found and placed: an edit, a deletion, an insertion, a
reordering, a truncation, a rewrite; and an earlier head checks by a consistency proof."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from distillguard.evidence import merkle
from distillguard.evidence.entry import Draft, Entry
from distillguard.evidence.keys import EvidenceKey
from distillguard.evidence.ledger import Ledger
from distillguard.evidence.signing import HeadStore, TreeHead, sign
from distillguard.evidence.verify import inclusion, verify

KEY = EvidenceKey.generate()


def build(root: Path, n: int = 6, head_at: tuple[int, ...] = ()) -> Ledger:
    """A ledger of ``n`` entries with signed heads kept at the sizes ``head_at``."""
    ledger = Ledger(root)
    for i in range(1, n + 1):
        ledger.append([Draft("case", "ana", {"event": f"e{i}"}, ref=f"case:{i}")])
        if i in head_at:
            HeadStore(root).add(sign(KEY, i, merkle.root(ledger.leaves())))
    return ledger


def lines(ledger: Ledger) -> list[bytes]:
    return ledger.path.read_bytes().splitlines(keepends=True)


def problems(root: Path, **options: object) -> list[str]:
    result = verify(root, trusted=KEY.key_id, **options)  # type: ignore[arg-type]
    return result.problems


def test_an_intact_ledger_holds_up(tmp_path: Path) -> None:
    build(tmp_path, head_at=(3, 6))
    result = verify(tmp_path, trusted=KEY.key_id)
    assert result.ok, result.problems
    assert (result.entries, result.heads_checked) == (6, 2)
    assert result.to_dict()["ok"] is True


def test_an_edited_entry_is_placed(tmp_path: Path) -> None:
    ledger = build(tmp_path)
    text = lines(ledger)
    text[2] = text[2].replace(b'"e3"', b'"e9"')  # still canonical: only the chain shows it
    ledger.path.write_bytes(b"".join(text))
    found = problems(tmp_path)
    assert found == [
        "line 4 (seq 4): prev is not the hash of line 3: line 3 was edited, or entries were "
        "removed, inserted or reordered here"
    ]


def test_an_edit_that_breaks_the_form_is_placed(tmp_path: Path) -> None:
    ledger = build(tmp_path)
    text = lines(ledger)
    text[1] = text[1].replace(b'"actor":"ana"', b'"actor": "ana"')
    ledger.path.write_bytes(b"".join(text))
    found = problems(tmp_path)
    assert found[0] == "line 2: not in canonical form (edited by hand?)"
    assert found[1].startswith("line 3 (seq 3): prev is not the hash of line 2")


def test_a_deleted_entry_is_placed(tmp_path: Path) -> None:
    ledger = build(tmp_path)
    text = lines(ledger)
    del text[2]
    ledger.path.write_bytes(b"".join(text))
    found = problems(tmp_path)
    assert found[0] == "line 3 (seq 4): seq jumps from 2: entries 3 were removed"
    assert found[1].startswith("line 3 (seq 4): prev is not the hash of line 2")


def test_an_inserted_entry_is_placed(tmp_path: Path) -> None:
    ledger = build(tmp_path)
    text = lines(ledger)
    forged = Entry.chained(Draft("case", "mallory", {"event": "x"}), 3, None).line() + b"\n"
    text.insert(3, forged)
    ledger.path.write_bytes(b"".join(text))
    found = problems(tmp_path)
    assert any(p.startswith("line 4 (seq 3): seq 3 comes after seq 3") for p in found)
    assert any(p.startswith("line 4 (seq 3): prev is not the hash of line 3") for p in found)
    assert any(p.startswith("line 5 (seq 4): prev is not the hash of line 4") for p in found)
    assert len(found) == 3, found


def test_reordered_entries_are_placed(tmp_path: Path) -> None:
    ledger = build(tmp_path)
    text = lines(ledger)
    text[2], text[3] = text[3], text[2]
    ledger.path.write_bytes(b"".join(text))
    found = problems(tmp_path)
    assert "line 3 (seq 4): seq jumps from 2: entries 3 were removed" in found
    assert any(p.startswith("line 4 (seq 3): seq 3 comes after seq 4") for p in found)


def test_a_truncated_ledger_shows_against_its_head(tmp_path: Path) -> None:
    ledger = build(tmp_path, head_at=(6,))
    ledger.path.write_bytes(b"".join(lines(ledger)[:4]))
    found = problems(tmp_path)
    assert len(found) == 1
    assert (
        "the ledger has 4 entries, fewer than this head signed: entries 5..6 were removed"
        in (found[0])
    )


def test_an_edited_last_entry_is_placed_between_heads(tmp_path: Path) -> None:
    ledger = build(tmp_path, n=8, head_at=(3, 5, 8))
    text = lines(ledger)
    text[6] = text[6].replace(b'"e7"', b'"e0"')
    text[7] = text[7].replace(b'"e8"', b'"e0"')  # the chain alone sees only line 8
    ledger.path.write_bytes(b"".join(text))
    found = problems(tmp_path)
    assert (
        "an entry between seq 6 and seq 8 was changed (heads of size 5 match, of size 8 do "
        "not)" in found
    )


def test_a_rewritten_ledger_with_a_fresh_chain_shows_against_the_heads(tmp_path: Path) -> None:
    build(tmp_path, head_at=(2, 6))
    Ledger(tmp_path).path.unlink()
    rewritten = Ledger(tmp_path)
    rewritten.append([Draft("case", "ana", {"event": f"f{i}"}) for i in range(6)])
    found = problems(tmp_path)
    assert any("the first 2 entries no longer have this head's root" in p for p in found)
    assert any("between seq 1 and seq 2 was changed" in p for p in found)


def test_a_forged_head_is_refused(tmp_path: Path) -> None:
    ledger = build(tmp_path)
    HeadStore(tmp_path).add(sign(EvidenceKey.generate(), 6, merkle.root(ledger.leaves())))
    assert any("not the evidence key" in p for p in problems(tmp_path))


def test_an_earlier_head_is_extended(tmp_path: Path) -> None:
    ledger = build(tmp_path, n=5)
    earlier = sign(KEY, 5, merkle.root(ledger.leaves()))
    ledger.append([Draft("case", "ana", {"event": f"later{i}"}) for i in range(4)])
    result = verify(tmp_path, trusted=KEY.key_id, earlier=earlier)
    assert result.ok, result.problems
    assert result.consistency is not None
    assert result.consistency["verified"] is True
    proof = [bytes.fromhex(p) for p in result.consistency["proof"]]
    assert merkle.verify_consistency(
        5, 9, proof, bytes.fromhex(earlier.root_hash), bytes.fromhex(result.root_hash)
    )


def test_an_earlier_head_that_was_not_extended_fails(tmp_path: Path) -> None:
    ledger = build(tmp_path, n=5)
    earlier = sign(KEY, 5, merkle.root(ledger.leaves()))
    ledger.path.unlink()
    build(tmp_path, n=3)
    Ledger(tmp_path).append([Draft("case", "ana", {"event": f"other{i}"}) for i in range(4)])
    found = problems(tmp_path, earlier=earlier)
    assert found == [
        "the given head (size 5, " + earlier.timestamp + "): today's ledger does not extend "
        "it: one of entries 1..5 was changed, removed or moved"
    ]
    shorter = TreeHead(9, earlier.root_hash, earlier.timestamp)
    assert any("entries 8..9 were removed" in p for p in problems(tmp_path, earlier=shorter))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_any_one_byte_edit_is_found(tmp_path: Path, data: st.DataObject) -> None:
    root = tmp_path / "ws"
    if not root.exists():
        build(root, n=5, head_at=(5,))
    ledger = Ledger(root)
    original = ledger.path.read_bytes()
    position = data.draw(st.integers(0, len(original) - 1))
    flip = data.draw(st.integers(1, 255))
    edited = bytearray(original)
    edited[position] ^= flip
    ledger.path.write_bytes(bytes(edited))
    try:
        assert problems(root), f"an edit at byte {position} went unseen"
    finally:
        ledger.path.write_bytes(original)


def test_an_inclusion_proof_of_an_entry(tmp_path: Path) -> None:
    ledger = build(tmp_path, n=7)
    proof = inclusion(tmp_path, 3)
    assert proof["tree_size"] == 7
    leaf = merkle.leaf_hash(proof["entry"].encode())
    assert merkle.verify_inclusion(
        2, 7, leaf, [bytes.fromhex(p) for p in proof["proof"]], merkle.root(ledger.leaves())
    )
    assert inclusion(tmp_path, 3, 4)["root_hash"] == merkle.root(ledger.leaves()[:4]).hex()
    with pytest.raises(ValueError, match="no entry 8"):
        inclusion(tmp_path, 8)
