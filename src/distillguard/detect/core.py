"""The detection contract: a reason, its one stored shape, and the result columns it fills.

Every stage that explains a score (account features, content signals, the anomaly model,
cluster links, membership ties, analyst labels) says why in :class:`Reason` rows, and every
reader (``show``, ``export``, the gateway, the dossier) reads them back from the one Arrow
type :data:`REASONS` (a ``list<struct>`` column), never from free-form dicts or JSON text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

import pyarrow as pa

from distillguard.schema.results import REASON_KINDS, REASONS

__all__ = [
    "REASONS",
    "REASON_KINDS",
    "Reason",
    "ReasonKind",
    "reasons_array",
    "reasons_of",
    "rounded",
]

ReasonKind = Literal["cluster", "feature", "signal", "link", "anomaly", "members", "tie", "label"]
"""One of :data:`~distillguard.schema.results.REASON_KINDS`."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of evidence behind a score or a verdict, readable on its own.

    ``value`` is what was measured, ``baseline`` what it was compared with (the peer median,
    for a feature), ``evidence`` how much it counted in [0, 1] (None where it did not count
    towards a score), ``specificity`` in [0, 1] how much a shared entity says "one operator"
    (ties and links only), ``examples`` request ids that show it.
    """

    kind: ReasonKind
    name: str
    detail: str
    value: float | None = None
    baseline: float | None = None
    evidence: float | None = None
    family: str | None = None
    peer: str | None = None
    z: float | None = None
    specificity: float | None = None
    examples: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["examples"] = list(self.examples)
        return out

    @classmethod
    def from_dict(cls, row: Mapping[str, Any]) -> Reason:
        values: dict[str, Any] = {f.name: row.get(f.name) for f in fields(cls)}
        values["examples"] = tuple(row.get("examples") or ())
        return cls(**values)


def reasons_array(rows: Iterable[Sequence[Reason]]) -> pa.Array:
    """One ``reasons`` cell per row."""
    return pa.array([[r.to_dict() for r in row] for row in rows], type=REASONS)


def reasons_of(cell: Iterable[Mapping[str, Any]] | None) -> list[Reason]:
    """A stored ``reasons`` cell (as DuckDB or Arrow hand it back) as reasons."""
    return [Reason.from_dict(r) for r in cell or ()]


def rounded(value: float | None, digits: int = 4) -> float | None:
    """A measured number as stored in a reason: rounded, None kept."""
    return None if value is None else round(float(value), digits)
