"""JSON-lines files of answers: read the ``text`` of each record, embed files, lose nothing.

A line that is not a JSON object with a string ``text`` is never dropped in silence:
``embed_file`` writes it to a quarantine file beside the output (one JSON object per line:
``line``, ``reason``, ``raw``) and counts it; ``read_texts`` counts it with its reason.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from distillguard.watermark.embed import Embedder
from distillguard.watermark.keys import MasterKey
from distillguard.watermark.scanner import Scanner


class RecordsError(ValueError):
    """An input or output file cannot be used at all."""


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str
    raw: bytes


@dataclass
class Reading:
    """What reading a file found besides the texts."""

    records: int = 0
    rejected: Counter[str] = field(default_factory=Counter)

    @property
    def quarantined(self) -> int:
        return sum(self.rejected.values())


def _parse(line: bytes) -> dict[str, Any] | str:
    """The record on ``line``, or why it is not one."""
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError:
        return "not JSON"
    if not isinstance(record, dict):
        return "not a JSON object"
    if "text" not in record:
        return "no 'text' field"
    if not isinstance(record["text"], str):
        return "'text' is not a string"
    return record


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise RecordsError(f"cannot read {path}: {exc.strerror}") from exc
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line.rstrip(b"\r\n")


def records(path: Path, reading: Reading) -> Iterator[dict[str, Any] | Rejected]:
    """Each non-blank line of ``path``: its record, or a :class:`Rejected` (also counted)."""
    for number, line in _lines(path):
        parsed = _parse(line)
        if isinstance(parsed, str):
            reading.rejected[parsed] += 1
            yield Rejected(number, parsed, line)
        else:
            reading.records += 1
            yield parsed


def read_texts(path: Path, reading: Reading) -> Iterator[str]:
    """The ``text`` of each valid record of ``path`` (the others are counted in ``reading``)."""
    for record in records(path, reading):
        if not isinstance(record, Rejected):
            yield record["text"]


@dataclass
class EmbedReport:
    """What ``embed_file`` did."""

    output: str
    quarantine: str | None
    records: int
    quarantined: int
    reasons: dict[str, int]
    words: int
    opportunities: int
    changed: int

    @property
    def changed_share(self) -> float:
        return self.changed / self.words if self.words else 0.0


def _quarantine_line(rejected: Rejected) -> bytes:
    return orjson.dumps(
        {
            "line": rejected.line,
            "reason": rejected.reason,
            "raw": rejected.raw.decode("utf-8", "replace"),
        }
    )


def embed_file(
    source: Path,
    target: Path,
    key: MasterKey,
    account: str = "",
    scanner: Scanner | None = None,
) -> EmbedReport:
    """Watermark the ``text`` of every record of ``source`` into ``target`` (atomically).

    Other fields are kept as they are. Rejected lines go to ``<target>.quarantine.jsonl``.
    """
    reading = Reading()
    partial = target.with_name(target.name + ".partial")
    quarantine = target.with_name(target.name + ".quarantine.jsonl")
    words = opportunities = changed = 0
    rejected_handle: IO[bytes] | None = None
    try:
        quarantine.unlink(missing_ok=True)  # a quarantine file always belongs to the last run
        with partial.open("wb") as out:
            for record in records(source, reading):
                if isinstance(record, Rejected):
                    if rejected_handle is None:
                        rejected_handle = quarantine.open("wb")
                    rejected_handle.write(_quarantine_line(record) + b"\n")
                    continue
                embedder = Embedder(key, account, scanner)
                words += len(record["text"].split())
                record["text"] = embedder.close(record["text"])
                opportunities += embedder.opportunities
                changed += embedder.changed_words
                out.write(orjson.dumps(record) + b"\n")
        os.replace(partial, target)
    except RecordsError:  # the source cannot be read: leave no partial output behind
        partial.unlink(missing_ok=True)
        raise
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise RecordsError(f"cannot write {target}: {exc.strerror}") from exc
    finally:
        if rejected_handle is not None:
            rejected_handle.close()
    return EmbedReport(
        output=str(target),
        quarantine=str(quarantine) if rejected_handle is not None else None,
        records=reading.records,
        quarantined=reading.quarantined,
        reasons=dict(reading.rejected),
        words=words,
        opportunities=opportunities,
        changed=changed,
    )
