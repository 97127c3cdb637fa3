"""``distillguard gateway``: start the enforcement proxy (thin: the work is in the package)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from distillguard.clikit import ConfigOption, WorkspaceOption, fail, load_settings, say
from distillguard.clikit import workspace as workspace_of
from distillguard.gateway.options import Options
from distillguard.gateway.policy import PolicyError, load


class UpstreamKind(StrEnum):
    openai = "openai"
    anthropic = "anthropic"


def gateway_command(
    workspace: WorkspaceOption = None,
    upstream: Annotated[
        str | None,
        typer.Option("--upstream", help="Base URL of the model API (default: gateway.upstream)."),
    ] = None,
    upstream_kind: Annotated[
        UpstreamKind | None,
        typer.Option(
            "--upstream-kind", help="openai or anthropic (default: gateway.upstream_kind)."
        ),
    ] = None,
    host: Annotated[str | None, typer.Option("--host", help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Listen port.")] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Worker processes (default: gateway.workers).")
    ] = None,
    log_dir: Annotated[
        Path | None,
        typer.Option("--log-dir", help="Raw API log folder (default: <workspace>/gateway/log)."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Run the OpenAI- and Anthropic-compatible gateway in front of a model API."""
    from distillguard.gateway.server import serve  # noqa: PLC0415  (uvicorn, the app)

    settings = load_settings(config)
    ws = workspace_of(workspace, settings)
    base = upstream or settings.text("gateway.upstream")
    if not base.startswith(("http://", "https://")):
        raise fail("give the model API's base URL with --upstream (http:// or https://)")
    kind = upstream_kind.value if upstream_kind else settings.text("gateway.upstream_kind")
    if kind not in ("openai", "anthropic"):
        raise fail(f"gateway.upstream_kind must be openai or anthropic, not {kind!r}")
    policy_setting = settings.text("gateway.policy")
    policy_file = Path(policy_setting) if policy_setting else None
    try:
        policy = load(policy_file, settings.text("detect.restricted_countries"))
    except PolicyError as exc:
        raise fail(str(exc)) from exc
    folder = log_dir or (
        Path(settings.text("gateway.log_dir")) if settings.text("gateway.log_dir") else None
    )
    options = Options(
        workspace=ws.root,
        upstream=base,
        upstream_kind=kind,
        log_dir=(folder or ws.root / "gateway" / "log").resolve(),
        policy_file=policy_file,
        settings=settings,
    )
    listen_host = host or settings.text("gateway.host")
    listen_port = port if port is not None else settings.integer("gateway.port")
    processes = workers if workers is not None else settings.integer("gateway.workers")
    shared = "shared through Redis" if settings.text("gateway.redis_url") else "per process"
    say(
        f"distillguard gateway on http://{listen_host}:{listen_port} → {base} ({kind}); "
        f"{processes} worker(s), limits {shared}; policy {policy.source} "
        f"({len(policy.rules)} rules); log {options.log_dir}",
        stderr=True,
    )
    serve(options, config, listen_host, listen_port, processes)
