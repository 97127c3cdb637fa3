"""CSV files: rows as dicts keyed by the header, each with its original bytes and first line.

The csv module is fed physical lines read with a bound, and every line it takes is kept until
its row is done, so a row quarantined for not fitting its header (or not being UTF-8) keeps its
exact bytes and the number of the line it starts on. A physical line longer than
``ingest.max_record_bytes`` is skipped while being hashed and quarantined as ``too_large``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from distillguard.ingest.limits import Limits
from distillguard.ingest.oversize import RecordBuffer
from distillguard.ingest.sources import STREAM_ERRORS, Block, Broken

DEFAULT_LIMITS = Limits()


class _Lines:
    """The physical lines of a text stream, bounded; what was taken since the last row."""

    def __init__(self, text: io.TextIOWrapper, cap: int) -> None:
        self._text = text
        self._cap = cap
        self.taken: list[str] = []
        self.line = 0  # physical lines read
        self.oversized: list[Broken] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._text.readline(self._cap + 1)
        if not line:
            raise StopIteration
        self.line += 1
        if len(line) > self._cap and not line.endswith("\n"):
            self._skip(line)
            return "\n"  # the csv module sees a blank line (which it skips)
        self.taken.append(line)
        return line

    def _skip(self, start: str) -> None:
        buffer = RecordBuffer(self._cap)
        buffer.add(start.encode("utf-8", "surrogateescape"))
        while True:
            more = self._text.readline(self._cap + 1)
            buffer.add(more.encode("utf-8", "surrogateescape"))
            if not more or more.endswith("\n"):
                break
        verdict = buffer.take(self.line)
        assert isinstance(verdict, Broken)
        self.oversized.append(verdict)

    def take_row(self) -> tuple[int, bytes]:
        """The first line number and exact bytes of the row just read."""
        lines, self.taken = self.taken, []
        first = self.line - len(lines) + 1
        while lines and not lines[0].strip("\r\n"):  # blank lines before the row
            lines.pop(0)
            first += 1
        return first, "".join(lines).encode("utf-8", "surrogateescape")


def csv_rows(
    handle: BinaryIO, block_size: int, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Block | Broken]:
    """CSV rows as dicts keyed by the header; rows that do not fit the header are Broken."""
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_record_bytes + 1))
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        yield from _csv_rows(_Lines(text, limits.max_record_bytes), block_size)
    finally:
        if not text.closed:
            text.detach()  # the caller owns (and closes) handle


def _csv_rows(lines: _Lines, block_size: int) -> Iterator[Block | Broken]:
    reader = csv.DictReader(lines)
    block: Block = []
    try:
        _ = reader.fieldnames  # reads the header, which belongs to no row
    except STREAM_ERRORS as exc:
        yield Broken(1, "truncated", f"compressed stream is cut off or corrupt: {exc}", b"")
        return
    except csv.Error as exc:
        yield Broken(1, "bad_csv", f"the header cannot be read: {exc}", b"")
        return
    lines.taken = []
    while True:
        try:
            row = next(reader, None)
        except STREAM_ERRORS as exc:
            if block:
                yield block
            yield from _drain(lines)
            first, raw = lines.take_row()
            yield Broken(first, "truncated", f"compressed stream is cut off or corrupt: {exc}", raw)
            return
        except csv.Error as exc:
            yield from _drain(lines)
            first, raw = lines.take_row()
            yield Broken(first, "bad_csv", str(exc), raw)
            continue
        yield from _drain(lines)
        if row is None:
            break
        line, raw = lines.take_row()
        values = list(row.values())
        if any(isinstance(v, str) and _has_surrogates(v) for v in values):
            yield Broken(line, "invalid_utf8", "the row is not valid UTF-8", raw)
        elif None in row or any(v is None for v in values):
            yield Broken(line, "bad_csv", "the row does not have as many fields as the header", raw)
        else:
            block.append((line, row))
            if len(block) >= block_size:
                yield block
                block = []
    if block:
        yield block


def _drain(lines: _Lines) -> Iterator[Broken]:
    oversized, lines.oversized = lines.oversized, []
    yield from oversized


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
