"""The served gateway: the client address is the gateway's to resolve, not the server's."""

from __future__ import annotations

from pathlib import Path

import httpx
import orjson

from distillguard.gateway.keys import KeyStore
from tests.gateway.processes import gateway, standin

BODY = {"model": "m", "messages": [{"role": "user", "content": "Say something about rivers."}]}


def _client_ips(folder: Path) -> list[object]:
    return [
        orjson.loads(line)["client_ip"]
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_bytes().splitlines()
    ]


def _call(base: str, key: str) -> None:
    answer = httpx.post(
        base + "/v1/chat/completions",
        json=BODY,
        headers={"authorization": f"Bearer {key}", "x-forwarded-for": "203.0.113.9"},
        timeout=10,
    )
    assert answer.status_code == 200


def test_a_forwarded_for_header_from_an_untrusted_peer_is_ignored(tmp_path: Path) -> None:
    """uvicorn believes X-Forwarded-For from 127.0.0.1 by default; the gateway turns that
    off, so with no trusted proxy configured a local client cannot name another address."""
    key = KeyStore(tmp_path / "ws").create("acct_local")[1]
    with standin() as upstream, gateway(tmp_path / "ws", upstream, tmp_path / "log") as (base, _):
        _call(base, key)
    assert _client_ips(tmp_path / "log") == ["127.0.0.1"]


def test_a_trusted_proxy_s_forwarded_for_names_the_client(tmp_path: Path) -> None:
    key = KeyStore(tmp_path / "ws").create("acct_behind")[1]
    env = {"DISTILLGUARD_GATEWAY_TRUSTED_PROXIES": "127.0.0.1/32"}
    with (
        standin() as upstream,
        gateway(tmp_path / "ws", upstream, tmp_path / "log", env) as (base, _),
    ):
        _call(base, key)
    assert _client_ips(tmp_path / "log") == ["203.0.113.9"]
