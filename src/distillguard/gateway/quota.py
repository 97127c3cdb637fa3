"""Budgets: requests, tokens and concurrent calls per key, account, org, address and cluster.

A :class:`Limit` is one budget of one scope (``key``, ``account``, ``org``, ``ip``, or
``cluster`` — every account of a flagged cluster shares the cluster's budget, so a pool
cannot multiply its allowance by spreading calls over accounts); :class:`Limits` is the set
in force for a call, read from the policy's ``[limits.<scope>]`` tables, with a key's own
requests / tokens per minute in place of the policy's (:func:`limits_from_policy`).

Counting is the ``limits`` library's (strategies over its memory or Redis storage, see
``quota_store``), one strategy per kind, chosen for what it costs:

* requests per minute — **moving window**: exact (no burst at a window edge), but it keeps
  one timestamp per request, up to ``amount`` per subject, and reads O(``amount``) per call;
  cheap for per-minute request counts;
* requests per day and tokens (per minute and per day) — **sliding window counter** charged
  with ``cost=``: two counters per subject whatever the budget (a moving window would keep a
  timestamp per token); it weights the previous window as if its use had been even, so it
  errs by at most that assumption, and it can take charges back, which settling needs;
* concurrent calls — a counter incremented on entry and decremented on release. It has a
  time-to-live (``slot_ttl``, counted from when the counter last rose from zero), so slots
  held by a process killed mid-call free themselves at the latest then; the price is that a
  subject busy without pause for longer forgets its in-flight calls at that moment, letting
  up to its limit more through while they finish (a release never takes it below zero).

Counters are named by scope, subject, kind and window — not by the amount, as the library
would. So a throttled call (``throttle`` 0.1) is measured against a tenth of the budget *on
the same counter* as every other call of the subject: it passes only while the subject's
whole recent use, throttled or not, is under the scaled amount, so throttling can never be
a fresh budget. A policy reload that changes an amount keeps the counts too.

A call passes only if every limit of every scope it names has room, and a call that any of
them refuses is charged nothing. On Redis this is one script (``quota_redis``): one round
trip checks every limit and, only if all have room, charges them all, atomically — no other
call can come between the check and the charge, so there is no race to lose and nothing to
take back. In memory all are read first, then all are charged (each atomic in its store); if
one loses a race between its read and its charge, the others' charges are taken back —
token and per-day request counters are refunded, concurrent slots released — except
moving-window request entries, which the library cannot remove: those stay counted, so a
lost race can only refuse early, never let more through. An admission cut short by the
store's time-out is never sent again: if it reached Redis, it is counted there once.

Tokens are charged up front (``estimate_tokens``); :meth:`Grant.settle` charges the rest of
the real usage even past the budget (the next call is refused, not this one's answer), or
refunds the unused estimate while the window it was charged in is still the current one —
after that the over-charge fades with its window rather than being credited to the next. On
Redis, a settlement and a release are one script each.
A 429's ``retry_after`` is when the refusing window has room for this call's cost; a call
whose estimate exceeds a whole budget can never fit and is refused without one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Coroutine, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType, TracebackType
from typing import Any, Final, Literal, TypeVar, get_args
from urllib.parse import quote

from limits import RateLimitItem, RateLimitItemPerDay, RateLimitItemPerMinute
from limits.aio.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter
from limits.limits import safe_string

from distillguard.gateway.core import GatewayError
from distillguard.gateway.quota_redis import Counter, CounterKind, Reading, RedisBatch
from distillguard.gateway.quota_store import KEY_PREFIX, Backend, Fail, LimitStore, StoreDownError

Scope = Literal["key", "account", "org", "ip", "cluster"]
Kind = Literal["requests", "tokens", "concurrent"]
Per = Literal["minute", "day"]
SCOPES: Final[tuple[Scope, ...]] = get_args(Scope)
LIMIT_NAMES: Final[Mapping[str, tuple[Kind, Per | None]]] = MappingProxyType(
    {
        "requests_per_minute": ("requests", "minute"),
        "requests_per_day": ("requests", "day"),
        "tokens_per_minute": ("tokens", "minute"),
        "tokens_per_day": ("tokens", "day"),
        "concurrent": ("concurrent", None),
    }
)
"""The policy's names for limits (``[limits.<scope>]`` keys) → kind and window."""
NAMESPACE: Final = "gateway"
CONCURRENT_RETRY: Final = 1.0
"""``retry_after`` of a refused concurrent call: a slot frees when any call ends."""
_UNBOUNDED: Final = 2**53
"""Limit passed for settling charges, which must apply whatever the count (Lua numbers are
doubles, exact up to 2**53)."""
_SCOPE_WORDS: Final = MappingProxyType(
    {
        "key": "API key",
        "account": "account",
        "org": "organization",
        "ip": "client address",
        "cluster": "cluster",
    }
)
T = TypeVar("T")


