"""A table fitted to one model: natural shares and unmarked contexts from its own answers.

The built-in table's shares come from public answers. A model with habits of its own (one
that nearly always contracts, or always writes ``for example``) would see those classes
pulled toward the public shares once watermarked. ``estimate`` counts, on a sample of the
protected model's answers (before any watermark), each class's contexts and variants with
the same rules as the built-in table (:mod:`distillguard.watermark.table`):

- contexts holding ``DOMINANT_SHARE`` or more of a class's occurrences (and at least
  ``DOMINANT_COUNT``) become its unmarked contexts;
- the shares are counted on the other occurrences, with add-one smoothing;
- a class seen fewer than ``MIN_OCCURRENCES`` times keeps the built-in entry (too little to
  estimate, and too rare to matter); a class whose rarer variant falls under
  :data:`~distillguard.watermark.table.MIN_WEIGHT` is dropped (writing that variant more
  often would show).

The word lists and blocking rules are the built-in table's: only shares and unmarked
contexts are fitted. The fitted table is saved as JSON with a version derived from its
content; embedding and verification must use the same file.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

import orjson

from distillguard.watermark import jsonfile
from distillguard.watermark.scanner import Scanner, ScanState
from distillguard.watermark.spans import prose
from distillguard.watermark.table import CLASSES, MIN_WEIGHT, VERSION, VariantClass

FORMAT: Final = "distillguard-watermark-table"
DOMINANT_SHARE: Final = 0.1
DOMINANT_COUNT: Final = 8
MIN_OCCURRENCES: Final = 30


class TableError(ValueError):
    """A table file is missing, unreadable or not a valid table."""


@dataclass(frozen=True)
class Table:
    """Variant classes with a version that names them in every report."""

    classes: tuple[VariantClass, ...]
    version: str

    def scanner(self) -> Scanner:
        return Scanner(self.classes, self.version)


BUILT_IN: Final = Table(CLASSES, VERSION)


@dataclass
class Fit:
    """What ``estimate`` did to each class: ``refitted``, ``kept`` or ``dropped``."""

    table: Table
    texts: int = 0
    outcomes: dict[str, str] = field(default_factory=dict)
    occurrences: dict[str, int] = field(default_factory=dict)


def _version(classes: tuple[VariantClass, ...]) -> str:
    digest = hashlib.sha256(orjson.dumps([_entry(c) for c in classes])).hexdigest()
    return f"fitted-{digest[:12]}"


def _shares(counts: list[int]) -> tuple[float, ...]:
    total = sum(counts)
    shares = [round(n / total, 2) for n in counts[:-1]]
    return (*shares, round(1.0 - sum(shares), 2))


def estimate(texts: Iterable[str], base: Table = BUILT_IN) -> Fit:
    """Fit shares and unmarked contexts to ``texts`` (unwatermarked answers of one model)."""
    scanner = Scanner(tuple(replace(c, unmarked=frozenset()) for c in base.classes))
    contexts = [Counter[str]() for _ in base.classes]
    variants = [Counter[tuple[str, int]]() for _ in base.classes]
    count = 0
    for text in texts:
        count += 1
        for found in scanner.occurrences(text, prose(text), 0, len(text), ScanState()):
            if not found.blocked:
                contexts[found.cls][found.context] += 1
                variants[found.cls][found.context, found.variant] += 1
    fitted: list[VariantClass] = []
    fit = Fit(BUILT_IN, texts=count)
    for c, cls in enumerate(base.classes):
        total = contexts[c].total()
        fit.occurrences[cls.name] = total
        if total < MIN_OCCURRENCES:
            fit.outcomes[cls.name] = "kept"
            fitted.append(cls)
            continue
        unmarked = frozenset(
            context
            for context, n in contexts[c].items()
            if n >= DOMINANT_COUNT and n / total >= DOMINANT_SHARE
        )
        counts = [1] * len(cls.variants)
        for (context, variant), n in variants[c].items():
            if context not in unmarked:
                counts[variant] += n
        shares = _shares(counts)
        if min(shares) < MIN_WEIGHT:
            fit.outcomes[cls.name] = "dropped"
            continue
        fit.outcomes[cls.name] = "refitted"
        fitted.append(replace(cls, weights=shares, unmarked=unmarked))
    classes = tuple(fitted)
    fit.table = Table(classes, _version(classes))
    return fit


def _entry(cls: VariantClass) -> dict[str, Any]:
    return {
        "variants": list(cls.variants),
        "weights": list(cls.weights),
        "block_before": sorted(cls.block_before),
        "block_after": sorted(cls.block_after),
        "unmarked": sorted(cls.unmarked),
    }


def save(fit: Fit, path: Path) -> None:
    """Write the fitted table to ``path`` (atomically)."""
    data = {
        "format": FORMAT,
        "version": fit.table.version,
        "base": VERSION,
        "texts": fit.texts,
        "classes": [_entry(c) for c in fit.table.classes],
    }
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise TableError(f"cannot write {path}: {exc.strerror}") from exc


def _strings(value: object, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TableError(f"{what} must be a list of strings")
    return value


def load(path: Path) -> Table:
    """Read a table written by :func:`save`; any damage is a :class:`TableError`."""
    data = jsonfile.read(path, FORMAT, "watermark table", TableError)
    entries = data.get("classes")
    if not isinstance(entries, list) or not entries:
        raise TableError(f"{path} holds no classes")
    classes: list[VariantClass] = []
    try:
        for entry in entries:
            if not isinstance(entry, dict):
                raise TableError("a class must be a JSON object")
            weights = entry.get("weights")
            if not isinstance(weights, list) or not all(
                isinstance(w, int | float) and not isinstance(w, bool) for w in weights
            ):
                raise TableError("weights must be a list of numbers")
            classes.append(
                VariantClass(
                    tuple(_strings(entry.get("variants"), "variants")),
                    tuple(float(w) for w in weights),
                    frozenset(_strings(entry.get("block_before", []), "block_before")),
                    frozenset(_strings(entry.get("block_after", []), "block_after")),
                    frozenset(_strings(entry.get("unmarked", []), "unmarked")),
                )
            )
        table = Table(tuple(classes), _version(tuple(classes)))
        table.scanner()  # rejects a variant listed in two classes
    except ValueError as exc:
        raise TableError(f"{path}: {exc}") from exc
    if data.get("version") != table.version:
        raise TableError(f"{path} was edited or damaged: its version does not match its classes")
    return table
