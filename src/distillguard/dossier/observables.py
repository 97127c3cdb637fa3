"""What a case's indicators are made of: the entities that tie its accounts, most specific first.

They are taken from the bundle's ``links`` view (what the scan found the members share) and
counted in its ``calls`` and ``accounts`` views, so a redacted bundle indicates only what its
records show: networks instead of addresses, hashes instead of texts. Link kinds become
groups, one per kind of STIX pattern:

- ``address``: ``ip``, ``hosting_ip`` and ``network`` (an address, or a network in CIDR form;
  once redacted, every network is at least as wide as the records' redaction: IPv4 /24,
  IPv6 /48, so a residential IPv6 /64 never shows more than the calls do);
- ``user_agent``: ``user_agent``;
- ``card``: ``payment`` (the payment processor's card fingerprint, never a card number);
- ``system_prompt``: ``system_prompt``, as the SHA-256 of the system prompt's UTF-8 bytes
  (computed from the text, or read from the redacted ``sha256:<hex>``: the same value);
- ``skeleton``: ``skeleton``, the scan's hash of the normalized prompt opening.

The other link kinds (e-mail domains, creation bursts, near-duplicate prompt sets, signal
profiles, synchronized minutes) describe the accounts or their behaviour, not something a
recipient can match in its own traffic, and are left out. Each group keeps its
:data:`PER_GROUP` most specific entities (specificity, then accounts tied, an address before
a network, then value): the ones least likely to match someone else's innocent traffic.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import duckdb

from distillguard.dossier.records import RecordSet

GROUPS: Final = {
    "ip": "address",
    "hosting_ip": "address",
    "network": "address",
    "user_agent": "user_agent",
    "payment": "card",
    "system_prompt": "system_prompt",
    "skeleton": "skeleton",
}
"""Link kind -> indicator group."""
PER_GROUP: Final = 25
"""Most indicators of one group in a bundle."""

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Seen:
    """The calls that carried an entity: how many, first and last."""

    calls: int
    first: datetime
    last: datetime


@dataclass(frozen=True)
class Indicated:
    """One entity to indicate, with what the records say of it."""

    group: str
    value: str
    link_kinds: tuple[str, ...]
    accounts: int  # the case's accounts it ties
    specificity: float
    seen: Seen | None  # None when the records hold no per-call value for it (skeletons)
    network_kinds: tuple[str, ...] = ()  # of the calls from an address


@dataclass(frozen=True)
class Selection:
    kept: list[Indicated]
    found: dict[str, int]  # group -> entities found before the cap


def _prompt_hash(column: str, redacted: bool) -> str:
    if redacted:  # the view holds 'sha256:<hex>'
        return f"substr({column}, 8)"
    return f"sha256({column})"


def _candidates(records: RecordSet) -> dict[tuple[str, str], tuple[set[str], set[str], float]]:
    """(group, value) -> (link kinds, accounts, best specificity)."""
    digest = _prompt_hash("c.system_prompt", records.redacted)
    rows = records.con.execute(
        f"SELECT l.kind, CASE WHEN l.kind = 'system_prompt' THEN {digest} ELSE l.entity END, "
        "l.account_id, l.specificity FROM links AS l LEFT JOIN calls AS c "
        "ON l.kind = 'system_prompt' AND c.request_id = l.example_request_id "
        "WHERE list_contains(?, l.kind)",
        [list(GROUPS)],
    ).fetchall()
    found: dict[tuple[str, str], tuple[set[str], set[str], float]] = {}
    for kind, entity, account, specificity in rows:
        if entity is None or entity == "":
            continue
        value = _shown(kind, str(entity))
        if value is None:
            continue
        kinds, accounts, best = found.get((GROUPS[kind], value), (set(), set(), 0.0))
        kinds.add(kind)
        accounts.add(account)
        found[(GROUPS[kind], value)] = (kinds, accounts, max(best, float(specificity or 0.0)))
    return found


def _shown(kind: str, entity: str) -> str | None:
    """The entity as the indicators show it (a redacted view's networks are already as wide
    as the redaction); None when it is not a usable value."""
    if GROUPS[kind] != "address":
        return entity
    try:
        ipaddress.ip_network(entity, strict=False)
    except ValueError:
        return None  # the records' own placeholder for an address that was not one
    return entity


def select(records: RecordSet, per_group: int = PER_GROUP) -> Selection:
    """The entities to indicate, most specific first within each group, groups in order."""
    ranked: dict[str, list[tuple[str, set[str], set[str], float]]] = {}
    for (group, value), (kinds, accounts, best) in _candidates(records).items():
        ranked.setdefault(group, []).append((value, kinds, accounts, best))
    kept: list[Indicated] = []
    found: dict[str, int] = {}
    for group in dict.fromkeys(GROUPS.values()):
        rows = sorted(ranked.get(group, []), key=lambda r: (-r[3], -len(r[2]), "/" in r[0], r[0]))
        found[group] = len(rows)
        chosen = rows[:per_group]
        seen = _seen(records, group, [r[0] for r in chosen])
        for value, kinds, accounts, best in chosen:
            stats, network_kinds = seen.get(value, (None, ()))
            kept.append(
                Indicated(
                    group, value, tuple(sorted(kinds)), len(accounts), best, stats, network_kinds
                )
            )
    return Selection(kept, found)


def _seen(
    records: RecordSet, group: str, values: list[str]
) -> dict[str, tuple[Seen, tuple[str, ...]]]:
    if not values:
        return {}
    if group == "address":
        return _addresses_seen(records.con, values)
    if group == "user_agent":
        sql = "SELECT user_agent, count(*), min(ts), max(ts) FROM calls "
        sql += "WHERE list_contains(?, user_agent) GROUP BY 1"
    elif group == "card":
        sql = "SELECT a.payment_fingerprint, count(*), min(c.ts), max(c.ts) FROM calls AS c "
        sql += "JOIN accounts AS a USING (account_id) "
        sql += "WHERE list_contains(?, a.payment_fingerprint) GROUP BY 1"
    elif group == "system_prompt":
        digest = _prompt_hash("system_prompt", records.redacted)
        sql = f"SELECT {digest} AS h, count(*), min(ts), max(ts) FROM calls "
        sql += f"WHERE system_prompt IS NOT NULL AND list_contains(?, {digest}) GROUP BY 1"
    else:  # the calls hold no skeleton: the scan computes it and keeps only its links
        return {}
    rows = records.con.execute(sql, [values]).fetchall()
    return {str(v): (Seen(int(n), first, last), ()) for v, n, first, last in rows}


def _addresses_seen(
    con: duckdb.DuckDBPyConnection, values: list[str]
) -> dict[str, tuple[Seen, tuple[str, ...]]]:
    """Calls from each address or network (a redacted call's network must lie inside it)."""
    rows = con.execute(
        "SELECT client_ip, count(*), min(ts), max(ts), list(DISTINCT network_kind) "
        "FROM calls WHERE client_ip IS NOT NULL GROUP BY 1"
    ).fetchall()
    wanted = {value: ipaddress.ip_network(value, strict=False) for value in values}
    stats: dict[str, tuple[int, datetime, datetime, set[str]]] = {}
    for client, n, first, last, kinds in rows:
        try:
            source = ipaddress.ip_network(client, strict=False)
        except ValueError:
            continue
        for value in _containing(wanted, source):
            count, lo, hi, seen_kinds = stats.get(value, (0, first, last, set()))
            seen_kinds.update(k for k in kinds if k is not None)
            stats[value] = (count + int(n), min(lo, first), max(hi, last), seen_kinds)
    return {
        value: (Seen(count, lo, hi), tuple(sorted(kinds)))
        for value, (count, lo, hi, kinds) in stats.items()
    }


def _containing(wanted: dict[str, Network], source: Network) -> Iterable[str]:
    for value, net in wanted.items():
        if net.version == source.version and source.subnet_of(net):  # type: ignore[arg-type]
            yield value