@dataclass(frozen=True)
class Limit:
    """One budget: ``amount`` requests or tokens per minute or day, or concurrent calls."""

    scope: Scope
    kind: Kind
    per: Per | None
    amount: int

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValueError(f"unknown limit scope {self.scope!r}")
        if self.kind not in get_args(Kind):
            raise ValueError(f"unknown limit kind {self.kind!r}")
        if (self.per is None) != (self.kind == "concurrent"):
            raise ValueError("concurrent limits have no window; the others are per minute or day")
        if self.per is not None and self.per not in get_args(Per):
            raise ValueError(f"unknown limit window {self.per!r}")
        if type(self.amount) is not int or self.amount < 1:
            raise ValueError(f"a limit's amount must be a whole number ≥ 1, not {self.amount!r}")

    @classmethod
    def named(cls, scope: str, name: str, amount: int) -> Limit:
        """The limit the policy calls ``name`` (``tokens_per_minute`` …) in ``scope``."""
        if scope not in SCOPES:
            raise ValueError(f"unknown limit scope {scope!r} (expected one of {SCOPES})")
        if name not in LIMIT_NAMES:
            raise ValueError(f"unknown limit {name!r} (expected one of {tuple(LIMIT_NAMES)})")
        kind, per = LIMIT_NAMES[name]
        return cls(scope, kind, per, amount)

    @property
    def name(self) -> str:
        return "concurrent" if self.per is None else f"{self.kind}_per_{self.per}"

    def scaled(self, throttle: float) -> int:
        """The amount under ``throttle``: rounded down (never more than the scaled budget),
        but at least 1 — a throttle slows a subject, it does not block it."""
        return max(1, math.floor(self.amount * throttle))


@dataclass(frozen=True)
class Limits:
    """The limits in force for a call, at most one of each name per scope."""

    items: tuple[Limit, ...] = ()

    def __post_init__(self) -> None:
        seen = [(limit.scope, limit.name) for limit in self.items]
        if len(set(seen)) != len(seen):
            raise ValueError("a scope has two limits of the same name")

    @classmethod
    def from_table(cls, table: Mapping[str, Mapping[str, int]]) -> Limits:
        """From the policy's shape: scope → limit name → amount."""
        return cls(
            tuple(
                Limit.named(scope, name, amount)
                for scope, values in table.items()
                for name, amount in values.items()
            )
        )

    def table(self) -> dict[str, dict[str, int]]:
        """Back to the policy's shape (for the controls log and ``/healthz``)."""
        table: dict[str, dict[str, int]] = {}
        for limit in self.items:
            table.setdefault(limit.scope, {})[limit.name] = limit.amount
        return table

    def override(self, *limits: Limit) -> Limits:
        """These limits in place of the ones of the same scope and name."""
        replaced = {(limit.scope, limit.name) for limit in limits}
        kept = tuple(old for old in self.items if (old.scope, old.name) not in replaced)
        return Limits(kept + limits)

    def for_scope(self, scope: Scope) -> tuple[Limit, ...]:
        return tuple(limit for limit in self.items if limit.scope == scope)


def limits_from_policy(
    policy: Mapping[str, Mapping[str, int]], *, rpm: int | None = None, tpm: int | None = None
) -> Limits:
    """The policy's limits, with a key's own requests / tokens per minute in place."""
    own = [Limit("key", "requests", "minute", rpm)] if rpm is not None else []
    if tpm is not None:
        own.append(Limit("key", "tokens", "minute", tpm))
    return Limits.from_table(policy).override(*own)


class _PerMinute(RateLimitItemPerMinute):
    def key_for(self, *identifiers: bytes | str | int | float) -> str:
        return _counter_key(self, identifiers)


class _PerDay(RateLimitItemPerDay):
    def key_for(self, *identifiers: bytes | str | int | float) -> str:
        return _counter_key(self, identifiers)


def _counter_key(item: RateLimitItem, identifiers: tuple[bytes | str | int | float, ...]) -> str:
    """The library's key without the amount: one counter per subject whatever the limit."""
    return "/".join([item.namespace, *map(safe_string, identifiers), item.GRANULARITY.name])


