"""The quarantine table: the records ingest could not read, kept with the reason why."""

from __future__ import annotations

import pyarrow as pa

from distillguard.schema.column import Column, schema_of

QUARANTINE_COLUMNS: tuple[Column, ...] = (
    Column(
        "ingest_id", pa.string(), "Ingest run that met the record.", "quarantine", nullable=False
    ),
    Column("source_file", pa.string(), "File the record came from.", "quarantine", nullable=False),
    Column(
        "source_line",
        pa.int64(),
        "Line (or CSV row, or array element) in that file.",
        "quarantine",
        nullable=False,
    ),
    Column(
        "item",
        pa.int32(),
        "Position inside the line when one line holds several records "
        "(OpenTelemetry spans); null otherwise.",
        "quarantine",
    ),
    Column(
        "reason",
        pa.string(),
        "Stable reason code (see docs/data-model.md).",
        "quarantine",
        nullable=False,
    ),
    Column("detail", pa.string(), "Human-readable explanation.", "quarantine", nullable=False),
    Column("raw", pa.string(), "The record as read, when it is valid UTF-8.", "quarantine"),
    Column(
        "raw_b64",
        pa.string(),
        "The record's bytes in base64, when they are not UTF-8.",
        "quarantine",
    ),
)
QUARANTINE = schema_of(QUARANTINE_COLUMNS)
