"""A fact's table as HTML, with the query that computed it printed under it.

Every cell is escaped: the records hold attacker-written text (prompts, user agents,
network names), and a report must show it, never run it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from html import escape
from types import MappingProxyType
from typing import Any, Final

from distillguard.dossier.facts import Table

LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "accounts": "accounts",
        "members_left_out": "members left out",
        "calls": "calls",
        "input_tokens": "input tokens",
        "output_tokens": "output tokens",
        "reasoning_tokens": "reasoning tokens",
        "first_call": "first call (UTC)",
        "last_call": "last call (UTC)",
        "active_days": "days active",
        "estimated_cost": "estimated value",
        "share_of_calls_pct": "share of calls (%)",
        "accounts_active": "accounts active",
        "accounts_created": "accounts created",
        "network_kind": "network kind",
        "network_operator": "network operator",
        "payment_fingerprint": "card fingerprint",
        "billing_country": "billing country",
        "call_country": "country of the call",
        "typical_value": "typical value",
        "typical_baseline": "typical among peers",
        "example_call": "example call",
        "shared_things": "things shared",
        "mean_specificity": "mean specificity",
        "prompt_excerpt": "prompt (start)",
        "answer_excerpt": "answer (start)",
        "request_id": "call id",
        "account_id": "account",
        "ts": "time (UTC)",
        "when_": "when",
        "recorded_at": "recorded at (UTC)",
        "file_sha256": "file SHA-256",
        "first_enforcement": "first enforcement (UTC)",
        "created_at": "created (UTC)",
        "calls_via_hosting_vpn_tor": "calls via hosting / VPN / Tor",
        "accounts_calling": "accounts calling from there",
        "accounts_billed": "accounts billed there",
        "note": "operator's note (terms policy)",
    }
)


_LONG: Final = re.compile(r"\S{18,}")
CHUNK: Final = 14


def breakable(text: str) -> str:
    """``text`` escaped, with line-break opportunities inside long unbroken runs (ids,
    hashes, addresses), so narrow table columns can wrap them."""
    parts: list[str] = []
    end = 0
    for match in _LONG.finditer(text):
        parts.append(escape(text[end : match.start()]))
        run = match.group(0)
        parts.append("<wbr>".join(escape(run[i : i + CHUNK]) for i in range(0, len(run), CHUNK)))
        end = match.end()
    parts.append(escape(text[end:]))
    return "".join(parts)


def label(column: str) -> str:
    return LABELS.get(column, column.replace("_", " "))


def cell(value: Any) -> str:
    """One value as escaped text: thousands separators, UTC times, lists joined."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}" if value == 0 or abs(value) >= 0.01 else f"{value:.3g}"
    if isinstance(value, datetime):
        return escape(value.strftime("%Y-%m-%d %H:%M:%S %Z").strip())
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return breakable(", ".join(str(v) for v in value))
    return breakable(str(value))


def render(
    table: Table,
    *,
    limit: int | None = None,
    extra: Mapping[str, list[str]] | None = None,
) -> str:
    """The table, at most ``limit`` rows, then its query; ``extra`` adds columns computed
    outside the query (their header says where they come from)."""
    extra = extra or {}
    rows = table.rows if limit is None else table.rows[:limit]
    head = "".join(f"<th>{escape(label(c))}</th>" for c in (*table.columns, *extra))
    body = []
    for i, row in enumerate(rows):
        cells = [f"<td>{cell(v)}</td>" for v in row]
        cells += [f"<td>{breakable(values[i])}</td>" for values in extra.values()]
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not rows:
        width = len(table.columns) + len(extra)
        body.append(f"<tr><td colspan='{width}' class='none'>no rows</td></tr>")
    shown = ""
    if limit is not None and len(table.rows) > limit:
        shown = (
            f"<p class='shown'>The first {limit:,} of {len(table.rows):,} rows; the query "
            "below gives them all.</p>"
        )
    return (
        f"<figure class='fact' id='fact-{escape(table.fact.name)}'>"
        f"<figcaption>{escape(table.fact.title)}</figcaption>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{shown}"
        f"<pre class='query'>query: {escape(table.fact.sql)}</pre></figure>"
    )
