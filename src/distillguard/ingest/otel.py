"""Reader for OpenTelemetry GenAI spans in OTLP/JSON (an OpenTelemetry Collector ``file`` export).

A line is an ``ExportTraceServiceRequest``; each GenAI model-call span becomes a row (GenAI
semantic conventions), other spans are counted with ``ReadContext.skip``. Hex and base64 ids give
the same ``request_id``, ``otel:<trace hex>:<span hex>``. ``gen_ai.*`` attributes come from the
span (messages also from its ``gen_ai.client.inference.operation.details`` event), the identity
and client attributes named in ``ReadOptions`` from the span, then its resource. ``anthropic*``
providers, and Bedrock / Vertex AI serving a ``claude`` model, give ``/v1/messages``. A failed
span (status ERROR or ``error.type``) has ``error_type`` ``error.type``, else the status message,
else ``_OTHER``, and a null status unless an HTTP status attribute gives one.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

import orjson

from distillguard.ingest.record import (
    JsonObject,
    ReadContext,
    Reject,
    Rejected,
    Row,
    flag,
    ident,
    integer,
    mapping,
    new_row,
    number,
    required_id,
    sequence,
    text,
)
from distillguard.ingest.text import Conversation, join_text

NAME = "otel"

OPERATION = "gen_ai.operation.name"
SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions"
INPUT_MESSAGES = "gen_ai.input.messages"
OUTPUT_MESSAGES = "gen_ai.output.messages"
TOOL_DEFINITIONS = "gen_ai.tool.definitions"
FINISH_REASONS = "gen_ai.response.finish_reasons"
DETAILS_EVENT = "gen_ai.client.inference.operation.details"
TOKENS = (  # column, then the attributes to read it from (current name first)
    ("input_tokens", ("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens")),
    ("output_tokens", ("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens")),
    ("reasoning_tokens", ("gen_ai.usage.reasoning.output_tokens",)),
    ("cached_input_tokens", ("gen_ai.usage.cache_read.input_tokens",)),
)

MODEL_CALLS = frozenset({"chat", "generate_content", "text_completion"})
OTHER_OPERATIONS = frozenset(
    {"embeddings", "retrieval", "execute_tool", "create_agent", "invoke_agent", "invoke_workflow"}
)
ANTHROPIC_HOSTS = frozenset({"aws.bedrock", "gcp.vertex_ai", "vertex_ai"})
REFUSALS = frozenset({"content_filter", "refusal"})
OUTPUT_TYPES = MappingProxyType({"json": "json_object", "text": "text"})

_HEX_ID = re.compile(r"[0-9a-fA-F]+")
_INT64 = 2**63
_MAX_DEPTH = 32
_FLOAT_NAMES = ("NaN", "Infinity", "-Infinity")
_KINDS = tuple(k + "Value" for k in ("string", "bytes", "bool", "int", "double", "array", "kvlist"))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _wrong(what: str, value: object) -> Reject:
    return Reject("wrong_type", f"{what} has an unexpected shape: {value!r:.60}")


def _int64(value: object, what: str) -> int:  # protobuf JSON writes int64 as a string
    try:
        parsed = int(value) if isinstance(value, str | int) and type(value) is not bool else None
    except ValueError:
        parsed = None
    if parsed is None or not -_INT64 <= parsed < _INT64:
        raise _wrong(what, value)
    return parsed


def _any(value: object, what: str, depth: int = 0) -> object:
    """An OTLP ``AnyValue`` as a plain JSON value (kvlist → dict, array → list)."""
    if type(value) is not dict or depth > _MAX_DEPTH:
        raise _wrong(what, value)
    for kind, inner in value.items():
        if kind in ("stringValue", "bytesValue") and type(inner) is str:
            return inner
        if kind == "boolValue" and type(inner) is bool:
            return inner
        if kind == "intValue":
            return _int64(inner, what)
        if kind == "doubleValue" and (type(inner) in (int, float) or inner in _FLOAT_NAMES):
            return float(inner)
        if kind == "arrayValue" and type(inner) is dict:
            return [_any(v, what, depth + 1) for v in sequence(inner, "values", what)]
        if kind == "kvlistValue" and type(inner) is dict:
            return {k: _any(v, what, depth + 1) for k, v in _pairs(inner.get("values"), what)}
        if kind in _KINDS:
            raise _wrong(what, value)
    return None  # empty, or a kind added to OTLP after this reader


def _pairs(attributes: object, what: str) -> Iterator[tuple[str, object]]:
    if attributes is not None and type(attributes) is not list:
        raise _wrong(what, attributes)
    for kv in attributes or ():
        if type(kv) is not dict or type(kv.get("key")) is not str:
            raise _wrong(what, kv)
        yield kv["key"], kv.get("value")


def _attributes(attributes: object, what: str) -> dict[str, object]:  # bad values reject
    return {key: _any(value, f"{what}[{key}]") for key, value in _pairs(attributes, what)}


def _hex_id(span: JsonObject, key: str, size: int) -> str:
    value = text(span, key)
    if not value:
        raise Reject("missing_identity", f"{key} is missing")
    if len(value) == 2 * size and _HEX_ID.fullmatch(value):
        raw = bytes.fromhex(value)
    else:  # base64, standard or URL-safe alphabet, padding optional
        alt = b"-_" if "-" in value or "_" in value else None
        try:
            raw = base64.b64decode(value + "=" * (-len(value) % 4), altchars=alt, validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != size:
            raise _wrong(key, value)
    if not any(raw):
        raise Reject("missing_identity", f"{key} is all zeros")
    return raw.hex()


def _nanos(span: JsonObject, key: str) -> int | None:  # OTLP: 0 means unset
    value = span.get(key)
    try:
        nanos = None if value is None else _int64(value, key)
    except Reject:
        nanos = -1
    if nanos is not None and nanos < 0:
        raise Reject("bad_timestamp", f"{key} {value!r:.40} is not unix nanoseconds")
    return nanos or None


def _json(attrs: JsonObject, key: str) -> object:  # structured, or as a JSON string
    value = attrs.get(key)
    if type(value) is not str:
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        raise Reject("wrong_type", f"{key} is not valid JSON: {value!r:.40}") from None


def _objects(attrs: JsonObject, key: str) -> list[JsonObject]:  # messages, tool definitions
    value = _json(attrs, key)
    if value is not None and not isinstance(value, list):
        raise _wrong(key, value)
    for item in value or ():
        if not isinstance(item, dict):
            raise _wrong(key + "[]", item)
    return value or []


def _parts(message: JsonObject, what: str) -> list[Any]:  # a plain ``content`` is one text part
    if "parts" not in message and isinstance(message.get("content"), str):
        return [{"type": "text", "content": message["content"]}]
    return sequence(message, "parts", what + ".parts")


def _texts(parts: list[Any], what: str, kind: str = "text", tool_results: bool = False) -> str:
    found: list[str] = []
    for part in parts:
        if not isinstance(part, dict):
            raise _wrong(what + ".parts[]", part)
        if part.get("type") == kind:
            found.append(text(part, "content", what + ".parts[].content") or "")
        elif tool_results and part.get("type") == "tool_call_response":
            response = part.get("response")
            found.append(response if isinstance(response, str) else "")
    return join_text(found)


def _conversation(attrs: JsonObject, row: Row) -> None:
    conv = Conversation()
    system = _json(attrs, SYSTEM_INSTRUCTIONS)
    if isinstance(system, str):  # not the convention (an array of parts), but unambiguous
        conv.system(system)
    elif system is not None:
        conv.system(_texts(system if isinstance(system, list) else [system], SYSTEM_INSTRUCTIONS))
    for message in _objects(attrs, INPUT_MESSAGES):
        content = _texts(_parts(message, INPUT_MESSAGES), INPUT_MESSAGES, tool_results=True)
        if message.get("role") in ("system", "developer"):
            conv.system(content)
        else:
            conv.turn(message.get("role") == "user", content)
    conv.fill(row)
    output = _objects(attrs, OUTPUT_MESSAGES)
    if output:  # the first message is the first choice
        parts = _parts(output[0], OUTPUT_MESSAGES)
        row["response_text"] = _texts(parts, OUTPUT_MESSAGES) or None
        row["reasoning_text"] = _texts(parts, OUTPUT_MESSAGES, "reasoning") or None
        row["n_tool_calls"] = sum(p.get("type") == "tool_call" for p in parts)
        if row["finish_reason"] is None:
            row["finish_reason"] = text(
                output[0], "finish_reason", OUTPUT_MESSAGES + "[].finish_reason"
            )
    tools = _objects(attrs, TOOL_DEFINITIONS)
    inner = [t.get("function", t) for t in tools]  # OpenAI-shaped definitions nest the name
    names = [f.get("name") if isinstance(f, dict) else None for f in inner]
    row["n_tools"] = len(tools) if TOOL_DEFINITIONS in attrs else None
    row["tool_names"] = [n if isinstance(n, str) else "tool" for n in names] or None


def _endpoint(operation: str | None, provider: str | None, model: str | None) -> str:
    if operation == "text_completion":
        return "/v1/completions"
    provider, model = (provider or "").lower(), (model or "").lower()
    hosted = provider in ANTHROPIC_HOSTS and ("anthropic" in model or "claude" in model)
    return "/v1/messages" if provider.startswith("anthropic") or hosted else "/v1/chat/completions"


def read_span(span: JsonObject, resource: JsonObject, ctx: ReadContext) -> Row | None:
    """One span → a row, or None (after ``ctx.skip``) when it is not a GenAI model call."""
    attrs = _attributes(span.get("attributes"), "attributes")
    operation = text(attrs, OPERATION)
    provider = text(attrs, "gen_ai.provider.name") or text(attrs, "gen_ai.system")
    model = text(attrs, "gen_ai.request.model") or text(attrs, "gen_ai.response.model")
    if operation is None and provider is None and model is None:
        ctx.skip("non-GenAI span")
        return None
    if operation is not None and operation not in MODEL_CALLS:
        ctx.skip(f"gen_ai {operation}" if operation in OTHER_OPERATIONS else "gen_ai other")
        return None
    row = new_row()
    trace, span_id = _hex_id(span, "traceId", 16), _hex_id(span, "spanId", 8)
    row["request_id"] = f"otel:{trace}:{span_id}"
    start = _nanos(span, "startTimeUnixNano")
    if start is None:
        raise Reject("missing_timestamp", "startTimeUnixNano is missing")
    row["ts"] = _EPOCH + timedelta(microseconds=start // 1000)
    row["day"] = row["ts"].date()
    end = _nanos(span, "endTimeUnixNano")
    row["latency_ms"] = (end - start) / 1e6 if end is not None and end >= start else None
    who, opts = {**resource, **attrs}, ctx.options
    row["account_id"] = required_id(ident(who, opts.otel_account), opts.otel_account)
    for column, key in (("key_id", opts.otel_key), ("org_id", opts.otel_org)):
        row[column] = ident(who, key) if key else None
    row["end_user"] = ident(who, opts.otel_end_user) if opts.otel_end_user else None
    if opts.otel_client_ip:
        row["client_ip"] = ctx.ip(who.get(opts.otel_client_ip), opts.otel_client_ip)
    row["user_agent"] = text(who, opts.otel_user_agent) if opts.otel_user_agent else None
    row["endpoint"] = _endpoint(operation, provider, model)
    row["model"] = model
    row["stream"] = flag(attrs, "gen_ai.request.stream")
    row["temperature"] = number(attrs, "gen_ai.request.temperature")
    row["top_p"] = number(attrs, "gen_ai.request.top_p")
    row["max_tokens"] = integer(attrs, "gen_ai.request.max_tokens")
    row["n"] = integer(attrs, "gen_ai.request.choice.count", bits=32)
    row["response_id"] = text(attrs, "gen_ai.response.id")
    reasons = attrs.get(FINISH_REASONS)
    first = (reasons[0] if reasons else None) if isinstance(reasons, list) else reasons
    if first is not None and not isinstance(first, str):
        raise _wrong(FINISH_REASONS, reasons)
    row["finish_reason"] = first or None
    fmt = text(attrs, "gen_ai.openai.request.response_format")
    row["response_format"] = fmt or OUTPUT_TYPES.get(text(attrs, "gen_ai.output.type") or "")
    content = attrs
    for event in sequence(span, "events"):
        if isinstance(event, dict) and event.get("name") == DETAILS_EVENT:
            content = {**_attributes(event.get("attributes"), DETAILS_EVENT), **attrs}
            break
    _conversation(content, row)
    if row["finish_reason"] is not None or row["n_tool_calls"] is not None:
        row["refusal"] = row["finish_reason"] in REFUSALS
    for column, keys in TOKENS:
        row[column] = next((v for k in keys if (v := integer(attrs, k)) is not None), None)
    status = mapping(span, "status")
    if type(code := status.get("code")) not in (int, str, type(None)):
        raise _wrong("status.code", code)
    failed = code in (2, "STATUS_CODE_ERROR", "ERROR") or "error.type" in attrs
    if failed:
        message = text(status, "message", "status.message")
        row["error_type"] = text(attrs, "error.type") or message or "_OTHER"
    http = integer(attrs, "http.response.status_code", bits=16)
    http = http if http is not None else integer(attrs, "http.status_code", bits=16)
    row["status"] = http if http is not None or failed else 200
    row["source_format"] = NAME
    return row


def looks_like(obj: JsonObject) -> bool:
    return "resourceSpans" in obj


def _spans(obj: JsonObject) -> list[tuple[JsonObject, object]]:
    """Every span of the request with its resource's attributes; a bad container rejects all."""
    found: list[tuple[JsonObject, object]] = []
    for i, resource_spans in enumerate(sequence(obj, "resourceSpans")):
        where = f"resourceSpans[{i}]"
        if not isinstance(resource_spans, dict):
            raise _wrong(where, resource_spans)
        resource = mapping(resource_spans, "resource", where + ".resource")
        attrs = _attributes(resource.get("attributes"), where + ".resource.attributes")
        for j, scope in enumerate(sequence(resource_spans, "scopeSpans", where + ".scopeSpans")):
            if not isinstance(scope, dict):
                raise _wrong(f"{where}.scopeSpans[{j}]", scope)
            spans = sequence(scope, "spans", f"{where}.scopeSpans[{j}].spans")
            found.extend((attrs, span) for span in spans)
    return found


def read(obj: object, ctx: ReadContext) -> Iterator[Row | Rejected]:
    if not isinstance(obj, dict):
        yield Rejected(Reject("not_object", f"expected a JSON object, got {type(obj).__name__}"))
        return
    if type(obj.get("resourceSpans")) is not list:
        yield Rejected(Reject("wrong_type", "resourceSpans must be an array"))
        return
    try:
        spans = _spans(obj)
    except Reject as reject:
        yield Rejected(reject)
        return
    for item, (resource, span) in enumerate(spans):
        try:
            if not isinstance(span, dict):
                raise _wrong("span", span)
            row = read_span(span, resource, ctx)
        except Reject as reject:
            yield Rejected(reject, item=item, raw=orjson.dumps(span))
        else:
            if row is not None:
                yield row
