"""Budgets on the memory store and on a real Redis: every limit kind, settling, scopes,
throttling, three processes on one Redis, and Redis crashing, hanging and coming back."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest
import redis.asyncio

from distillguard.gateway import policy, quota
from distillguard.gateway.core import GatewayError
from distillguard.gateway.quota import Budgets, Grant, Limit, Limits, limits_from_policy
from tests.gateway.conftest import RedisServer

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
CALL_SECONDS = 2.0
"""No call may take longer than this, whatever the store does."""


def _run(main: Coroutine[Any, Any, T], seconds: float = 10.0) -> T:
    return asyncio.run(asyncio.wait_for(main, seconds))


async def _call(budgets: Budgets, subjects: dict[str, str], limits: Any, **kw: Any) -> Grant:
    kw.setdefault("estimate_tokens", 1)
    return await asyncio.wait_for(budgets.acquire(subjects, limits, **kw), CALL_SECONDS)


async def _refused(
    budgets: Budgets, subjects: dict[str, str], limits: Any, **kw: Any
) -> GatewayError:
    with pytest.raises(GatewayError) as raised:
        await _call(budgets, subjects, limits, **kw)
    return raised.value


@pytest.fixture(params=["memory", "redis"])
def url(request: pytest.FixtureRequest) -> str:
    if request.param == "memory":
        return "memory://"
    return str(request.getfixturevalue("redis_url"))


# --- the limits themselves -----------------------------------------------------------------


def test_the_names_are_the_policys() -> None:
    assert quota.SCOPES == policy.SCOPES
    assert tuple(quota.LIMIT_NAMES) == policy.LIMIT_NAMES


def test_limits_from_the_policy_with_a_keys_own() -> None:
    table = {
        "key": {"requests_per_minute": 600, "concurrent": 64},
        "cluster": {"tokens_per_day": 9},
    }
    assert limits_from_policy(table).table() == table
    own = limits_from_policy(table, rpm=5, tpm=7)
    assert own.table()["key"] == {
        "requests_per_minute": 5,
        "concurrent": 64,
        "tokens_per_minute": 7,
    }
    assert own.for_scope("cluster") == (Limit("cluster", "tokens", "day", 9),)
    assert limits_from_policy({}, tpm=7).table() == {"key": {"tokens_per_minute": 7}}
    for bad in ({"planet": {"concurrent": 1}}, {"key": {"requests_per_hour": 1}}):
        with pytest.raises(ValueError, match="unknown limit"):
            limits_from_policy(bad)
    with pytest.raises(ValueError, match="≥ 1"):
        Limit("key", "requests", "minute", 0)
    with pytest.raises(ValueError, match="window"):
        Limit("key", "concurrent", "minute", 3)
    with pytest.raises(ValueError, match="window"):
        Limit("key", "tokens", None, 3)
    with pytest.raises(ValueError, match="two limits"):
        Limits((Limit("ip", "tokens", "day", 1), Limit("ip", "tokens", "day", 2)))


def test_bad_settings_are_refused_at_once() -> None:
    with pytest.raises(ValueError, match="memory:// or redis://"):
        Budgets("memcached://127.0.0.1:11211")
    with pytest.raises(ValueError, match="open' or 'closed"):
        Budgets("memory://", fail="ajar")  # type: ignore[arg-type]

    async def main() -> None:
        budgets = Budgets()
        for throttle in (0.0, 1.5):
            with pytest.raises(ValueError, match="throttle"):
                await budgets.acquire({"key": "k"}, {}, estimate_tokens=1, throttle=throttle)
        with pytest.raises(ValueError, match="unknown limit scopes"):
            await budgets.acquire({"planet": "p"}, {}, estimate_tokens=1)

    _run(main())


# --- each kind, on both stores -------------------------------------------------------------


def test_requests_per_minute(url: str) -> None:
    async def main() -> None:
        budgets = Budgets(url)
        limits = {"key": {"requests_per_minute": 3}}
        for _ in range(3):
            await _call(budgets, {"key": "k1"}, limits)
        refused = await _refused(budgets, {"key": "k1"}, limits)
        assert (refused.status, refused.kind) == (429, "rate_limit_error")
        assert "API key: 3 requests per minute" in refused.message
        assert refused.retry_after is not None
        assert 55 < refused.retry_after <= 60  # the oldest of the three leaves the window
        await _call(budgets, {"key": "k2"}, limits)  # another key has its own budget
        await budgets.close()

    _run(main())


def test_requests_per_day(url: str) -> None:
    async def main() -> None:
        budgets = Budgets(url)
        limits = {"account": {"requests_per_day": 2}}
        for _ in range(2):
            await _call(budgets, {"account": "a"}, limits)
        refused = await _refused(budgets, {"account": "a"}, limits)
        assert "account: 2 requests per day" in refused.message
        # until the window turns, then until half of its weight has faded
        assert refused.retry_after is not None
        assert 43_200 < refused.retry_after <= 86_400 + 43_200
        await budgets.close()

    _run(main())


@pytest.mark.parametrize("per", ["minute", "day"])
def test_tokens_are_charged_up_front_and_settled(url: str, per: str) -> None:
    async def main() -> None:
        budgets = Budgets(url)
        limits = {"account": {f"tokens_per_{per}": 1000}}
        first = await _call(budgets, {"account": "a"}, limits, estimate_tokens=600)
        assert first.tokens == 600
        refused = await _refused(budgets, {"account": "a"}, limits, estimate_tokens=500)
        assert f"account: 1,000 tokens per {per}" in refused.message
        await first.settle(100)  # 500 of the estimate refunded
        await first.settle(1000)  # once only
        second = await _call(budgets, {"account": "a"}, limits, estimate_tokens=900)
        await second.settle(900)
        refused = await _refused(budgets, {"account": "a"}, limits, estimate_tokens=1)
        # no room for 1 token until the window turns (memory windows are aligned to the
        # clock, Redis ones start at their first charge), and then 0.1% of it fades
        window = {"minute": 60, "day": 86_400}[per]
        turns = window - time.time() % window if url == "memory://" else window
        assert refused.retry_after == pytest.approx(turns + window / 1000, abs=1.0)

        over = await _call(budgets, {"account": "b"}, limits, estimate_tokens=100)
        await over.settle(1500)  # the answer used more than the budget: charged anyway
        await _refused(budgets, {"account": "b"}, limits, estimate_tokens=1)
        await budgets.close()

    _run(main())


def test_a_call_larger_than_a_whole_budget_is_refused_without_a_retry(url: str) -> None:
    async def main() -> None:
        budgets = Budgets(url)
        limits = {"key": {"tokens_per_minute": 1000}}
        refused = await _refused(budgets, {"key": "k"}, limits, estimate_tokens=1001)
        assert refused.status == 429
        assert refused.retry_after is None
        assert "Request too large" in refused.message
        await _call(budgets, {"key": "k"}, limits, estimate_tokens=1000)  # nothing was charged
        await budgets.close()

    _run(main())


def test_concurrent_slots(url: str) -> None:
    async def main() -> None:
        budgets = Budgets(url)
        limits = {"key": {"concurrent": 2}}
        first = await _call(budgets, {"key": "k"}, limits)
        async with await _call(budgets, {"key": "k"}, limits):
            refused = await _refused(budgets, {"key": "k"}, limits)
            assert "API key: 2 concurrent requests" in refused.message
            assert refused.retry_after == quota.CONCURRENT_RETRY
        await first.release()
        await first.release()  # once only: the second frees nothing
        held = [await _call(budgets, {"key": "k"}, limits) for _ in range(2)]
        await _refused(budgets, {"key": "k"}, limits)
        for grant in held:
            await grant.release()
        await budgets.close()

    _run(main())


# --- scopes together -----------------------------------------------------------------------


def test_a_refused_call_is_charged_in_no_scope(url: str) -> None:
    async def main() -> None:
        budgets = Budgets(url)
        limits = {
            "key": {"requests_per_minute": 5, "tokens_per_minute": 1000, "concurrent": 1},
            "account": {"tokens_per_minute": 300},
        }
        spent = await _call(budgets, {"key": "k0", "account": "a"}, limits, estimate_tokens=300)
        await spent.release()
        refused = await _refused(budgets, {"key": "k1", "account": "a"}, limits)
        assert "account: 300 tokens per minute" in refused.message
        # key k1 lost nothing to the refused call: its 5 requests and 1000 tokens are whole
        for _ in range(5):
            grant = await _call(
                budgets,
                {"key": "k1", "account": "fresh"},
                {"key": limits["key"]},
                estimate_tokens=200,
            )
            await grant.release()
        refused = await _refused(budgets, {"key": "k1"}, {"key": limits["key"]})
        assert "requests per minute" in refused.message or "tokens per minute" in refused.message
        await budgets.close()

    _run(main())


def test_a_call_that_loses_a_race_gives_its_other_charges_back() -> None:
    async def main() -> None:
        budgets = Budgets()
        limits = {"key": {"concurrent": 1}, "account": {"tokens_per_minute": 1000}}
        outcomes = await asyncio.gather(
            *(
                _call(budgets, {"key": "k", "account": "a"}, limits, estimate_tokens=400)
                for _ in range(2)
            ),
            return_exceptions=True,
        )
        assert sum(isinstance(outcome, Grant) for outcome in outcomes) == 1
        # the loser's 400 tokens are back: 600 more fit, and not one more
        await _call(budgets, {"account": "a"}, limits, estimate_tokens=600)
        await _refused(budgets, {"account": "a"}, limits, estimate_tokens=1)

    _run(main())


def test_every_account_of_a_flagged_cluster_shares_its_budget(url: str) -> None:
    async def main() -> None:
        budgets = Budgets(url)
        limits = {"account": {"requests_per_minute": 100}, "cluster": {"requests_per_minute": 3}}
        for account in ("a", "b", "c"):
            await _call(budgets, {"account": account, "cluster": "c1"}, limits)
        refused = await _refused(budgets, {"account": "d", "cluster": "c1"}, limits)
        assert "cluster: 3 requests per minute" in refused.message
        await _call(budgets, {"account": "d"}, limits)  # outside the cluster: its own budget
        await _call(budgets, {"account": "e", "cluster": "c2"}, limits)
        await budgets.close()

    _run(main())


def test_a_throttle_scales_the_budget_on_the_same_counter(url: str) -> None:
    async def main() -> None:
        budgets = Budgets(url)
        limits = {"key": {"requests_per_minute": 10, "tokens_per_minute": 1000}}
        for _ in range(3):
            await _call(budgets, {"key": "k"}, limits, throttle=0.3)
        refused = await _refused(budgets, {"key": "k"}, limits, throttle=0.3)
        assert "3 requests per minute" in refused.message
        for _ in range(7):  # unthrottled, the three throttled calls still count
            await _call(budgets, {"key": "k"}, limits)
        await _refused(budgets, {"key": "k"}, limits)
        # history counts: 5 calls made unthrottled leave no room under a throttle of 0.5
        for _ in range(5):
            await _call(budgets, {"key": "j"}, limits)
        await _refused(budgets, {"key": "j"}, limits, throttle=0.5)
        # tokens: half the budget
        await _call(budgets, {"key": "t"}, limits, estimate_tokens=400, throttle=0.5)
        refused = await _refused(budgets, {"key": "t"}, limits, estimate_tokens=101, throttle=0.5)
        assert "500 tokens per minute" in refused.message
        await budgets.close()

    _run(main())


def test_state_names_the_store() -> None:
    budgets = Budgets()
    assert budgets.state() == {"backend": "memory", "healthy": True, "fallbacks": 0, "fail": "open"}


# --- shared through Redis ------------------------------------------------------------------


def test_budgets_on_one_redis_share_every_counter(redis_url: str) -> None:
    async def main() -> None:
        one, two = Budgets(redis_url), Budgets(redis_url)
        limits = {
            "key": {"requests_per_minute": 2},
            "account": {"tokens_per_minute": 500},
            "org": {"concurrent": 1},
        }
        slot = await _call(one, {"org": "o"}, limits)
        await _refused(two, {"org": "o"}, limits)
        await slot.release()
        await (await _call(two, {"org": "o"}, limits)).release()
        grant = await _call(one, {"account": "a"}, limits, estimate_tokens=500)
        await _refused(two, {"account": "a"}, limits)
        await grant.settle(200)  # refunded in Redis: the other process sees the room
        await _call(two, {"account": "a"}, limits, estimate_tokens=300)
        await _call(one, {"key": "k"}, limits)
        await _call(two, {"key": "k"}, limits)
        await _refused(one, {"key": "k"}, limits)
        assert two.state() == {"backend": "redis", "healthy": True, "fallbacks": 0, "fail": "open"}
        for budgets in (one, two):
            await budgets.close()

    _run(main())


PROCESS = """
import asyncio, json, sys
from distillguard.gateway.core import GatewayError
from distillguard.gateway.quota import Budgets

