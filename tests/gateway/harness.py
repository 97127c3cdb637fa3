"""The gateway in front of the stand-in upstream, in this process, on real sockets."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anthropic
import openai
import orjson

from distillguard.gateway.app import create_app
from distillguard.gateway.keys import KeyStore
from distillguard.gateway.options import Options
from distillguard.gateway.standin import StandinConfig
from distillguard.gateway.standin import create_app as standin_app
from distillguard.settings import Settings
from distillguard.workspace import Workspace
from tests.gateway.servers import running


@dataclass
class Rig:
    base: str  # the gateway's base URL
    upstream: str  # the stand-in's base URL
    workspace: Path
    log_dir: Path
    clients: list[Any] = field(default_factory=list)  # SDK clients, closed with the rig

    def openai(self, key: str, **options: Any) -> openai.OpenAI:
        client = openai.OpenAI(api_key=key, base_url=self.base + "/v1", max_retries=0, **options)
        self.clients.append(client)
        return client

    def anthropic(self, key: str, **options: Any) -> anthropic.Anthropic:
        client = anthropic.Anthropic(api_key=key, base_url=self.base, max_retries=0, **options)
        self.clients.append(client)
        return client

    def key(self, account: str, org: str | None = None, **limits: int) -> str:
        return KeyStore(self.workspace).create(account, org, **limits)[1]

    def workspace_handle(self) -> Workspace:
        return Workspace(self.workspace)

    def records(self) -> list[dict[str, Any]]:
        return [
            orjson.loads(line)
            for path in sorted(self.log_dir.glob("*.jsonl"))
            for line in path.read_bytes().splitlines()
        ]


def options(workspace: Path, upstream: str, log_dir: Path, **settings: Any) -> Options:
    values = {"gateway.refresh_seconds": 0.2, "gateway.fsync_interval": -1.0, **settings}
    policy = values.pop("gateway.policy", None)
    return Options(
        workspace=workspace,
        upstream=upstream,
        upstream_kind="openai",
        log_dir=log_dir,
        policy_file=Path(policy) if policy else None,
        settings=Settings.load(environ={}, overrides=values),
    )


@contextlib.contextmanager
def rig(
    workspace: Path, log_dir: Path, standin: StandinConfig | None = None, **settings: Any
) -> Iterator[Rig]:
    with (
        running(standin_app(standin or StandinConfig())) as upstream,
        running(create_app(options(workspace, upstream, log_dir, **settings))) as base,
    ):
        started = Rig(base, upstream, workspace, log_dir)
        try:
            yield started
        finally:
            for client in started.clients:
                client.close()
