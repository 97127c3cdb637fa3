"""JSON Lines: cutting a stream, or a span of a plain file, into numbered lines, bounded.

A line longer than ``ingest.max_record_bytes`` never sits in memory whole: it is hashed while
it streams by and comes out as a ``too_large`` ``Broken`` record, and the lines after it go on.
A plain file is cut into spans at line ends so worker processes read their records themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from distillguard.ingest.limits import Limits
from distillguard.ingest.oversize import RecordBuffer, whole_too_large
from distillguard.ingest.sources import BOM, READ_SIZE, Block, Broken, Item
from distillguard.ingest.splitting import split_blocks

DEFAULT_LIMITS = Limits()


class LineSplitter:
    """Turns chunks of bytes into numbered non-blank lines (and ``too_large`` verdicts).

    At the start of a file (``first_line`` 1) a UTF-8 byte order mark is dropped.
    """

    unit = "line"

    def __init__(self, max_record_bytes: int, first_line: int = 1) -> None:
        self.cap = max_record_bytes
        self.line = first_line - 1  # lines finished so far
        self._open = RecordBuffer(max_record_bytes)
        self._at_start = first_line == 1

    def feed(self, data: bytes) -> Iterator[Item | Broken]:
        if self._at_start and data:
            self._at_start = False
            data = data.removeprefix(BOM)
        start = 0
        if not self._open.empty:
            nl = data.find(b"\n")
            if nl < 0:
                self._open.add(data)
                return
            self._open.add(data[:nl])
            yield from self._close()
            start = nl + 1
        end = data.rfind(b"\n")
        if end >= start:
            cap = self.cap
            for line in data[start:end].split(b"\n"):
                self.line += 1
                if len(line) > cap:
                    yield whole_too_large(self.line, line, cap)
                elif line.strip():
                    yield self.line, line
            start = end + 1
        if start < len(data):
            self._open.add(data[start:])

    @property
    def done(self) -> int:
        return self.line

    @property
    def failed(self) -> bool:
        return False

    def _close(self) -> Iterator[Item | Broken]:
        self.line += 1
        out = self._open.take(self.line)
        if isinstance(out, Broken):
            yield out
        elif out.strip():
            yield self.line, out

    def finish(self) -> Iterator[Item | Broken]:
        """The last line, when the data does not end with a newline."""
        if not self._open.empty:
            yield from self._close()

    def cut_off(self, why: str) -> Broken:
        """The stream broke: the line in progress (maybe empty) as a ``truncated`` record."""
        return self._open.cut_off(self.line + 1, why)


def json_lines(
    handle: BinaryIO, block_size: int, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Block | Broken]:
    """Blocks of non-blank lines with their 1-based numbers; a broken stream ends with Broken."""
    return split_blocks(handle, LineSplitter(limits.max_record_bytes), block_size)


@dataclass(frozen=True, slots=True)
class Span:
    """A run of whole lines of a plain file: bytes [start, end), the first being ``first_line``.

    Workers read spans themselves, so the main process never copies a plain file's records.
    """

    path: str
    start: int
    end: int
    first_line: int


def _line_end(handle: BinaryIO, pos: int, size: int) -> int:
    """The offset just after the newline at or after ``pos`` (or the end), read in chunks."""
    handle.seek(pos)
    while pos < size:
        chunk = handle.read(min(READ_SIZE, size - pos))
        if not chunk:
            break
        nl = chunk.find(b"\n")
        if nl >= 0:
            return pos + nl + 1
        pos += len(chunk)
    return size


def plan_spans(path: Path, block_size: int) -> Iterator[Span]:
    """Cut a plain JSON-lines file into spans of about ``block_size`` lines, at line ends."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        sample = handle.read(1 << 20)
    mean = max(1, len(sample) // max(1, sample.count(b"\n")))
    target = max(1 << 16, block_size * mean)
    start, line = 0, 1
    with path.open("rb") as handle:
        while start < size:
            end = _line_end(handle, min(start + target, size - 1), size)
            handle.seek(start)
            lines = 0
            remaining = end - start
            while remaining:
                chunk = handle.read(min(remaining, READ_SIZE))
                lines += chunk.count(b"\n")
                remaining -= len(chunk)
            yield Span(str(path), start, end, line)
            start, line = end, line + lines


def read_span(
    span: Span, max_record_bytes: int = DEFAULT_LIMITS.max_record_bytes
) -> Iterator[Item | Broken]:
    """The lines of a span, read in chunks: lines within the cap, ``too_large`` verdicts."""
    splitter = LineSplitter(max_record_bytes, span.first_line)
    with open(span.path, "rb") as handle:
        handle.seek(span.start)
        remaining = span.end - span.start
        while remaining:
            data = handle.read(min(remaining, READ_SIZE))
            if not data:
                break
            remaining -= len(data)
            yield from splitter.feed(data)
    yield from splitter.finish()