ROUNDS = {
    "requests": ({"key": "k"}, {"key": {"requests_per_minute": 10}}, 1),
    "tokens": ({"account": "a"}, {"account": {"tokens_per_minute": 1000}}, 100),
    "concurrent": ({"org": "o"}, {"org": {"concurrent": 4}}, 1),
}

async def attempt(budgets, subjects, limits, estimate):
    try:
        await budgets.acquire(subjects, limits, estimate_tokens=estimate)
    except GatewayError as exc:
        if exc.status != 429:
            raise
        return 0
    return 1

async def main(url):
    # closed: a fallback would hide a failure to share; a timeout that a loaded machine
    # cannot reach makes a slow answer a count, not a 503
    budgets = Budgets(url, fail="closed", timeout=5)
    await budgets.acquire({"ip": "warm"}, {"ip": {"concurrent": 9}}, estimate_tokens=1)
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    counts = {}
    for name, (subjects, limits, estimate) in ROUNDS.items():
        tries = [attempt(budgets, subjects, limits, estimate) for _ in range(10)]
        counts[name] = sum(await asyncio.gather(*tries))
    print(json.dumps(counts), flush=True)
    await budgets.close()

asyncio.run(main(sys.argv[1]))
"""


def test_three_processes_on_one_redis_let_each_budget_through_once(redis_url: str) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", PROCESS, redis_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for _ in range(3)
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready", process.stderr
        for process in processes:  # all three start their 10 attempts per round together
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        counts = []
        for process in processes:
            out, err = process.communicate(timeout=20)
            assert process.returncode == 0, err
            counts.append(json.loads(out))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
    # 30 attempts per round against 10 requests, 1000 / 100 tokens and 4 slots
    assert sum(c["requests"] for c in counts) == 10
    assert sum(c["tokens"] for c in counts) == 10
    assert sum(c["concurrent"] for c in counts) == 4


# --- Redis down ----------------------------------------------------------------------------


def _lines(caplog: pytest.LogCaptureFixture, text: str) -> int:
    return sum(
        text in record.getMessage()
        for record in caplog.records
        if record.name == "distillguard.gateway"
    )


def test_redis_crashing_falls_back_to_local_limits_and_recovers(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="distillguard.gateway")
    limits = {"key": {"requests_per_minute": 3, "concurrent": 5}}

    async def main() -> None:
        budgets = Budgets(redis_server.url, fail="open", timeout=0.3, retry_seconds=0.3)
        held = await _call(budgets, {"key": "k"}, limits)  # counted in Redis
        redis_server.kill()
        for _ in range(3):  # a fresh local count: three more in this process
            await _call(budgets, {"key": "k"}, limits)
        refused = await _refused(budgets, {"key": "k"}, limits)
        assert refused.status == 429
        await held.release()  # on a store that is down: no error, no wait
        await held.settle(0)
        state = budgets.state()
        assert (state["healthy"], state["fallbacks"]) == (False, 1)
        assert _lines(caplog, "not answering") == 1
        assert _lines(caplog, "answers again") == 0

        redis_server.start()  # empty: nothing was persisted
        await asyncio.sleep(0.35)
        for _ in range(3):  # back on Redis: its own (fresh) count again
            await _call(budgets, {"key": "k"}, limits)
        assert budgets.state()["healthy"] is True
        await _refused(budgets, {"key": "k"}, limits)
        assert _lines(caplog, "answers again") == 1
        assert _lines(caplog, "not answering") == 1
        redis_server.kill()  # and again: a second fallback, a second line
        await _call(budgets, {"key": "other"}, limits)
        assert budgets.state()["fallbacks"] == 2
        assert _lines(caplog, "not answering") == 2
        await budgets.close()

    _run(main())


def test_redis_crashing_with_fail_closed_refuses_until_it_is_back(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="distillguard.gateway")
    limits = {"account": {"requests_per_minute": 100}}

    async def main() -> None:
        budgets = Budgets(redis_server.url, fail="closed", timeout=0.3, retry_seconds=0.3)
        await _call(budgets, {"account": "a"}, limits)
        redis_server.kill()
        for _ in range(2):
            refused = await _refused(budgets, {"account": "a"}, limits)
            assert (refused.status, refused.kind) == (503, "overloaded_error")
            assert "limit store is unavailable" in refused.message
            assert refused.retry_after == 0.3
        assert budgets.state() == {
            "backend": "redis",
            "healthy": False,
            "fallbacks": 1,
            "fail": "closed",
        }
        assert _lines(caplog, "refusing calls") == 1
        redis_server.start()
        await asyncio.sleep(0.35)
        await _call(budgets, {"account": "a"}, limits)
        assert budgets.state()["healthy"] is True
        await budgets.close()

    _run(main())


def test_a_redis_that_stops_answering_never_hangs_a_call(redis_server: RedisServer) -> None:
    limits = {"key": {"requests_per_minute": 10, "tokens_per_minute": 100, "concurrent": 3}}

    async def main() -> None:
        fallback = Budgets(redis_server.url, fail="open", timeout=0.3, retry_seconds=0.5)
        closed = Budgets(redis_server.url, fail="closed", timeout=0.3, retry_seconds=60)
        grant = await _call(fallback, {"key": "k"}, limits, estimate_tokens=10)
        await _call(closed, {"key": "c"}, limits)
        redis_server.pause()
        started = time.monotonic()
        await _call(fallback, {"key": "k"}, limits)  # on local limits after one timeout
        refused = await _refused(closed, {"key": "c"}, limits)
        assert refused.status == 503
        await grant.settle(50)  # the store is marked down: skipped, not waited on
        await grant.release()
        assert time.monotonic() - started < 1.5
        assert fallback.state()["healthy"] is False
        redis_server.resume()  # the calls cut short left no connection in a bad state
        await asyncio.sleep(0.5)
        # The call cut short had been sent: Redis ran its one script when it caught up, so
        # key k holds the grant's slot (not released while the store was down) and that one.
        await _call(fallback, {"key": "k"}, limits)
        client = redis.asyncio.Redis.from_url(redis_server.url)
        assert await client.get("distillguard:gateway/key/k/concurrent") == b"3"
        await client.aclose()
        assert fallback.state() == {
            "backend": "redis",
            "healthy": True,
            "fallbacks": 1,
            "fail": "open",
        }
        for budgets in (fallback, closed):
            await budgets.close()

    _run(main())
