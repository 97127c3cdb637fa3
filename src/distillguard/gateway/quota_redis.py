"""Every counter of one call in one Redis round trip: the Lua scripts and the calls that run them.

On Redis, ``quota`` hands this module all the counters a call names (up to eight: requests,
tokens and concurrent slots of each scope) and gets one answer per phase:

* :meth:`RedisBatch.admit` — one script checks every counter, and only if every one has
  room charges them all; a call any of them refuses is charged nothing, and nothing can run
  between the check and the charge (Redis runs a script alone), so there is no race to lose
  and nothing to take back. What it returns is what a refusal's ``retry_after`` needs, or,
  once charged, when each token window ends (settling refunds only inside it);
* :meth:`RedisBatch.settle` — the tokens of an admitted call beyond its estimate, or the
  refund of what it did not use, on every token counter it was charged on;
* :meth:`RedisBatch.release` — the call's concurrent slots, never below zero.

The counters are the ``limits`` library's own, kept as its Redis storage keeps them, so that
they mean what they meant with its one-script-per-counter calls (``acquire_moving_window``,
``acquire_sliding_window``, ``incr_expire`` in ``limits/resources/redis/lua_scripts``):

* moving window (``moving``): a list of timestamps, newest first, at most ``amount`` long,
  expiring a window after the last charge; a charge has room while the entry ``cost``
  places from the end of the budget is absent or older than a window. The timestamps are
  this process's clock, sent with the script, as the library does;
* sliding window counter (``sliding``): the current window's counter ``{key}`` (created with
  twice the window to live) and the previous one ``{key}/-1``; the current one becomes the
  previous once less than a window of its life is left. Its time is Redis's (``PTTL``), as
  the library's; the count is the previous window's weighted by the share of it still to
  run, rounded down, plus the current's;
* concurrent slots (``slots``): a counter whose time to live is set when it rises from zero.

Keys are the library's: ``distillguard:`` then the counter's key (with the braces and
``/-1`` of a sliding window). The scripts are registered once (``EVALSHA``; redis-py loads a
script again when the server answers that it does not know it, which means it did not run).
All keys of a call go to one script, so this needs one Redis, not a cluster.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import redis.asyncio

CounterKind = Literal["moving", "sliding", "slots"]
_CODES: Final = {"moving": "m", "sliding": "s", "slots": "c"}

_COMMON = """
-- The library's incr_expire.lua: add, and start the time to live when it rose from zero.
local function incr_expire(key, expiry, amount)
    local current = redis.call('incrby', key, amount)
    if tonumber(current) == amount then
        redis.call('expire', key, expiry)
    end
    return current
end

-- The library's acquire_sliding_window.lua, in milliseconds: the current window becomes
-- the previous one when less than a window of its life is left; then both are read.
local function sliding_read(previous, current, expiry)
    local current_ttl = tonumber(redis.call('pttl', current))
    if current_ttl > 0 and current_ttl < expiry then
        redis.call('rename', current, previous)
        redis.call('set', current, 0, 'PX', current_ttl + expiry)
    end
    local previous_count = tonumber(redis.call('get', previous)) or 0
    local previous_ttl = tonumber(redis.call('pttl', previous)) or 0
    local current_count = tonumber(redis.call('get', current)) or 0
    current_ttl = tonumber(redis.call('pttl', current)) or 0
    if previous_ttl <= 0 then
        previous_ttl = 0
    end
    if current_ttl <= 0 then
        current_ttl = 0
    end
    return previous_count, previous_ttl, current_count, current_ttl
end

local function sliding_charge(current, expiry, amount)
    if redis.call('exists', current) == 1 then
        redis.call('incrby', current, amount)
    else
        redis.call('set', current, amount, 'PX', expiry * 2)
    end
end
"""

ADMIT: Final = (
    _COMMON
    + """
