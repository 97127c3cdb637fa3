"""Check the ledger: its chain, its tree against every signed head, and an earlier head.

Three checks, each naming the place it fails:

1. **The chain**, line by line: each line a canonical entry, ``seq`` equal to its line
   number, ``prev`` the SHA-256 of the line before. An edited line breaks the next ``prev``
   (or its own form); a deleted, inserted or moved line shows in the ``seq`` numbers.
2. **The stored heads** (``evidence/heads.jsonl``): each signature, each time-stamp (with
   ``evidence.tsa_ca``), and the Merkle root of the first ``tree_size`` entries. This finds
   what the chain alone cannot: the last entries removed, the last entry edited, or the
   whole file rewritten with a fresh chain. Between the largest head that still matches and
   the smallest that does not lies the changed entry.
3. **An earlier head** someone kept (``--head``): an RFC 9162 consistency proof from its size
   to today's, verified against its root and today's, shows today's ledger only extended it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from distillguard.evidence import merkle, tsa
from distillguard.evidence.canonical import sha256_hex
from distillguard.evidence.entry import EntryError, parse
from distillguard.evidence.ledger import Ledger
from distillguard.evidence.signing import HeadError, HeadStore, TreeHead, problems


@dataclass
class Verification:
    """What ``verify`` found; ``problems`` empty means the ledger holds up."""

    entries: int = 0
    root_hash: str = merkle.EMPTY_ROOT.hex()
    heads_checked: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    consistency: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "root_hash": self.root_hash,
            "heads_checked": self.heads_checked,
            "problems": self.problems,
            "notes": self.notes,
            "consistency": self.consistency,
        }


def chain_problems(lines: list[bytes], torn: bytes) -> list[str]:
    """Every place the chain of ``lines`` breaks, as ``line N (seq S): what``."""
    found: list[str] = []
    last_seq = 0
    previous: bytes | None = None
    for number, line in enumerate(lines, start=1):
        try:
            entry = parse(line)
        except EntryError as exc:
            found.append(f"line {number}: {exc}")
            last_seq += 1
            previous = line
            continue
        where = f"line {number} (seq {entry.seq})"
        if entry.seq > last_seq + 1:
            missing = f"{last_seq + 1}" + (
                "" if entry.seq == last_seq + 2 else f"..{entry.seq - 1}"
            )
            found.append(f"{where}: seq jumps from {last_seq}: entries {missing} were removed")
        elif entry.seq <= last_seq:
            found.append(
                f"{where}: seq {entry.seq} comes after seq {last_seq}: an entry was inserted "
                "or entries were reordered"
            )
        if previous is None and entry.prev is not None:
            found.append(f"{where}: the first line has a prev: entries before it were removed")
        elif previous is not None and entry.prev != sha256_hex(previous):
            found.append(
                f"{where}: prev is not the hash of line {number - 1}: line {number - 1} was "
                "edited, or entries were removed, inserted or reordered here"
            )
        last_seq = entry.seq
        previous = line
    if torn:
        found.append(f"line {len(lines) + 1}: torn (no newline at the end: a write that died)")
    return found


def _head_label(number: int, head: TreeHead) -> str:
    return f"head {number} (size {head.tree_size}, {head.timestamp})"


def _check_tsa(head: TreeHead, label: str, ca: Path | None, result: Verification) -> None:
    if head.tsa is None:
        return
    if ca is None:
        result.notes.append(f"{label}: time-stamp not checked (set evidence.tsa_ca)")
        return
    result.problems += [f"{label}: {p}" for p in tsa.check(head.tsa, head.tsa_digest(), ca)]


def check_heads(
    root: Path, leaves: list[bytes], trusted: str | None, ca: Path | None, result: Verification
) -> None:
    """Check every stored head against ``leaves``; add what fails to ``result``."""
    matched, broken = 0, None
    for number, found in HeadStore(root).heads():
        if isinstance(found, HeadError):
            result.problems.append(f"heads file line {number}: {found}")
            continue
        head, label = found, _head_label(number, found)
        result.heads_checked += 1
        result.problems += [f"{label}: {p}" for p in problems(head, trusted)]
        _check_tsa(head, label, ca, result)
        if head.tree_size > len(leaves):
            result.problems.append(
                f"{label}: the ledger has {len(leaves)} entries, fewer than this head signed: "
                f"entries {len(leaves) + 1}..{head.tree_size} were removed"
            )
        elif merkle.root(leaves[: head.tree_size]).hex() != head.root_hash:
            result.problems.append(
                f"{label}: the first {head.tree_size} entries no longer have this head's root"
            )
            broken = head.tree_size if broken is None else min(broken, head.tree_size)
        else:
            matched = max(matched, head.tree_size)
    if broken is not None and matched < broken:
        result.problems.append(
            f"an entry between seq {matched + 1} and seq {broken} was changed (heads of size "
            f"{matched} match, of size {broken} do not)"
        )


def check_earlier(
    head: TreeHead, leaves: list[bytes], trusted: str | None, result: Verification
) -> None:
    """Check that today's ledger extends ``head`` (a consistency proof); add what fails."""
    label = f"the given head (size {head.tree_size}, {head.timestamp})"
    result.problems += [f"{label}: {p}" for p in problems(head, trusted)]
    m, n = head.tree_size, len(leaves)
    if m > n:
        result.problems.append(
            f"{label}: the ledger has {n} entries, fewer than the head: "
            f"entries {n + 1}..{m} were removed"
        )
        return
    proof = merkle.consistency_proof(m, leaves)
    current = merkle.root(leaves)
    ok = merkle.verify_consistency(m, n, proof, bytes.fromhex(head.root_hash), current)
    result.consistency = {
        "first_size": m,
        "second_size": n,
        "first_root": head.root_hash,
        "second_root": current.hex(),
        "proof": [p.hex() for p in proof],
        "verified": ok,
    }
    if not ok:
        result.problems.append(
            f"{label}: today's ledger does not extend it: one of entries 1..{m} was changed, "
            "removed or moved"
        )


def verify(
    root: Path,
    *,
    trusted: str | None = None,
    earlier: TreeHead | None = None,
    ca: Path | None = None,
) -> Verification:
    """Check the ledger of the workspace at ``root``; ``trusted`` the evidence key's id."""
    lines, torn = Ledger(root).read()
    leaves = [merkle.leaf_hash(line) for line in lines]
    result = Verification(entries=len(lines), root_hash=merkle.root(leaves).hex())
    result.problems += chain_problems(lines, torn)
    check_heads(root, leaves, trusted, ca, result)
    if earlier is not None:
        check_earlier(earlier, leaves, trusted, result)
    if trusted is None:
        result.notes.append("no evidence key: head signatures checked against their own keys")
    return result


def inclusion(root: Path, seq: int, tree_size: int | None = None) -> dict[str, Any]:
    """The inclusion proof of entry ``seq`` in the tree of the first ``tree_size`` entries
    (default: all), with the entry's line and the root it leads to."""
    lines, _ = Ledger(root).read()
    size = len(lines) if tree_size is None else tree_size
    if not 1 <= seq <= size <= len(lines):
        raise ValueError(f"no entry {seq} in a tree of {size} of the ledger's {len(lines)}")
    leaves = [merkle.leaf_hash(line) for line in lines[:size]]
    return {
        "seq": seq,
        "leaf_index": seq - 1,
        "tree_size": size,
        "entry": lines[seq - 1].decode(),
        "leaf_hash": leaves[seq - 1].hex(),
        "proof": [p.hex() for p in merkle.inclusion_proof(seq - 1, leaves)],
        "root_hash": merkle.root(leaves).hex(),
    }
