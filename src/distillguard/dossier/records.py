"""The case's records as the bundle holds them: full or redacted, as views and as JSON Lines.

``RecordSet.build`` makes, from a frozen case and the case's ledger entries, one DuckDB
connection whose views (``cluster``, ``accounts``, ``calls``, ``links``, ``features``,
``labels``, ``ledger``) hold exactly what the bundle's ``records/*.jsonl`` files hold; the
report and the indicators are computed from these views, so a redacted bundle cannot show
more in its report than in its records.

Redaction (``--redact``), for a bundle that leaves the provider:

- prompt, instruction and answer texts (``system_prompt``, ``user_text``, ``response_text``,
  ``reasoning_text``) and the end-user id become ``sha256:<hex>`` of their UTF-8 bytes, so a
  party holding the same text can still match it;
- client addresses become their network (IPv4 /24, IPv6 /48), in the calls and in address
  links alike, and wherever a reason's ``detail`` of the cluster or its accounts names one;
- everything else (counts, tokens, times, hashes the scan already made, e-mail domains, card
  fingerprints) is kept: it is what the report's figures are made of.

Each call carries one more column than the frozen case: ``area``, its capability area
(``areas.py``), computed from the full texts before redaction, so that the report's exposure
by area can be recomputed from a redacted bundle's records too.

The ledger entries are written as their exact canonical lines, the bytes the ledger's Merkle
leaves hash, so that their inclusion proofs can be checked from the bundle alone.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import duckdb
import orjson
import pyarrow as pa

from distillguard.cases.case import TABLES
from distillguard.cases.frozen import FrozenCase
from distillguard.dossier.areas import classify_row
from distillguard.evidence.entry import Entry

FOLDER: Final = "records"
LEDGER: Final = "ledger"
HASHED_TEXTS: Final = ("system_prompt", "user_text", "response_text", "reasoning_text", "end_user")
ADDRESS_LINKS: Final = ("ip", "hosting_ip", "network")
"""Link kinds whose entity is a client address or a client's network (a /24, an IPv6 /64)."""
LEDGER_SCHEMA: Final = pa.schema(
    [
        ("seq", pa.int64()),
        ("time", pa.string()),
        ("kind", pa.string()),
        ("actor", pa.string()),
        ("ref", pa.string()),
        ("payload", pa.string()),
    ]
)


def network(address: str | None) -> str | None:
    """The network an address, or a narrower network, is shown as once redacted (IPv4 /24,
    IPv6 /48); a wider network stays as it is."""
    if address is None:
        return None
    try:
        net = ipaddress.ip_network(address, strict=False)
    except ValueError:
        return "redacted"
    prefix = 24 if net.version == 4 else 48
    return str(net.supernet(new_prefix=prefix) if net.prefixlen > prefix else net)


_ADDRESS_LIKE: Final = re.compile(
    r"[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*/[0-9]{1,3}"  # a network: 2001:db8:1:2::/64
    r"|[0-9A-Fa-f]*[:.][0-9A-Fa-f:.]*[0-9A-Fa-f]"  # an address
)


def redact_addresses(text: str | None) -> str | None:
    """``text`` with every IP address in it replaced by its network (see ``network``)."""
    if text is None:
        return None

    def shown(match: re.Match[str]) -> str:
        token = match.group(0)
        try:
            ipaddress.ip_network(token, strict=False)
        except ValueError:
            return token
        return network(token) or token

    return _ADDRESS_LIKE.sub(shown, text)


def _hashed(column: str) -> str:
    return (
        f"CASE WHEN c.{column} IS NULL THEN NULL "
        f"ELSE 'sha256:' || sha256(c.{column}) END AS {column}"
    )


def case_entries(entries: Iterable[Entry], case: FrozenCase) -> list[Entry]:
    """The ledger entries a case's bundle carries: its own events, the scan and verdict that
    found it, the labellings of its accounts, and the controls in force (key events only for
    its own accounts)."""
    meta = case.meta
    members = {r["account_id"] for r in case.rows("SELECT account_id FROM accounts")}
    wanted: list[Entry] = []
    for entry in entries:
        payload = entry.payload
        if entry.kind == "case":
            keep = payload.get("case_id") == meta.case_id
        elif entry.kind == "scan":
            keep = entry.ref == f"scan:{meta.scan_id}"
        elif entry.kind == "verdict":
            keep = entry.ref == f"verdict:{meta.scan_id}:{meta.cluster_id}"
        elif entry.kind == "label":
            decisions = payload.get("decisions") or []
            keep = any(
                d.get("account_id") in members or d.get("cluster_id") == meta.cluster_id
                for d in decisions
                if isinstance(d, dict)
            )
        elif entry.kind == "controls":
            keep = _controls_concern(payload.get("entry"), members)
        else:  # decisions: the ones taken on the case's accounts
            keep = payload.get("account_id") in members
        if keep:
            wanted.append(entry)
    return wanted