-- ARGV: now (seconds, the caller's clock), slot time to live, then per counter its kind
-- (m moving window, s sliding window counter, c concurrent slots), amount, cost, window (s).
-- KEYS: per counter its key, two for a sliding window (previous, current).
-- Returns {1, reading...} when every counter was charged, {0, reading...} when none was;
-- a reading is {room, ...}: a moving window's entry that must leave first (a string, the
-- timestamp as stored), a sliding window's previous count and ttl and current count and ttl
-- (ms; after the charge when charged), nothing for slots.
local now = tonumber(ARGV[1])
local slot_ttl = tonumber(ARGV[2])
local counters = {}
local k = 1
for a = 3, #ARGV, 4 do
    local counter = {
        kind = ARGV[a],
        amount = tonumber(ARGV[a + 1]),
        cost = tonumber(ARGV[a + 2]),
        expiry = tonumber(ARGV[a + 3]),
        key = KEYS[k],
    }
    if counter.kind == 's' then
        counter.previous = KEYS[k]
        counter.key = KEYS[k + 1]
        k = k + 2
    else
        k = k + 1
    end
    counters[#counters + 1] = counter
end

local readings = {}
local refused = false
for i, counter in ipairs(counters) do
    local room = counter.cost <= counter.amount
    local reading
    if counter.kind == 'm' then
        reading = {0}
        if room then
            local entry = redis.call('lindex', counter.key, counter.amount - counter.cost)
            if entry and tonumber(entry) >= now - counter.expiry then
                room = false
                reading = {0, entry}
            end
        end
    elseif counter.kind == 's' then
        local expiry = counter.expiry * 1000
        local pc, pt, cc, ct = sliding_read(counter.previous, counter.key, expiry)
        if math.floor(pc * pt / expiry) + cc + counter.cost > counter.amount then
            room = false
        end
        reading = {0, pc, pt, cc, ct}
    else
        local held = tonumber(redis.call('get', counter.key)) or 0
        if held + counter.cost > counter.amount then
            room = false
        end
        reading = {0}
    end
    if room then
        reading[1] = 1
    else
        refused = true
    end
    readings[i] = reading
end
if refused then
    return {0, unpack(readings)}
end

for i, counter in ipairs(counters) do
    if counter.kind == 'm' then
        local entries = {}
        for j = 1, counter.cost do
            entries[j] = now
        end
        for j = 1, #entries, 5000 do
            redis.call('lpush', counter.key, unpack(entries, j, math.min(j + 4999, #entries)))
        end
        redis.call('ltrim', counter.key, 0, counter.amount - 1)
        redis.call('expire', counter.key, counter.expiry)
    elseif counter.kind == 's' then
        local expiry = counter.expiry * 1000
        sliding_charge(counter.key, expiry, counter.cost)
        local pc, pt, cc, ct = sliding_read(counter.previous, counter.key, expiry)
        readings[i] = {1, pc, pt, cc, ct}
    else
        incr_expire(counter.key, slot_ttl, counter.cost)
    end
end
return {1, unpack(readings)}
"""
)

SETTLE: Final = (
    _COMMON
    + """
-- ARGV: the difference to add (negative: a refund), then per counter its window (s).
-- KEYS: per counter its previous and current key. The library's acquire without its
-- check: the charge applies whatever the count (the window still turns first).
local difference = tonumber(ARGV[1])
for a = 2, #ARGV do
    local expiry = tonumber(ARGV[a]) * 1000
    local previous, current = KEYS[2 * (a - 1) - 1], KEYS[2 * (a - 1)]
    sliding_read(previous, current, expiry)
    sliding_charge(current, expiry, difference)
end
return 1
"""
)

RELEASE: Final = (
    _COMMON
    + """
-- ARGV: slot time to live. KEYS: the slots' counters. One slot off each, never below zero
-- (a counter that expired while slots were held goes back to zero).
local ttl = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
    local held = tonumber(incr_expire(key, ttl, -1))
    if held < 0 then
        incr_expire(key, ttl, -held)
    end
end
return 1
"""
)


@dataclass(frozen=True)
class Counter:
    """One limit of one call: its counter (the library's key, without the prefix), the
    amount in force, what the call costs, the window in seconds (0 for slots)."""

    kind: CounterKind
    key: str
    amount: int
    cost: int
    window: int


@dataclass(frozen=True)
class Reading:
    """A counter as :data:`ADMIT` found it (refused call) or left it (admitted call).

    ``oldest``: for a moving window without room, the timestamp of the entry that must
    leave the window first (the caller's clock). ``sliding``: for a sliding window counter,
    previous count, its seconds to live, current count, its seconds to live — the
    library's ``get_sliding_window`` — before the charge, or after it when charged.
    """

    room: bool
    oldest: float | None = None
    sliding: tuple[int, float, int, float] | None = None


class RedisBatch:
    """The three scripts, registered once on ``client``, for keys under ``prefix``."""

    def __init__(self, client: redis.asyncio.Redis, prefix: str) -> None:
        self._prefix = prefix
        self._admit = client.register_script(ADMIT)
        self._settle = client.register_script(SETTLE)
        self._release = client.register_script(RELEASE)

    def _key(self, key: str) -> str:
        return f"{self._prefix}:{key}"

    def _window_keys(self, key: str) -> tuple[str, str]:
        """Previous and current window keys, as the library's Redis storage names them."""
        return self._key(f"{{{key}}}/-1"), self._key(f"{{{key}}}")

    async def admit(
        self, counters: Sequence[Counter], slot_ttl: int, now: float
    ) -> tuple[bool, list[Reading]]:
        """Charge every counter or none: ``(admitted, one reading per counter)``; ``now``
        is the caller's ``time.time()`` (the moving windows' clock)."""
        keys: list[str] = []
        args: list[str | int | float] = [now, slot_ttl]
        for counter in counters:
            if counter.kind == "sliding":
                keys.extend(self._window_keys(counter.key))
            else:
                keys.append(self._key(counter.key))
            args += [_CODES[counter.kind], counter.amount, counter.cost, counter.window]
        answer: list[Any] = await self._admit(keys, args)
        return bool(answer[0]), [
            _reading(counter, raw) for counter, raw in zip(counters, answer[1:], strict=True)
        ]

    async def settle(self, counters: Sequence[Counter], difference: int) -> None:
        """Add ``difference`` tokens (negative: a refund) to every sliding window counter of
        ``counters``, whatever its count."""
        keys: list[str] = []
        args: list[int] = [difference]
        for counter in counters:
            keys.extend(self._window_keys(counter.key))
            args.append(counter.window)
        await self._settle(keys, args)

    async def release(self, keys: Sequence[str], slot_ttl: int) -> None:
        """Free one slot on each counter of ``keys``, never below zero."""
        await self._release([self._key(key) for key in keys], [slot_ttl])


def _reading(counter: Counter, raw: list[Any]) -> Reading:
    room = bool(raw[0])
    if counter.kind == "sliding":
        previous, previous_ttl, current, current_ttl = (int(value) for value in raw[1:5])
        window = (previous, previous_ttl / 1000, current, current_ttl / 1000)
        return Reading(room, sliding=window)
    if counter.kind == "moving" and len(raw) > 1:
        return Reading(room, oldest=float(raw[1]))
    return Reading(room)
