"""Budgets on a real Redis through ``quota_redis``: one script per admission, settlement and
release; all or nothing; the library's own keys and counts; the script reloaded after a
flush; and a script cut short by a time-out counted once."""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
import redis.asyncio

from distillguard.gateway import policy, quota
from distillguard.gateway.core import GatewayError
from distillguard.gateway.quota import Budgets, Grant, Limits
from tests.gateway.conftest import RedisServer

T = TypeVar("T")
PREFIX = "distillguard:"
SUBJECTS = {"key": "k", "account": "a", "ip": "192.0.2.1"}
"""An ordinary call: the default policy charges it on 9 counters (key 3, account 5, ip 1)."""


def _run(main: Coroutine[Any, Any, T], seconds: float = 20.0) -> T:
    return asyncio.run(asyncio.wait_for(main, seconds))


def _default_limits() -> Limits:
    return Limits.from_table(tomllib.loads(policy.default_text())["limits"])


async def _refused(budgets: Budgets, subjects: dict[str, str], limits: Any, **kw: Any) -> float:
    """The ``retry_after`` of a call that must be refused with 429."""
    kw.setdefault("estimate_tokens", 1)
    with pytest.raises(GatewayError) as raised:
        await budgets.acquire(subjects, limits, **kw)
    assert raised.value.status == 429
    assert raised.value.retry_after is not None
    return raised.value.retry_after


async def _snapshot(client: redis.asyncio.Redis) -> dict[bytes, object]:
    """Every key's value (lists whole), not its time to live."""
    values: dict[bytes, object] = {}
    for key in await client.keys("*"):
        kind = await client.type(key)
        values[key] = await (client.lrange(key, 0, -1) if kind == b"list" else client.get(key))
    return values


async def _commands(client: redis.asyncio.Redis) -> dict[str, int]:
    """Calls per command since the last ``CONFIG RESETSTAT``, but the test's own. Redis counts
    the commands a script runs too: a script's ``evalsha`` comes with its ``get``, ``pttl`` …"""
    stats = await client.info("commandstats")
    calls = {name.removeprefix("cmdstat_"): int(row["calls"]) for name, row in stats.items()}
    return {name: n for name, n in calls.items() if name not in {"config|resetstat", "info"}}


async def _exchanges(client: redis.asyncio.Redis, work: Coroutine[Any, Any, T]) -> tuple[int, T]:
    """Requests Redis read from its clients while ``work`` ran (``total_reads_processed``:
    one per command or script sent on an open connection, whatever the script runs), less
    the measurement's own; and what ``work`` returned."""
    await client.config_resetstat()
    own = int((await client.info("stats"))["total_reads_processed"])
    await client.config_resetstat()
    result = await work
    return int((await client.info("stats"))["total_reads_processed"]) - own, result


def test_one_command_per_admission_settlement_and_release(redis_url: str) -> None:
    async def main() -> None:
        budgets = Budgets(redis_url)
        limits = _default_limits()
        client = redis.asyncio.Redis.from_url(redis_url)
        warm = await budgets.acquire(SUBJECTS, limits, estimate_tokens=10)  # loads the script
        await warm.settle(20)
        await warm.release()
        for _ in range(3):
            sent, grant = await _exchanges(
                client, budgets.acquire(SUBJECTS, limits, estimate_tokens=500)
            )
            assert sent == 1
            assert (await _commands(client))["evalsha"] == 1
            assert (await _exchanges(client, grant.settle(120)))[0] == 1  # refunds on 4 windows
            assert (await _exchanges(client, grant.settle(120)))[0] == 0  # once only
            assert (await _exchanges(client, grant.release()))[0] == 1  # two slots
            assert (await _commands(client))["evalsha"] == 1
        # refused by the key's tokens: one exchange too
        refused = _refused(budgets, SUBJECTS, limits, estimate_tokens=2_000_000)
        assert (await _exchanges(client, refused))[0] == 1
        await client.aclose()
        await budgets.close()

    _run(main())


def test_a_refused_call_leaves_every_counter_as_it_was(redis_url: str) -> None:
    """Refused by its last limit, a call charges none of the others — not even the moving
    windows, whose entries cannot be taken back."""

    async def main() -> None:
        budgets = Budgets(redis_url)
        client = redis.asyncio.Redis.from_url(redis_url)
        limits = _default_limits().override(quota.Limit("ip", "requests", "minute", 2))
        grants = [await budgets.acquire(SUBJECTS, limits, estimate_tokens=50) for _ in range(2)]
        before = await _snapshot(client)
        assert len(before) == 3 + 5 + 1  # lists, current windows, slots (no previous yet)
        for subjects in (SUBJECTS, {**SUBJECTS, "key": "fresh", "account": "fresh"}):
            await _refused(budgets, subjects, limits)
            assert await _snapshot(client) == before
        for grant in grants:
            await grant.release()
        await client.aclose()
        await budgets.close()

    _run(main())


