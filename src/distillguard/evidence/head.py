"""The current tree head: bring the ledger up to date, sign its root, time-stamp, keep it.

``ledger head`` runs this. Without an evidence key the head is returned unsigned and not
kept (an unsigned head proves nothing to anyone else); with one it is signed, time-stamped
when ``evidence.tsa_url`` is set, appended to ``evidence/heads.jsonl`` and returned.
"""

from __future__ import annotations

from pathlib import Path

from distillguard.evidence import feeds, merkle, tsa
from distillguard.evidence.keys import default_path, load
from distillguard.evidence.ledger import Ledger
from distillguard.evidence.signing import HeadStore, TreeHead, sign, unsigned
from distillguard.settings import Settings


def current_head(root: Path, settings: Settings) -> tuple[TreeHead, list[str]]:
    """The head of the ledger after a sync, and notes on what was or was not done."""
    report = feeds.sync(root)
    notes = list(report.notes)
    if report.added:
        added = ", ".join(f"{n} {kind}" for kind, n in sorted(report.added.items()))
        notes.append(f"synced into the ledger: {added}")
    leaves = Ledger(root).leaves()
    top = merkle.root(leaves)
    key_path = default_path(root, settings)
    if not key_path.exists():
        notes.append(
            f"no evidence key at {key_path}: the head is not signed nor kept "
            "(create one with `distillguard evidence keygen`)"
        )
        return unsigned(len(leaves), top), notes
    head = sign(load(key_path), len(leaves), top)
    url = settings.text("evidence.tsa_url")
    if url:
        try:
            head = head.with_tsa(
                tsa.stamp(head.tsa_digest(), url, settings.number("evidence.tsa_timeout"))
            )
        except tsa.TsaError as exc:
            notes.append(f"the head is kept without a time-stamp: {exc}")
    HeadStore(root).add(head)
    return head, notes
