"""Template helpers: checks, deterministic mixing and choosing, slot filling."""

from __future__ import annotations

import random

import pytest

from distillguard.simulate.templates import (
    AREAS,
    check_area,
    check_language,
    compile_templates,
    distinct,
    fill,
    mix,
    slot_names,
)


def test_checks_name_the_valid_values() -> None:
    check_area(AREAS[0])
    check_language("ja")
    with pytest.raises(ValueError, match="coding"):
        check_area("astrology")
    with pytest.raises(ValueError, match="ko"):
        check_language("tlh")


def test_mix_is_a_stable_64_bit_hash() -> None:
    assert mix(1, 2) == mix(1, 2)
    assert mix(1, 2) != mix(2, 1)
    assert 0 <= mix(7) < 2**64


def test_distinct_picks_without_repeats_deterministically() -> None:
    options = list(range(50))
    picked = distinct(options, 10, seed=3)
    assert len(set(picked)) == 10
    assert picked == distinct(options, 10, seed=3)
    assert picked != distinct(options, 10, seed=4)


def test_slots_compile_and_fill() -> None:
    assert slot_names("{a} and {b} then {a}") == ("a", "b")
    compiled = compile_templates(["{a} and {b}"], {"a": ("x",), "b": ("y", "z")})
    assert fill(compiled[0], {"a": ("x",), "b": ("y", "z")}, random.Random(1)) in {
        "x and y",
        "x and z",
    }
    with pytest.raises(ValueError, match="slots without words"):
        compile_templates(["{missing}"], {})
