"""Input files: expanding folders, opening plain / gzip / zstd by content, reading records.

Compression is recognised by the file's first bytes, never by its name. Records come out in
blocks of ``(line number, payload)`` pairs, where the payload is the line's bytes (JSON Lines),
a decoded element (a JSON array) or a ``dict[str, str]`` (a CSV row). A compressed stream that
ends early or is corrupt does not stop the ingest: what was read is kept and the cut-off tail
is reported as a ``Broken`` record for quarantine.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

import orjson
import zstandard

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
READ_SIZE = 1 << 22
CSV_FIELD_LIMIT = 1 << 30

Payload = bytes | object


class InputError(Exception):
    """An input path cannot be used at all (missing, unreadable, or of an unknown format)."""


@dataclass(frozen=True, slots=True)
class Broken:
    """A record that could not be read whole from its file; it goes to quarantine."""

    line: int
    reason: str
    detail: str
    raw: bytes


Item = tuple[int, Payload]
Block = list[Item]


def expand(paths: list[Path]) -> list[Path]:
    """Files named, and files under folders named (recursively, sorted, hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    if not files:
        raise InputError("no input files found in " + ", ".join(str(p) for p in paths))
    return files


class CountingReader(io.RawIOBase):
    """Wraps a file and counts the (compressed) bytes consumed, for progress bars."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.consumed += n
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def compression(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head == ZSTD_MAGIC or (head[1:] == b"\x2a\x4d\x18" and head[0] & 0xF0 == 0x50):
        return "zstd"  # a frame, or a skippable frame (written first by some tools)
    return "plain"


class ZstdReader(io.RawIOBase):
    """Decompresses a zstd stream of one or more frames; one cut off inside a frame raises EOFError.

    (zstandard's ``stream_reader`` ends silently where its input ends, so a truncated file would
    lose its last frame without a trace.) Does not close ``source``.
    """

    INPUT_SIZE = 1 << 17

    def __init__(self, source: BinaryIO) -> None:
        self._source = source
        self._dctx = zstandard.ZstdDecompressor()
        self._frame = self._dctx.decompressobj()
        self._in_frame = False
        self._out = b""
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while self._pos == len(self._out):
            data = self._source.read(self.INPUT_SIZE)
            if not data:
                if self._in_frame:
                    raise EOFError("zstd stream ended before the end of its last frame")
                return 0
            out: list[bytes] = []
            while data:
                self._in_frame = True
                out.append(self._frame.decompress(data))
                if not self._frame.eof:
                    break
                data = self._frame.unused_data
                self._frame = self._dctx.decompressobj()
                self._in_frame = False
            self._out, self._pos = b"".join(out), 0
        n = min(len(buffer), len(self._out) - self._pos)
        buffer[:n] = self._out[self._pos : self._pos + n]
        self._pos += n
        return n


@contextmanager
def open_decompressed(path: Path, counter: CountingReader | None = None) -> Iterator[BinaryIO]:
    """A file's content, decompressing gzip or zstd by their magic bytes; closes what it opens.

    With ``counter`` (wrapping an already open file of ``path``), reads go through it so the
    caller can follow progress in compressed bytes.
    """
    kind = compression(path)
    with ExitStack() as stack:
        base: BinaryIO = (
            cast(BinaryIO, counter) if counter is not None else stack.enter_context(path.open("rb"))
        )
        if kind == "gzip":
            yield cast(BinaryIO, stack.enter_context(gzip.GzipFile(fileobj=base, mode="rb")))
        elif kind == "zstd":
            reader = io.BufferedReader(ZstdReader(base), READ_SIZE)
            yield cast(BinaryIO, stack.enter_context(reader))
        else:
            yield base


STREAM_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile, zstandard.ZstdError, OSError)


def head(path: Path, size: int = 1 << 16) -> bytes:
    """The first ``size`` bytes of a file's content (decompressed); a broken stream gives less."""
    chunks: list[bytes] = []
    got = 0
    try:
        with open_decompressed(path) as handle:
            read = getattr(handle, "read1", handle.read)  # read() drops data on a broken stream
            while got < size:
                data = read(min(size - got, READ_SIZE))
                if not data:
                    break
                chunks.append(data)
                got += len(data)
    except STREAM_ERRORS:
        pass
    return b"".join(chunks)


def json_lines(handle: BinaryIO, block_size: int) -> Iterator[Block | Broken]:
    """Blocks of non-blank lines with their 1-based numbers; a broken stream ends with Broken."""
    line_no = 0
    rest = b""
    block: Block = []
    read = getattr(handle, "read1", handle.read)  # read() drops data on a broken stream
    while True:
        try:
            data = read(READ_SIZE)
        except STREAM_ERRORS as exc:
            if block:
                yield block
            yield Broken(
                line_no + 1,
                "truncated",
                f"compressed stream is cut off or corrupt after line {line_no}: {exc}",
                rest,
            )
            return
        if not data:
            break
        lines = (rest + data).split(b"\n")
        rest = lines.pop()
        for line in lines:
            line_no += 1
            if line.strip():
                block.append((line_no, line))
                if len(block) >= block_size:
                    yield block
                    block = []
    if rest.strip():
        block.append((line_no + 1, rest))
    if block:
        yield block


@dataclass(frozen=True, slots=True)
class Span:
    """A run of whole lines of a plain file: bytes [start, end), the first being ``first_line``.

    Workers read spans themselves, so the main process never copies a plain file's records.
    """

    path: str
    start: int
    end: int
    first_line: int


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
            handle.seek(min(start + target, size))
            tail = handle.readline()  # finish the line the cut falls in
            end = min(handle.tell(), size)
            handle.seek(start)
            lines = 0
            remaining = end - start
            while remaining:
                chunk = handle.read(min(remaining, READ_SIZE))
                lines += chunk.count(b"\n")
                remaining -= len(chunk)
            yield Span(str(path), start, end, line)
            start, line = end, line + lines
            if not tail and end >= size:
                break


def read_span(span: Span) -> Block:
    """The non-blank lines of a span, numbered."""
    with open(span.path, "rb") as handle:
        handle.seek(span.start)
        data = handle.read(span.end - span.start)
    return [(span.first_line + i, line) for i, line in enumerate(data.split(b"\n")) if line.strip()]


def json_array(handle: BinaryIO, block_size: int) -> Iterator[Block | Broken]:
    """Elements of a file holding one JSON array (read whole: use JSON Lines for large logs)."""
    try:
        content = handle.read()
    except STREAM_ERRORS as exc:
        yield Broken(1, "truncated", f"compressed stream is cut off or corrupt: {exc}", b"")
        return
    try:
        value = orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        yield Broken(1, "not_json", f"the file is not a valid JSON array: {exc}", content)
        return
    if not isinstance(value, list):
        yield Broken(1, "not_object", "the file's JSON value is not an array", content)
        return
    for start in range(0, len(value), block_size):
        yield [
            (start + i + 1, element) for i, element in enumerate(value[start : start + block_size])
        ]


def csv_rows(handle: BinaryIO, block_size: int) -> Iterator[Block | Broken]:
    """CSV rows as dicts keyed by the header; rows that do not fit the header are Broken."""
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        yield from _csv_rows(text, block_size)
    finally:
        if not text.closed:
            text.detach()  # the caller owns (and closes) handle


def _csv_rows(text: io.TextIOWrapper, block_size: int) -> Iterator[Block | Broken]:
    reader = csv.DictReader(text)
    block: Block = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except STREAM_ERRORS as exc:
            if block:
                yield block
            yield Broken(
                reader.line_num + 1,
                "truncated",
                f"compressed stream is cut off or corrupt: {exc}",
                b"",
            )
            return
        except csv.Error as exc:
            yield Broken(reader.line_num, "bad_csv", str(exc), b"")
            continue
        line = reader.line_num
        values = list(row.values())
        fields = (f for v in values for f in (v if isinstance(v, list) else [v]))  # extras: a list
        raw = ",".join(f for f in fields if isinstance(f, str))
        if any(isinstance(v, str) and _has_surrogates(v) for v in values):
            yield Broken(
                line,
                "invalid_utf8",
                "the row is not valid UTF-8",
                raw.encode("utf-8", "surrogateescape"),
            )
        elif None in row or any(v is None for v in values):
            yield Broken(
                line,
                "bad_csv",
                "the row does not have as many fields as the header",
                raw.encode("utf-8", "surrogateescape"),
            )
        else:
            block.append((line, row))
            if len(block) >= block_size:
                yield block
                block = []
    if block:
        yield block


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
