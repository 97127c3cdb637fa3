"""A real ``redis-server`` for the gateway tests that share limits (``make test`` installs it).

``redis_server`` is one server per test, on a free loopback port, its files in the test's
temporary folder, persisting nothing (``--save '' --appendonly no``); the test may kill it,
start it again on the same port, or pause it (a server that accepts but never answers).
``redis_url`` is its address, for tests that only need one.
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REDIS_SERVER = "/usr/bin/redis-server"
STARTUP_SECONDS = 10.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class RedisServer:
    """One ``redis-server`` process; ``url`` stays the same across restarts."""

    binary: str
    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    paused: bool = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def log(self) -> Path:
        return self.folder / "redis.log"

    def start(self) -> None:
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
                "--logfile",
                str(self.log),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.log.read_text() if self.log.exists() else ""
                self.stop()
                pytest.fail(f"redis-server did not start on port {self.port}:\n{log}")
            time.sleep(0.02)

    def kill(self) -> None:
        """Kill it as a crash would (SIGKILL): nothing is flushed, every connection drops."""
        self.resume()
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def stop(self) -> None:
        self.resume()
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def pause(self) -> None:
        """Freeze it (SIGSTOP): connections stay open and nothing answers."""
        if self.process is not None and not self.paused:
            os.kill(self.process.pid, signal.SIGSTOP)
            self.paused = True

    def resume(self) -> None:
        if self.process is not None and self.paused:
            os.kill(self.process.pid, signal.SIGCONT)
            self.paused = False


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    binary = shutil.which("redis-server") or REDIS_SERVER
    if not Path(binary).is_file():
        pytest.fail(
            f"{REDIS_SERVER} is missing: the gateway's Redis tests run a real redis-server; "
            "`make test` installs it (Debian package redis-server)."
        )
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(binary, _free_port(), folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    return redis_server.url


@pytest.fixture(autouse=True)
def _collected() -> Iterator[None]:
    """Collect garbage after each gateway test, so a socket a test leaves open is reported
    by that test (warnings are errors) rather than by whichever test runs next. What
    survives is then frozen (moved out of the collector's sight: it is alive), so each
    collection looks only at what the next test made instead of at every import again."""
    yield
    gc.collect()
    gc.freeze()
