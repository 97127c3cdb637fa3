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
from distillguard.ingest.record import JsonObject, Read

Container = Callable[[BinaryIO, int], Iterator[sources.Block | sources.Broken]]


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
    {"jsonl": sources.json_lines, "array": sources.json_array, "csv": sources.csv_rows}
)

SAMPLE_LINES = 50


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


def _first_objects(path: Path) -> list[object]:
    """The JSON values of the first lines (whole lines, however long: OTLP lines are big)."""
    objects: list[object] = []
    try:
        with sources.open_decompressed(path) as handle:
            for _ in range(SAMPLE_LINES):
                line = handle.readline()
                if not line:
                    break
                try:
                    objects.append(orjson.loads(line))
                except orjson.JSONDecodeError:
                    continue
    except sources.STREAM_ERRORS:
        pass
    return objects


def detect(path: Path, forced: str | None = None) -> Detected:
    """Tell a file's format and container from its (decompressed) content."""
    content = sources.head(path)
    stripped = content.lstrip()
    if stripped.startswith(b"["):
        container = "array"
        try:
            value = orjson.loads(sources.head(path, 1 << 40)) if forced is None else []
        except orjson.JSONDecodeError:
            value = []
        name = _vote(value[:SAMPLE_LINES] if isinstance(value, list) else [])
    elif (name := _vote(_first_objects(path))) is not None or stripped.startswith(b"{"):
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
