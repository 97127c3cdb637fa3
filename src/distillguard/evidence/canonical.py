"""Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) and the hashes built on it.

An entry's hash must not depend on key order or number spelling, so every stored object is
written in its canonical form. RFC 8785 allows only the integers a double represents exactly
(|n| <= 2**53 - 1) and no NaN or infinity; ``normal`` makes any JSON-like value fit, so that
callers hand over what they have (tuples, paths, datetimes, big counters) without failing.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any, Final

import orjson
import rfc8785

SAFE_INTEGER: Final = 2**53 - 1


def _fit(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _fit(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fit(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        if abs(value) <= SAFE_INTEGER:
            return value
        # Beyond 2**53 a number stays a number only where RFC 8785 writes the double nearest
        # to it with the same digits (so it reads back as itself); else it becomes text.
        near = float(value) if abs(value) < 2**1023 else math.inf
        if math.isfinite(near) and rfc8785.dumps(near) == str(value).encode():
            return near
        return str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)


def _wide(value: Any) -> Any:
    """``value`` with integers beyond 64 bits (which orjson refuses) as text."""
    if isinstance(value, dict):
        return {k: _wide(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_wide(v) for v in value]
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        return str(value)
    return value


def normal(value: object) -> Any:
    """``value`` as plain JSON that RFC 8785 accepts (as it reads back after storing)."""
    # orjson writes NaN as null and datetimes as ISO text, like every JSON file of the project.
    plain = orjson.loads(orjson.dumps(_wide(value), default=str, option=orjson.OPT_NON_STR_KEYS))
    return _fit(plain)


def canonical(value: object) -> bytes:
    """The RFC 8785 bytes of ``value`` (after ``normal``)."""
    return rfc8785.dumps(normal(value))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest(value: object) -> str:
    """SHA-256 (hex) of the canonical JSON of ``value``: a record's fingerprint."""
    return sha256_hex(canonical(value))
