"""One unit of parsing work: a block of records → day-partitioned Parquet + quarantine entries.

Runs in worker processes, so everything it takes and returns is plain, picklable data. The
files it writes are already in the workspace's final format (``schema.STORED``); the ingest
only moves them into place, after dropping duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from distillguard.ingest.formats import FORMATS
from distillguard.ingest.limits import Limits
from distillguard.ingest.lines import Span, read_span
from distillguard.ingest.quarantine import json_failure, quarantine_entry
from distillguard.ingest.record import PARSED_NAMES, ReadContext, ReadOptions, Rejected
from distillguard.ingest.sources import Block, Broken
from distillguard.schema.interactions import PARSED, STORED

_STORED_INDEX = tuple(PARSED.get_field_index(name) for name in STORED.names if name != "ingest_id")
_DAY_INDEX = PARSED.get_field_index("day")
PARQUET_COMPRESSION = "zstd"


@dataclass(frozen=True)
class Job:
    seq: int
    format: str
    source: str
    options: ReadOptions
    out_dir: str
    ingest_id: str
    items: Block | Span
    """The records themselves, or a span of a plain file for the worker to read."""
    max_record_bytes: int = Limits().max_record_bytes
    """Lines of a span longer than this are quarantined as ``too_large``, never held whole."""


@dataclass
class JobResult:
    seq: int
    rows: int = 0
    files: list[tuple[str, int]] = field(default_factory=list)
    """(path, rows) of each day file written: ``<out_dir>/day=YYYY-MM-DD/<seq>.parquet``."""
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)


def run_job(job: Job) -> JobResult:
    result = JobResult(job.seq)
    read = FORMATS[job.format].read
    ctx = ReadContext(job.options)
    rows: list[tuple[Any, ...]] = []
    items = read_span(job.items, job.max_record_bytes) if isinstance(job.items, Span) else job.items
    for item in items:
        if isinstance(item, Broken):
            result.quarantined.append(
                quarantine_entry(job.source, item.line, item.reason, item.detail, item.raw)
            )
            continue
        line, payload = item
        if isinstance(payload, bytes):
            try:
                obj: object = orjson.loads(payload)
            except orjson.JSONDecodeError as exc:
                reason, detail = json_failure(payload, exc)
                result.quarantined.append(
                    quarantine_entry(job.source, line, reason, detail, payload)
                )
                continue
        else:
            obj = payload
        for out in read(obj, ctx):
            if isinstance(out, Rejected):
                result.quarantined.append(
                    quarantine_entry(
                        job.source,
                        line,
                        out.reject.reason,
                        out.reject.detail,
                        out.raw if out.raw is not None else payload,
                        out.item,
                    )
                )
                continue
            out["source_file"] = job.source
            out["source_line"] = line
            if tuple(out) != PARSED_NAMES:
                raise RuntimeError(
                    f"{job.format} reader produced a row that does not match the schema "
                    "(rows must come from new_row()): extra "
                    f"{sorted(set(out) - set(PARSED_NAMES))}, missing "
                    f"{sorted(set(PARSED_NAMES) - set(out))} or columns out of order"
                )
            rows.append(tuple(out.values()))
    result.skipped = dict(ctx.skipped)
    result.rows = len(rows)
    if rows:
        result.files = _write_days(job, rows)
    return result


def _write_days(job: Job, rows: list[tuple[Any, ...]]) -> list[tuple[str, int]]:
    columns = list(zip(*rows, strict=True))
    arrays = [pa.array(columns[i], type=PARSED.field(i).type) for i in _STORED_INDEX]
    arrays.append(pa.array([job.ingest_id] * len(rows), type=pa.string()))
    table = pa.Table.from_arrays(arrays, schema=STORED)
    days = columns[_DAY_INDEX]
    written = []
    for day in sorted(set(days)):
        part = (
            table
            if len(set(days)) == 1
            else table.filter(pa.array([d == day for d in days], type=pa.bool_()))
        )
        folder = Path(job.out_dir) / f"day={day.isoformat()}"
        folder.mkdir(exist_ok=True)
        path = folder / f"{job.seq:08d}.parquet"
        pq.write_table(part, path, compression=PARQUET_COMPRESSION)
        written.append((str(path), part.num_rows))
    return written
