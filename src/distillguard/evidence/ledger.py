"""The ledger: ``<workspace>/evidence/ledger.jsonl``, append-only and hash-chained.

Decisions:

- **One file, one line per entry** (``entry.py`` says what a line holds). Appends happen under
  an ``fcntl`` lock on the file itself, in one ``write`` on an ``O_APPEND`` descriptor, and are
  ``fsync``-ed before ``append`` returns; two processes therefore never interleave, and the
  ledger does not wait for the workspace's writer lock (a scan may run for minutes).
- **Refuse to extend a damaged ledger.** ``append`` checks the chain it reads (it reads the
  whole file anyway, for the refs already recorded) and fails with ``LedgerError`` if a line
  was edited, inserted or removed, so that new entries are never chained onto a forgery;
  ``distillguard ledger verify`` says where the damage is.
- **A torn last line** (the process died inside ``write``: no newline) was never acknowledged
  to anyone, and the next ``append`` cuts it off before writing. ``verify`` reports one it sees.
- **Idempotent imports.** A draft whose ``ref`` is already in the ledger is skipped, under the
  same lock, so concurrent ``ledger sync`` runs record each source record once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

import orjson

from distillguard.evidence import merkle
from distillguard.evidence.canonical import sha256_hex
from distillguard.evidence.entry import Draft, Entry, EntryError, parse
from distillguard.gateway.controls import appending

FOLDER: Final = "evidence"
FILE: Final = "ledger.jsonl"


class LedgerError(Exception):
    """The ledger cannot be read or extended as asked (damaged, unreadable...)."""


def evidence_dir(root: Path) -> Path:
    """Where evidence lives inside a workspace (``<workspace>/evidence``)."""
    return root / FOLDER


def split_lines(data: bytes) -> tuple[list[bytes], bytes]:
    """The complete lines of ``data`` (without newlines) and the torn rest after the last one."""
    *lines, rest = data.split(b"\n")
    return lines, rest


def chain_break(lines: Sequence[bytes]) -> str | None:
    """Where the chain of ``lines`` first breaks (``line N: why``), else None. Cheap: it
    checks ``seq`` and ``prev`` only; ``verify`` also checks each entry's form."""
    previous: bytes | None = None
    for number, line in enumerate(lines, start=1):
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError:
            return f"line {number}: not JSON"
        if not isinstance(data, dict):
            return f"line {number}: not a JSON object"
        if data.get("seq") != number:
            return f"line {number}: seq is {data.get('seq')!r}, not {number}"
        if data.get("prev") != (None if previous is None else sha256_hex(previous)):
            return f"line {number}: prev does not match the line before it"
        previous = line
    return None


class Ledger:
    """The ledger of the workspace at ``root`` (the file is created by the first append)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = evidence_dir(root) / FILE

    def read(self) -> tuple[list[bytes], bytes]:
        """The complete lines, and a torn rest (``b""`` when the file ends with a newline)."""
        try:
            return split_lines(self.path.read_bytes())
        except FileNotFoundError:
            return [], b""
        except OSError as exc:
            raise LedgerError(f"cannot read {self.path}: {exc.strerror}") from exc

    def entries(self) -> list[Entry]:
        """Every entry, oldest first; ``LedgerError`` if any line is damaged."""
        lines, _ = self.read()
        broken = chain_break(lines)
        if broken is not None:
            raise LedgerError(f"{self.path} is damaged at {broken}; run `ledger verify`")
        result = []
        for number, line in enumerate(lines, start=1):
            try:
                result.append(parse(line))
            except EntryError as exc:
                raise LedgerError(f"{self.path} is damaged at line {number}: {exc}") from exc
        return result

    def leaves(self) -> list[bytes]:
        """The Merkle leaf hash of every complete line, in order."""
        lines, _ = self.read()
        return [merkle.leaf_hash(line) for line in lines]

    def append(self, drafts: Iterable[Draft]) -> list[Entry]:
        """Number, chain and append ``drafts`` (skipping refs already recorded); durable on
        return. Returns the entries written."""
        wanted = list(drafts)
        if not wanted:
            return []
        with appending(self.path, 0o644) as fd:
            data = _read_all(fd)
            lines, torn = split_lines(data)
            if torn:
                os.ftruncate(fd, len(data) - len(torn))
            broken = chain_break(lines)
            if broken is not None:
                raise LedgerError(
                    f"{self.path} is damaged at {broken}; nothing was added "
                    "(run `distillguard ledger verify`)"
                )
            seen = _refs(lines)
            prev = sha256_hex(lines[-1]) if lines else None
            written: list[Entry] = []
            for draft in wanted:
                if draft.ref is not None and draft.ref in seen:
                    continue
                entry = Entry.chained(draft, len(lines) + len(written) + 1, prev)
                prev = entry.digest()
                written.append(entry)
                if draft.ref is not None:
                    seen.add(draft.ref)
            if written:
                _write_all(fd, b"".join(e.line() + b"\n" for e in written))
                os.fsync(fd)
        return written

    def refs(self) -> set[str]:
        """The refs already recorded (to tell what an import would add)."""
        lines, _ = self.read()
        return _refs(lines)


def _refs(lines: Iterable[bytes]) -> set[str]:
    found: set[str] = set()
    for line in lines:
        ref = orjson.loads(line).get("ref")
        if isinstance(ref, str):
            found.add(ref)
    return found


def _read_all(fd: int) -> bytes:
    size = os.fstat(fd).st_size
    chunks: list[bytes] = []
    offset = 0
    while offset < size:
        chunk = os.pread(fd, size - offset, offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