_ITEMS: Final[Mapping[Per, type[RateLimitItem]]] = MappingProxyType(
    {"minute": _PerMinute, "day": _PerDay}
)


@dataclass(frozen=True)
class _Charge:
    """One limit applied to one call: its counter, the amount in force, what the call costs."""

    limit: Limit
    amount: int
    cost: int
    key: str
    ids: tuple[str, ...]
    item: RateLimitItem | None  # None for concurrent slots

    @property
    def moving(self) -> bool:
        return self.limit.kind == "requests" and self.limit.per == "minute"

    @property
    def window(self) -> int:
        return 0 if self.item is None else self.item.get_expiry()

    def counter(self) -> Counter:
        """This charge as the Redis batch takes it."""
        kind: CounterKind = "slots" if self.item is None else "moving" if self.moving else "sliding"
        return Counter(kind, self.key, self.amount, self.cost, self.window)


@dataclass(frozen=True)
class _Look:
    """A counter read before charging: is there room, when there will be, when its window
    ends (monotonic clock; the end of the window a charge now falls in)."""

    charge: _Charge
    room: bool
    retry_after: float | None
    window_end: float = math.inf


class Grant:
    """What one admitted call holds: its token charge (to settle) and its concurrent slots
    (to release). Both settle and release act once; later calls do nothing."""

    def __init__(
        self,
        store: LimitStore,
        storage: Backend,
        tokens: int,
        charged: tuple[_Look, ...],
        slot_ttl: int,
        batch: RedisBatch | None = None,
    ) -> None:
        self._store = store
        self._storage = storage
        self._batch = batch  # set when counted in Redis: one script per settle or release
        self._tokens = tokens
        self._charged = tuple(look for look in charged if look.charge.limit.kind == "tokens")
        self._slots = tuple(look.charge for look in charged if look.charge.item is None)
        self._slot_ttl = slot_ttl
        self._settled = False
        self._released = False

    @property
    def tokens(self) -> int:
        """Tokens charged up front for this call."""
        return self._tokens

    async def settle(self, actual_tokens: int) -> None:
        """Charge the real usage: the rest beyond the estimate, or refund what was unused."""
        if self._settled:
            return
        self._settled = True
        difference = max(0, actual_tokens) - self._tokens
        now = time.monotonic()
        looks = [look for look in self._charged if difference > 0 or now < look.window_end]
        if difference == 0 or not looks:
            return
        storage, batch = self._storage, self._batch
        if batch is not None:
            counters = [look.charge.counter() for look in looks]
            await self._store.settle(storage, lambda: batch.settle(counters, difference))
            return
        await self._store.settle(
            storage,
            lambda: _all(_correct(storage, look.charge, difference) for look in looks),
        )

    async def release(self) -> None:
        """End the call's concurrent slots."""
        if self._released:
            return
        self._released = True
        if not self._slots:
            return
        storage, ttl, batch = self._storage, self._slot_ttl, self._batch
        if batch is not None:
            keys = [charge.key for charge in self._slots]
            await self._store.settle(storage, lambda: batch.release(keys, ttl))
            return
        await self._store.settle(
            storage,
            lambda: _all(_release_slot(storage, c.key, ttl) for c in self._slots),
        )

    async def __aenter__(self) -> Grant:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.release()


