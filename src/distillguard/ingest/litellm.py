"""Reader for LiteLLM proxy spend logs: rows of the ``LiteLLM_SpendLogs`` table.

A row arrives as a JSON object (JSON array or JSON Lines export: native JSON types, JSON columns
as nested values or as JSON text) or as a ``csv.DictReader`` row (every value text, ``""`` for
null, JSON columns as JSON text). Both go through ``_cells`` first, so the rest of the reader
sees one shape.

What LiteLLM writes (``litellm/proxy/spend_tracking/spend_tracking_utils.py``): ``user``,
``team_id`` and ``organization_id`` come from the virtual key (``metadata.user_api_key_*``),
``api_key`` is the SHA-256 of the key, ``startTime`` / ``endTime`` are UTC without zone, and with
``store_prompts_in_spend_logs`` on, ``proxy_server_request`` holds the request body while
``messages`` stays ``{}``; ``response`` holds the provider-shaped response object. Failed calls
have ``status`` "failure" and ``metadata.error_information`` (``error_code`` as text).
The spend-log metadata has no User-Agent field and ``proxy_server_request`` keeps no headers,
so ``user_agent`` is read only where an export carries one (``metadata.user_agent``, or the
headers of a ``{"headers": ..., "body": ...}`` wrapped request).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import MappingProxyType
from typing import Any

import orjson

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
    mapping,
    new_row,
    number,
    required_id,
    text,
    timestamp,
)

NAME = "litellm"

CALL_TYPES: MappingProxyType[str, str] = MappingProxyType(
    {
        "completion": "/v1/chat/completions",
        "acompletion": "/v1/chat/completions",
        "text_completion": "/v1/completions",
        "atext_completion": "/v1/completions",
        "responses": "/v1/responses",
        "aresponses": "/v1/responses",
        "anthropic_messages": "/v1/messages",
        "aanthropic_messages": "/v1/messages",
    }
)
"""LiteLLM ``call_type`` (``litellm.types.utils.CallTypes``) → the endpoint it serves."""

NOT_INTERACTIONS: frozenset[str] = frozenset(
    {
        "embedding",
        "aembedding",
        "image_generation",
        "aimage_generation",
        "image_edit",
        "aimage_edit",
        "moderation",
        "amoderation",
        "transcription",
        "atranscription",
        "speech",
        "aspeech",
        "rerank",
        "arerank",
        "_arealtime",
        "pass_through_endpoint",
    }
)
"""Call types that are valid spend-log rows but not model conversations: counted, not read."""

JSON_COLUMNS: frozenset[str] = frozenset(
    {"metadata", "messages", "response", "proxy_server_request"}
)
INTEGER_COLUMNS: frozenset[str] = frozenset(
    {"prompt_tokens", "completion_tokens", "request_duration_ms"}
)
TIME_COLUMNS: frozenset[str] = frozenset({"startTime", "endTime"})
"""The columns the reader uses whose CSV text is parsed (JSON) or converted (numbers)."""

_EPOCH = re.compile(r"[0-9]+(\.[0-9]*)?")
_HTTP_CODE = re.compile(r"[0-9]{3}")
_NO_HEADERS: JsonObject = MappingProxyType({})
# the key under which a fallback request body carries LiteLLM's ``messages`` column
_MESSAGES_KEY = MappingProxyType(
    {
        "/v1/chat/completions": "messages",
        "/v1/messages": "messages",
        "/v1/responses": "input",
        "/v1/completions": "prompt",
    }
)


def looks_like(obj: JsonObject) -> bool:
    return "request_id" in obj and ("call_type" in obj or "startTime" in obj)


def _json_cell(name: str, value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        raise Reject("wrong_type", f"{name} is not valid JSON text: {value!r:.40}") from exc


def _integer_cell(name: str, value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        return int(value.strip())
    except ValueError as exc:
        raise Reject("wrong_type", f"{name} must be an integer, got {value!r:.40}") from exc


def _cells(obj: JsonObject) -> dict[str, Any]:
    """The row with ``""`` as null, JSON text decoded and numbers in text parsed."""
    cells: dict[str, Any] = {}
    for key, value in obj.items():
        if value is None or value == "":
            cells[key] = None
        elif key in JSON_COLUMNS:
            cells[key] = _json_cell(key, value)
        elif key in INTEGER_COLUMNS:
            cells[key] = _integer_cell(key, value)
        elif key in TIME_COLUMNS and isinstance(value, str):
            stripped = value.strip()
            cells[key] = float(stripped) if _EPOCH.fullmatch(stripped) else stripped
        else:
            cells[key] = value
    return cells


def _endpoint(cells: JsonObject) -> str:
    call_type = text(cells, "call_type")
    path = CALL_TYPES.get(call_type or "")
    if path is None:
        raise Reject(
            "unknown_endpoint", f"call_type {call_type!r:.60} is not one distillguard reads"
        )
    return endpoint(path)


def _request(cells: JsonObject, path: str) -> tuple[JsonObject | None, JsonObject]:
    """The request body and the HTTP headers, when the export has them."""
    proxied = cells.get("proxy_server_request")
    headers: JsonObject = _NO_HEADERS
    if isinstance(proxied, dict) and isinstance(proxied.get("body"), dict):
        headers = mapping(proxied, "headers", "proxy_server_request.headers")
        proxied = proxied["body"]
    if proxied is not None and not isinstance(proxied, dict):
        raise Reject("wrong_type", f"proxy_server_request must be an object, got {proxied!r:.40}")
    if proxied:
        return proxied, headers
    messages = cells.get("messages")
    if isinstance(messages, list) and messages:
        return {"model": text(cells, "model"), _MESSAGES_KEY[path]: messages}, headers
    if messages is not None and not isinstance(messages, dict | list):
        raise Reject("wrong_type", f"messages must be an array or an object, got {messages!r:.40}")
    return None, headers


def _response(cells: JsonObject) -> JsonObject | None:
    response = cells.get("response")
    if response is None or isinstance(response, dict):
        return response or None
    if isinstance(response, list) and not response:
        return None
    raise Reject("wrong_type", f"response must be an object, got {response!r:.40}")


def _user_agent(metadata: JsonObject, headers: JsonObject) -> str | None:
    agent = text(metadata, "user_agent", "metadata.user_agent")
    if agent is None:
        for key, value in headers.items():
            if key.lower() == "user-agent" and isinstance(value, str):
                return value
    return agent


def _http_status(value: object) -> int | None:
    """An HTTP status code from ``error_information.error_code`` (text or a number)."""
    if isinstance(value, str) and _HTTP_CODE.fullmatch(value.strip()):
        value = int(value.strip())
    if type(value) is int and 100 <= value <= 599:
        return value
    return None


def _status(cells: JsonObject, metadata: JsonObject, row: Row) -> None:
    status = text(cells, "status") or text(metadata, "status", "metadata.status")
    error = mapping(metadata, "error_information", "metadata.error_information")
    if status == "success":
        row["status"] = 200
    elif status == "failure":
        row["status"] = _http_status(error.get("error_code"))
        error_class = text(error, "error_class", "metadata.error_information.error_class")
        row["error_type"] = error_class or row["error_type"]


def read_record(obj: JsonObject, ctx: ReadContext) -> Row:
    cells = _cells(obj)
    metadata = mapping(cells, "metadata")
    row = new_row()
    row["request_id"] = required_id(ident(cells, "request_id"), "request_id")
    row["endpoint"] = _endpoint(cells)
    row["account_id"] = required_id(
        ident(cells, "user")
        or ident(metadata, "user_api_key_user_id", "metadata.user_api_key_user_id"),
        "user (or metadata.user_api_key_user_id)",
    )
    ts = timestamp(cells.get("startTime"), "startTime")
    row["ts"] = ts
    row["day"] = ts.date()
    if cells.get("endTime") is not None:
        row["latency_ms"] = (timestamp(cells["endTime"], "endTime") - ts).total_seconds() * 1000
    else:
        row["latency_ms"] = number(cells, "request_duration_ms")
    row["key_id"] = (
        ident(cells, "api_key")
        or ident(metadata, "user_api_key", "metadata.user_api_key")
        or ident(metadata, "user_api_key_hash", "metadata.user_api_key_hash")
    )
    row["org_id"] = ident(cells, "team_id") or ident(
        metadata, "user_api_key_team_id", "metadata.user_api_key_team_id"
    )
    ip = cells.get("requester_ip_address") or metadata.get("requester_ip_address")
    row["client_ip"] = ctx.ip(ip, "requester_ip_address")
    request, headers = _request(cells, row["endpoint"])
    read_bodies(row["endpoint"], request, _response(cells), row)
    row["user_agent"] = _user_agent(metadata, headers)
    end_user = ident(cells, "end_user") or ident(
        metadata, "user_api_key_end_user_id", "metadata.user_api_key_end_user_id"
    )
    if end_user is not None:
        row["end_user"] = end_user
    row["model"] = row["model"] or text(cells, "model")
    if row["input_tokens"] is None:
        row["input_tokens"] = integer(cells, "prompt_tokens")
    if row["output_tokens"] is None:
        row["output_tokens"] = integer(cells, "completion_tokens")
    _status(cells, metadata, row)
    row["source_format"] = NAME
    return row


def read(obj: object, ctx: ReadContext) -> Iterator[Row | Rejected]:
    if not isinstance(obj, dict):
        yield Rejected(Reject("not_object", f"expected a JSON object, got {type(obj).__name__}"))
        return
    call_type = obj.get("call_type")
    if call_type in NOT_INTERACTIONS:
        ctx.skip(f"litellm {call_type}")
        return
    try:
        yield read_record(obj, ctx)
    except Reject as reject:
        yield Rejected(reject)
