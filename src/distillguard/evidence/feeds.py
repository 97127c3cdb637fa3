"""Bring the workspace's records into the ledger: controls, scans and their verdicts, labels.

The ledger does not ask other parts of the product to write to it; it imports what they
already keep, idempotently (each source record has a ``ref``, and a ref is recorded once):

- **controls** — every line of the gateway's controls log (``gateway/controls.jsonl``), the
  "reasonable measures" timeline, with the SHA-256 of the exact line. The log's own chain ends
  at its last line; the ledger anchors it under a signed head.
- **scan** — every run in the catalog's ``scans`` table (scans and re-decisions): its report,
  the report's digest and, while the run is the latest, the SHA-256 of each of its files.
- **verdict** — each flagged cluster of the latest scan: its score, size and member accounts.
- **label** — every analyst labelling: its report, its file's SHA-256 and its decisions.
- **decision** — the gateway's enforcement decisions, as its log recorded them and ingest
  committed them: per ingest, per account and per action other than ``allow``, the number of
  calls, the first and last time, the rules that matched and a few request ids. An ingest's
  files never change once committed, so each of these is recorded once and stays true.

Scan files are replaced by the next scan, so their digests are recorded only by a sync that
runs while they are current: ``ledger head`` and ``ledger verify`` sync first, and running
``distillguard ledger sync`` after each scan keeps every scan's digests.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import orjson

from distillguard.digests import file_sha256
from distillguard.evidence.canonical import digest, sha256_hex
from distillguard.evidence.entry import Draft
from distillguard.evidence.ledger import Ledger
from distillguard.gateway.controls import ControlsLog
from distillguard.workspace import CATALOG

SYSTEM = "distillguard"
"""The actor of records the product made by itself (a scan has no analyst)."""


@dataclass
class SyncReport:
    added: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "notes": self.notes}


def _file_sha256(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


def controls_drafts(root: Path) -> tuple[list[Draft], list[str]]:
    """One draft per readable line of the controls log; and what its own check found."""
    log = ControlsLog(root)
    try:
        data = log.path.read_bytes()
    except FileNotFoundError:
        return [], []
    drafts = []
    for line in data.split(b"\n"):
        try:
            entry = orjson.loads(line) if line else None
        except orjson.JSONDecodeError:
            continue  # torn or garbled: the log's own check below reports it
        if not isinstance(entry, dict):
            continue
        line_sha256 = sha256_hex(line)
        drafts.append(
            Draft(
                "controls",
                str(entry.get("who") or SYSTEM),
                {"source": "gateway/controls.jsonl", "line_sha256": line_sha256, "entry": entry},
                ref=f"controls:{line_sha256}",
            )
        )
    return drafts, [f"controls log {p}" for p in log.verify()]


def _rows(con: duckdb.DuckDBPyConnection, sql: str, args: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, args)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    return bool(found and found[0])


def _files(con: duckdb.DuckDBPyConnection, root: Path, run_id: str) -> dict[str, Any]:
    listed = _rows(
        con, "SELECT path, table_name, rows FROM files WHERE ingest_id = ? ORDER BY path", [run_id]
    )
    return {
        f["table_name"]: {
            "path": f["path"],
            "rows": f["rows"],
            "sha256": _file_sha256(root / f["path"]),
        }
        for f in listed
        if (root / f["path"]).is_file()
    }


def _verdicts(root: Path, scan_id: str, files: dict[str, Any]) -> list[Draft]:
    if "clusters" not in files or "account_scores" not in files:
        return []
    clusters, scores = root / files["clusters"]["path"], root / files["account_scores"]["path"]
    with duckdb.connect() as con:
        flagged = _rows(
            con,
            "SELECT cluster_id, score, n_accounts, n_interactions, link_kinds "
            "FROM read_parquet(?) WHERE flagged ORDER BY cluster_id",
            [str(clusters)],
        )
        members: dict[str, list[str]] = {}
        for row in con.execute(
            "SELECT cluster_id, account_id FROM read_parquet(?) "
            "WHERE cluster_id IS NOT NULL ORDER BY account_id",
            [str(scores)],
        ).fetchall():
            members.setdefault(row[0], []).append(row[1])
    drafts = []
    for cluster in flagged:
        accounts = members.get(cluster["cluster_id"], [])
        payload = {
            "scan_id": scan_id,
            **cluster,
            "accounts": accounts,
            "accounts_sha256": digest(accounts),
        }
        ref = f"verdict:{scan_id}:{cluster['cluster_id']}"
        drafts.append(Draft("verdict", SYSTEM, payload, ref=ref))
    return drafts


EXAMPLE_REQUESTS = 5
"""Request ids kept per decision entry, for finding the calls again."""


def _decision_drafts(con: duckdb.DuckDBPyConnection, root: Path) -> list[Draft]:
    """One draft per ingest, account and gateway action other than ``allow``."""
    files: dict[str, list[str]] = {}
    for ingest_id, path in con.execute(
        "SELECT ingest_id, path FROM files WHERE table_name = 'interactions' ORDER BY path"
    ).fetchall():
        if (root / path).is_file():
            files.setdefault(ingest_id, []).append(str(root / path))
    drafts = []
    with duckdb.connect() as own:
        for ingest_id in sorted(files):
            rows = _rows(
                own,
                "SELECT account_id, gateway_action AS action, count(*) AS calls, "
                "strftime(min(ts) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS first, "
                "strftime(max(ts) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS last, "
                "list(request_id ORDER BY ts, request_id)[:?] AS request_ids, "
                "list(gateway_rules) AS rules "
                "FROM read_parquet(?, union_by_name = true) "
                "WHERE gateway_action IS NOT NULL AND gateway_action <> 'allow' "
                "GROUP BY ALL ORDER BY account_id, action",
                [EXAMPLE_REQUESTS, files[ingest_id]],
            )
            for row in rows:
                matched = Counter(r for rules in row.pop("rules") for r in rules or [])
                payload = {"ingest_id": ingest_id, **row, "rules": dict(sorted(matched.items()))}
                ref = f"decision:{ingest_id}:{row['account_id']}:{row['action']}"
                drafts.append(Draft("decision", "gateway", payload, ref=ref))
    return drafts


def catalog_drafts(root: Path) -> list[Draft]:
    """Drafts for the catalog's scans (with the latest one's verdicts), labellings and the
    gateway's enforcement decisions."""
    path = root / CATALOG
    if not path.is_file():
        return []
    drafts: list[Draft] = []
    with duckdb.connect(str(path), read_only=True) as con:
        scans = (
            _rows(con, "SELECT * FROM scans ORDER BY finished_at, scan_id", [])
            if _has_table(con, "scans")
            else []
        )
        for scan in scans:
            report = orjson.loads(scan["report"])
            files = _files(con, root, scan["scan_id"])
            payload = {
                "scan_id": scan["scan_id"],
                "started_at": scan["started_at"],
                "finished_at": scan["finished_at"],
                "report": report,
                "report_sha256": digest(report),
                "files": files,
            }
            drafts.append(Draft("scan", SYSTEM, payload, ref=f"scan:{scan['scan_id']}"))
            drafts += _verdicts(root, scan["scan_id"], files)
        labellings = (
            _rows(con, "SELECT * FROM labellings ORDER BY finished_at, labelling_id", [])
            if _has_table(con, "labellings")
            else []
        )
        for labelling in labellings:
            drafts.append(_label_draft(con, root, labelling))
        if _has_table(con, "files"):
            drafts += _decision_drafts(con, root)
    return drafts


