"""Opening cases (freezing a cluster's evidence), listing them, reading them, attaching reports.

Decisions:

- **Freeze by copy.** ``open_case`` copies the cluster's rows out of the latest scan and the
  workspace into the case's own Parquet files with DuckDB's ``COPY`` (streamed, not through
  Python), so the case survives the next scan, which replaces the scan's files.
- **Which accounts.** A flagged cluster's case holds the members with the verdict
  ``campaign``; the members left out stay in ``accounts.parquet`` with ``in_case`` false, so
  the dossier can say who was left out and why. A cluster with no such member (an analyst
  opening a case on a cluster the scan did not flag) holds all its members.
- **Whole or nothing.** The case is written in a staging folder and renamed into place; the
  ledger entry is appended only once it is in place. A scan that finishes during the copy
  makes the open fail (run it again) rather than freeze a mix of two scans.
- **Recorded.** Opening and attaching append ``case`` entries to the evidence ledger with the
  SHA-256 of every file, after a ledger sync, so the scan that found the cluster is recorded
  before the case that cites it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import duckdb
import orjson

from distillguard.cases.case import (
    META,
    TABLES,
    Attachment,
    CaseError,
    CaseMeta,
    FrozenFile,
    cases_dir,
    new_id,
    now,
)
from distillguard.digests import file_sha256
from distillguard.evidence import feeds
from distillguard.evidence.entry import Draft
from distillguard.evidence.ledger import Ledger, LedgerError
from distillguard.workspace import Workspace, WorkspaceError

ATTACHMENT_KINDS = ("watermark", "note", "other")


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _has(con: duckdb.DuckDBPyConnection, view: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = ? AND temporary", [view]
    ).fetchone()
    return bool(row and row[0])


def _queries(con: duckdb.DuckDBPyConnection, cluster_id: str, all_members: bool) -> dict[str, str]:
    """The query that freezes each table (``?`` is the cluster id)."""
    in_case = "true" if all_members else "s.verdict = 'campaign'"
    members = (
        "SELECT s.*, a.created_at, a.email_domain, a.payment_fingerprint, a.billing_country, "
        f"a.tier, a.program, a.verified, {in_case} AS in_case "
        "FROM account_scores AS s LEFT JOIN accounts AS a USING (account_id) "
        "WHERE s.cluster_id = ? ORDER BY s.score DESC, s.account_id"
    )
    chosen = "SELECT account_id FROM account_scores AS s WHERE s.cluster_id = ?" + (
        "" if all_members else " AND s.verdict = 'campaign'"
    )
    features = (
        "SELECT f.* FROM account_features AS f "
        "JOIN account_scores AS s USING (account_id) WHERE s.cluster_id = ? ORDER BY account_id"
        if _has(con, "account_features")
        else "SELECT NULL::VARCHAR AS account_id WHERE false AND ? IS NOT NULL"
    )
    return {
        "cluster": "SELECT * FROM clusters WHERE cluster_id = ?",
        "accounts": members,
        "calls": (
            f"SELECT * FROM interactions WHERE account_id IN ({chosen}) ORDER BY ts, request_id"
        ),
        "links": (
            "SELECT l.* FROM links AS l JOIN account_scores AS s USING (account_id) "
            "WHERE s.cluster_id = ? ORDER BY l.account_id, l.kind, l.entity"
        ),
        "features": features,
        "labels": (
            "SELECT * FROM analyst_labels WHERE cluster_id = $cid OR account_id IN "
            "(SELECT account_id FROM account_scores WHERE cluster_id = $cid) "
            "ORDER BY labelled_at, labelling_id, account_id"
        ),
    }


def _freeze(ws: Workspace, cluster_id: str, folder: Path) -> tuple[str, str, dict[str, int]]:
    """Copy the cluster's tables into ``folder``; (scope, scan id, rows per table)."""
    latest = ws.latest_scan()
    if latest is None:
        raise CaseError(f"{ws.root} has not been scanned yet; run `distillguard scan`")
    with ws.connect() as con:
        row = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE verdict = 'campaign') "
            "FROM account_scores WHERE cluster_id = ?",
            [cluster_id],
        ).fetchone()
        if row is None or row[0] == 0:
            raise CaseError(f"cluster {cluster_id!r} is not in the latest scan")
        all_members = row[1] == 0
        rows: dict[str, int] = {}
        for name, query in _queries(con, cluster_id, all_members).items():
            target = folder / f"{name}.parquet"
            sql = f"COPY ({query}) TO {_quote(target)} (FORMAT parquet, COMPRESSION zstd)"
            if "$cid" in query:
                con.execute(sql, {"cid": cluster_id})
            else:
                con.execute(sql, [cluster_id] * query.count("?"))
            counted = con.execute(f"SELECT count(*) FROM read_parquet({_quote(target)})").fetchone()
            rows[name] = int(counted[0]) if counted else 0
    after = ws.latest_scan()
    if after is None or after["scan_id"] != latest["scan_id"]:
        raise CaseError("a scan finished while the case was being frozen; open it again")
    scope = "all members" if all_members else "campaign verdicts"
    return scope, str(latest["scan_id"]), rows