def test_the_counters_are_the_librarys(redis_url: str) -> None:
    """The script's charges are what the library's own Redis reads count, and the library's
    own charges are what the script refuses on: same keys, same structures, same clocks."""

    async def main() -> None:
        budgets = Budgets(redis_url)
        remote = budgets._store.remote
        assert remote is not None
        limits = _default_limits()
        grant = await budgets.acquire(SUBJECTS, limits, estimate_tokens=7)
        _, entries = await remote.get_moving_window("gateway/key/k/requests/minute", 600, 60)
        assert entries == 1
        previous, _, current, current_ttl = await remote.get_sliding_window(
            "gateway/account/a/tokens/day", 86_400
        )
        assert (previous, current) == (0, 7)
        assert 2 * 86_400 - 5 < current_ttl <= 2 * 86_400
        assert await remote.get("gateway/account/a/concurrent") == 1
        await grant.settle(10)
        assert (await remote.get_sliding_window("gateway/key/k/tokens/minute", 60))[2] == 10
        await grant.release()
        assert await remote.get("gateway/key/k/concurrent") == 0

        small = {"key": {"requests_per_minute": 3, "tokens_per_minute": 1000}}
        for _ in range(3):  # the library fills the window …
            assert await remote.acquire_entry("gateway/key/j/requests/minute", 3, 60)
        await _refused(budgets, {"key": "j"}, small)  # … and the script sees it full
        assert await remote.acquire_sliding_window_entry(
            "gateway/key/i/tokens/minute", 10**6, 60, 900
        )
        await _refused(
            budgets, {"key": "i"}, {"key": {"tokens_per_minute": 1000}}, estimate_tokens=101
        )
        await budgets.acquire(
            {"key": "i"}, {"key": {"tokens_per_minute": 1000}}, estimate_tokens=100
        )
        assert not await remote.acquire_sliding_window_entry(
            "gateway/key/i/tokens/minute", 1000, 60, 1
        )
        await budgets.close()

    _run(main())


@pytest.mark.parametrize(
    "table",
    [
        {"key": {"requests_per_minute": 3}},
        {"account": {"requests_per_day": 3}},
        {"account": {"tokens_per_minute": 3}},
        {"org": {"tokens_per_day": 3}},
    ],
)
def test_retry_after_is_what_the_librarys_reads_give(redis_url: str, table: Any) -> None:
    """A refusal's wait from the script's reading, against the same wait from the library's
    own reads of the same counters (the memory path's look)."""

    async def main() -> None:
        budgets = Budgets(redis_url)
        remote = budgets._store.remote
        assert remote is not None
        subjects = {"key": "k", "account": "a", "org": "o"}
        for _ in range(3):
            await budgets.acquire(subjects, table, estimate_tokens=1)
            await asyncio.sleep(0.05)
        wait = await _refused(budgets, subjects, table)
        charges = quota._plan(subjects, Limits.from_table(table), 1, 1.0)
        look = await quota._look(remote, charges[0])
        assert not look.room
        assert look.retry_after is not None
        assert wait == pytest.approx(look.retry_after, abs=0.05)
        assert 0 < wait <= 2 * charges[0].window
        await budgets.close()

    _run(main())


def test_concurrent_calls_from_several_clients_let_exactly_the_budget_through(
    redis_url: str,
) -> None:
    async def attempt(budgets: Budgets, subjects: dict[str, str], limits: Any, tokens: int) -> int:
        try:
            grant = await budgets.acquire(subjects, limits, estimate_tokens=tokens)
        except GatewayError as exc:
            if exc.status != 429:
                raise
            return 0
        assert isinstance(grant, Grant)
        return 1

    async def main() -> None:
        clients = [Budgets(redis_url, fail="closed", timeout=5) for _ in range(4)]
        rounds = [
            ({"key": "k"}, {"key": {"requests_per_minute": 10}}, 1),
            ({"account": "a"}, {"account": {"requests_per_day": 10}}, 1),
            ({"org": "o"}, {"org": {"tokens_per_minute": 1000}}, 100),
            ({"ip": "i"}, {"ip": {"concurrent": 10}}, 1),
            # all four at once: each call needs room in every one
            (
                {"key": "k2", "account": "a2", "org": "o2", "ip": "i2"},
                {
                    "key": {"requests_per_minute": 10},
                    "account": {"requests_per_day": 20},
                    "org": {"tokens_per_minute": 5000},
                    "ip": {"concurrent": 30},
                },
                100,
            ),
        ]
        for subjects, limits, tokens in rounds:
            tries = [
                attempt(budgets, subjects, limits, tokens) for budgets in clients for _ in range(15)
            ]
            assert sum(await asyncio.gather(*tries)) == 10, limits
        # the calls the key refused in the last round were charged nowhere else
        remote = clients[0]._store.remote
        assert remote is not None
        assert (await remote.get_sliding_window("gateway/account/a2/requests/day", 86_400))[2] == 10
        assert (await remote.get_sliding_window("gateway/org/o2/tokens/minute", 60))[2] == 1000
        assert await remote.get("gateway/ip/i2/concurrent") == 10
        for budgets in clients:
            await budgets.close()

    _run(main())


