"""``manifest.json``: what ties the bundle's files to the evidence ledger.

The manifest is RFC 8785 canonical JSON with exactly these fields:

- ``format``: ``distillguard-case-bundle``, ``version``: 1;
- ``case_id``;
- ``files``: every other file of the bundle (path → SHA-256);
- ``export_entry``: the ledger entry that records the export, whose payload holds the same
  ``files``, the ``custody`` record, the evidence ``key_id`` and the ``entries`` (seq and
  SHA-256 of each line of ``records/ledger.jsonl``, in order);
- ``custody``: the chain-of-custody record (also in the entry);
- ``proofs``: for the export entry and every entry of ``records/ledger.jsonl``, its RFC 9162
  inclusion proof (seq → list of hex hashes) in the tree of the head;
- ``head``: the signed tree head that includes them all.

Every value is checked by ``verify``: a byte changed anywhere either breaks the JSON, breaks
its canonical form, or changes a value that no longer matches the files, the entry, the
proofs or the signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from distillguard.evidence.canonical import canonical
from distillguard.evidence.entry import Entry
from distillguard.evidence.signing import TreeHead

FILE: Final = "manifest.json"
FORMAT: Final = "distillguard-case-bundle"
VERSION: Final = 1
FIELDS: Final = frozenset(
    {"format", "version", "case_id", "files", "export_entry", "custody", "proofs", "head"}
)


@dataclass(frozen=True)
class Manifest:
    case_id: str
    files: dict[str, str]
    export_entry: Entry
    custody: dict[str, Any]
    proofs: dict[int, list[str]]
    head: TreeHead

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "case_id": self.case_id,
            "files": dict(sorted(self.files.items())),
            "export_entry": self.export_entry.to_dict(),
            "custody": self.custody,
            "proofs": {str(seq): proof for seq, proof in sorted(self.proofs.items())},
            "head": self.head.to_dict(),
        }

    def to_bytes(self) -> bytes:
        return canonical(self.to_dict()) + b"\n"
