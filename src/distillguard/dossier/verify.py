"""``case verify DIR``: re-check a bundle offline and name what fails.

Checks, each problem a line:

- ``manifest.json`` is canonical JSON with exactly its fields;
- every file of the bundle is listed in the manifest with its SHA-256, and no listed file is
  missing or changed (``manifest.json`` itself excepted);
- the export entry is a well-formed ledger entry of this case whose ``files``, ``custody``
  and ``key_id`` are the manifest's;
- ``records/ledger.jsonl`` holds exactly the entries the export entry lists, in order, each
  a canonical ledger line (an entry removed, added, edited or moved shows);
- each of those entries and the export entry has an RFC 9162 inclusion proof that leads to
  the head's root at its place (seq − 1);
- the head is signed by its key (and by the key ``--key-id`` names, when given), and its
  time-stamp token, when there is one and a CA is given, is valid for it;
- the records agree with the case's opening: as many accounts and calls as were frozen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from distillguard.digests import file_sha256
from distillguard.dossier.manifest import FIELDS, FORMAT, VERSION
from distillguard.dossier.manifest import FILE as MANIFEST
from distillguard.dossier.records import FOLDER, LEDGER
from distillguard.evidence import merkle, tsa
from distillguard.evidence.canonical import canonical, sha256_hex
from distillguard.evidence.entry import Entry, EntryError, parse
from distillguard.evidence.signing import HeadError, TreeHead, from_dict, problems


@dataclass
class BundleCheck:
    folder: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files_checked: int = 0
    entries_checked: int = 0
    head: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "ok": self.ok,
            "problems": self.problems,
            "notes": self.notes,
            "files_checked": self.files_checked,
            "entries_checked": self.entries_checked,
            "head": self.head,
        }


def _manifest(folder: Path, result: BundleCheck) -> dict[str, Any] | None:
    path = folder / MANIFEST
    try:
        data = path.read_bytes()
    except OSError as exc:
        result.problems.append(f"{MANIFEST}: cannot be read ({exc.strerror})")
        return None
    try:
        manifest = orjson.loads(data)
    except orjson.JSONDecodeError:
        result.problems.append(f"{MANIFEST}: not JSON (edited or damaged)")
        return None
    if not isinstance(manifest, dict) or set(manifest) != FIELDS:
        result.problems.append(f"{MANIFEST}: not a bundle manifest (fields differ)")
        return None
    if canonical(manifest) + b"\n" != data:
        result.problems.append(f"{MANIFEST}: not in canonical form (edited by hand?)")
    if manifest["format"] != FORMAT or manifest["version"] != VERSION:
        result.problems.append(f"{MANIFEST}: format is not {FORMAT} version {VERSION}")
    return manifest


def _check_files(folder: Path, listed: object, result: BundleCheck) -> None:
    if not isinstance(listed, dict):
        result.problems.append(f"{MANIFEST}: files is not a table of digests")
        return
    present = {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder) != Path(MANIFEST)
    }
    for name in sorted(present - set(listed)):
        result.problems.append(f"{name}: in the bundle but not in the manifest (added)")
    for name, sha256 in sorted(listed.items()):
        path = folder / name
        if not path.is_file():
            result.problems.append(f"{name}: listed in the manifest but missing")
            continue
        result.files_checked += 1
        if file_sha256(path) != sha256:
            result.problems.append(f"{name}: SHA-256 differs from the manifest (changed)")


def _export_entry(manifest: dict[str, Any], result: BundleCheck) -> Entry | None:
    raw = manifest["export_entry"]
    try:
        entry = parse(canonical(raw))
    except (EntryError, TypeError, ValueError) as exc:
        result.problems.append(f"export entry: not a ledger entry ({exc})")
        return None
    payload = entry.payload
    checks = {
        "kind": entry.kind == "case" and payload.get("event") == "exported",
        "case_id": payload.get("case_id") == manifest["case_id"],
        "files": payload.get("files") == manifest["files"],
        "custody": payload.get("custody") == manifest["custody"],
        "key_id": payload.get("key_id") == (manifest["head"] or {}).get("key_id"),
    }
    for name, good in checks.items():
        if not good:
            result.problems.append(f"export entry: {name} does not match the manifest")
    return entry


def _bundle_entries(folder: Path, export: Entry, result: BundleCheck) -> list[tuple[Entry, bytes]]:
    path = folder / FOLDER / f"{LEDGER}.jsonl"
    try:
        lines = path.read_bytes().split(b"\n")
    except OSError:
        result.problems.append(f"{FOLDER}/{LEDGER}.jsonl: missing")
        return []
    if lines and lines[-1] == b"":
        lines.pop()
    found: list[tuple[Entry, bytes]] = []
    for number, line in enumerate(lines, start=1):
        try:
            found.append((parse(line), line))
        except EntryError as exc:
            result.problems.append(f"{FOLDER}/{LEDGER}.jsonl line {number}: {exc}")
    listed = export.payload.get("entries")
    have = [{"seq": e.seq, "sha256": sha256_hex(line)} for e, line in found]
    if listed != have:
        wanted = {(d["seq"], d["sha256"]) for d in listed or [] if isinstance(d, dict)}
        got = {(d["seq"], d["sha256"]) for d in have}
        for seq, _ in sorted(wanted - got):
            result.problems.append(f"ledger entry seq {seq}: recorded by the export but missing")
        for seq, _ in sorted(got - wanted):
            result.problems.append(f"ledger entry seq {seq}: not one the export recorded")
        if wanted == got:
            result.problems.append("ledger entries: not in the order the export recorded")
    return found


def _proofs(
    manifest: dict[str, Any], head: TreeHead, lines: list[tuple[int, bytes]], result: BundleCheck
) -> None:
    proofs = manifest["proofs"]
    if not isinstance(proofs, dict):
        result.problems.append(f"{MANIFEST}: proofs is not a table")
        return
    root = bytes.fromhex(head.root_hash)
    for seq, line in lines:
        proof = proofs.get(str(seq))
        try:
            path = [bytes.fromhex(h) for h in proof] if isinstance(proof, list) else None
        except (TypeError, ValueError):
            path = None
        if path is None:
            result.problems.append(f"ledger entry seq {seq}: no inclusion proof")
            continue
        result.entries_checked += 1
        if not merkle.verify_inclusion(seq - 1, head.tree_size, merkle.leaf_hash(line), path, root):
            result.problems.append(
                f"ledger entry seq {seq}: its inclusion proof does not lead to the head's root"
            )
    extra = set(proofs) - {str(seq) for seq, _ in lines}
    if extra:
        result.problems.append(f"{MANIFEST}: proofs for entries not in the bundle: {sorted(extra)}")


def _head(
    manifest: dict[str, Any], key_id: str | None, ca: Path | None, result: BundleCheck
) -> TreeHead | None:
    try:
        head = from_dict(manifest["head"], "the manifest's head")
    except (HeadError, TypeError, AttributeError) as exc:
        result.problems.append(f"head: {exc}")
        return None
    result.head = head.to_dict()
    result.problems += [f"head: {p}" for p in problems(head, key_id)]
    if key_id is None:
        result.notes.append(
            f"head signed by key {head.key_id}; pass --key-id to require the provider's key"
        )
    if head.tsa is not None:
        if ca is None:
            result.notes.append("the head's time-stamp was not checked (pass --tsa-ca)")
        else:
            result.problems += [
                f"head time-stamp: {p}" for p in tsa.check(head.tsa, head.tsa_digest(), ca)
            ]
    return head


def _counts(folder: Path, entries: list[tuple[Entry, bytes]], result: BundleCheck) -> None:
    opened = [e for e, _ in entries if e.kind == "case" and e.payload.get("event") == "opened"]
    if len(opened) != 1:
        result.problems.append("ledger entries: the case's opening is not among them")
        return
    payload = opened[0].payload
    for name, key in (("accounts", "members"), ("calls", "calls")):
        path = folder / FOLDER / f"{name}.jsonl"
        if not path.is_file():
            continue
        with path.open("rb") as handle:
            rows = sum(1 for _ in handle)
        if rows != payload.get(key):
            result.problems.append(
                f"{FOLDER}/{name}.jsonl: {rows:,} records, but the case froze {payload.get(key)}"
            )


def verify_bundle(
    folder: Path, *, key_id: str | None = None, ca: Path | None = None
) -> BundleCheck:
    """Check the bundle in ``folder``; the result lists every problem found."""
    result = BundleCheck(folder)
    if not folder.is_dir():
        result.problems.append(f"{folder} is not a folder")
        return result
    manifest = _manifest(folder, result)
    if manifest is None:
        return result
    _check_files(folder, manifest["files"], result)
    export = _export_entry(manifest, result)
    head = _head(manifest, key_id, ca, result)
    if export is None or head is None:
        return result
    entries = _bundle_entries(folder, export, result)
    if entries and max(e.seq for e, _ in entries) >= export.seq:
        result.problems.append("ledger entries: one is not older than the export")
    lines = [(e.seq, line) for e, line in entries] + [(export.seq, export.line())]
    _proofs(manifest, head, lines, result)
    _counts(folder, entries, result)
    return result
