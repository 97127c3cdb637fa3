"""The scan's request signals on each call, and each account's recent calls, bounded.

``RequestSignals`` compiles the signals of ``detect/signals.py`` with Google's RE2 — the
dialect DuckDB runs for the batch scan — and applies them exactly as ``detect/flags.py``
does: case-insensitive, the ``prompt`` text being the system prompt and the user text joined
by a newline, response signals on the first ``RESPONSE_CHARS`` characters, a missing text
never matching, parameters through ``ParamSignal.holds``. As in the batch cascade, a union of
each column's patterns runs first and a signal's own pattern only when the union matched.

``OnlineState`` keeps, per account, a fixed ring of time buckets over the window (calls,
signal counts, tokens) and at most ``MAX_SKELETONS`` skeleton counts: memory per account is
fixed whatever it sends, and the least recently seen accounts are dropped past
``max_accounts``.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Final

import re2

from distillguard.detect.calls import SKELETON_CHARS
from distillguard.detect.flags import RESPONSE_CHARS, union_regex
from distillguard.detect.signals import (
    CAPABILITY_SIGNALS,
    PARAM_SIGNALS,
    TEXT_SIGNALS,
    TextSignal,
)
from distillguard.ingest.record import Row

BUCKETS: Final = 60
MAX_SKELETONS: Final = 64
CONTENT_FAMILIES: Final = frozenset({"elicitation", "coercion", "grading", "evasion", "rewrite"})
_FAMILY: Final[dict[str, str]] = {
    **{s.name: s.family for s in (*TEXT_SIGNALS, *CAPABILITY_SIGNALS)},
    **{s.name: s.family for s in PARAM_SIGNALS},
}
_DIGITS: Final = re.compile(r"[0-9]+")


def _text(row: Row, column: str) -> str | None:
    if column == "prompt":
        system, user = row.get("system_prompt"), row.get("user_text")
        if not isinstance(system, str):
            return user if isinstance(user, str) else None
        return system + "\n" + (user if isinstance(user, str) else "")
    value = row.get(column)
    if not isinstance(value, str):
        return None
    return value[:RESPONSE_CHARS] if column == "response_text" else value


@dataclass(frozen=True)
class _Group:
    column: str
    union: Any
    members: tuple[tuple[TextSignal, Any], ...]


class RequestSignals:
    """Every text and parameter signal, compiled once per process."""

    def __init__(self) -> None:
        groups: dict[tuple[str, str], list[TextSignal]] = {}
        for signal in (*TEXT_SIGNALS, *CAPABILITY_SIGNALS):
            kind = "area" if signal.family == "capability" else "suspicion"
            groups.setdefault((signal.column, kind), []).append(signal)
        self._groups = tuple(
            _Group(
                column,
                re2.compile(union_regex(tuple(members))),
                tuple((s, re2.compile(s.regex)) for s in members),
            )
            for (column, _), members in groups.items()
        )

    def _evaluate(self, row: Row, response: bool) -> frozenset[str]:
        found: set[str] = set()
        for group in self._groups:
            if (group.column == "response_text") != response:
                continue
            text = _text(row, group.column)
            if text is None or not group.union.search(text):
                continue
            found.update(s.name for s, pattern in group.members if pattern.search(text))
        if not response:
            found.update(s.name for s in PARAM_SIGNALS if s.holds(row.get(s.column)))
        return frozenset(found)

    def evaluate(self, row: Row) -> frozenset[str]:
        """Names of the request signals that fire on ``row`` (ingest's parse of the body)."""
        return self._evaluate(row, response=False)

    def evaluate_response(self, row: Row) -> frozenset[str]:
        return self._evaluate(row, response=True)


def normalized_skeleton(system_prompt: str | None, user_text: str | None) -> str:
    """The text a skeleton hashes, as ``detect/calls.py`` builds it."""
    text = (system_prompt or "") + " | " + (user_text or "")
    return _DIGITS.sub("0", text[: SKELETON_CHARS * 2].lower())[:SKELETON_CHARS]


def skeleton(system_prompt: str | None, user_text: str | None) -> int | None:
    """A stable 64-bit hash of the prompt skeleton (None for an empty prompt)."""
    if not system_prompt and not user_text:
        return None
    digest = hashlib.blake2b(normalized_skeleton(system_prompt, user_text).encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "little")


@dataclass(frozen=True)
class Window:
    calls: int = 0
    calls_per_minute: float = 0.0
    elicitation_share: float = 0.0
    content_share: float = 0.0
    skeleton_repeats: int = 0
    distinct_skeletons: int = 0
    tokens: int = 0


class _Account:
    __slots__ = ("buckets", "skeletons")

    def __init__(self) -> None:
        # per bucket: [bucket number, calls, elicitation calls, content calls, repeats, tokens]
        self.buckets: list[list[int]] = [[-1, 0, 0, 0, 0, 0] for _ in range(BUCKETS)]
        self.skeletons: OrderedDict[int, int] = OrderedDict()  # skeleton → last bucket number


class OnlineState:
    def __init__(self, max_accounts: int, window_seconds: float) -> None:
        self.max_accounts = max_accounts
        self.window = window_seconds
        self.width = window_seconds / BUCKETS
        self._accounts: OrderedDict[str, _Account] = OrderedDict()

    def __len__(self) -> int:
        return len(self._accounts)

    def _bucket(self, account: _Account, number: int) -> list[int]:
        bucket = account.buckets[number % BUCKETS]
        if bucket[0] != number:
            bucket[:] = [number, 0, 0, 0, 0, 0]
        return bucket

    def observe(
        self,
        account_id: str,
        now: float,
        signals: frozenset[str],
        skeleton: int | None,
        tokens: int = 0,
    ) -> None:
        account = self._accounts.get(account_id)
        if account is None:
            account = self._accounts[account_id] = _Account()
            while len(self._accounts) > self.max_accounts:
                self._accounts.popitem(last=False)
        else:
            self._accounts.move_to_end(account_id)
        number = int(now // self.width)
        bucket = self._bucket(account, number)
        families = {_FAMILY.get(name) for name in signals}
        bucket[1] += 1
        bucket[2] += "elicitation" in families
        bucket[3] += bool(families & CONTENT_FAMILIES)
        bucket[5] += tokens
        if skeleton is not None:
            seen = account.skeletons.get(skeleton)
            if seen is not None and number - seen < BUCKETS:
                bucket[4] += 1
            account.skeletons[skeleton] = number
            account.skeletons.move_to_end(skeleton)
            while len(account.skeletons) > MAX_SKELETONS:
                account.skeletons.popitem(last=False)

    def view(self, account_id: str, now: float) -> Window:
        account = self._accounts.get(account_id)
        if account is None:
            return Window()
        number = int(now // self.width)
        live = [b for b in account.buckets if 0 <= number - b[0] < BUCKETS]
        calls = sum(b[1] for b in live)
        if not calls:
            return Window()
        distinct = sum(1 for last in account.skeletons.values() if number - last < BUCKETS)
        return Window(
            calls=calls,
            calls_per_minute=calls / (self.window / 60),
            elicitation_share=sum(b[2] for b in live) / calls,
            content_share=sum(b[3] for b in live) / calls,
            skeleton_repeats=sum(b[4] for b in live),
            distinct_skeletons=distinct,
            tokens=sum(b[5] for b in live),
        )
