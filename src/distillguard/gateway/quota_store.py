"""Where the gateway's limit counters live, and what happens when the shared store is down.

``memory://`` keeps the counters in this process (the ``limits`` library's
:class:`MemoryStorage`, its expiry pass made cheap: :class:`LocalStorage`).
``redis://host:port`` (also ``rediss://`` and the library's own ``async+redis://`` spelling)
keeps them in one Redis that every gateway process shares, so a limit holds across replicas;
the counting is done in Lua scripts, atomically — a call's admission, settlement and release
one script each (``quota_redis``, over :attr:`LimitStore.client`), the counters kept as the
library's Redis storage keeps them — over a redis-py connection pool that this module owns
(so it can close it). The pool hands each command a connection of its own: a call cancelled
mid-command (a client that hangs up, a time-out) drops that connection alone, never the
other calls in flight — a client multiplexing every command over one connection (the
library's default, coredis) fails them all when one is cancelled.

Redis is never waited on for long: the pool's connect and read timeouts and an
``asyncio.timeout`` around every exchange are the same short ``timeout``. When an exchange
fails (refused, reset, timed out, any Redis error) the store is marked down, which is logged
once (logger ``distillguard.gateway``) and counted in :meth:`LimitStore.state`; then

* ``fail="open"``: calls are counted in this process's memory — each process enforces every
  limit on its own, so N replicas let up to N times a budget through until Redis is back;
* ``fail="closed"``: calls are refused with 503 ``overloaded_error``.

While down, Redis is not touched except by one probe (``PING``) every ``retry_seconds``;
when a probe answers, that is logged once and counting moves back to Redis. Counts made
locally meanwhile stay local: they are not copied into Redis.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Final, Literal, TypeVar
from urllib.parse import urlsplit

import redis.asyncio
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.errors import StorageError
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from distillguard.gateway.core import GatewayError

LOG = logging.getLogger("distillguard.gateway")
KEY_PREFIX: Final = "distillguard"
"""Prefix of every key the gateway writes in Redis."""
_MEMORY_SCHEMES: Final = frozenset({"memory", "async+memory"})
_REDIS_SCHEMES: Final = frozenset({"redis", "rediss", "async+redis", "async+rediss"})
_FAILURES: Final = (RedisError, StorageError, OSError, TimeoutError)
"""What a store that is down raises: redis-py's errors, socket errors, our own timeout."""

EXPIRY_SECONDS: Final = 1.0
"""How often the memory store drops expired counters and window entries."""


class LocalStorage(MemoryStorage):
    """The library's memory storage, its expiry pass run inline at most once a second.

    The library schedules a pass after nearly every charge, and each pass hands every moving
    window's list to a worker thread (``asyncio.to_thread``) for one ``bisect``: the thread
    round trips and the contention for the interpreter lock were the largest cost of a
    gateway call. The pass here trims the same entries, in the event loop (a bisect is
    microseconds), and no more often than :data:`EXPIRY_SECONDS`. Counting does not depend
    on it: reads skip expired counters and entries themselves; it only bounds memory.
    """

    def __init__(self) -> None:
        super().__init__()
        self._expire_at = 0.0

    # The library's private ``__schedule_expiry``, which every charge awaits (name-mangled).
    async def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802
        now = time.time()
        if now < self._expire_at:
            return
        self._expire_at = now + EXPIRY_SECONDS
        for key, entries in list(self.events.items()):
            kept = entries[: bisect.bisect_left(entries, -now, key=lambda entry: -entry.expiry)]
            if kept:
                self.events[key] = kept
            else:
                self.events.pop(key, None)
                self.locks.pop(key, None)
        for key, expiry in list(self.expirations.items()):
            if expiry <= now:
                self.storage.pop(key, None)
                self.expirations.pop(key, None)
                self.locks.pop(key, None)


Fail = Literal["open", "closed"]
Backend = MemoryStorage | RedisStorage
T = TypeVar("T")


class StoreDownError(Exception):
    """The shared store did not answer in time; already logged and counted."""