def test_the_script_is_loaded_again_after_a_flush(redis_url: str) -> None:
    async def main() -> None:
        budgets = Budgets(redis_url)
        client = redis.asyncio.Redis.from_url(redis_url)
        limits = {"key": {"requests_per_minute": 3, "concurrent": 1, "tokens_per_minute": 100}}
        grant = await budgets.acquire({"key": "k"}, limits, estimate_tokens=10)
        for phase in ("settle", "release", "acquire"):
            await client.script_flush()
            if phase == "settle":
                work = grant.settle(30)
            elif phase == "release":
                work = grant.release()
            else:
                work = budgets.acquire({"key": "k"}, limits, estimate_tokens=10)
            # refused as unknown (so it did not run), loaded, run once
            assert (await _exchanges(client, work))[0] == 3
            calls = await _commands(client)
            assert (calls["evalsha"], calls["script|load"]) == (2, 1), (phase, calls)
            assert (await client.info("stats"))["total_error_replies"] == 1
        assert budgets.state()["healthy"] is True
        assert await client.llen(f"{PREFIX}gateway/key/k/requests/minute") == 2
        assert await client.get(f"{PREFIX}{{gateway/key/k/tokens/minute}}") == b"40"
        assert await client.get(f"{PREFIX}gateway/key/k/concurrent") == b"1"
        await client.aclose()
        await budgets.close()

    _run(main())


def test_a_release_never_takes_a_slot_counter_below_zero(redis_url: str) -> None:
    async def main() -> None:
        budgets = Budgets(redis_url, slot_ttl=60)
        client = redis.asyncio.Redis.from_url(redis_url)
        limits = {"key": {"concurrent": 2}}
        first = await budgets.acquire({"key": "k"}, limits, estimate_tokens=1)
        second = await budgets.acquire({"key": "k"}, limits, estimate_tokens=1)
        key = f"{PREFIX}gateway/key/k/concurrent"
        assert await client.get(key) == b"2"
        assert 55 < await client.ttl(key) <= 60  # set when the counter rose from zero
        await client.delete(key)  # as if it had expired with both slots held
        await first.release()
        assert await client.get(key) == b"0"
        await second.release()
        assert await client.get(key) == b"0"
        for _ in range(2):
            await budgets.acquire({"key": "k"}, limits, estimate_tokens=1)
        await _refused(budgets, {"key": "k"}, limits)
        await client.aclose()
        await budgets.close()

    _run(main())


def test_an_admission_cut_short_by_a_time_out_is_counted_once(redis_server: RedisServer) -> None:
    """The script reached Redis before it froze: it runs when Redis thaws, and it is never
    sent again, so the call is counted once (and refused with 503 by a closed store)."""

    async def main() -> None:
        budgets = Budgets(redis_server.url, fail="closed", timeout=0.3, retry_seconds=0.3)
        client = redis.asyncio.Redis.from_url(redis_server.url)
        limits = {"key": {"requests_per_minute": 10, "tokens_per_day": 1000}}
        await budgets.acquire({"key": "k"}, limits, estimate_tokens=100)
        redis_server.pause()
        asyncio.get_running_loop().call_later(0.5, redis_server.resume)
        with pytest.raises(GatewayError) as raised:
            await budgets.acquire({"key": "k"}, limits, estimate_tokens=100)
        assert raised.value.status == 503
        await asyncio.sleep(0.6)
        assert await client.llen(f"{PREFIX}gateway/key/k/requests/minute") == 2
        assert await client.get(f"{PREFIX}{{gateway/key/k/tokens/day}}") == b"200"
        await client.aclose()
        await budgets.close()

    _run(main())
