"""Quarantine: keeping every record that cannot be read, with its reason, exactly as it came."""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

QuarantineKey = tuple[str, int, int | None, str]


def quarantine_entry(
    source: str, line: int, reason: str, detail: str, raw: bytes | object, item: int | None = None
) -> dict[str, Any]:
    """A quarantine record that keeps the input exactly (as text, or base64 if not UTF-8)."""
    entry: dict[str, Any] = {
        "source_file": source,
        "source_line": line,
        "item": item,
        "reason": reason,
        "detail": detail,
        "raw": None,
        "raw_b64": None,
    }
    data = raw if isinstance(raw, bytes) else orjson.dumps(raw)
    try:
        entry["raw"] = data.decode("utf-8")
    except UnicodeDecodeError:
        entry["raw_b64"] = base64.b64encode(data).decode("ascii")
    return entry


def json_failure(payload: bytes, exc: orjson.JSONDecodeError) -> tuple[str, str]:
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError as bad:
        return "invalid_utf8", f"byte {bad.start} is not valid UTF-8"
    if str(exc).startswith("unexpected end of data"):
        return "truncated", f"the JSON record ends early ({exc})"
    return "not_json", str(exc)


def quarantine_key(entry: dict[str, Any]) -> QuarantineKey:
    """What makes a quarantined record the same one again: reason, place and exact content."""
    content = entry["raw"] if entry["raw"] is not None else entry["raw_b64"] or ""
    digest = hashlib.md5(content.encode("utf-8", "surrogatepass"), usedforsecurity=False)
    return entry["reason"], entry["source_line"], entry["item"], digest.hexdigest()


class QuarantineWriter:
    """Appends quarantine entries to the staged JSONL file and counts them by reason.

    A record already quarantined by an earlier ingest (same reason, line and content) is
    counted again but not stored twice, so re-ingesting a file adds nothing.
    """

    def __init__(self, path: Path, ingest_id: str, known: set[QuarantineKey]):
        self.path = path
        self.ingest_id = ingest_id
        self.reasons: Counter[str] = Counter()
        self.stored = 0
        self._known = known
        self._handle = path.open("ab")

    def add(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            self.reasons[entry["reason"]] += 1
            key = quarantine_key(entry)
            if key in self._known:
                continue
            self._known.add(key)
            entry["ingest_id"] = self.ingest_id
            self._handle.write(orjson.dumps(entry) + b"\n")
            self.stored += 1

    def close(self) -> None:
        self._handle.close()

    @property
    def count(self) -> int:
        return sum(self.reasons.values())