class LimitStore:
    """The counters' storage: Redis with a local fallback, or local memory alone."""

    def __init__(
        self,
        url: str,
        *,
        fail: Fail = "open",
        timeout: float = 0.5,
        retry_seconds: float = 5.0,
    ) -> None:
        if fail not in ("open", "closed"):
            raise ValueError(f"fail must be 'open' or 'closed', not {fail!r}")
        if timeout <= 0 or retry_seconds <= 0:
            raise ValueError("timeout and retry_seconds must be positive")
        self.fail: Fail = fail
        self.timeout = timeout
        self.retry_seconds = retry_seconds
        self.local: MemoryStorage = LocalStorage()
        self.remote: RedisStorage | None = None
        self.client: redis.asyncio.Redis | None = None
        """A client over the same pool as ``remote``, for ``quota_redis``'s scripts."""
        self._pool: redis.asyncio.ConnectionPool | None = None
        scheme = urlsplit(url).scheme
        if scheme in _REDIS_SCHEMES:
            plain = url.removeprefix("async+")
            # No retries: a counting script that timed out at the client may still run in
            # Redis, and sending it again would count the call twice.
            self._pool = redis.asyncio.ConnectionPool.from_url(
                plain,
                socket_connect_timeout=timeout,
                socket_timeout=timeout,
                retry=Retry(NoBackoff(), 0),
            )
            # The library documents ``connection_pool`` among the client options, though
            # its annotation (``float | str | bool``) does not cover it.
            options: dict[str, Any] = {"connection_pool": self._pool}
            self.remote = RedisStorage(
                "async+" + plain, key_prefix=KEY_PREFIX, implementation="redispy", **options
            )
            self.client = redis.asyncio.Redis(connection_pool=self._pool)
        elif scheme not in _MEMORY_SCHEMES:
            raise ValueError(f"limit store must be memory:// or redis://host:port, not {url!r}")
        self._where = _without_credentials(url)
        self._healthy = True
        self._fallbacks = 0
        self._probe_at = 0.0

    @property
    def healthy(self) -> bool:
        return self._healthy

    def state(self) -> dict[str, object]:
        """For metrics and ``/healthz``: which store, whether it answers, fallbacks so far."""
        return {
            "backend": "memory" if self.remote is None else "redis",
            "healthy": self._healthy,
            "fallbacks": self._fallbacks,
            "fail": self.fail,
        }

    def unavailable(self) -> GatewayError:
        return GatewayError(
            503,
            "overloaded_error",
            "The limit store is unavailable; try again shortly.",
            retry_after=self.retry_seconds,
        )

    async def pick(self) -> Backend:
        """The storage a new call is counted in (503 while Redis is down and fail is closed)."""
        if self.remote is None:
            return self.local
        if not self._healthy and time.monotonic() >= self._probe_at:
            await self._probe(self.remote)
        if self._healthy:
            return self.remote
        if self.fail == "closed":
            raise self.unavailable()
        return self.local

    async def run(self, storage: Backend, work: Callable[[], Awaitable[T]]) -> T:
        """``work()`` against ``storage``; on Redis bounded by ``timeout``, a failure marking
        the store down and raising :class:`StoreDownError`."""
        if storage is not self.remote:
            return await work()
        try:
            async with asyncio.timeout(self.timeout):
                return await work()
        except _FAILURES as exc:
            self._down(exc)
            raise StoreDownError(str(exc) or type(exc).__name__) from exc

    async def settle(self, storage: Backend, work: Callable[[], Awaitable[object]]) -> None:
        """Corrections to counts already made (settling tokens, releasing slots): done where
        the call was counted; skipped while that store is down (see ``quota``)."""
        if storage is self.remote and not self._healthy:
            return
        with contextlib.suppress(StoreDownError):
            await self.run(storage, work)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()

    def _down(self, exc: BaseException) -> None:
        self._probe_at = time.monotonic() + self.retry_seconds
        if not self._healthy:
            return
        self._healthy = False
        self._fallbacks += 1
        LOG.warning(
            "limit store %s is not answering (%s); %s until it does",
            self._where,
            type(exc).__name__,
            "counting limits in this process" if self.fail == "open" else "refusing calls",
        )

    async def _probe(self, remote: RedisStorage) -> None:
        self._probe_at = time.monotonic() + self.retry_seconds  # one probe at a time
        try:
            async with asyncio.timeout(self.timeout):
                answered = await remote.check()
        except TimeoutError:
            answered = False
        if answered and not self._healthy:
            self._healthy = True
            LOG.warning("limit store %s answers again; limits are shared again", self._where)


def _without_credentials(url: str) -> str:
    """``url`` as logged: scheme, host and port, never a password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"