def _label_draft(con: duckdb.DuckDBPyConnection, root: Path, labelling: dict[str, Any]) -> Draft:
    report = orjson.loads(labelling["report"])
    files = _files(con, root, labelling["labelling_id"])
    decisions: list[dict[str, Any]] = []
    if "analyst_labels" in files:
        with duckdb.connect() as own:
            decisions = _rows(
                own,
                "SELECT * FROM read_parquet(?) ORDER BY account_id",
                [str(root / files["analyst_labels"]["path"])],
            )
    payload = {
        "labelling_id": labelling["labelling_id"],
        "report": report,
        "files": files,
        "decisions": decisions,
    }
    actor = str(report.get("analyst") or SYSTEM)
    return Draft("label", actor, payload, ref=f"labelling:{labelling['labelling_id']}")


def record_controls(root: Path) -> SyncReport:
    """Import the controls log's new entries into the ledger."""
    drafts, notes = controls_drafts(root)
    written = Ledger(root).append(drafts)
    return SyncReport(dict(Counter(e.kind for e in written)), notes)


def sync(root: Path) -> SyncReport:
    """Import every new controls entry, scan, verdict, labelling and enforcement decision;
    what was added."""
    drafts, notes = controls_drafts(root)
    try:
        drafts += catalog_drafts(root)
    except duckdb.Error as exc:  # a writer holds the catalog: the next sync takes them
        notes.append(f"scans and labels not synced this time: the catalog is busy ({exc})")
    written = Ledger(root).append(drafts)
    return SyncReport(dict(Counter(e.kind for e in written)), notes)