class Budgets:
    """Every limit of the gateway process, counted in memory or in a Redis shared by all
    processes (``storage_url``); ``fail`` says what happens while Redis is down."""

    def __init__(
        self,
        storage_url: str = "memory://",
        fail: Fail = "open",
        *,
        timeout: float = 0.5,
        retry_seconds: float = 5.0,
        slot_ttl: int = 600,
    ) -> None:
        if slot_ttl < 1:
            raise ValueError("slot_ttl must be at least a second")
        self._store = LimitStore(
            storage_url, fail=fail, timeout=timeout, retry_seconds=retry_seconds
        )
        self._slot_ttl = slot_ttl
        client = self._store.client
        self._batch = None if client is None else RedisBatch(client, KEY_PREFIX)

    def state(self) -> dict[str, object]:
        """``backend`` (memory | redis), ``healthy``, ``fallbacks`` so far, ``fail``."""
        return self._store.state()

    async def close(self) -> None:
        await self._store.close()

    async def acquire(
        self,
        subjects: Mapping[str, str],
        limits: Limits | Mapping[str, Mapping[str, int]],
        *,
        estimate_tokens: int,
        throttle: float = 1.0,
    ) -> Grant:
        """Admit one call of ``subjects`` (scope → id) under ``limits`` scaled by
        ``throttle``, charging ``estimate_tokens``; 429 when any limit has no room, 503 while
        Redis is down with ``fail="closed"``."""
        if not 0 < throttle <= 1:
            raise ValueError(f"throttle must be in (0, 1], not {throttle!r}")
        if estimate_tokens < 0:
            raise ValueError("estimate_tokens must not be negative")
        in_force = limits if isinstance(limits, Limits) else Limits.from_table(limits)
        tokens = max(1, estimate_tokens)  # a call is never free of a token budget
        charges = _plan(subjects, in_force, tokens, throttle)
        for charge in charges:
            if charge.cost > charge.amount:
                raise _too_large(charge)
        storage = await self._store.pick()
        try:
            return await self._admit(storage, charges, tokens)
        except StoreDownError:
            # Charges already made in Redis stay there: it is not answering to take them back.
            if self._store.fail == "closed":
                raise self._store.unavailable() from None
            return await self._admit(self._store.local, charges, tokens)

    async def _admit(self, storage: Backend, charges: list[_Charge], tokens: int) -> Grant:
        if storage is self._store.remote and self._batch is not None:
            return await self._admit_batch(storage, self._batch, charges, tokens)
        run = self._store.run
        looks = await run(storage, lambda: _all(_look(storage, c) for c in charges))
        refused = [look for look in looks if not look.room]
        if refused:
            raise _refusal(refused)
        ttl = self._slot_ttl
        taken = await run(storage, lambda: _all(_take(storage, c, ttl) for c in charges))
        if not all(taken):
            won = [c for c, ok in zip(charges, taken, strict=True) if ok]
            lost = [c for c, ok in zip(charges, taken, strict=True) if not ok]
            await run(storage, lambda: _all(_undo(storage, c, ttl) for c in won))
            again = await run(storage, lambda: _all(_look(storage, c) for c in lost))
            raise _refusal(again)
        return Grant(self._store, storage, tokens, tuple(looks), ttl)

    async def _admit_batch(
        self, storage: Backend, batch: RedisBatch, charges: list[_Charge], tokens: int
    ) -> Grant:
        """In Redis: every charge checked and made in one script, all or none."""
        counters = [charge.counter() for charge in charges]
        ttl = self._slot_ttl
        admitted, readings = await self._store.run(
            storage, lambda: batch.admit(counters, ttl, time.time())
        )
        looks = [_read(charge, reading) for charge, reading in zip(charges, readings, strict=True)]
        if not admitted:
            raise _refusal([look for look in looks if not look.room])
        return Grant(self._store, storage, tokens, tuple(looks), ttl, batch)


def _plan(
    subjects: Mapping[str, str], limits: Limits, tokens: int, throttle: float
) -> list[_Charge]:
    unknown = set(subjects) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown limit scopes {sorted(unknown)}")
    charges = []
    for limit in limits.items:
        subject = subjects.get(limit.scope)
        if not subject:
            continue
        ids = (limit.scope, quote(subject, safe=""), limit.kind)
        amount = limit.scaled(throttle)
        cost = tokens if limit.kind == "tokens" else 1
        if limit.per is None:
            charges.append(_Charge(limit, amount, cost, "/".join((NAMESPACE, *ids)), ids, None))
        else:
            item = _ITEMS[limit.per](amount, namespace=NAMESPACE)
            charges.append(_Charge(limit, amount, cost, item.key_for(*ids), ids, item))
    return charges


async def _all(works: Iterable[Coroutine[Any, Any, T]]) -> list[T]:
    """Every coroutine in turn (the first failure stops the rest before they start): in
    memory none waits on anything, so tasks would only add their cost. Redis counts a call
    in one script per phase (``quota_redis``), not through here."""
    return [await work for work in works]


async def _look(storage: Backend, charge: _Charge) -> _Look:
    if charge.item is None:
        held = await storage.get(charge.key)
        return _Look(charge, held + 1 <= charge.amount, CONCURRENT_RETRY)
    if charge.moving:
        stats = await MovingWindowRateLimiter(storage).get_window_stats(charge.item, *charge.ids)
        wait = max(0.0, stats.reset_time - time.time())
        return _Look(charge, stats.remaining >= charge.cost, wait)
    window = charge.window
    previous, previous_ttl, current, current_ttl = await storage.get_sliding_window(
        charge.key, window
    )
    used = math.floor(previous * previous_ttl / window) + current
    wait = _sliding_wait(charge, previous, previous_ttl, current, current_ttl)
    room = used + charge.cost <= charge.amount
    return _Look(charge, room, wait, _window_end(charge, current_ttl))


