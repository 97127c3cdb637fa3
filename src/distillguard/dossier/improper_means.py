"""Improper-means indicators: how the campaign got around the provider's controls.

Trade-secret law asks whether information was acquired by "improper means"; machine-scale
harvesting that evades controls has been held to be such means. Each indicator here is one
behaviour of ``terms.BEHAVIOURS``, computed from the records by one query of ``facts``
(the watermark from the attached test reports), and says plainly whether the records show
it. "Not shown" means the records do not show it, not that it did not happen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import duckdb

from distillguard.dossier import facts
from distillguard.dossier.facts import Table
from distillguard.dossier.terms import BEHAVIOURS


@dataclass(frozen=True)
class Indicator:
    name: str  # a key of terms.BEHAVIOURS
    shown: bool
    finding: str  # one sentence in plain words
    table: Table | None  # the query behind it (None: from the attachments)

    @property
    def meaning(self) -> str:
        return BEHAVIOURS[self.name]


SHARED_MINUTES: Final = 10
"""Minutes with three or more accounts active at once, from which the accounts are taken to
work together when the scan did not link them as synchronized (one such minute is chance)."""


def _sum(table: Table, column: str) -> int:
    return sum(int(v or 0) for v in table.column(column))


def _geofence(con: duckdb.DuckDBPyConnection, unsupported: Sequence[str]) -> Indicator:
    table = facts.run(con, facts.geofence(unsupported))
    calls = _sum(table, "calls")
    shown = calls > 0
    finding = (
        f"{calls:,} calls came through hosting, VPN or Tor networks from a country other than "
        "the account's billing country or from an unsupported region."
        if shown
        else "No call came through a hosting, VPN or Tor network from outside the billing "
        "country or from an unsupported region."
    )
    return Indicator("geofence_evasion", shown, finding, table)


def _unsupported(con: duckdb.DuckDBPyConnection, unsupported: Sequence[str]) -> Indicator:
    table = facts.run(con, facts.unsupported_regions(unsupported))
    shown = bool(table.rows)
    regions = ", ".join(unsupported) or "none listed"
    finding = (
        f"Calls or billing addresses in regions where the service is not offered ({regions})."
        if shown
        else f"No call from, and no account billed in, the unsupported regions ({regions}); "
        "calls through VPN, Tor or hosting networks may hide where the caller was."
    )
    return Indicator("unsupported_region", shown, finding, table)


def _rotation(con: duckdb.DuckDBPyConnection) -> Indicator:
    table = facts.run(con, facts.ROTATION)
    shown = bool(table.rows)
    finding = (
        f"{len(table.rows):,} accounts began calling after the first enforcement against "
        "accounts of the case (a block, a refused key, or a campaign label)."
        if shown
        else "The records show no account starting after an enforcement: either no "
        "enforcement is recorded in the bundle's ledger and calls, or no account followed it."
    )
    return Indicator("account_rotation", shown, finding, table)


def _sharding(con: duckdb.DuckDBPyConnection, accounts: int) -> Indicator:
    table = facts.run(con, facts.SHARDING)
    row: dict[str, Any] = table.first()
    synchronized = int(row.get("accounts_linked_as_synchronized") or 0)
    minutes = int(row.get("minutes_with_3_or_more_accounts") or 0)
    busiest = int(row.get("most_calls_by_one_account_in_a_day") or 0)
    total = int(row.get("most_calls_by_all_accounts_in_a_day") or 0)
    together = synchronized >= 2 or minutes >= SHARED_MINUTES
    shown = accounts >= 3 and together and total > 2 * busiest
    finding = (
        f"The accounts together made up to {total:,} calls in a day, while no single account "
        f"made more than {busiest:,}; in {minutes:,} minutes three or more of them were active "
        f"at once ({synchronized:,} accounts were linked as synchronized by the scan)."
    )
    return Indicator("limit_sharding", shown, finding, table)


def _cards(con: duckdb.DuckDBPyConnection) -> Indicator:
    table = facts.run(con, facts.CARDS)
    shown = bool(table.rows)
    finding = (
        f"{len(table.rows):,} payment cards each paid for several accounts "
        f"({_sum(table, 'accounts'):,} accounts in all)."
        if shown
        else "No payment card paid for more than one account of the case."
    )
    return Indicator("shared_payment", shown, finding, table)


def _programmes(con: duckdb.DuckDBPyConnection) -> Indicator:
    table = facts.run(con, facts.PROGRAMME_ACCOUNTS)
    accounts = _sum(table, "accounts")
    shown = accounts > 0
    finding = (
        f"{accounts:,} accounts of the case signed up through the education, research or "
        "startup programmes; the records show the programme, not what the application said."
        if shown
        else "No account of the case signed up through a programme."
    )
    return Indicator("programme_misrepresentation", shown, finding, table)


def _evasion(con: duckdb.DuckDBPyConnection) -> Indicator:
    table = facts.run(con, facts.EVASION)
    accounts = _sum(table, "accounts")
    shown = accounts > 0
    finding = (
        f"{accounts:,} accounts sent prompts wrapped to get past classifiers."
        if shown
        else "The scan found no wrapper aimed at classifiers ('do not flag', fake debug "
        "sessions, fake system prompts) in the accounts' calls."
    )
    return Indicator("classifier_evasion", shown, finding, table)


def _watermark(reports: Sequence[dict[str, Any]]) -> Indicator:
    found = [r for r in reports if r.get("detected") is True]
    if not reports:
        finding = "No suspect model was tested for the watermark."
    elif found:
        finding = f"{len(found)} of {len(reports)} watermark tests found the watermark."
    else:
        finding = f"None of {len(reports)} watermark tests found the watermark."
    return Indicator("watermark_found", bool(found), finding, None)


def indicators(
    con: duckdb.DuckDBPyConnection,
    unsupported: Sequence[str],
    accounts: int,
    watermark_reports: Sequence[dict[str, Any]],
) -> list[Indicator]:
    """Every indicator, in the order of ``terms.BEHAVIOURS``."""
    found = {
        i.name: i
        for i in (
            _geofence(con, unsupported),
            _unsupported(con, unsupported),
            _rotation(con),
            _sharding(con, accounts),
            _cards(con),
            _programmes(con),
            _evasion(con),
            _watermark(watermark_reports),
        )
    }
    return [found[name] for name in BEHAVIOURS]
