"""Reading zstd streams with bounded memory, whatever the compression ratio.

zstandard's ``decompressobj`` has no output limit: one call on 128 KiB of input made of RLE
blocks (four bytes each, 128 KiB out each) returns gigabytes. ``ZstdReader`` therefore walks the
frame and block headers itself and hands the decompressor at most ``BLOCKS_PER_CALL`` blocks at
a time, so a call returns at most that many blocks of 128 KiB. (zstandard's ``stream_reader``
bounds its output but ends silently where a truncated input ends, losing the cut-off frame
without a trace.)
"""

from __future__ import annotations

import io
from typing import BinaryIO

import zstandard

FRAME_MAGIC = 0xFD2FB528
SKIPPABLE_MASK = 0xFFFFFFF0
SKIPPABLE_MAGIC = 0x184D2A50
BLOCKS_PER_CALL = 16
_DICT_ID_BYTES = (0, 1, 2, 4)
_SIZE_BYTES = (0, 2, 4, 8)
_RLE = 1
_RESERVED = 3


class BlockWalker:
    """Follows a zstd stream's structure, saying how much input holds at most N whole blocks."""

    def __init__(self) -> None:
        self._state = "magic"  # magic | block | checksum | opaque
        self._body = 0  # bytes of the current structure still to pass
        self._checksum = False

    def cut(self, data: bytes | bytearray, max_blocks: int) -> int:
        """How many leading bytes of ``data`` (the input not yet fed) may be fed now.

        Stops after ``max_blocks`` whole blocks, or where a header is only partly there.
        """
        pos, blocks, size = 0, 0, len(data)
        while True:
            if self._body:
                step = min(self._body, size - pos)
                pos += step
                self._body -= step
                if self._body or (blocks >= max_blocks and self._state != "checksum"):
                    return pos
                continue
            state = self._state
            if state == "opaque":
                return size  # not a stream we can follow: the decompressor reports it
            if state == "checksum":
                self._state, self._body = "magic", 4 if self._checksum else 0
                continue
            if state == "magic":
                if size - pos < 8:
                    return pos
                magic = int.from_bytes(data[pos : pos + 4], "little")
                if magic & SKIPPABLE_MASK == SKIPPABLE_MAGIC:
                    self._body = 8 + int.from_bytes(data[pos + 4 : pos + 8], "little")
                elif magic == FRAME_MAGIC:
                    descriptor = data[pos + 4]
                    single = descriptor >> 5 & 1
                    size_flag = descriptor >> 6
                    self._checksum = bool(descriptor >> 2 & 1)
                    size_bytes = _SIZE_BYTES[size_flag] or (1 if single else 0)
                    self._body = 5 + (1 - single) + _DICT_ID_BYTES[descriptor & 3] + size_bytes
                    self._state = "block"
                else:
                    self._state = "opaque"
                continue
            if size - pos < 3:  # a block header
                return pos
            header = int.from_bytes(data[pos : pos + 3], "little")
            kind = header >> 1 & 3
            if kind == _RESERVED:
                self._state = "opaque"
                continue
            self._body = 3 + (1 if kind == _RLE else header >> 3)
            self._state = "checksum" if header & 1 else "block"
            blocks += 1


class ZstdReader(io.RawIOBase):
    """Decompresses a zstd stream of one or more frames; one cut off inside a frame raises EOFError.

    Does not close ``source``.
    """

    INPUT_SIZE = 1 << 17

    def __init__(self, source: BinaryIO) -> None:
        self._source = source
        self._dctx = zstandard.ZstdDecompressor()
        self._frame = self._dctx.decompressobj()
        self._walker = BlockWalker()
        self._pending = bytearray()
        self._in_frame = False
        self._out = b""
        self._pos = 0

    def readable(self) -> bool:
        return True

    def _next_input(self) -> bytes | None:
        """The next piece of input to decompress (a few blocks at most); None at the end."""
        while True:
            n = self._walker.cut(self._pending, BLOCKS_PER_CALL)
            if n:
                piece = bytes(self._pending[:n])
                del self._pending[:n]
                return piece
            data = self._source.read(self.INPUT_SIZE)
            if not data:
                if not self._pending:
                    return None
                piece = bytes(self._pending)  # a partial header at the end: let zstd judge
                self._pending.clear()
                return piece
            self._pending += data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while self._pos == len(self._out):
            data = self._next_input()
            if data is None:
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