def _window_end(charge: _Charge, current_ttl: float) -> float:
    """When the window a charge now falls in ends (monotonic clock). The current counter
    lives two windows from its start, so its window ends one window before it expires; a
    counter not yet created starts a window with this charge."""
    window = charge.window
    ends_in = current_ttl - window if current_ttl > window else float(window)
    return time.monotonic() + ends_in


def _read(charge: _Charge, reading: Reading) -> _Look:
    """A Redis batch's reading as a look: the same room, waits and window end as
    :func:`_look` (a charged sliding window's reading is after the charge, which leaves its
    window end where the charge fell)."""
    if charge.item is None:
        return _Look(charge, reading.room, CONCURRENT_RETRY)
    if charge.moving:
        oldest = reading.oldest
        wait = 0.0 if oldest is None else max(0.0, oldest + charge.window - time.time())
        return _Look(charge, reading.room, wait)
    assert reading.sliding is not None
    wait = _sliding_wait(charge, *reading.sliding)
    return _Look(charge, reading.room, wait, _window_end(charge, reading.sliding[3]))


def _sliding_wait(
    charge: _Charge, previous: int, previous_ttl: float, current: int, current_ttl: float
) -> float:
    """Seconds until a sliding window counter has room for ``charge.cost``: while the
    previous window's weight fades, or else after the current window becomes the previous."""
    window = charge.window
    room = charge.amount - current - charge.cost
    if room >= 0:
        return 0.0 if previous == 0 else max(0.0, previous_ttl - room * window / previous)
    shift = max(0.0, current_ttl - window)
    return shift + window * (1 - (charge.amount - charge.cost) / current)


async def _take(storage: Backend, charge: _Charge, slot_ttl: int) -> bool:
    if charge.item is None:
        held = await storage.incr(charge.key, slot_ttl, 1)
        if held > charge.amount:
            await _release_slot(storage, charge.key, slot_ttl)
            return False
        return True
    if charge.moving:
        return await MovingWindowRateLimiter(storage).hit(charge.item, *charge.ids)
    limiter = SlidingWindowCounterRateLimiter(storage)
    return await limiter.hit(charge.item, *charge.ids, cost=charge.cost)


async def _undo(storage: Backend, charge: _Charge, slot_ttl: int) -> None:
    """Take back a charge of a call refused by another limit (moving windows cannot)."""
    if charge.item is None:
        await _release_slot(storage, charge.key, slot_ttl)
    elif not charge.moving:
        await _correct(storage, charge, -charge.cost)


async def _correct(storage: Backend, charge: _Charge, difference: int) -> None:
    """Add ``difference`` (negative: a refund) to a sliding window counter, whatever its
    count: the library's own acquire with a limit nothing reaches."""
    await storage.acquire_sliding_window_entry(charge.key, _UNBOUNDED, charge.window, difference)


async def _release_slot(storage: Backend, key: str, slot_ttl: int) -> None:
    held = await storage.incr(key, slot_ttl, -1)
    if held < 0:  # the counter expired while slots were held: back to zero, not below
        await storage.incr(key, slot_ttl, -held)


def _too_large(charge: _Charge) -> GatewayError:
    limit = charge.limit
    return GatewayError(
        429,
        "rate_limit_error",
        f"Request too large for this {_SCOPE_WORDS[limit.scope]}'s limit of "
        f"{charge.amount:,} tokens per {limit.per}: it may use {charge.cost:,} tokens (its "
        "input and maximum output). Lower max_tokens or shorten the input.",
    )


def _refusal(looks: list[_Look]) -> GatewayError:
    """429 for the refusing limit that will have room last (retrying sooner would fail)."""
    look = max(looks, key=lambda candidate: candidate.retry_after or 0.0)
    charge = look.charge
    limit = charge.limit
    wait = look.retry_after or 0.0
    scope = _SCOPE_WORDS[limit.scope]
    if limit.per is None:
        what = f"{charge.amount:,} concurrent requests"
    else:
        what = f"{charge.amount:,} {limit.kind} per {limit.per}"
    return GatewayError(
        429,
        "rate_limit_error",
        f"Rate limit reached for this {scope}: {what}. Try again in {max(1, math.ceil(wait)):,} s.",
        retry_after=wait,
    )
