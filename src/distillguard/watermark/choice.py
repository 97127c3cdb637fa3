"""The keyed choice: which variant the watermark writes for an occurrence in a context.

For an occurrence of class *c* after context *x*, a keyed hash ``u = H(key, c, x)`` in [0, 1)
picks the variant whose cumulative share interval holds *u*: over many contexts each variant
is chosen in its natural share, so the marginal word frequencies do not move, while in a
given context the choice is fixed by the key.

Which key: the *role* key splits the (class, context) pairs in two, the same way for every
account. On a ``GLOBAL_SHARE`` of them the choice uses the global key, shared by all
accounts, so a model distilled from many accounts' outputs learns one consistent pattern;
on the rest it uses the account's sub-key, so a positive test can say whose outputs were
learned. Without an account, the sub-key of the empty account id is used.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from functools import cached_property
from typing import Final

from distillguard.watermark.keys import MasterKey
from distillguard.watermark.table import CLASSES, VariantClass

GLOBAL_SHARE: Final = 0.5
_SCALE: Final = float(1 << 64)


def unit(secret: bytes, cls: str, context: str) -> float:
    """A keyed hash of (class, context), uniform in [0, 1)."""
    digest = hashlib.blake2b(f"{cls}\x1f{context}".encode(), key=secret, digest_size=8).digest()
    return int.from_bytes(digest) / _SCALE


class Chooser:
    """The variant a key expects for each (class, context), and whether the pair is global."""

    def __init__(
        self, key: MasterKey, account: str = "", classes: tuple[VariantClass, ...] = CLASSES
    ) -> None:
        self.classes = classes
        self._key = key
        self._account_id = account
        self._memo: dict[tuple[int, str], int] = {}

    @cached_property
    def _account(self) -> bytes:  # derived on first use: most short answers need none
        return self._key.subkey(self._account_id)

    def is_global(self, cls: int, context: str) -> bool:
        return unit(self._key.role_key, self.classes[cls].name, context) < GLOBAL_SHARE

    def pick(self, secret: bytes, cls: int, context: str) -> int:
        """The variant ``secret`` chooses for ``cls`` after ``context``."""
        spec = self.classes[cls]
        return bisect_right(spec.bounds, unit(secret, spec.name, context))

    def expected(self, cls: int, context: str) -> int:
        """The variant this key and account write for ``cls`` after ``context``."""
        memo = self._memo.get((cls, context))
        if memo is None:
            secret = self._key.global_key if self.is_global(cls, context) else self._account
            memo = self.pick(secret, cls, context)
            self._memo[(cls, context)] = memo
        return memo

    def global_pick(self, cls: int, context: str) -> int:
        return self.pick(self._key.global_key, cls, context)

    def account_pick(self, cls: int, context: str) -> int:
        return self.pick(self._account, cls, context)
