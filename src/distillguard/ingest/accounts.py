"""Accounts files (JSON Lines or CSV) → rows of the accounts table, bad rows → quarantine."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from distillguard.ingest import sources
from distillguard.ingest.csvrows import csv_rows
from distillguard.ingest.limits import Limits
from distillguard.ingest.lines import json_lines
from distillguard.ingest.quarantine import json_failure, quarantine_entry
from distillguard.ingest.record import JsonObject, Reject, ident, text, timestamp
from distillguard.schema.accounts import ACCOUNTS, PROGRAMS

_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f", ""})
_EPOCH = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _created_at(value: object) -> object:
    """Epoch seconds written as text (every CSV value is text) count as a number, as in JSON."""
    if isinstance(value, str) and _EPOCH.fullmatch(value.strip()):
        text_value = value.strip()
        return float(text_value) if "." in text_value else int(text_value)
    return value


def _verified(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise Reject("wrong_type", f"verified must be true or false, got {value!r:.40}")


def read_account(obj: JsonObject) -> dict[str, Any]:
    """One accounts record (CSV values are all text; empty text means null)."""
    clean = {k: (None if v == "" else v) for k, v in obj.items()}
    account_id = ident(clean, "account_id")
    if account_id is None:
        raise Reject("missing_identity", "account_id is missing")
    created = clean.get("created_at")
    program = (text(clean, "program") or "none").strip().lower()
    if program not in PROGRAMS:
        raise Reject("wrong_type", f"program must be one of {', '.join(PROGRAMS)}, got {program!r}")
    domain = text(clean, "email_domain")
    country = text(clean, "billing_country")
    return {
        "account_id": account_id,
        "created_at": None if created is None else timestamp(_created_at(created), "created_at"),
        "email_domain": domain.strip().lower() if domain else None,
        "payment_fingerprint": ident(clean, "payment_fingerprint"),
        "billing_country": country.strip().upper() if country else None,
        "tier": text(clean, "tier"),
        "program": program,
        "verified": _verified(clean.get("verified")),
    }


def read_accounts_file(
    path: Path, source: str, limits: Limits | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """All good rows of an accounts file (later rows win) and quarantine entries for the rest."""
    limits = limits or Limits()
    content = sources.head(path, 4096).removeprefix(sources.BOM).lstrip()
    container = "jsonl" if content.startswith((b"{", b"[")) or not content else "csv"
    rows: dict[str, dict[str, Any]] = {}
    quarantined: list[dict[str, Any]] = []
    with sources.open_decompressed(path, limits=limits) as handle:
        blocks: Iterator[sources.Block | sources.Broken] = (
            json_lines(handle, 10_000, limits)
            if container == "jsonl"
            else csv_rows(handle, 10_000, limits)
        )
        for block in blocks:
            if isinstance(block, sources.Broken):
                quarantined.append(
                    quarantine_entry(source, block.line, block.reason, block.detail, block.raw)
                )
                continue
            for line, payload in block:
                try:
                    obj = orjson.loads(payload) if isinstance(payload, bytes) else payload
                    if not isinstance(obj, dict):
                        raise Reject("not_object", "an accounts record must be a JSON object")
                    row = read_account(obj)
                except orjson.JSONDecodeError as exc:
                    assert isinstance(payload, bytes)
                    reason, detail = json_failure(payload, exc)
                    quarantined.append(quarantine_entry(source, line, reason, detail, payload))
                except Reject as reject:
                    quarantined.append(
                        quarantine_entry(source, line, reject.reason, reject.detail, payload)
                    )
                else:
                    rows[row["account_id"]] = row
    return list(rows.values()), quarantined


def to_table(rows: list[dict[str, Any]]) -> pa.Table:
    """The accounts table of ``rows`` (each with its ``ingest_id``)."""
    return pa.Table.from_pylist(rows, schema=ACCOUNTS)
