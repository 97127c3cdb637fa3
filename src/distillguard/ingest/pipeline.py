"""An ingest run: read inputs in parallel, stage, de-duplicate, enrich, commit atomically.

1. Every input file's format is told (or forced) before any work, so a file of an unknown
   format stops the run before anything is written.
2. Blocks of records go to worker processes that write day-partitioned Parquet in its final
   format into the staging folder; records that cannot be read become quarantine entries.
3. DuckDB (memory-limited, spilling to the staging folder) reads only request ids to find
   those already in the workspace or repeated in the run; the few files holding them are
   rewritten without them.
4. Client IPs the workspace has not seen are enriched once, into ``ip_info``.
5. The workspace commits the new files, the accounts snapshot, the enrichment and the
   quarantine file in one catalog transaction.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from distillguard.ingest import accounts as accounts_file
from distillguard.ingest import sources
from distillguard.ingest.enrich import IpEnricher
from distillguard.ingest.formats import CONTAINERS, Detected, detect
from distillguard.ingest.limits import Limits
from distillguard.ingest.lines import plan_spans
from distillguard.ingest.quarantine import QuarantineWriter, quarantine_entry
from distillguard.ingest.record import ReadOptions
from distillguard.ingest.runner import JobRunner
from distillguard.ingest.worker import PARQUET_COMPRESSION, Job, JobResult
from distillguard.settings import Settings
from distillguard.workspace import Workspace

Progress = Callable[[int], None]
Move = tuple[Path, str, str, int]
"""(staged file, path inside the workspace, table, rows)."""


@dataclass
class InputFile:
    path: str
    format: str
    container: str
    compression: str


@dataclass
class IngestReport:
    ingest_id: str
    workspace: str
    files: list[InputFile] = field(default_factory=list)
    read: int = 0
    ingested: int = 0
    duplicates: int = 0
    quarantined: int = 0
    quarantine_new: int = 0
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    accounts: dict[str, int] = field(default_factory=dict)
    enrichment: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    records_per_second: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def new_ingest_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)


def _parse_inputs(
    files: list[tuple[Path, Detected]],
    settings: Settings,
    out_dir: Path,
    ingest_id: str,
    quarantine: QuarantineWriter,
    report: IngestReport,
    progress: Progress | None,
) -> None:
    options = ReadOptions.from_settings(settings)
    limits = Limits.from_settings(settings)
    workers = settings.integer("ingest.workers") or os.cpu_count() or 1
    block_size = settings.integer("ingest.batch_records")
    runner = JobRunner(workers)
    skipped: Counter[str] = Counter()
    seq = 0

    def collect(results: Iterator[JobResult]) -> None:
        for result in results:
            report.read += result.rows
            quarantine.add(result.quarantined)
            skipped.update(result.skipped)

    try:
        for path, detected in files:
            source = str(path)
            if detected.container == "jsonl" and sources.compression(path) == "plain":
                for span in plan_spans(path, block_size):
                    job = Job(
                        seq,
                        detected.format,
                        source,
                        options,
                        str(out_dir),
                        ingest_id,
                        span,
                        limits.max_record_bytes,
                    )
                    seq += 1
                    collect(runner.submit(job))
                    if progress is not None:
                        progress(span.end - span.start)
                continue
            with path.open("rb") as base:
                counter = sources.CountingReader(base)
                seen = 0
                with sources.open_decompressed(path, counter, limits) as handle:
                    for block in CONTAINERS[detected.container](handle, block_size, limits):
                        if progress is not None:
                            progress(counter.consumed - seen)
                            seen = counter.consumed
                        if isinstance(block, sources.Broken):
                            quarantine.add(
                                [
                                    quarantine_entry(
                                        source, block.line, block.reason, block.detail, block.raw
                                    )
                                ]
                            )
                            continue
                        job = Job(
                            seq, detected.format, source, options, str(out_dir), ingest_id, block
                        )
                        seq += 1
                        collect(runner.submit(job))
                if progress is not None:
                    progress(path.stat().st_size - seen)
        collect(runner.drain())
    finally:
        runner.close()
    report.skipped = dict(skipped)


def _duckdb(settings: Settings, staging: Path) -> duckdb.DuckDBPyConnection:
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": settings.text("ingest.memory_limit"),
        "temp_directory": str(staging / "spill"),
        "preserve_insertion_order": False,
    }
    return duckdb.connect(config=config)


def _parquet_list(paths: list[Path]) -> str:
    quoted = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
    return f"read_parquet([{quoted}])"


def _drop_duplicates(
    con: duckdb.DuckDBPyConnection, workspace: Workspace, staged: list[Path], report: IngestReport
) -> None:
    """Remove rows whose request id is already in the workspace or came earlier in this run.

    Files are named by the job that wrote them, so ordering by file name then row keeps the
    first occurrence in input order. Only the request id column is read.
    """
    existing = workspace.files("interactions")
    known = (
        f" OR request_id IN (SELECT request_id FROM {_parquet_list(existing)})" if existing else ""
    )
    scan = _parquet_list(staged)[:-1] + ", filename = true, file_row_number = true)"
    drops = con.execute(
        "SELECT filename, list(file_row_number) FROM ("
        "  SELECT filename, file_row_number, request_id, row_number() OVER ("
        "    PARTITION BY request_id ORDER BY parse_filename(filename), filename, file_row_number"
        f"  ) AS nth FROM {scan}"
        f") AS ranked WHERE nth > 1{known} GROUP BY filename"
    ).fetchall()
    for filename, rows in drops:
        path = Path(filename)
        report.duplicates += len(rows)
        table = pq.read_table(path)
        if len(rows) == table.num_rows:
            path.unlink()
            continue
        keep = pc.invert(pc.is_in(pa.array(range(table.num_rows)), pa.array(rows)))
        pq.write_table(table.filter(keep), path, compression=PARQUET_COMPRESSION)
    report.ingested = report.read - report.duplicates


def _enrich_new_ips(
    con: duckdb.DuckDBPyConnection,
    workspace: Workspace,
    kept: list[Path],
    ingest_id: str,
    staging: Path,
    report: IngestReport,
) -> Path | None:
    """Look up the addresses the workspace has not seen yet; one row per address."""
    known_files = workspace.files("ip_info")
    known = (
        f" AND client_ip NOT IN (SELECT ip FROM {_parquet_list(known_files)})"
        if known_files
        else ""
    )
    ips = [
        row[0]
        for row in con.execute(
            f"SELECT DISTINCT client_ip FROM {_parquet_list(kept)} "
            f"WHERE client_ip IS NOT NULL{known}"
        ).fetchall()
    ]
    if not ips:
        return None
    enricher = IpEnricher()
    table = enricher.table(sorted(ips), ingest_id)
    report.enrichment = {
        "new_ips": len(ips),
        "vintage": enricher.vintage(),
        "not_verified": dict(enricher.misses),
    }
    path = staging / "ip_info.parquet"
    pq.write_table(table, path, compression=PARQUET_COMPRESSION)
    return path


def _commit_interactions(
    workspace: Workspace,
    ingest_id: str,
    staging: Path,
    settings: Settings,
    report: IngestReport,
) -> list[Move]:
    staged = sorted((staging / "out").rglob("*.parquet"))
    if not staged:
        return []
    moves: list[Move] = []
    with _duckdb(settings, staging) as con:
        _drop_duplicates(con, workspace, staged, report)
        kept = [p for p in staged if p.exists()]
        if kept and settings.flag("ingest.enrich"):
            ip_info = _enrich_new_ips(con, workspace, kept, ingest_id, staging, report)
            if ip_info is not None:
                rows = pq.ParquetFile(ip_info).metadata.num_rows
                moves.append((ip_info, f"ip_info/{ingest_id}.parquet", "ip_info", rows))
    for staged_file in kept:
        rows = pq.ParquetFile(staged_file).metadata.num_rows
        target = f"interactions/{staged_file.parent.name}/{ingest_id}-{staged_file.stem}.parquet"
        moves.append((staged_file, target, "interactions", rows))
    return moves


def _commit_accounts(
    workspace: Workspace,
    ingest_id: str,
    staging: Path,
    paths: list[Path],
    quarantine: QuarantineWriter,
    report: IngestReport,
    limits: Limits,
) -> tuple[list[Move], list[str]]:
    if not paths:
        return [], []
    current: dict[str, dict[str, Any]] = {}
    old_files = workspace.files("accounts")
    for old in old_files:
        for row in pq.read_table(old).to_pylist():
            current[row["account_id"]] = row
    counts: Counter[str] = Counter()
    for path in paths:
        rows, bad = accounts_file.read_accounts_file(path, str(path), limits)
        quarantine.add(bad)
        counts["read"] += len(rows)
        counts["quarantined"] += len(bad)
        for row in rows:
            before = current.get(row["account_id"])
            if before is None:
                counts["added"] += 1
            elif {k: before[k] for k in row} == row:
                counts["unchanged"] += 1
                continue
            else:
                counts["updated"] += 1
            current[row["account_id"]] = {**row, "ingest_id": ingest_id}
    report.accounts = {
        k: counts[k] for k in ("read", "added", "updated", "unchanged", "quarantined")
    }
    if not counts["added"] and not counts["updated"]:
        return [], []
    table = accounts_file.to_table(list(current.values()))
    staged = staging / "accounts.parquet"
    pq.write_table(table, staged, compression="zstd")
    replaced = [str(p.relative_to(workspace.root)) for p in old_files]
    return [(staged, f"accounts/{ingest_id}.parquet", "accounts", table.num_rows)], replaced


def ingest(
    workspace: Workspace,
    paths: list[Path],
    settings: Settings,
    accounts: list[Path] | None = None,
    forced_format: str | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest log files (and accounts files) into ``workspace``; returns what happened."""
    started = datetime.now(UTC)
    clock = perf_counter()
    limits = Limits.from_settings(settings)
    files = [(p.resolve(), detect(p, forced_format, limits)) for p in sources.expand(paths)]
    account_paths = [p.resolve() for p in sources.expand(accounts)] if accounts else []
    ingest_id = new_ingest_id()
    report = IngestReport(ingest_id, str(workspace.root))
    report.files = [
        InputFile(str(p), d.format, d.container, sources.compression(p)) for p, d in files
    ]
    with workspace.writer():
        staging = workspace.staging(ingest_id)
        try:
            (staging / "out").mkdir()
            quarantine = QuarantineWriter(
                staging / "quarantine.jsonl", ingest_id, workspace.quarantine_keys()
            )
            try:
                _parse_inputs(
                    files, settings, staging / "out", ingest_id, quarantine, report, progress
                )
                report.phases["parse"] = round(perf_counter() - clock, 3)
                moves = _commit_interactions(workspace, ingest_id, staging, settings, report)
                report.phases["dedup_enrich_write"] = round(
                    perf_counter() - clock - report.phases["parse"], 3
                )
                account_moves, replaced = _commit_accounts(
                    workspace, ingest_id, staging, account_paths, quarantine, report, limits
                )
            finally:
                quarantine.close()
            report.quarantined = quarantine.count
            report.quarantine_reasons = dict(sorted(quarantine.reasons.items()))
            moves.extend(account_moves)
            report.quarantine_new = quarantine.stored
            if quarantine.stored:
                moves.append(
                    (
                        quarantine.path,
                        f"quarantine/{ingest_id}.jsonl",
                        "quarantine",
                        quarantine.stored,
                    )
                )
            report.seconds = round(perf_counter() - clock, 3)
            total = report.read + report.quarantined
            report.records_per_second = round(total / report.seconds, 1) if report.seconds else 0
            workspace.commit(
                ingest_id, started, datetime.now(UTC), report.to_dict(), moves, replaced
            )
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return report
