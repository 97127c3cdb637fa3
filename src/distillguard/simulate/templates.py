"""What all simulated text shares: its areas and languages, and how its templates are filled.

The capability areas and languages that :mod:`distillguard.simulate.text` and
:mod:`distillguard.simulate.responses` write in (their order matters: random picks index into
them), checks that raise the same error for an unknown one everywhere, ``{slot}`` templates
compiled against a vocabulary and filled from a caller's ``random.Random``, and deterministic
picks by a 64-bit hash of integers, which do not depend on string hashing.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from string import Formatter
from typing import Final, TypeVar

from distillguard.simulate.phrases.tables import Words

AREAS: Final = (
    "coding",
    "math",
    "agentic",
    "data_analysis",
    "writing",
    "science",
    "business",
    "everyday",
)
LANGUAGES: Final = ("en", "de", "fr", "es", "pt", "ja", "zh", "ko", "ru")

Compiled = tuple[str, tuple[str, ...]]  # (template, its slot names)
T = TypeVar("T")

_AREA_SET: Final = frozenset(AREAS)
_LANGUAGE_SET: Final = frozenset(LANGUAGES)
_MASK: Final = (1 << 64) - 1


def check_area(area: str) -> None:
    """Raise :class:`ValueError` unless ``area`` is one of :data:`AREAS`."""
    if area not in _AREA_SET:
        raise ValueError(f"unknown area {area!r}; valid areas: {', '.join(AREAS)}")


def check_language(language: str) -> None:
    """Raise :class:`ValueError` unless ``language`` is one of :data:`LANGUAGES`."""
    if language not in _LANGUAGE_SET:
        raise language_error(language)


def language_error(language: str) -> ValueError:
    """The error for a language outside :data:`LANGUAGES`."""
    return ValueError(f"unknown language {language!r}; valid languages: {', '.join(LANGUAGES)}")


def mix(*parts: int) -> int:
    """A 64-bit hash of integers (splitmix64 steps): deterministic in every process."""
    h = 0x9E3779B97F4A7C15
    for part in parts:
        h = ((h ^ (part & _MASK)) * 0xBF58476D1CE4E5B9) & _MASK
        h ^= h >> 31
        h = (h * 0x94D049BB133111EB) & _MASK
        h ^= h >> 29
    return h


def distinct(options: Sequence[T], count: int, seed: int) -> list[T]:
    """``count`` distinct entries of ``options`` chosen by ``seed`` (a partial shuffle)."""
    pool = list(options)
    for k in range(count):
        j = k + mix(seed, k) % (len(pool) - k)
        pool[k], pool[j] = pool[j], pool[k]
    return pool[:count]


def slot_names(template: str) -> tuple[str, ...]:
    """The ``{slot}`` names of ``template``, each once, in order of first use."""
    names = (name for _, name, _, _ in Formatter().parse(template) if name)
    return tuple(dict.fromkeys(names))


def compile_templates(templates: Sequence[str], vocab: Mapping[str, Words]) -> tuple[Compiled, ...]:
    """Each template with its slot names; :class:`ValueError` if ``vocab`` lacks a slot."""
    compiled = tuple((t, slot_names(t)) for t in templates)
    for template, slots in compiled:
        missing = [s for s in slots if s not in vocab]
        if missing:
            raise ValueError(f"template {template!r} has slots without words: {missing}")
    return compiled


def fill(compiled: Compiled, vocab: Mapping[str, Words], rng: random.Random) -> str:
    """A compiled template with one word of ``vocab`` per slot, drawn in slot order."""
    template, slots = compiled
    if not slots:
        return template
    choice = rng.choice
    return template.format_map({s: choice(vocab[s]) for s in slots})


def camel(snake: str) -> str:
    """``snake_case`` as ``camelCase``."""
    head, *rest = snake.split("_")
    return head + "".join(part.capitalize() for part in rest)
