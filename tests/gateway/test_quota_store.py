"""The limit store against a real redis-server."""

from __future__ import annotations

import asyncio
import time

import pytest
from redis.exceptions import RedisError

from distillguard.gateway.quota_store import LimitStore
from tests.gateway.conftest import RedisServer


def test_a_counting_script_that_answers_late_is_not_sent_again(
    redis_server: RedisServer,
) -> None:
    """A script that times out at the client still runs in Redis once Redis catches up;
    sending it again (the client library's default on a time-out) would count the call twice.
    Redis is frozen past the time-out and thawed before a second attempt would give up."""

    async def main() -> int:
        store = LimitStore(redis_server.url, timeout=0.3)
        try:
            remote = store.remote
            assert remote is not None
            assert await remote.acquire_sliding_window_entry("late", 10_000, 60, 1)
            redis_server.pause()
            asyncio.get_running_loop().call_later(0.4, redis_server.resume)
            with pytest.raises((TimeoutError, RedisError, OSError)):
                await remote.acquire_sliding_window_entry("late", 10_000, 60, 100)
            await asyncio.sleep(0.5)  # thawed: what reached Redis has run
            _, _, current, _ = await remote.get_sliding_window("late", 60)
            return current
        finally:
            redis_server.resume()
            await store.close()

    assert asyncio.run(main()) == 1 + 100  # the late call counted once


def test_a_call_cancelled_mid_command_leaves_the_others_in_flight_alone(
    redis_server: RedisServer,
) -> None:
    """A client that hangs up cancels its call's Redis command; the calls of everyone else
    waiting on Redis at that moment must still be answered (and counted)."""

    async def main() -> tuple[list[bool], int]:
        store = LimitStore(redis_server.url, timeout=2.0)
        try:
            remote = store.remote
            assert remote is not None
            assert await remote.acquire_sliding_window_entry("busy", 10_000, 60, 1)
            redis_server.pause()
            calls = [
                asyncio.create_task(remote.acquire_sliding_window_entry("busy", 10_000, 60, 10))
                for _ in range(5)
            ]
            await asyncio.sleep(0.2)  # all five sent, none answered
            calls[0].cancel()
            redis_server.resume()
            answers = await asyncio.gather(*calls[1:])
            _, _, current, _ = await remote.get_sliding_window("busy", 60)
            return answers, current
        finally:
            redis_server.resume()
            await store.close()

    answers, current = asyncio.run(main())
    assert answers == [True] * 4
    assert current in (1 + 40, 1 + 50)  # the cancelled one may have reached Redis first


def test_the_memory_store_expires_inline_without_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library's own expiry pass (a worker thread per moving window, after nearly every
    charge) is replaced: no thread is used, expired entries and counters are still dropped."""

    def no_thread(*_: object) -> None:
        raise AssertionError("the memory store handed work to a thread")

    async def main() -> tuple[dict[str, int], int]:
        local = LimitStore("memory://").local
        monkeypatch.setattr(asyncio, "to_thread", no_thread)
        assert await local.acquire_entry("window", 10, 1)
        assert await local.incr("counter", 1, 3) == 3
        assert local.timer is None  # the library's pass was never scheduled
        clock = time.time() + 5
        monkeypatch.setattr(time, "time", lambda: clock)
        await local.incr("later", 60, 1)  # the next charge past the interval runs the pass
        return dict(local.storage), len(local.events)

    counters, windows = asyncio.run(main())
    assert counters == {"later": 1}
    assert windows == 0
