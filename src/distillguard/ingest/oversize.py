"""Gathering one record's bytes up to a cap; past it, only its size, SHA-256 and first KiB.

A record over ``ingest.max_record_bytes`` is never held whole: once its bytes pass the cap they
are hashed and dropped as they stream by, and quarantine gets a ``too_large`` entry with the
record's size, its SHA-256 and its first ``HEAD_BYTES`` bytes.
"""

from __future__ import annotations

import hashlib

from distillguard.ingest.sources import Broken

HEAD_BYTES = 1024


def too_large(line: int, size: int, digest: str, head: bytes, cap: int) -> Broken:
    return Broken(
        line,
        "too_large",
        f"the record is {size:,} bytes, over ingest.max_record_bytes ({cap:,}); "
        f"sha256 {digest}; raw keeps its first {len(head):,} bytes",
        head,
    )


class RecordBuffer:
    """The bytes of the record being read, held while they fit under ``cap``."""

    __slots__ = ("_hash", "_head", "_pieces", "cap", "size")

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.size = 0
        self._pieces: list[bytes] = []
        self._hash: hashlib._Hash | None = None
        self._head = b""

    @property
    def empty(self) -> bool:
        return self.size == 0

    @property
    def over(self) -> bool:
        return self._hash is not None

    def add(self, piece: bytes) -> None:
        if not piece:
            return
        self.size += len(piece)
        if self._hash is not None:
            self._hash.update(piece)
            return
        self._pieces.append(piece)
        if self.size > self.cap:
            self._hash = hashlib.sha256()
            for held in self._pieces:
                self._hash.update(held)
            self._head = b"".join(self._pieces)[:HEAD_BYTES]
            self._pieces = []

    def take(self, line: int) -> bytes | Broken:
        """The record's bytes (or its ``too_large`` verdict); the buffer starts over."""
        if self._hash is not None:
            out: bytes | Broken = too_large(
                line, self.size, self._hash.hexdigest(), self._head, self.cap
            )
        else:
            out = self._pieces[0] if len(self._pieces) == 1 else b"".join(self._pieces)
        self.size = 0
        self._pieces = []
        self._hash = None
        self._head = b""
        return out

    def cut_off(self, line: int, why: str) -> Broken:
        """The partial record left when its stream breaks: kept whole, or its head if too large."""
        was_over = self._hash is not None
        size = self.size
        taken = self.take(line)
        raw = taken.raw if isinstance(taken, Broken) else taken
        detail = f"{why} ({size:,} bytes of the record were read"
        if was_over:
            detail += f", over ingest.max_record_bytes; raw keeps the first {len(raw):,}"
        detail += ")"
        return Broken(line, "truncated", detail, raw)


def whole_too_large(line: int, data: bytes, cap: int) -> Broken:
    """A record over the cap that was read in one piece (it is dropped right away)."""
    return too_large(line, len(data), hashlib.sha256(data).hexdigest(), data[:HEAD_BYTES], cap)
