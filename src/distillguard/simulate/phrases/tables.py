"""The shapes of phrase data: word lists, vocabularies, and read-only tables of them.

Every phrase module builds its mappings with :func:`frozen` or :func:`nested`, so that nothing
in :mod:`distillguard.simulate.phrases` can be changed after import.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

Words = tuple[str, ...]
Vocab = Mapping[str, Words]


def frozen(table: dict[str, Words]) -> Vocab:
    """``table`` as a read-only mapping."""
    return MappingProxyType(table)


def nested(table: dict[str, dict[str, Words]]) -> Mapping[str, Vocab]:
    """``table`` and each of its inner tables as read-only mappings."""
    return MappingProxyType({key: MappingProxyType(value) for key, value in table.items()})
