"""``case export``: write a case's bundle and record it in the ledger under a signed head.

Order of work (``export``):

1. the frozen case is read and checked against ``case.json``; the ledger is synced;
2. in a staging folder next to ``out``: the records (``records/*.jsonl``), the attachments,
   then every document of ``writers`` (report, indicators...), computed from the records;
3. the hash certificate, listing every file so far with its SHA-256;
4. an ``exported`` case entry is appended to the ledger with those digests, the custody
   record and the list of the case's ledger entries in the bundle;
5. a tree head that includes it is signed (and time-stamped when a TSA is configured), and
   ``manifest.json`` is written with the entry, the inclusion proofs and the head;
6. the staging folder is renamed to ``out``: the bundle appears whole or not at all.

An export needs the evidence key: an unsigned bundle would prove nothing to anyone else.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from distillguard.cases.case import TABLES
from distillguard.cases.frozen import FrozenCase
from distillguard.digests import file_sha256
from distillguard.dossier import certification, custody
from distillguard.dossier.context import Context, Prices
from distillguard.dossier.documents import Inputs, Writer
from distillguard.dossier.manifest import FILE as MANIFEST
from distillguard.dossier.manifest import Manifest
from distillguard.dossier.records import FOLDER, LEDGER, RecordSet, case_entries
from distillguard.evidence import feeds, merkle
from distillguard.evidence.canonical import digest
from distillguard.evidence.entry import Draft, Entry
from distillguard.evidence.head import current_head
from distillguard.evidence.keys import default_path, load
from distillguard.evidence.ledger import Ledger
from distillguard.evidence.signing import TreeHead
from distillguard.settings import Settings

ATTACHMENTS = "attachments"


class ExportError(Exception):
    """The bundle cannot be written as asked (the message says why)."""


@dataclass(frozen=True)
class Exported:
    out: Path
    files: dict[str, str]
    entry: Entry
    head: TreeHead
    notes: list[str]


def context_of(
    case: FrozenCase, record: custody.Custody, settings: Settings, redact: bool
) -> Context:
    terms = settings.text("case.terms")
    return Context(
        case_id=case.meta.case_id,
        title=case.meta.title,
        cluster_id=case.meta.cluster_id,
        scan_id=case.meta.scan_id,
        opened_at=case.meta.opened_at,
        opened_by=case.meta.opened_by,
        exported_at=record.exported_at,
        exported_by=record.exported_by,
        time_zone=record.time_zone,
        workspace=record.workspace,
        organisation=settings.text("case.organisation"),
        redacted=redact,
        prices=Prices(
            settings.number("case.price_input_per_mtok"),
            settings.number("case.price_output_per_mtok"),
            settings.number("case.price_reasoning_per_mtok"),
            settings.text("case.currency"),
        ),
        terms=Path(terms) if terms else Path(__file__).with_name("terms.toml"),
        records={name: f"{FOLDER}/{name}.jsonl" for name in (*TABLES, LEDGER)},
    )


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): file_sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _prepare(out: Path) -> Path:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out} exists and is not an empty folder; choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


def export(
    root: Path,
    case_id: str,
    out: Path,
    settings: Settings,
    writers: Sequence[Writer],
    *,
    redact: bool,
    exporter: str | None,
    command: str,
) -> Exported:
    """Write the bundle of ``case_id`` to ``out`` (a new or empty folder)."""
    key_path = default_path(root, settings)
    if not key_path.exists():
        raise ExportError(
            f"no evidence key at {key_path}: a bundle's head must be signed; create the key "
            "with `distillguard evidence keygen`"
        )
    case = FrozenCase.load(root, case_id)
    feeds.sync(root)
    entries = case_entries(Ledger(root).entries(), case)
    record = custody.record(
        case_id,
        case.meta.scan_id,
        case.meta.cluster_id,
        str(root.resolve()),
        redacted=redact,
        exporter=exporter,
        command=command,
    )
    context = context_of(case, record, settings, redact)
    staging = _prepare(out)
    try:
        records = RecordSet.build(case, entries, redact=redact)
        try:
            records.write(staging)
            for attachment in case.meta.attachments:
                target = staging / attachment.path
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(case.folder / attachment.path, target)
            inputs = Inputs(records, context, case.attachments("watermark"))
            notes: list[str] = []
            for writer in writers:
                notes += writer(inputs, staging).notes
        finally:
            records.con.close()
        key_id = load(key_path).key_id
        before = _digests(staging)
        (staging / certification.FILE).write_text(
            certification.render(record, context.organisation, before, key_id, case.meta.title),
            encoding="utf-8",
        )
        files = _digests(staging)
        payload = {
            "event": "exported",
            "case_id": case_id,
            "files": files,
            "entries": [{"seq": e.seq, "sha256": e.digest()} for e in entries],
            "custody": record.to_dict(),
            "key_id": key_id,
            "redacted": redact,
        }
        ref = f"case:{case_id}:exported:{digest(payload)}"
        [entry] = Ledger(root).append([Draft("case", record.exported_by, payload, ref=ref)])
        head, head_notes = current_head(root, settings)
        notes += head_notes
        if not head.signed:
            raise ExportError("the ledger head could not be signed; the bundle is not written")
        leaves = Ledger(root).leaves()[: head.tree_size]
        proofs = {
            e.seq: [h.hex() for h in merkle.inclusion_proof(e.seq - 1, leaves)]
            for e in (*entries, entry)
        }
        manifest = Manifest(case_id, files, entry, record.to_dict(), proofs, head)
        (staging / MANIFEST).write_bytes(manifest.to_bytes())
        if out.exists():
            out.rmdir()
        os.rename(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Exported(out, files, entry, head, notes)
