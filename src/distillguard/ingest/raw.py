"""Reader for distillguard's raw API log: one JSON object per API call (see DESIGN.md)."""

from __future__ import annotations

from collections.abc import Iterator

from distillguard.ingest.bodies import read_bodies
from distillguard.ingest.record import (
    JsonObject,
    ReadContext,
    Reject,
    Rejected,
    Row,
    endpoint,
    ident,
    integer,
    new_row,
    number,
    required_id,
    text,
    timestamp,
)

NAME = "raw"


def looks_like(obj: JsonObject) -> bool:
    return "request_id" in obj and "endpoint" in obj


def read_record(obj: JsonObject, ctx: ReadContext) -> Row:
    row = new_row()
    row["request_id"] = required_id(ident(obj, "request_id"), "request_id")
    row["account_id"] = required_id(ident(obj, "account_id"), "account_id")
    ts = timestamp(obj.get("ts"))
    row["ts"] = ts
    row["day"] = ts.date()
    row["endpoint"] = endpoint(obj.get("endpoint"))
    row["key_id"] = ident(obj, "key_id")
    row["org_id"] = ident(obj, "org_id")
    row["client_ip"] = ctx.ip(obj.get("client_ip"))
    row["user_agent"] = text(obj, "user_agent")
    read_bodies(row["endpoint"], obj.get("request"), obj.get("response"), row)
    end_user = ident(obj, "end_user")
    if end_user is not None:
        row["end_user"] = end_user
    row["status"] = integer(obj, "status", bits=16)
    row["latency_ms"] = number(obj, "latency_ms")
    row["source_format"] = NAME
    return row


def read(obj: object, ctx: ReadContext) -> Iterator[Row | Rejected]:
    if not isinstance(obj, dict):
        yield Rejected(Reject("not_object", f"expected a JSON object, got {type(obj).__name__}"))
        return
    try:
        yield read_record(obj, ctx)
    except Reject as reject:
        yield Rejected(reject)
