"""Running the gateway: uvicorn with one process, or several sharing one listening socket.

With several workers uvicorn imports the app in each worker process, so the options travel
as JSON in an environment variable and every worker builds its own parts (its own call log
file, its own pooled upstream client); limits are shared through Redis when
``gateway.redis_url`` is set — without it each worker limits alone, which the start-up line
says. Metrics of all workers are summed through ``PROMETHEUS_MULTIPROC_DIR``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Final

import orjson
import uvicorn
from starlette.applications import Starlette

from distillguard.gateway.app import create_app
from distillguard.gateway.metrics import MULTIPROCESS_ENV
from distillguard.gateway.options import Options
from distillguard.settings import Settings

OPTIONS_ENV: Final = "DISTILLGUARD_GATEWAY_OPTIONS"


def _encode(options: Options, config: Path | None) -> str:
    return orjson.dumps(
        {
            "workspace": str(options.workspace),
            "upstream": options.upstream,
            "upstream_kind": options.upstream_kind,
            "log_dir": str(options.log_dir),
            "policy_file": str(options.policy_file) if options.policy_file else None,
            "config": str(config) if config else None,
        }
    ).decode()


def app_from_environment() -> Starlette:
    """The app of one worker process (uvicorn's factory), from the options in the environment."""
    raw = orjson.loads(os.environ[OPTIONS_ENV])
    config = Path(raw["config"]) if raw["config"] else None
    options = Options(
        workspace=Path(raw["workspace"]),
        upstream=raw["upstream"],
        upstream_kind=raw["upstream_kind"],
        log_dir=Path(raw["log_dir"]),
        policy_file=Path(raw["policy_file"]) if raw["policy_file"] else None,
        settings=Settings.load(config),
    )
    return create_app(options)


def serve(options: Options, config: Path | None, host: str, port: int, workers: int) -> None:
    common = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "access_log": False,
        # uvicorn would otherwise replace the socket's peer with X-Forwarded-For for any
        # connection from 127.0.0.1 (its default forwarded_allow_ips), so a local client,
        # or anything relayed by a local process, could name any address. The client's
        # address is resolved by identity.py, from gateway.trusted_proxies alone.
        "proxy_headers": False,
        "timeout_graceful_shutdown": 10,
    }
    if workers <= 1:
        uvicorn.run(create_app(options), **common)  # type: ignore[arg-type]
        return
    metrics_dir = tempfile.mkdtemp(prefix="distillguard-metrics-")
    os.environ[OPTIONS_ENV] = _encode(options, config)
    os.environ[MULTIPROCESS_ENV] = metrics_dir
    try:
        uvicorn.run(
            "distillguard.gateway.server:app_from_environment",
            factory=True,
            workers=workers,
            **common,  # type: ignore[arg-type]
        )
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)
