"""Input files: expanding folders, opening plain / gzip / zstd by content, reading records.

Compression is recognised by the file's first bytes, never by its name; a compressed file is
read through ``limits.CappedReader``, so a decompression bomb stops the run. Records come out in
blocks of ``(line number, payload)`` pairs, where the payload is the record's bytes (a JSON line
or array element, see ``lines`` and ``arrays``) or a ``dict[str, str]`` (a CSV row). A
compressed stream that ends early or is corrupt does not stop the ingest: what was read is kept
and the cut-off tail is reported as a ``Broken`` record for quarantine.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

import zstandard

from distillguard.ingest.errors import InputError
from distillguard.ingest.limits import CappedReader, Limits
from distillguard.ingest.zstd import ZstdReader

__all__ = [
    "READ_SIZE",
    "STREAM_ERRORS",
    "Block",
    "Broken",
    "CountingReader",
    "InputError",
    "Item",
    "compression",
    "expand",
    "head",
    "open_decompressed",
]

BOM = b"\xef\xbb\xbf"
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
READ_SIZE = 1 << 22

Payload = bytes | object


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


@contextmanager
def open_decompressed(
    path: Path, counter: CountingReader | None = None, limits: Limits | None = None
) -> Iterator[BinaryIO]:
    """A file's content, decompressing gzip or zstd by their magic bytes; closes what it opens.

    With ``counter`` (wrapping an already open file of ``path``), reads go through it so the
    caller can follow progress in compressed bytes. A compressed file is read within
    ``limits`` (the defaults when None): past them reading raises ``DecompressionLimitError``.
    """
    kind = compression(path)
    with ExitStack() as stack:
        if counter is None:
            handle = stack.enter_context(path.open("rb"))
            if kind == "plain":
                yield handle
                return
            counter = CountingReader(handle)
        base = cast(BinaryIO, counter)
        if kind == "plain":
            yield base
            return
        if kind == "gzip":
            inner = cast(BinaryIO, stack.enter_context(gzip.GzipFile(fileobj=base, mode="rb")))
        else:
            inner = cast(BinaryIO, stack.enter_context(io.BufferedReader(ZstdReader(base))))
        consumed = counter
        capped = CappedReader(inner, lambda: consumed.consumed, limits or Limits(), str(path))
        yield cast(BinaryIO, stack.enter_context(io.BufferedReader(capped, READ_SIZE)))


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