def _controls_concern(entry: object, members: set[str]) -> bool:
    if not isinstance(entry, dict):
        return False
    if not str(entry.get("event", "")).startswith("key_"):
        return True
    accounts = {
        side.get("account_id")
        for side in (entry.get("old"), entry.get("new"))
        if isinstance(side, dict)
    }
    return bool(accounts & members)


@dataclass
class RecordSet:
    """The bundle's records, as a DuckDB connection with one view per record file."""

    con: duckdb.DuckDBPyConnection
    entries: list[Entry]
    redacted: bool

    @classmethod
    def build(cls, case: FrozenCase, entries: list[Entry], *, redact: bool) -> RecordSet:
        con = case.connect()
        _add_areas(con)
        if redact:
            _redact(con)
        ledger = pa.table(
            {
                "seq": [e.seq for e in entries],
                "time": [e.time for e in entries],
                "kind": [e.kind for e in entries],
                "actor": [e.actor for e in entries],
                "ref": [e.ref for e in entries],
                "payload": [orjson.dumps(e.payload).decode() for e in entries],
            },
            schema=LEDGER_SCHEMA,
        )
        con.register("ledger_rows", ledger)
        con.execute(f"CREATE VIEW {LEDGER} AS SELECT * EXCLUDE (payload), "
                    "payload::JSON AS payload FROM ledger_rows")  # fmt: skip
        return cls(con, entries, redact)

    def write(self, bundle: Path) -> list[str]:
        """Write ``records/<name>.jsonl`` for every view; the paths written, relative."""
        folder = bundle / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name in TABLES:
            target = folder / f"{name}.jsonl"
            path = str(target).replace("'", "''")
            self.con.execute(f"COPY (SELECT * FROM {name}) TO '{path}' (FORMAT json, ARRAY false)")
            written.append(f"{FOLDER}/{name}.jsonl")
        target = folder / f"{LEDGER}.jsonl"
        target.write_bytes(b"".join(e.line() + b"\n" for e in self.entries))
        written.append(f"{FOLDER}/{LEDGER}.jsonl")
        return written


AREA_INPUTS: Final = (
    "system_prompt",
    "user_text",
    "response_text",
    "n_tools",
    "n_tool_calls",
    "output_tokens",
    "reasoning_tokens",
)
"""The columns of a call its capability area is computed from (``areas.classify_row``)."""


def _add_areas(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the ``calls`` view by one with the ``area`` column (from the full texts)."""
    ids: list[str] = []
    areas: list[str] = []
    cursor = con.execute(f"SELECT request_id, {', '.join(AREA_INPUTS)} FROM calls")
    while batch := cursor.fetchmany(4096):
        for request_id, *inputs in batch:
            ids.append(request_id)
            areas.append(classify_row(*inputs))
    con.register("call_areas", pa.table({"request_id": ids, "area": areas}))
    con.execute("ALTER VIEW calls RENAME TO calls_frozen")
    con.execute(
        "CREATE VIEW calls AS SELECT c.*, a.area FROM calls_frozen AS c "
        "LEFT JOIN call_areas AS a ON c.request_id = a.request_id ORDER BY c.ts, c.request_id"
    )


def _redact(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the ``calls``, ``links``, ``cluster`` and ``accounts`` views by their
    redacted forms."""
    addresses = [r[0] for r in con.execute("SELECT DISTINCT client_ip FROM calls").fetchall()]
    linked = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT entity FROM links WHERE list_contains(?, kind)", [list(ADDRESS_LINKS)]
        ).fetchall()
    ]
    everything = sorted({a for a in (*addresses, *linked) if a is not None})
    con.register(
        "networks",
        pa.table({"address": everything, "net": [network(a) for a in everything]}),
    )
    calls = [r[0] for r in con.execute("DESCRIBE calls").fetchall()]
    columns = []
    for column in calls:
        if column in HASHED_TEXTS:
            columns.append(_hashed(column))
        elif column == "client_ip":
            columns.append("n.net AS client_ip")
        else:
            columns.append(f"c.{column}")
    con.execute("ALTER VIEW calls RENAME TO calls_full")
    con.execute("ALTER VIEW links RENAME TO links_full")
    con.create_function("redact_addresses", redact_addresses, ["VARCHAR"], "VARCHAR")
    for table in ("cluster", "accounts"):
        con.execute(f"ALTER VIEW {table} RENAME TO {table}_full")
        con.execute(
            f"CREATE VIEW {table} AS SELECT * REPLACE (list_transform(reasons, lambda r: "
            "struct_update(r, detail := redact_addresses(r.detail))) AS reasons) "
            f"FROM {table}_full"
        )
    con.execute(
        f"CREATE VIEW calls AS SELECT {', '.join(columns)} FROM calls_full AS c "
        "LEFT JOIN networks AS n ON c.client_ip = n.address"
    )
    con.execute(
        "CREATE VIEW links AS SELECT l.* REPLACE (CASE WHEN list_contains(?, l.kind) "
        "THEN n.net ELSE l.entity END AS entity) FROM links_full AS l "
        "LEFT JOIN networks AS n ON l.entity = n.address".replace("?", _sql_list(ADDRESS_LINKS))
    )


def _sql_list(values: Iterable[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"
