"""The shapes of phrase data, and reading them from the package's phrase files.

The phrases themselves are data files (``simulate/data/phrases/<name>.json``, one per phrase
module): a JSON object from each public name to its value. :func:`load` reads a file once per
process and freezes it (lists become tuples, objects read-only mappings), so nothing in
:mod:`distillguard.simulate.phrases` can be changed after it is read. The typed readers below
check each value's shape as they hand it out, so an edited data file that breaks a shape
fails loudly when the simulator starts, not in the middle of a run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any, cast

Words = tuple[str, ...]
Vocab = Mapping[str, Words]
Table = Mapping[str, Any]


class PhraseDataError(ValueError):
    """A phrase file is missing a name or holds a value of the wrong shape."""


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    if isinstance(value, dict):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    return value


@cache
def load(name: str) -> Table:
    """The phrase file ``name`` (e.g. ``"answers"``), read once per process, read-only."""
    resource = files("distillguard.simulate") / "data" / "phrases" / f"{name}.json"
    frozen: Table = _freeze(json.loads(resource.read_text(encoding="utf-8")))
    return frozen


def _get(table: Table, key: str) -> Any:
    if key not in table:
        raise PhraseDataError(f"phrase data has no {key!r}")
    return table[key]


def _is_words(value: Any, width: int = 0) -> bool:
    return (
        isinstance(value, tuple)
        and all(isinstance(item, str) for item in value)
        and (width == 0 or len(value) == width)
    )


def _is_mapping(value: Any) -> bool:
    return isinstance(value, Mapping)


def _check(ok: bool, key: str, shape: str) -> None:
    if not ok:
        raise PhraseDataError(f"phrase data {key!r} must be {shape}")


def words(table: Table, key: str) -> Words:
    """A list of strings."""
    value = _get(table, key)
    _check(_is_words(value), key, "a list of strings")
    return cast(Words, value)


def texts(table: Table, key: str) -> Mapping[str, str]:
    """An object of strings."""
    value = _get(table, key)
    _check(_is_mapping(value) and all(isinstance(v, str) for v in value.values()), key, "text")
    return cast(Mapping[str, str], value)


def vocab(table: Table, key: str) -> Vocab:
    """An object of lists of strings."""
    value = _get(table, key)
    ok = _is_mapping(value) and all(_is_words(v) for v in value.values())
    _check(ok, key, "an object of lists of strings")
    return cast(Vocab, value)


def vocabs(table: Table, key: str) -> Mapping[str, Vocab]:
    """An object of objects of lists of strings."""
    value = _get(table, key)
    ok = _is_mapping(value) and all(
        _is_mapping(inner) and all(_is_words(v) for v in inner.values()) for inner in value.values()
    )
    _check(ok, key, "an object of objects of lists of strings")
    return cast(Mapping[str, Vocab], value)


def _rows(table: Table, key: str, width: int) -> tuple[Words, ...]:
    value = _get(table, key)
    ok = isinstance(value, tuple) and all(_is_words(row, width) for row in value)
    _check(ok, key, f"a list of lists of {width or 'any number of'} strings")
    return cast(tuple[Words, ...], value)


def rows(table: Table, key: str) -> tuple[Words, ...]:
    """A list of lists of strings of any length."""
    return _rows(table, key, 0)


def pairs(table: Table, key: str) -> tuple[tuple[str, str], ...]:
    """A list of two-string lists."""
    return cast(tuple[tuple[str, str], ...], _rows(table, key, 2))


def triples(table: Table, key: str) -> tuple[tuple[str, str, str], ...]:
    """A list of three-string lists."""
    return cast(tuple[tuple[str, str, str], ...], _rows(table, key, 3))


def quads(table: Table, key: str) -> tuple[tuple[str, str, str, str], ...]:
    """A list of four-string lists."""
    return cast(tuple[tuple[str, str, str, str], ...], _rows(table, key, 4))


def row_vocab(table: Table, key: str) -> Mapping[str, tuple[Words, ...]]:
    """An object of lists of lists of strings (e.g. diff hunks per language)."""
    value = _get(table, key)
    ok = _is_mapping(value) and all(
        isinstance(v, tuple) and all(_is_words(row) for row in v) for v in value.values()
    )
    _check(ok, key, "an object of lists of lists of strings")
    return cast(Mapping[str, tuple[Words, ...]], value)


def labelled_sets(table: Table, key: str) -> tuple[tuple[str, Words, Words], ...]:
    """A list of ``[label, [members...], [non-members...]]``."""
    value = _get(table, key)
    ok = isinstance(value, tuple) and all(
        isinstance(row, tuple)
        and len(row) == 3
        and isinstance(row[0], str)
        and _is_words(row[1])
        and _is_words(row[2])
        for row in value
    )
    _check(ok, key, "a list of [label, [members], [non-members]]")
    return cast(tuple[tuple[str, Words, Words], ...], value)
