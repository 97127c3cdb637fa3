"""Request conversations → the request-text columns, the same way for every provider shape."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

from distillguard.ingest.record import Reject, Row


def join_text(parts: Iterable[str]) -> str:
    return "\n".join(p for p in parts if p)


class Conversation:
    """Collects the turns of one request and fills the request-text columns."""

    __slots__ = ("_last_user", "_n_turns", "_n_user", "_system", "chars")

    def __init__(self) -> None:
        self._system: list[str] = []
        self._last_user: str | None = None
        self._n_turns = 0
        self._n_user = 0
        self.chars = 0

    @staticmethod
    def wrong(name: str, value: object) -> NoReturn:
        raise Reject("wrong_type", f"{name} has an unexpected shape: {value!r:.60}")

    def system(self, content: str) -> None:
        if content:
            self._system.append(content)
            self.chars += len(content)

    def turn(self, is_user: bool, content: str) -> None:
        self._n_turns += 1
        self.chars += len(content)
        if is_user:
            self._n_user += 1
            self._last_user = content

    def fill(self, row: Row) -> None:
        row["system_prompt"] = join_text(self._system) or None
        row["user_text"] = self._last_user
        row["n_turns"] = self._n_turns
        row["n_user_turns"] = self._n_user
        row["conversation_chars"] = self.chars
