"""The stand-in upstream and gateways as separate OS processes, as they are deployed."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code < 500:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not come up")


@contextlib.contextmanager
def process(
    command: list[str], health: str, env: dict[str, str] | None = None, seconds: float = 30
) -> Iterator[subprocess.Popen[bytes]]:
    started = subprocess.Popen(command, env={**os.environ, **(env or {})})
    try:
        wait_until_up(health, started, seconds)
        yield started
    finally:
        if started.poll() is None:
            started.send_signal(signal.SIGTERM)
            try:
                started.wait(15)
            except subprocess.TimeoutExpired:
                started.kill()
                started.wait()


@contextlib.contextmanager
def standin(*options: str) -> Iterator[str]:
    """The stand-in upstream in a process of its own; ``options`` as its command line takes."""
    port = free_port()
    command = [sys.executable, "-m", "distillguard.gateway.standin", "--port", str(port), *options]
    base = f"http://127.0.0.1:{port}"
    with process(command, base + "/v1/models"):
        yield base


def gateway_command(workspace: Path, upstream: str, port: int, log_dir: Path) -> list[str]:
    return [
        str(BIN / "distillguard"),
        "gateway",
        "--workspace",
        str(workspace),
        "--upstream",
        upstream,
        "--port",
        str(port),
        "--log-dir",
        str(log_dir),
    ]


@contextlib.contextmanager
def gateway(
    workspace: Path, upstream: str, log_dir: Path, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with process(gateway_command(workspace, upstream, port, log_dir), base + "/healthz", env) as p:
        yield base, p
