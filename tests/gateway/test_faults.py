"""Upstream failures and client disconnects: clear errors in the provider's shape, no hang."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from distillguard.gateway.quota import Budgets
from distillguard.gateway.standin import StandinConfig
from tests.gateway.harness import Rig, rig

MESSAGES = [{"role": "user", "content": "Write about the sea."}]


@pytest.fixture
def gw(tmp_path: Path) -> Iterator[Rig]:
    settings = {"gateway.read_timeout": 1.0, "gateway.stream_idle_timeout": 1.0}
    with rig(tmp_path / "ws", tmp_path / "log", StandinConfig(slow_seconds=5), **settings) as r:
        yield r


def _client(gw: Rig) -> openai.OpenAI:
    return gw.openai(gw.key("acct_f"))


def test_an_upstream_error_passes_through_in_shape(gw: Rig) -> None:
    with pytest.raises(openai.InternalServerError):
        _client(gw).chat.completions.create(model="standin-error-500", messages=MESSAGES)
    claude = gw.anthropic(gw.key("acct_g"))
    with pytest.raises(anthropic.InternalServerError):
        claude.messages.create(model="standin-error-500", max_tokens=10, messages=MESSAGES)
    assert gw.records()[-1]["status"] == 500


def test_a_slow_upstream_is_a_504_not_a_hang(gw: Rig) -> None:
    started = time.monotonic()
    with pytest.raises(openai.APIStatusError) as raised:
        _client(gw).chat.completions.create(model="standin-slow", messages=MESSAGES)
    assert raised.value.status_code == 504
    assert time.monotonic() - started < 4


def test_a_stalled_stream_ends_with_an_error_event(gw: Rig) -> None:
    started = time.monotonic()
    with pytest.raises(openai.APIError):
        for _ in _client(gw).chat.completions.create(
            model="standin-stall", messages=MESSAGES, stream=True
        ):
            pass
    assert time.monotonic() - started < 5
    record = gw.records()[-1]
    assert record["status"] == 504
    claude = gw.anthropic(gw.key("acct_h"))
    stream = claude.messages.stream(model="standin-stall", max_tokens=50, messages=MESSAGES)
    with pytest.raises(anthropic.APIError), stream as events:
        events.get_final_message()


def test_a_client_disconnect_cancels_the_upstream_call(gw: Rig) -> None:
    key = gw.key("acct_d")
    before = httpx.get(gw.upstream + "/_standin/stats").json()["cancelled"]
    with httpx.Client(timeout=0.5) as client, pytest.raises(httpx.ReadTimeout):
        client.post(
            gw.base + "/v1/chat/completions",
            json={"model": "standin-slow", "messages": MESSAGES},
            headers={"authorization": f"Bearer {key}"},
        )
    with (
        httpx.Client(timeout=5) as client,
        client.stream(
            "POST",
            gw.base + "/v1/chat/completions",
            json={"model": "standin-stall", "messages": MESSAGES, "stream": True},
            headers={"authorization": f"Bearer {key}"},
        ) as response,
    ):
        next(response.iter_bytes())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if httpx.get(gw.upstream + "/_standin/stats").json()["cancelled"] >= before + 2:
            break
        time.sleep(0.1)
    assert httpx.get(gw.upstream + "/_standin/stats").json()["cancelled"] >= before + 2
    statuses = [r["status"] for r in gw.records()]
    assert statuses.count(499) == 2  # logged as the client closing the request


def test_redis_down_falls_back_to_local_limits_or_refuses(
    redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    asyncio.run(_fallback(redis_url, caplog))


async def _fallback(redis_url: str, caplog: pytest.LogCaptureFixture) -> None:
    limits = {"account": {"requests_per_minute": 2}}
    dead = "redis://127.0.0.1:1/0"
    open_budgets = Budgets(dead, fail="open")
    grant = await open_budgets.acquire({"account": "a"}, limits, estimate_tokens=1)
    await grant.release()
    await open_budgets.acquire({"account": "a"}, limits, estimate_tokens=1)
    with pytest.raises(Exception, match="Rate limit"):
        await open_budgets.acquire({"account": "a"}, limits, estimate_tokens=1)
    assert open_budgets.state()["healthy"] is False
    assert open_budgets.state()["fallbacks"] == 1
    assert sum("not answering" in r.message for r in caplog.records) == 1
    closed = Budgets(dead, fail="closed")
    with pytest.raises(Exception, match="limit store is unavailable") as raised:
        await closed.acquire({"account": "a"}, limits, estimate_tokens=1)
    assert getattr(raised.value, "status", None) == 503
    shared = Budgets(redis_url)
    await shared.acquire({"account": "b"}, limits, estimate_tokens=1)
    assert shared.state() == {"backend": "redis", "healthy": True, "fallbacks": 0, "fail": "open"}
    for budgets in (open_budgets, closed, shared):
        await budgets.close()
