"""Canonical JSON: the bytes do not depend on key order or number spelling."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
from hypothesis import given
from hypothesis import strategies as st

from distillguard.evidence.canonical import SAFE_INTEGER, canonical, digest, normal

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def test_keys_are_sorted_and_there_is_no_whitespace() -> None:
    assert canonical({"b": 1, "a": [1.0, "é"]}) == '{"a":[1,"é"],"b":1}'.encode()


def test_rfc8785_number_forms() -> None:
    assert canonical([1e21, 1e-7, 0.1, -0.0, 100.0]) == b"[1e+21,1e-7,0.1,0,100]"


def test_values_outside_json_are_made_to_fit() -> None:
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert normal(
        {"at": at, "t": (1, 2), 3: float("nan"), "big": SAFE_INTEGER + 2, "round": 2**53}
    ) == {
        "at": "2026-01-02T03:04:05+00:00",
        "t": [1, 2],
        "3": None,
        "big": str(SAFE_INTEGER + 2),
        "round": float(2**53),
    }


@given(st.dictionaries(st.text(), JSON, max_size=6))
def test_the_digest_ignores_key_order(value: dict[str, object]) -> None:
    reordered = dict(reversed(list(value.items())))
    assert canonical(reordered) == canonical(value)
    assert digest(reordered) == digest(value)


@given(JSON)
def test_canonical_form_is_a_fixed_point(value: object) -> None:
    once = canonical(value)
    assert canonical(orjson.loads(once)) == once
