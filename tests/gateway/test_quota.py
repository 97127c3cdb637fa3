"""Limits on the memory store and on a real Redis: requests, tokens (settled), concurrency."""

from __future__ import annotations

import asyncio

import pytest

from distillguard.gateway.core import GatewayError
from distillguard.gateway.quota import Budgets, limits_from_policy


def _run(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


async def _tokens(url: str) -> None:
    budgets = Budgets(url)
    limits = {"account": {"tokens_per_minute": 1000}}
    grant = await budgets.acquire({"account": "a"}, limits, estimate_tokens=600)
    await grant.settle(100)  # 500 refunded
    grant = await budgets.acquire({"account": "a"}, limits, estimate_tokens=600)
    await grant.settle(600)  # 700 used
    with pytest.raises(GatewayError) as raised:
        await budgets.acquire({"account": "a"}, limits, estimate_tokens=400)
    assert raised.value.status == 429
    assert "tokens per minute" in raised.value.message
    assert raised.value.retry_after is not None
    assert 1 <= raised.value.retry_after <= 60
    # the refused call's charge was refunded: 300 still fit
    grant = await budgets.acquire({"account": "a"}, limits, estimate_tokens=300)
    await grant.settle(300)
    await budgets.close()


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_tokens_are_charged_up_front_and_settled(
    backend: str, request: pytest.FixtureRequest
) -> None:
    url = "memory://" if backend == "memory" else request.getfixturevalue("redis_url")
    _run(_tokens(url))


async def _throttle_and_cluster() -> None:
    budgets = Budgets("memory://")
    limits = {"cluster": {"requests_per_minute": 20}}
    for account in ("a", "b"):  # two accounts of one cluster: one budget
        await budgets.acquire(
            {"account": account, "cluster": "c1"}, limits, estimate_tokens=1, throttle=0.1
        )
    with pytest.raises(GatewayError, match="cluster"):
        await budgets.acquire(
            {"account": "c", "cluster": "c1"}, limits, estimate_tokens=1, throttle=0.1
        )
    # unthrottled, the same counter still counts the two calls: 18 of 20 left
    for _ in range(18):
        await budgets.acquire({"account": "d", "cluster": "c1"}, limits, estimate_tokens=1)
    with pytest.raises(GatewayError):
        await budgets.acquire({"account": "d", "cluster": "c1"}, limits, estimate_tokens=1)


def test_a_throttle_scales_the_budget_on_the_same_counter() -> None:
    _run(_throttle_and_cluster())


async def _concurrency() -> None:
    budgets = Budgets("memory://")
    limits = {"key": {"concurrent": 2}}
    first = await budgets.acquire({"key": "k"}, limits, estimate_tokens=1)
    await budgets.acquire({"key": "k"}, limits, estimate_tokens=1)
    with pytest.raises(GatewayError, match="concurrent"):
        await budgets.acquire({"key": "k"}, limits, estimate_tokens=1)
    await first.release()
    await first.release()  # once only
    await budgets.acquire({"key": "k"}, limits, estimate_tokens=1)


def test_concurrent_slots_are_released_once() -> None:
    _run(_concurrency())


def test_a_keys_own_limits_replace_the_policys() -> None:
    limits = limits_from_policy({"key": {"requests_per_minute": 600}}, rpm=5, tpm=None)
    assert limits["key"] == {"requests_per_minute": 5}
    limits = limits_from_policy({}, rpm=None, tpm=7)
    assert limits["key"] == {"tokens_per_minute": 7}
