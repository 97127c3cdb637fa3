"""The LiteLLM proxy as the peer of the gateway benchmark, installed from PyPI for it alone.

``install()`` makes a virtual environment under ``bench/out/litellm-venv`` (or where
``BENCH_LITELLM_VENV`` says) with ``litellm[proxy]`` (once; the product never depends on it)
and returns its ``litellm`` program, or the reason it could not. ``proxy()`` runs it in front
of the stand-in upstream, configured as close to the gateway's benchmark setting as LiteLLM
allows without its database: one model deployment pointing at the stand-in, the master key as
the one API key, and a requests-per-minute limit on the deployment, which LiteLLM's router
checks on every call. (LiteLLM's own per-key limits live in its Postgres database of virtual
keys; that configuration does more work per call, so this one flatters LiteLLM, if anything.)
Its spend logs and callbacks stay off while the gateway logs every call: another difference in
LiteLLM's favour.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.gateway.processes import free_port, process

OUT = Path(__file__).resolve().parent / "out"
VENV = Path(os.environ.get("BENCH_LITELLM_VENV") or OUT / "litellm-venv")
REQUIREMENT = "litellm[proxy]"
MASTER_KEY = "sk-bench-master"


def install() -> Path | str:
    """The ``litellm`` program of the benchmark's own environment, or why there is none."""
    program = VENV / "bin" / "litellm"
    if program.exists():
        return program
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", REQUIREMENT],
            check=True,
            timeout=900,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        return f"LiteLLM could not be installed from PyPI ({exc})"
    return program if program.exists() else "LiteLLM installed no `litellm` program"


def version() -> str:
    script = "import importlib.metadata as m; print(m.version('litellm'))"
    found = subprocess.run(
        [str(VENV / "bin" / "python"), "-c", script],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() or "unknown"


def config(upstream: str, requests_per_minute: int) -> str:
    """The proxy's ``config.yaml``: the stand-in as model ``m``, a deployment rpm limit."""
    return (
        "model_list:\n"
        "  - model_name: m\n"
        "    litellm_params:\n"
        "      model: openai/m\n"
        f"      api_base: {upstream}/v1\n"
        "      api_key: sk-standin\n"
        f"      rpm: {requests_per_minute}\n"
        "router_settings:\n"
        "  enable_pre_call_checks: true\n"
        "litellm_settings:\n"
        "  drop_params: true\n"
        "  num_retries: 0\n"
        "  request_timeout: 30\n"
        "general_settings:\n"
        f"  master_key: {MASTER_KEY}\n"
        "  disable_spend_logs: true\n"
    )


@contextlib.contextmanager
def proxy(
    program: Path, upstream: str, folder: Path, requests_per_minute: int
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """LiteLLM's proxy (one worker) in front of ``upstream``; its base URL and process."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = folder / "config.yaml"
    settings.write_text(config(upstream, requests_per_minute), encoding="utf-8")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        str(program),
        "--config",
        str(settings),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--num_workers",
        "1",
    ]
    env = {"LITELLM_LOG": "ERROR", "LITELLM_TELEMETRY": "False", "NO_DOCS": "True"}
    with process(command, base + "/health/liveliness", env, seconds=180) as started:
        yield base, started
