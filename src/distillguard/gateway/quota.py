"""Limits: requests, tokens and concurrency per key, account, org, address and cluster.

The counting is the ``limits`` library's storages (memory, or Redis shared by every gateway
process), used through their primitives so that one counter serves a scope whatever the
limit in force — a throttled call is measured against a tenth of the budget *on the same
counter*, so an account cannot escape its history by being throttled:

* requests per minute — a **moving window** (``acquire_entry``, atomic in Redis through the
  library's Lua script). Exact, but it stores every hit: fine for per-minute request counts;
* requests per day — a **sliding window counter** (two counters per window, weighted):
  constant memory for a budget of hundreds of thousands;
* tokens per minute and per day — a **fixed window counter** (``incr`` by the estimate):
  constant memory for budgets of millions, at the price of allowing up to twice the budget
  across a window boundary. The estimate is charged up front; ``settle`` adds or refunds the
  difference with the real usage, streamed answers included;
* concurrent requests — a counter incremented on entry and decremented on release, with a
  time-to-live (``CONCURRENCY_TTL``), so a process killed while
  holding slots cannot hold them for ever (the time-to-live is set when the counter is
  created).

A call passes only if every scope has room. Token charges already made are refunded when a
later scope refuses; request entries of a moving window cannot be taken back, so a refused
call still counts in the request windows of the scopes checked before — conservative: it can
only refuse early, never let more through.

When Redis does not answer (every call is bounded by ``STORE_TIMEOUT``), the process falls
back to its own memory storage (``fail = "open"``) or refuses with 503 (``"closed"``), logs
one line, and tries Redis again every ``RETRY_SECONDS``.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeVar

from limits.aio.storage import MemoryStorage, Storage
from limits.storage import storage_from_string

from distillguard.gateway.core import GatewayError

LOG = logging.getLogger("distillguard.gateway")
STORE_TIMEOUT: Final = 0.5
RETRY_SECONDS: Final = 5.0
CONCURRENCY_TTL: Final = 600
WINDOWS: Final = {"minute": 60, "day": 86_400}
LIMIT_NAMES: Final = {
    "requests_per_minute": ("requests", "minute"),
    "requests_per_day": ("requests", "day"),
    "tokens_per_minute": ("tokens", "minute"),
    "tokens_per_day": ("tokens", "day"),
    "concurrent": ("concurrent", None),
}
T = TypeVar("T")
Fail = Literal["open", "closed"]
Limits = Mapping[str, Mapping[str, int]]
"""scope → limit name (``LIMIT_NAMES``) → amount."""


def limits_from_policy(policy: Limits, *, rpm: int | None, tpm: int | None) -> Limits:
    """The policy's limits, with a key's own requests / tokens per minute in place."""
    limits = {scope: dict(values) for scope, values in policy.items()}
    key = limits.setdefault("key", {})
    if rpm is not None:
        key["requests_per_minute"] = rpm
    if tpm is not None:
        key["tokens_per_minute"] = tpm
    return limits


def _scaled(amount: int, throttle: float) -> int:
    return max(1, math.floor(amount * throttle))


@dataclass
class Grant:
    """Budget taken by one call: settle its real token usage, release its concurrency slots."""

    budgets: Budgets
    tokens: list[tuple[str, int]] = field(default_factory=list)  # (key, window seconds)
    charged: int = 0
    slots: list[str] = field(default_factory=list)
    settled: bool = False
    released: bool = False

    async def settle(self, actual_tokens: int) -> None:
        if self.settled:
            return
        self.settled = True
        difference = actual_tokens - self.charged
        if difference:
            for key, window in self.tokens:
                await self.budgets.run(lambda s, k=key, w=window: s.incr(k, w, difference))

    async def release(self) -> None:
        if self.released:
            return
        self.released = True
        for key in self.slots:
            await self.budgets.run(lambda s, k=key: s.incr(k, CONCURRENCY_TTL, -1))


class Budgets:
    def __init__(self, url: str, fail: Fail = "open") -> None:
        self.url = url
        self.fail = fail
        self.shared = not url.startswith("memory")
        self.local = MemoryStorage()
        self.remote: Storage | None = None
        if self.shared:
            target = url if url.startswith("async+") else "async+" + url
            store = storage_from_string(target)
            assert isinstance(store, Storage)
            self.remote = store
        self.healthy = True
        self.fallbacks = 0
        self._retry_at = 0.0

    def state(self) -> dict[str, Any]:
        return {
            "backend": "redis" if self.shared else "memory",
            "healthy": self.healthy,
            "fallbacks": self.fallbacks,
            "fail": self.fail,
        }

    def _store(self) -> Storage:
        if self.remote is not None and (self.healthy or time.monotonic() >= self._retry_at):
            return self.remote
        return self.local

    async def run(self, operation: Any) -> Any:
        """``operation(storage)`` on the shared store, or locally while it is down."""
        store = self._store()
        if store is self.local:
            if self.fail == "closed" and self.remote is not None:
                raise GatewayError(503, "overloaded_error", "the limit store is unavailable")
            return await operation(store)
        try:
            result = await asyncio.wait_for(operation(store), STORE_TIMEOUT)
        except Exception as exc:  # any failure of the shared store: it is unavailable
            self._retry_at = time.monotonic() + RETRY_SECONDS
            if self.healthy:
                self.healthy = False
                self.fallbacks += 1
                LOG.warning(
                    "limit store %s is not answering (%s); using %s",
                    self.url,
                    type(exc).__name__,
                    "local limits" if self.fail == "open" else "no limits: refusing calls",
                )
            if self.fail == "closed":
                raise GatewayError(
                    503, "overloaded_error", "the limit store is unavailable"
                ) from exc
            return await operation(self.local)
        if not self.healthy:
            self.healthy = True
            LOG.warning("limit store %s answers again; limits are shared again", self.url)
        return result

    async def acquire(
        self,
        subjects: Mapping[str, str],
        limits: Limits,
        *,
        estimate_tokens: int,
        throttle: float = 1.0,
    ) -> Grant:
        grant = Grant(self, charged=estimate_tokens)
        try:
            for scope, subject in subjects.items():
                for name, amount in limits.get(scope, {}).items():
                    await self._take(grant, scope, subject, name, _scaled(amount, throttle))
        except BaseException:
            await grant.settle(0)
            await grant.release()
            raise
        return grant

    async def _take(self, grant: Grant, scope: str, subject: str, name: str, limit: int) -> None:
        kind, per = LIMIT_NAMES[name]
        key = f"distillguard/{scope}/{subject}/{name}"
        if kind == "concurrent":
            count = await self.run(lambda s: s.incr(key, CONCURRENCY_TTL, 1))
            if count > limit:
                await self.run(lambda s: s.incr(key, CONCURRENCY_TTL, -1))
                raise self._refusal(scope, name, limit, 1.0)
            grant.slots.append(key)
            return
        assert per is not None
        window = WINDOWS[per]
        if kind == "tokens":
            cost = grant.charged
            total = await self.run(lambda s: s.incr(key, window, cost))
            grant.tokens.append((key, window))
            if total > limit and total - cost > 0:  # a first call larger than the budget passes
                raise self._refusal(scope, name, limit, await self._reset(key))
            return
        if per == "minute":
            ok = await self.run(lambda s: s.acquire_entry(key, limit, window, 1))
            if not ok:
                start, _ = await self.run(lambda s: s.get_moving_window(key, limit, window))
                raise self._refusal(scope, name, limit, start + window - time.time())
            return
        ok = await self.run(lambda s: s.acquire_sliding_window_entry(key, limit, window, 1))
        if not ok:
            previous, previous_ttl, _, _ = await self.run(
                lambda s: s.get_sliding_window(key, window)
            )
            wait = previous_ttl * (1 - (limit - 1) / max(previous, 1)) if previous else window
            raise self._refusal(scope, name, limit, max(1.0, wait))

    async def _reset(self, key: str) -> float:
        expiry = await self.run(lambda s: s.get_expiry(key))
        return max(1.0, float(expiry) - time.time())

    @staticmethod
    def _refusal(scope: str, name: str, limit: int, retry_after: float) -> GatewayError:
        words = name.replace("_", " ")
        return GatewayError(
            429,
            "rate_limit_error",
            f"Rate limit reached for this {scope}: {limit:,} {words}. "
            f"Try again in {max(1, math.ceil(retry_after))} s.",
            retry_after=max(1.0, retry_after),
        )

    async def close(self) -> None:
        """Close the connections to the shared store (coredis' pool, under ``limits``)."""
        if self.remote is None:
            return
        bridge = getattr(self.remote, "bridge", None)
        client = getattr(bridge, "storage", None)
        pool = getattr(client, "connection_pool", None)
        if pool is not None:
            pool.disconnect()
