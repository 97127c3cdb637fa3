"""The controls log: which controls were in force when, as an append-only, hash-chained file.

``<workspace>/gateway/controls.jsonl`` holds one JSON object per line, each a fact about the
controls the gateway enforces: a gateway process started (``start``) with the policy, limits,
geofence and the settings that act as controls; one of them changed (``change``); an API key
was issued (``key_created``) or revoked (``key_revoked``). Each entry says who, when, where
(host, pid), what, the value before and after, and the SHA-256 of the file involved (a
policy file), so that an investigation can say which measures applied to a call at its time.

Decisions:

- **One file, appended, never rewritten.** Entries are written on a descriptor opened with
  ``O_APPEND``, under an ``fcntl`` lock on the file itself, flushed and ``fsync``-ed before
  ``record`` returns (``record_many`` writes many in one ``write``), so several gateway
  workers and command-line processes can write at once. The lock is the log's own: a running
  scan (the workspace writer lock) never delays a control being recorded.
- **A hash chain.** ``prev`` is the SHA-256 of the previous line's bytes (``None`` on the
  first line) and ``seq`` counts from 1, so an edited, inserted or removed line breaks the
  chain and ``verify`` names where. Removing the *last* lines cannot be seen from the file
  alone; whoever takes the entries over (an evidence ledger) anchors the chain's head.
- **A torn line** (a crash in the middle of a write) is ended with a newline by the next
  writer and stays in the file; the chain continues from its bytes and ``verify`` reports it.
- ``changed(what, new)`` tells whether a value differs from the last one recorded for
  ``what``, so that N workers starting with one policy write N ``start`` entries and no
  ``change``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import orjson

from distillguard.detect.labels import default_analyst
from distillguard.digests import file_sha256

FILE: Final = "controls.jsonl"
_CHUNK: Final = 64 * 1024


def state_dir(root: Path) -> Path:
    """Where the gateway keeps its state inside a workspace (``<workspace>/gateway``)."""
    return root / "gateway"


def fsync_dir(path: Path) -> None:
    """Make a new directory entry in ``path`` durable (a created file survives a crash)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def appending(path: Path, mode: int) -> Iterator[int]:
    """A descriptor appending to ``path`` (created with ``mode``), held under its own lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, mode)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        if created:
            fsync_dir(path.parent)
        yield fd
    finally:
        os.close(fd)  # closing releases the lock


def append_lines(fd: int, data: bytes) -> None:
    """Append whole lines, ending a torn last line first; durable on return.

    One ``write`` as a rule. A regular file takes less only when the disk fills or a signal
    interrupts; the rest then follows at once, and since every writer holds the file's lock,
    no other line can come between the parts.
    """
    size = os.fstat(fd).st_size
    if size and os.pread(fd, 1, size - 1) != b"\n":
        data = b"\n" + data
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


def _normal(value: object) -> Any:
    """``value`` as it reads back from the log (tuples become lists, paths strings...)."""
    return orjson.loads(orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS))


def _lines_backwards(fd: int) -> Iterator[bytes]:
    """The complete lines of the file, last first, without their newline (read in chunks)."""
    end = os.fstat(fd).st_size
    rest = b""
    while end > 0:
        start = max(0, end - _CHUNK)
        rest = os.pread(fd, end - start, start) + rest
        end = start
        parts = rest.split(b"\n")
        rest = parts[0]
        for part in reversed(parts[1:]):
            if part:
                yield part
    if rest:
        yield rest


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        entry = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return entry if isinstance(entry, dict) else None


@dataclass(frozen=True)
class Control:
    """One fact for the log: ``what`` went from ``old`` to ``new`` (``event``), by ``who``.

    ``file`` is the file the value came from (a policy file), hashed when recorded; ``who``
    defaults to the analyst running the command.
    """

    event: str
    what: str
    old: object
    new: object
    file: Path | None = None
    who: str | None = None


class ControlsLog:
    """The controls log of the workspace at ``root`` (created on the first entry)."""

    def __init__(self, root: Path) -> None:
        self.path = state_dir(root) / FILE

    def record(
        self,
        event: str,
        what: str,
        *,
        old: object,
        new: object,
        file: Path | None = None,
        who: str | None = None,
    ) -> dict[str, Any]:
        """Append one entry and return it as written (after ``fsync``)."""
        [entry] = self.record_many([Control(event, what, old, new, file, who)])
        return entry

    def record_many(self, controls: Sequence[Control]) -> list[dict[str, Any]]:
        """Append one entry per control, in order, and return them as written.

        The entries chain exactly as if recorded one by one, but the head of the log is read
        once and they are written together (one lock, one ``write``, one ``fsync``), so
        recording n controls costs O(n), not n reads of the log's end and n disk flushes.
        Nothing is written (and no file created) for no controls.
        """
        if not controls:
            return []
        host, pid = socket.gethostname(), os.getpid()
        with appending(self.path, 0o644) as fd:
            seq, prev = self._head(fd)
            entries: list[dict[str, Any]] = []
            lines: list[bytes] = []
            for number, control in enumerate(controls, start=seq):
                entry: dict[str, Any] = {
                    "seq": number,
                    "at": datetime.now(UTC).isoformat(),
                    "who": (control.who or "").strip() or default_analyst(),
                    "event": control.event,
                    "what": control.what,
                    "old": _normal(control.old),
                    "new": _normal(control.new),
                    "file": None if control.file is None else str(control.file),
                    "file_sha256": None if control.file is None else _file_sha256(control.file),
                    "host": host,
                    "pid": pid,
                    "prev": prev,
                }
                line = orjson.dumps(entry)
                prev = _sha256(line)  # the next entry chains to this one's bytes
                entries.append(entry)
                lines.append(line + b"\n")
            append_lines(fd, b"".join(lines))
        return entries

    @staticmethod
    def _head(fd: int) -> tuple[int, str | None]:
        """The next entry's ``seq`` and ``prev``: from the last line, counting torn ones."""
        last: bytes | None = None
        after = 0
        for line in _lines_backwards(fd):
            if last is None:
                last = line
            entry = _parse(line)
            if entry is not None and isinstance(entry.get("seq"), int):
                return entry["seq"] + after + 1, _sha256(last)
            after += 1
        return after + 1, None if last is None else _sha256(last)

    def _lines(self) -> list[bytes]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        return [line for line in data.split(b"\n") if line]

    def entries(self) -> list[dict[str, Any]]:
        """Every readable entry, oldest first (a torn or edited-to-garbage line is left out)."""
        return [e for e in map(_parse, self._lines()) if e is not None]

    def verify(self) -> list[str]:
        """Where the chain is broken (an edited, inserted or removed line); empty when whole."""
        problems: list[str] = []
        previous: bytes | None = None
        for number, line in enumerate(self._lines(), start=1):
            entry = _parse(line)
            if entry is None:
                problems.append(f"line {number}: not a JSON object (torn or edited)")
            else:
                expected = None if previous is None else _sha256(previous)
                if entry.get("prev") != expected:
                    problems.append(
                        f"line {number}: prev does not match the line before it "
                        "(a line was edited, inserted or removed)"
                    )
                if entry.get("seq") != number:
                    problems.append(f"line {number}: seq is {entry.get('seq')!r}, not {number}")
            previous = line
        return problems

    def last(self, what: str) -> dict[str, Any] | None:
        """The latest entry about ``what``, if any (read from the end of the file)."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            for line in _lines_backwards(fd):
                entry = _parse(line)
                if entry is not None and entry.get("what") == what:
                    return entry
        finally:
            os.close(fd)
        return None

    def changed(self, what: str, new: object) -> bool:
        """Whether ``new`` differs from the last value recorded for ``what`` (or none was)."""
        entry = self.last(what)
        return entry is None or entry.get("new") != _normal(new)
