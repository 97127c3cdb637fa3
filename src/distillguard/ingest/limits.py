"""Caps that keep an ingest bounded in memory and time, whatever a file holds.

A record longer than ``max_record_bytes`` is never held whole: it is skipped while being
hashed and quarantined as ``too_large``. A compressed file that decompresses past
``max_decompressed_bytes``, or at a ratio above ``max_compression_ratio`` (checked once it has
given ``RATIO_GRACE`` bytes, so a small file that compresses very well is not mistaken for a
bomb), stops the whole run: ``DecompressionLimitError`` is an ``InputError``, the command exits with
status 2 and nothing of the run is committed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from distillguard.ingest.errors import DecompressionLimitError, InputError
from distillguard.settings import Settings

RATIO_GRACE = 8 << 20
"""Decompressed bytes a file may give before its compression ratio is checked."""
MIN_RECORD_BYTES = 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """The caps of one run (picklable, for worker processes)."""

    max_record_bytes: int = 64 << 20
    max_decompressed_bytes: int = 64 << 30
    max_compression_ratio: float = 200.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        limits = cls(
            max_record_bytes=settings.integer("ingest.max_record_bytes"),
            max_decompressed_bytes=settings.integer("ingest.max_decompressed_bytes"),
            max_compression_ratio=settings.number("ingest.max_compression_ratio"),
        )
        if limits.max_record_bytes < MIN_RECORD_BYTES:
            raise InputError(f"ingest.max_record_bytes must be at least {MIN_RECORD_BYTES}")
        if limits.max_decompressed_bytes < 1 or limits.max_compression_ratio < 1:
            raise InputError(
                "ingest.max_decompressed_bytes and ingest.max_compression_ratio must be positive"
            )
        return limits


class CappedReader(io.RawIOBase):
    """Reads a decompressed stream, stopping with ``DecompressionLimitError`` past the caps.

    ``compressed`` tells the compressed bytes consumed so far (read-ahead included, which
    only makes the ratio look smaller early on).
    """

    def __init__(
        self, source: BinaryIO, compressed: Callable[[], int], limits: Limits, name: str
    ) -> None:
        self._source = source
        self._read = getattr(source, "read1", source.read)  # read() drops data on a bad stream
        self._compressed = compressed
        self._limits = limits
        self._name = name
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.produced += n
        self._check()
        return n

    def _check(self) -> None:
        limits = self._limits
        if self.produced > limits.max_decompressed_bytes:
            raise DecompressionLimitError(
                f"{self._name}: decompresses to more than ingest.max_decompressed_bytes "
                f"({limits.max_decompressed_bytes:,} bytes); stopped as a likely decompression "
                "bomb, nothing from this run was committed"
            )
        if self.produced > RATIO_GRACE:
            ratio = self.produced / max(1, self._compressed())
            if ratio > limits.max_compression_ratio:
                raise DecompressionLimitError(
                    f"{self._name}: decompresses at a ratio of {ratio:,.0f}:1, above "
                    f"ingest.max_compression_ratio ({limits.max_compression_ratio:g}); stopped "
                    "as a likely decompression bomb, nothing from this run was committed"
                )