def _finished_at(ws: Workspace) -> str:
    latest = ws.latest_scan()
    return "" if latest is None else str(latest["finished_at"])


def top_cluster(ws: Workspace) -> str:
    """The flagged cluster of the latest scan with the highest score (the largest on a tie)."""
    if ws.latest_scan() is None:
        raise CaseError(f"{ws.root} has not been scanned yet; run `distillguard scan`")
    with ws.connect() as con:
        row = con.execute(
            "SELECT cluster_id FROM clusters WHERE flagged "
            "ORDER BY score DESC, n_accounts DESC, cluster_id LIMIT 1"
        ).fetchone()
    if row is None:
        raise CaseError("the latest scan flagged no cluster; name one with --cluster")
    return str(row[0])


def open_case(ws: Workspace, cluster_id: str, title: str | None, analyst: str) -> CaseMeta:
    """Freeze ``cluster_id`` of the latest scan as a new case and record it in the ledger."""
    ws.require()
    opened = now()
    case_id = new_id(opened)
    base = cases_dir(ws.root)
    base.mkdir(parents=True, exist_ok=True)
    staging = base / f".staging-{case_id}"
    staging.mkdir()
    try:
        try:
            feeds.sync(ws.root)
        except LedgerError as exc:
            raise CaseError(f"the ledger cannot record a case: {exc}") from exc
        scope, scan_id, rows = _freeze(ws, cluster_id, staging)
        files = tuple(
            FrozenFile(
                f"{name}.parquet",
                file_sha256(staging / f"{name}.parquet"),
                (staging / f"{name}.parquet").stat().st_size,
                rows[name],
            )
            for name in TABLES
        )
        accounts = _count(staging / "accounts.parquet", "in_case")
        meta = CaseMeta(
            case_id=case_id,
            title=title or f"Cluster {cluster_id}",
            cluster_id=cluster_id,
            scan_id=scan_id,
            scan_finished_at=_finished_at(ws),
            opened_at=opened.isoformat(),
            opened_by=analyst,
            workspace=str(ws.root),
            scope=scope,
            accounts=accounts,
            members=rows["accounts"],
            calls=rows["calls"],
            files=files,
        )
        (staging / META).write_bytes(meta.to_json())
        os.rename(staging, base / case_id)
    except (duckdb.Error, OSError, WorkspaceError) as exc:
        raise CaseError(f"cannot open a case on cluster {cluster_id!r}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    payload = {"event": "opened", **meta.to_dict()}
    del payload["attachments"]
    _record(ws.root, analyst, f"case:{case_id}:opened", payload)
    return meta


def _count(path: Path, column: str) -> int:
    with duckdb.connect() as con:
        row = con.execute(
            f"SELECT count(*) FILTER (WHERE {column}) FROM read_parquet({_quote(path)})"
        ).fetchone()
    return int(row[0]) if row else 0


def _record(root: Path, actor: str, ref: str, payload: dict[str, Any]) -> None:
    try:
        Ledger(root).append([Draft("case", actor, payload, ref=ref)])
    except LedgerError as exc:
        raise CaseError(f"the case was written but the ledger refused it: {exc}") from exc


def folder(root: Path, case_id: str) -> Path:
    """The folder of an existing case, or ``CaseError``."""
    path = cases_dir(root) / case_id
    if case_id.startswith(".") or "/" in case_id or not (path / META).is_file():
        known = ", ".join(m.case_id for m in list_cases(root)) or "none"
        raise CaseError(f"no case {case_id!r} in {root} (cases: {known})")
    return path


def read(root: Path, case_id: str) -> CaseMeta:
    """The description of case ``case_id``."""
    path = folder(root, case_id) / META
    try:
        return CaseMeta.from_dict(orjson.loads(path.read_bytes()))
    except (OSError, orjson.JSONDecodeError) as exc:
        raise CaseError(f"cannot read {path}: {exc}") from exc


def list_cases(root: Path) -> list[CaseMeta]:
    """Every case of the workspace, oldest first."""
    base = cases_dir(root)
    if not base.is_dir():
        return []
    found = []
    for path in sorted(base.iterdir()):
        if path.name.startswith(".") or not (path / META).is_file():
            continue
        found.append(CaseMeta.from_dict(orjson.loads((path / META).read_bytes())))
    return found


def check_frozen(root: Path, meta: CaseMeta) -> list[str]:
    """Problems with the frozen files (missing, or not the bytes recorded at opening)."""
    base = folder(root, meta.case_id)
    problems = []
    recorded = [(f.path, f.sha256) for f in meta.files]
    recorded += [(a.path, a.sha256) for a in meta.attachments]
    for name, sha256 in recorded:
        path = base / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif file_sha256(path) != sha256:
            problems.append(f"{name}: not the file recorded when it was frozen")
    return problems


def attach(
    root: Path, case_id: str, source: Path, kind: str, note: str | None, analyst: str
) -> Attachment:
    """Copy a report into the case (``attachments/``) and record it in the ledger."""
    if kind not in ATTACHMENT_KINDS:
        raise CaseError(f"attachment kind {kind!r} is not one of {', '.join(ATTACHMENT_KINDS)}")
    meta = read(root, case_id)
    base = folder(root, case_id)
    if not source.is_file():
        raise CaseError(f"{source} is not a file")
    if kind == "watermark":
        _check_watermark(source)
    name = f"attachments/{len(meta.attachments) + 1:03d}-{source.name}"
    target = base / name
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(source, target)
    attachment = Attachment(
        kind=kind,
        path=name,
        sha256=file_sha256(target),
        note=note,
        added_at=now().isoformat(),
        added_by=analyst,
        source=str(source.resolve()),
    )
    updated = replace(meta, attachments=(*meta.attachments, attachment))
    temporary = base / (META + ".tmp")
    temporary.write_bytes(updated.to_json())
    os.replace(temporary, base / META)
    _record(
        root,
        analyst,
        f"case:{case_id}:attached:{attachment.sha256}",
        {"event": "attached", "case_id": case_id, **asdict(attachment)},
    )
    return attachment


def _check_watermark(source: Path) -> None:
    """A watermark attachment is the JSON report of ``distillguard watermark verify|probe``."""
    try:
        lines = [line for line in source.read_bytes().splitlines() if line.strip()]
        report = orjson.loads(lines[-1]) if lines else None
    except (OSError, orjson.JSONDecodeError) as exc:
        raise CaseError(f"{source} is not a watermark report (JSON): {exc}") from exc
    if not isinstance(report, dict) or not {"p_value", "detected", "tested"} <= report.keys():
        raise CaseError(
            f"{source} is not a watermark report; attach the output of "
            "`distillguard watermark verify ... --json` or `watermark probe ... --json`"
        )
