"""The gateway's call log: every call as one raw-API-log line, before the client has it all.

Each worker process appends to its own file (``gateway-<host>-<pid>-<n>.jsonl`` in the log
folder), so lines of different processes never interleave, and ``distillguard ingest
LOG_DIR`` reads the folder as any raw log. A record is one ``os.write`` of a whole line on
an ``O_APPEND`` descriptor: once the call returns the line is in the kernel's page cache,
which outlives the process. The gateway writes a call's record *before* it sends the last
bytes of the answer (the body of an unstreamed answer, the terminal event of a stream), so a
worker killed with SIGKILL at any moment has logged every call a client received in full.

Power loss is another matter: the page cache is lost with it. ``gateway.fsync_interval``
says how much may be: 0 fsyncs every record before the answer goes out (each call waits for
the disk: a few hundred µs on an SSD, milliseconds on a network disk), a positive interval
fsyncs at most that often in the background (up to that many seconds of calls at risk), a
negative one leaves it to the kernel (typically 30 s).

Files start anew past ``gateway.log_rotate_bytes``; the file being written is never renamed,
so a reader that lists the folder sees only whole lines.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

FILE_MODE = 0o640


class CallLog:
    """Appends raw-log records for one process; ``close()`` flushes and closes the file."""

    def __init__(self, folder: Path, *, fsync_interval: float, rotate_bytes: int) -> None:
        self.folder = folder
        self.fsync_interval = fsync_interval
        self.rotate_bytes = rotate_bytes
        self.records = 0
        self.bytes = 0
        self._fd = -1
        self._size = 0
        self._files = 0
        self._dirty = False
        self._last_sync = time.monotonic()
        self._syncer: asyncio.Task[None] | None = None
        self.path: Path | None = None
        folder.mkdir(parents=True, exist_ok=True)
        self._open()

    def _open(self) -> None:
        self._files += 1
        name = f"gateway-{socket.gethostname()}-{os.getpid()}-{int(time.time())}-{self._files}"
        self.path = self.folder / f"{name}.jsonl"
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        self._size = os.fstat(self._fd).st_size

    async def write(self, record: Mapping[str, Any]) -> None:
        """Append ``record``; with ``fsync_interval`` 0, return only once it is on disk."""
        line = orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
        if self._size and self._size + len(line) > self.rotate_bytes:
            self._rotate()
        view = memoryview(line)
        while view:  # a regular file takes the whole line at once; loop for the odd short write
            written = os.write(self._fd, view)
            view = view[written:]
        self._size += len(line)
        self.records += 1
        self.bytes += len(line)
        self._dirty = True
        if self.fsync_interval == 0:
            self._dirty = False
            await asyncio.to_thread(_fsync, self._fd)
        elif self.fsync_interval > 0 and self._syncer is None:
            self._syncer = asyncio.get_running_loop().create_task(self._sync_later())

    async def _sync_later(self) -> None:
        try:
            await asyncio.sleep(max(0.0, self._last_sync + self.fsync_interval - time.monotonic()))
            if self._dirty:
                self._dirty = False
                await asyncio.to_thread(_fsync, self._fd)
            self._last_sync = time.monotonic()
        finally:
            self._syncer = None

    def _rotate(self) -> None:
        os.fsync(self._fd)
        os.close(self._fd)
        self._open()

    async def close(self) -> None:
        if self._syncer is not None:
            self._syncer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._syncer
        if self._fd >= 0:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = -1


def _fsync(fd: int) -> None:
    """fsync ``fd``; a file rotated (closed) meanwhile was synced by the rotation itself."""
    with contextlib.suppress(OSError):
        os.fsync(fd)
