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
from distillguard.schema.interactions import GATEWAY_ACTIONS

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
    _decision(obj.get("decision"), row)
    row["source_format"] = NAME
    return row


def _decision(decision: object, row: Row) -> None:
    """The gateway's decision on the call (absent in logs from elsewhere)."""
    if decision is None:
        return
    if not isinstance(decision, dict):
        raise Reject("wrong_type", f"decision must be a JSON object, got {decision!r:.40}")
    action = text(decision, "action", "decision.action")
    if action is not None and action not in GATEWAY_ACTIONS:
        raise Reject("wrong_type", f"decision.action {action!r:.40} is not a gateway action")
    row["gateway_action"] = action
    rules = decision.get("rules")
    if rules is not None:
        if not isinstance(rules, list) or not all(type(r) is str for r in rules):
            raise Reject("wrong_type", "decision.rules must be a list of strings")
        row["gateway_rules"] = rules


def read(obj: object, ctx: ReadContext) -> Iterator[Row | Rejected]:
    if not isinstance(obj, dict):
        yield Rejected(Reject("not_object", f"expected a JSON object, got {type(obj).__name__}"))
        return
    try:
        yield read_record(obj, ctx)
    except Reject as reject:
        yield Rejected(reject)
