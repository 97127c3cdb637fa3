"""The input formats distillguard reads, and telling them apart by content."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

import orjson

from distillguard.ingest import litellm, otel, raw, sources
from distillguard.ingest.arrays import ArraySplitter, json_array
from distillguard.ingest.csvrows import csv_rows
from distillguard.ingest.limits import Limits
from distillguard.ingest.lines import LineSplitter, json_lines
from distillguard.ingest.record import JsonObject, Read

Container = Callable[[BinaryIO, int, Limits], Iterator[sources.Block | sources.Broken]]


@dataclass(frozen=True)
class Format:
    name: str
    read: Read
    looks_like: Callable[[JsonObject], bool]
    help: str


FORMATS = MappingProxyType(
    {
        raw.NAME: Format(raw.NAME, raw.read, raw.looks_like, "distillguard raw API log (JSONL)"),
        otel.NAME: Format(
            otel.NAME, otel.read, otel.looks_like, "OpenTelemetry GenAI spans, OTLP/JSON lines"
        ),
        litellm.NAME: Format(
            litellm.NAME,
            litellm.read,
            litellm.looks_like,
            "LiteLLM proxy spend logs (LiteLLM_SpendLogs rows: JSON array, JSONL or CSV)",
        ),
    }
)

CONTAINERS: MappingProxyType[str, Container] = MappingProxyType(
    {"jsonl": json_lines, "array": json_array, "csv": csv_rows}
)

SAMPLE_LINES = 50
SAMPLE_BYTES = 64 << 20
"""Detection reads at most this much of a file's (decompressed) content."""


@dataclass(frozen=True)
class Detected:
    format: str
    container: str


def _vote(objects: list[object]) -> str | None:
    for obj in objects:
        if isinstance(obj, dict):
            for fmt in FORMATS.values():
                if fmt.looks_like(obj):
                    return fmt.name
    return None


def _first_objects(path: Path, container: str, limits: Limits) -> list[object]:
    """The JSON values of the first records (lines or array elements), from a bounded head.

    Records over ``ingest.max_record_bytes`` are skipped (ingest quarantines them); a
    compressed file is read within the decompression caps, so a bomb stops the run here.
    """
    splitter = (
        ArraySplitter(limits.max_record_bytes)
        if container == "array"
        else LineSplitter(limits.max_record_bytes)
    )
    objects: list[object] = []
    budget = SAMPLE_BYTES
    try:
        with sources.open_decompressed(path, limits=limits) as handle:
            read = getattr(handle, "read1", handle.read)
            while budget > 0 and len(objects) < SAMPLE_LINES:
                data = read(min(sources.READ_SIZE, budget))
                if not data:
                    break
                budget -= len(data)
                objects.extend(_decoded(splitter.feed(data)))
            if budget > 0:
                objects.extend(_decoded(splitter.finish()))
    except sources.STREAM_ERRORS:
        pass
    return objects[:SAMPLE_LINES]


def _decoded(items: Iterator[sources.Item | sources.Broken]) -> Iterator[object]:
    for item in items:
        if isinstance(item, tuple) and isinstance(item[1], bytes):
            try:
                yield orjson.loads(item[1])
            except orjson.JSONDecodeError:
                continue


def detect(path: Path, forced: str | None = None, limits: Limits | None = None) -> Detected:
    """Tell a file's format and container from its (decompressed) content, reading a head.

    Raises ``InputError`` for a file of unknown format and ``DecompressionLimitError`` for a
    compressed file that breaks the caps within the head detection reads.
    """
    limits = limits or Limits()
    content = sources.head(path)
    stripped = content.removeprefix(sources.BOM).lstrip()
    if stripped.startswith(b"["):
        container = "array"
        name = _vote(_first_objects(path, container, limits)) if forced is None else None
    elif (
        name := _vote(_first_objects(path, "jsonl", limits)) if forced is None else None
    ) is not None or stripped.startswith(b"{"):
        container = "jsonl"  # also when the first line is a fragment (a rotated log's head)
    else:
        container = "csv"
        text = content.decode("utf-8-sig", "replace")  # spreadsheet exports start with a BOM
        header = next(csv.reader(io.StringIO(text)), [])
        name = _vote([dict.fromkeys(header, "")]) if header else None
    if forced is not None:
        if forced not in FORMATS:
            raise sources.InputError(f"unknown format {forced!r}; one of {', '.join(FORMATS)}")
        if forced != litellm.NAME:  # only spend logs come as arrays or CSV
            container = "jsonl"
        return Detected(forced, container)
    if name is None:
        raise sources.InputError(
            f"{path}: cannot tell its format from its content (expected one of: "
            + "; ".join(f.help for f in FORMATS.values())
            + "); pass --format to force one"
        )
    return Detected(name, container)
