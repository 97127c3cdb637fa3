"""What the report and the indicators are computed from, besides the case's records.

The records are DuckDB views over exactly the tables the bundle writes as JSON Lines
(``cluster``, ``accounts``, ``calls``, ``links``, ``features``, ``labels``, and ``ledger``:
the case's ledger entries, one row each with ``seq``, ``time``, ``kind``, ``actor``, ``ref``
and ``payload`` as JSON). When the bundle is redacted, the views hold the redacted values
(prompt and answer texts as ``sha256:<hex>``, client addresses as their network), so nothing
computed from them can show more than the bundle does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Prices:
    """What the provider's tokens cost (per million), for the estimated cost of the campaign."""

    input_per_mtok: float
    output_per_mtok: float
    reasoning_per_mtok: float
    currency: str


@dataclass(frozen=True)
class Context:
    case_id: str
    title: str
    cluster_id: str
    scan_id: str
    opened_at: str
    opened_by: str
    exported_at: str  # ISO 8601 with the exporter's UTC offset
    exported_by: str
    time_zone: str  # the exporter's time zone name (as the OS reports it)
    workspace: str
    organisation: str  # the provider the dossier is written for
    redacted: bool
    prices: Prices
    terms: Path  # the terms policy (TOML): clauses mapped to signals and behaviours
    records: dict[str, str] = field(default_factory=dict)  # view name -> file in the bundle
