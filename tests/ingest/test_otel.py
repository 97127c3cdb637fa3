"""The OpenTelemetry reader, on spans made by the real OpenTelemetry SDK and encoded with OTLP.

Fixtures run the SDK with an in-memory exporter (no global tracer provider), encode the finished
spans with the OTLP protobuf encoder and write them as JSON two ways: the protobuf JSON mapping
(``MessageToJson``: base64 ids, enum names) and the OTLP/JSON file-exporter shape (hex ids,
integer enums).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import orjson
import pyarrow as pa
import pytest
from google.protobuf.json_format import MessageToDict, MessageToJson  # type: ignore[import-untyped]
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.semconv._incubating.attributes import gen_ai_attributes as ga
from opentelemetry.semconv._incubating.attributes.enduser_attributes import ENDUSER_ID
from opentelemetry.semconv._incubating.attributes.user_attributes import USER_ID
from opentelemetry.semconv.attributes.client_attributes import CLIENT_ADDRESS
from opentelemetry.semconv.attributes.error_attributes import ERROR_TYPE
from opentelemetry.semconv.attributes.http_attributes import HTTP_RESPONSE_STATUS_CODE
from opentelemetry.semconv.attributes.user_agent_attributes import USER_AGENT_ORIGINAL
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.util.types import AttributeValue

from distillguard.ingest import otel
from distillguard.ingest.record import PARSED_NAMES, ReadContext, ReadOptions, Rejected, Row
from distillguard.schema.interactions import PARSED

T0 = 1_750_000_000_123_456_789  # 2025-06-15T15:06:40.123456789Z
Attrs = Mapping[str, AttributeValue]


def dumps(value: object) -> str:
    return orjson.dumps(value).decode()


def call(
    extra: Attrs | None = None,
    *,
    account: str | None = "acct-1",
    provider: str = "openai",
    operation: str = ga.GenAiOperationNameValues.CHAT.value,
    model: str = "gpt-4o",
) -> dict[str, AttributeValue]:
    """The attributes of a GenAI model call."""
    attrs: dict[str, AttributeValue] = {
        ga.GEN_AI_OPERATION_NAME: operation,
        ga.GEN_AI_PROVIDER_NAME: provider,
        ga.GEN_AI_REQUEST_MODEL: model,
        CLIENT_ADDRESS: "203.0.113.7",
        USER_AGENT_ORIGINAL: "python-httpx/0.27",
    }
    if account is not None:
        attrs[USER_ID] = account
    attrs.update(extra or {})
    return attrs


class Spans:
    """A tracer provider of its own, recording finished spans in memory."""

    def __init__(self, resource: Attrs | None = None) -> None:
        self.exporter = InMemorySpanExporter()
        self.provider = TracerProvider(
            resource=Resource.create(dict(resource or {})), shutdown_on_exit=False
        )
        self.provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.tracer = self.provider.get_tracer("distillguard.tests")

    def add(
        self,
        name: str,
        attributes: Attrs,
        *,
        start: int = T0,
        duration_ns: int = 1_500_000_000,
        error: str | None = None,
    ) -> None:
        span = self.tracer.start_span(
            name, kind=SpanKind.CLIENT, attributes=attributes, start_time=start
        )
        if error is not None:
            span.set_status(Status(StatusCode.ERROR, error))
        span.end(end_time=start + duration_ns)

    def protobuf_json(self) -> object:
        """The line as ``MessageToJson`` writes it: base64 ids, enum names, int64 as strings."""
        return orjson.loads(MessageToJson(encode_spans(self.exporter.get_finished_spans())))

    def otlp_json(self) -> object:
        """The line as the Collector's ``file`` exporter writes it: hex ids, integer enums."""
        request = encode_spans(self.exporter.get_finished_spans())
        line = MessageToDict(request, use_integers_for_enums=True)
        for span in all_spans(line):
            for key in ("traceId", "spanId", "parentSpanId"):
                if key in span:
                    span[key] = base64.b64decode(span[key]).hex()
        return orjson.loads(orjson.dumps(line))

    def ids(self) -> list[str]:
        return [
            f"otel:{s.context.trace_id:032x}:{s.context.span_id:016x}"
            for s in self.exporter.get_finished_spans()
        ]


def all_spans(line: Any) -> Iterator[dict[str, Any]]:
    for resource_spans in line["resourceSpans"]:
        for scope_spans in resource_spans["scopeSpans"]:
            yield from scope_spans["spans"]


@pytest.fixture
def spans() -> Iterator[Spans]:
    made = Spans()
    yield made
    made.provider.shutdown()


def check_rows(rows: Sequence[Row]) -> None:
    """Every row has exactly the parsed columns, with values Arrow accepts for their types."""
    for row in rows:
        assert set(row) == set(PARSED_NAMES)
    table = pa.Table.from_pylist(
        [{**row, "source_file": "f", "source_line": 1} for row in rows], schema=PARSED
    )
    assert table.num_rows == len(rows)


def read(
    line: object, options: ReadOptions | None = None
) -> tuple[list[Row], list[Rejected], ReadContext]:
    ctx = ReadContext(options or ReadOptions())
    rows: list[Row] = []
    rejected: list[Rejected] = []
    for out in otel.read(line, ctx):
        if isinstance(out, Rejected):
            rejected.append(out)
        else:
            rows.append(out)
    check_rows(rows)
    return rows, rejected, ctx


def one_row(line: object, options: ReadOptions | None = None) -> Row:
    rows, rejected, _ = read(line, options)
    assert rejected == []
    assert len(rows) == 1
    return rows[0]


def test_chat_span_reads_conversation_output_and_usage(spans: Spans) -> None:
    spans.add(
        "chat gpt-4o",
        call(
            {
                ga.GEN_AI_SYSTEM_INSTRUCTIONS: dumps([{"type": "text", "content": "Be terse."}]),
                ga.GEN_AI_INPUT_MESSAGES: dumps(
                    [
                        {"role": "user", "parts": [{"type": "text", "content": "Weather?"}]},
                        {
                            "role": "assistant",
                            "parts": [
                                {
                                    "type": "tool_call",
                                    "id": "c1",
                                    "name": "weather",
                                    "arguments": {},
                                }
                            ],
                        },
                        {
                            "role": "tool",
                            "parts": [{"type": "tool_call_response", "id": "c1", "response": "9C"}],
                        },
                        {"role": "user", "parts": [{"type": "text", "content": "And tomorrow?"}]},
                    ]
                ),
                ga.GEN_AI_OUTPUT_MESSAGES: dumps(
                    [
                        {
                            "role": "assistant",
                            "parts": [
                                {"type": "reasoning", "content": "Check the forecast."},
                                {"type": "text", "content": "Rain, 7C."},
                            ],
                            "finish_reason": "stop",
                        }
                    ]
                ),
                ga.GEN_AI_TOOL_DEFINITIONS: dumps([{"type": "function", "name": "weather"}]),
                ga.GEN_AI_REQUEST_TEMPERATURE: 0.2,
                ga.GEN_AI_REQUEST_TOP_P: 0.9,
                ga.GEN_AI_REQUEST_MAX_TOKENS: 256,
                ga.GEN_AI_REQUEST_CHOICE_COUNT: 1,
                ga.GEN_AI_REQUEST_STREAM: True,
                ga.GEN_AI_RESPONSE_ID: "chatcmpl-1",
                ga.GEN_AI_RESPONSE_MODEL: "gpt-4o-2024-08-06",
                ga.GEN_AI_RESPONSE_FINISH_REASONS: ["stop"],
                ga.GEN_AI_USAGE_INPUT_TOKENS: 120,
                ga.GEN_AI_USAGE_OUTPUT_TOKENS: 40,
                ga.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: 12,
                ga.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: 64,
                ga.GEN_AI_OUTPUT_TYPE: ga.GenAiOutputTypeValues.JSON.value,
            },
        ),
    )
    row = one_row(spans.protobuf_json())
    assert row["request_id"] == spans.ids()[0]
    assert row["ts"] == datetime(2025, 6, 15, 15, 6, 40, 123456, tzinfo=UTC)
    assert row["day"] == date(2025, 6, 15)
    assert row["latency_ms"] == pytest.approx(1500.0)
    assert row["account_id"] == "acct-1"
    assert (row["client_ip"], row["user_agent"]) == ("203.0.113.7", "python-httpx/0.27")
    assert (row["endpoint"], row["model"], row["stream"]) == (
        "/v1/chat/completions",
        "gpt-4o",
        True,
    )
    assert row["system_prompt"] == "Be terse."
    assert row["user_text"] == "And tomorrow?"
    assert (row["n_turns"], row["n_user_turns"]) == (4, 2)
    assert row["conversation_chars"] == len("Be terse.Weather?9CAnd tomorrow?")
    assert (row["response_text"], row["reasoning_text"]) == ("Rain, 7C.", "Check the forecast.")
    assert (row["finish_reason"], row["refusal"], row["n_tool_calls"]) == ("stop", False, 0)
    assert (row["n_tools"], row["tool_names"]) == (1, ["weather"])
    assert (row["temperature"], row["top_p"], row["max_tokens"], row["n"]) == (0.2, 0.9, 256, 1)
    assert (row["response_id"], row["response_format"]) == ("chatcmpl-1", "json_object")
    usage = ("input_tokens", "output_tokens", "reasoning_tokens", "cached_input_tokens")
    assert [row[k] for k in usage] == [120, 40, 12, 64]
    assert (row["status"], row["error_type"]) == (200, None)
    assert row["source_format"] == "otel"
    assert (row["source_file"], row["source_line"]) == (None, None)


def test_base64_and_hex_ids_give_the_same_request_id(spans: Spans) -> None:
    spans.add("chat a", call())
    spans.add("chat b", call())
    protobuf, hex_line = spans.protobuf_json(), spans.otlp_json()
    first = next(all_spans(protobuf))
    assert not re.fullmatch(r"[0-9a-f]{32}", first["traceId"])  # really base64
    assert re.fullmatch(r"[0-9a-f]{32}", next(all_spans(hex_line))["traceId"])
    from_base64, _, _ = read(protobuf)
    from_hex, _, _ = read(hex_line)
    assert [r["request_id"] for r in from_base64] == spans.ids()
    assert [r["request_id"] for r in from_hex] == spans.ids()
    assert from_base64 == from_hex


@pytest.mark.parametrize(
    ("provider", "model", "endpoint"),
    [
        ("anthropic", "claude-sonnet-4-5", "/v1/messages"),
        ("aws.bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0", "/v1/messages"),
        ("aws.bedrock", "amazon.nova-pro-v1:0", "/v1/chat/completions"),
        ("openai", "gpt-4o", "/v1/chat/completions"),
    ],
)
def test_endpoint_follows_the_provider(
    spans: Spans, provider: str, model: str, endpoint: str
) -> None:
    spans.add("chat", call(provider=provider, model=model))
    assert one_row(spans.otlp_json())["endpoint"] == endpoint


def test_older_gen_ai_system_and_missing_operation(spans: Spans) -> None:
    attrs = call(provider="unused")
    del attrs[ga.GEN_AI_OPERATION_NAME], attrs[ga.GEN_AI_PROVIDER_NAME]
    spans.add("anthropic.chat", {**attrs, ga.GEN_AI_SYSTEM: "anthropic"})
    assert one_row(spans.protobuf_json())["endpoint"] == "/v1/messages"


def test_text_completion_is_the_completions_endpoint(spans: Spans) -> None:
    op = ga.GenAiOperationNameValues.TEXT_COMPLETION.value
    spans.add("text_completion", call(operation=op, model="gpt-3.5-turbo-instruct"))
    assert one_row(spans.protobuf_json())["endpoint"] == "/v1/completions"


def test_spans_that_are_not_model_calls_are_skipped(spans: Spans) -> None:
    spans.add("GET /health", {"http.request.method": "GET", HTTP_RESPONSE_STATUS_CODE: 200})
    spans.add("chat", call())
    spans.add("embeddings", call(operation=ga.GenAiOperationNameValues.EMBEDDINGS.value))
    spans.add("execute_tool", {ga.GEN_AI_OPERATION_NAME: "execute_tool"})
    rows, rejected, ctx = read(spans.protobuf_json())
    assert (len(rows), rejected) == (1, [])
    assert ctx.skipped == {"non-GenAI span": 1, "gen_ai embeddings": 1, "gen_ai execute_tool": 1}


def test_missing_account_rejects_that_span_with_its_index(spans: Spans) -> None:
    spans.add("chat", call())
    spans.add("GET /", {"http.request.method": "GET"})
    spans.add("chat nobody", call(account=None))
    rows, rejected, _ = read(spans.protobuf_json())
    assert len(rows) == 1
    [bad] = rejected
    assert (bad.reject.reason, bad.item) == ("missing_identity", 2)
    assert "user.id" in bad.reject.detail
    assert bad.raw is not None
    assert orjson.loads(bad.raw)["name"] == "chat nobody"


def test_bad_client_address_is_invalid_ip(spans: Spans) -> None:
    spans.add("chat", call({CLIENT_ADDRESS: "not-an-ip"}))
    _, [bad], _ = read(spans.protobuf_json())
    assert (bad.reject.reason, bad.item) == ("invalid_ip", 0)


def test_bad_json_in_input_messages_is_wrong_type(spans: Spans) -> None:
    spans.add("chat", call({ga.GEN_AI_INPUT_MESSAGES: '[{"role": "user", "parts": ['}))
    _, [bad], _ = read(spans.otlp_json())
    assert bad.reject.reason == "wrong_type"
    assert ga.GEN_AI_INPUT_MESSAGES in bad.reject.detail


def test_identity_attributes_are_configurable(spans: Spans) -> None:
    spans.add("chat", call({ENDUSER_ID: "acct-9", "app.key": "k1", "app.org": 7}, account=None))
    options = ReadOptions(otel_account=ENDUSER_ID, otel_key="app.key", otel_org="app.org")
    row = one_row(spans.protobuf_json(), options)
    assert (row["account_id"], row["key_id"], row["org_id"]) == ("acct-9", "k1", "7")
    _, [bad], _ = read(spans.protobuf_json())  # the default, user.id, is not there
    assert bad.reject.reason == "missing_identity"


def test_identity_can_come_from_the_resource() -> None:
    made = Spans(resource={USER_ID: "acct-resource", CLIENT_ADDRESS: "198.51.100.1"})
    try:
        made.add("chat", call({CLIENT_ADDRESS: "192.0.2.5"}, account=None))
        made.add("chat", call(account="acct-span"))
        rows, rejected, _ = read(made.protobuf_json())
    finally:
        made.provider.shutdown()
    assert rejected == []
    assert [r["account_id"] for r in rows] == ["acct-resource", "acct-span"]
    assert rows[0]["client_ip"] == "192.0.2.5"  # the span's own attribute wins


def test_error_span_gives_error_type(spans: Spans) -> None:
    spans.add("chat", call({ERROR_TYPE: "rate_limit_error"}), error="429 Too Many Requests")
    spans.add("chat", call({ERROR_TYPE: "overloaded", HTTP_RESPONSE_STATUS_CODE: 529}))
    spans.add("chat", call(), error="connection reset")
    rows, _, _ = read(spans.protobuf_json())
    assert [(r["status"], r["error_type"]) for r in rows] == [
        (None, "rate_limit_error"),
        (529, "overloaded"),
        (None, "connection reset"),
    ]
    hex_rows, _, _ = read(spans.otlp_json())  # status code as an integer
    assert [r["error_type"] for r in hex_rows] == [r["error_type"] for r in rows]


def test_content_filter_is_a_refusal(spans: Spans) -> None:
    spans.add("chat", call({ga.GEN_AI_RESPONSE_FINISH_REASONS: ["content_filter"]}))
    row = one_row(spans.protobuf_json())
    assert (row["finish_reason"], row["refusal"]) == ("content_filter", True)


def test_structured_messages_and_numeric_int64() -> None:
    def kv(key: str, value: dict[str, Any]) -> dict[str, Any]:
        return {"key": key, "value": value}

    def s(value: str) -> dict[str, Any]:
        return {"stringValue": value}

    def kvlist(**fields: dict[str, Any]) -> dict[str, Any]:
        return {"kvlistValue": {"values": [kv(k, v) for k, v in fields.items()]}}

    def array(*values: dict[str, Any]) -> dict[str, Any]:
        return {"arrayValue": {"values": list(values)}}

    text_part = kvlist(type=s("text"), content=s("Hello"))
    span = {
        "traceId": "5b8efff798038103d269b633813fc60c",
        "spanId": "eee19b7ec3c1b174",
        "name": "chat",
        "startTimeUnixNano": T0,
        "endTimeUnixNano": T0 + 2_000_000,
        "attributes": [
            kv(ga.GEN_AI_OPERATION_NAME, s("chat")),
            kv(ga.GEN_AI_PROVIDER_NAME, s("mistral_ai")),
            kv(ga.GEN_AI_INPUT_MESSAGES, array(kvlist(role=s("user"), parts=array(text_part)))),
            kv(ga.GEN_AI_SYSTEM_INSTRUCTIONS, array(kvlist(type=s("text"), content=s("Hi")))),
            kv(ga.GEN_AI_USAGE_INPUT_TOKENS, {"intValue": 5}),
            kv(ga.GEN_AI_REQUEST_TEMPERATURE, {"doubleValue": 1}),
        ],
        "status": {"code": 0},
    }
    line = {
        "resourceSpans": [
            {
                "resource": {"attributes": [kv(USER_ID, {"intValue": "42"})]},
                "scopeSpans": [{"scope": {}, "spans": [span]}],
            }
        ]
    }
    row = one_row(line)
    assert row["request_id"] == "otel:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174"
    assert (row["account_id"], row["user_text"], row["system_prompt"]) == ("42", "Hello", "Hi")
    assert (row["input_tokens"], row["temperature"], row["latency_ms"]) == (5, 1.0, 2.0)
    assert row["model"] is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ([1, 2], "not_object"),
        ({"resourceSpans": {}}, "wrong_type"),
        ({"resourceSpans": [{"scopeSpans": [{"spans": 3}]}]}, "wrong_type"),
        ({"resourceSpans": [{"resource": {"attributes": [{"key": 1}]}}]}, "wrong_type"),
    ],
)
def test_a_malformed_request_is_one_rejection(line: object, reason: str) -> None:
    rows, [bad], _ = read(line)
    assert (rows, bad.reject.reason, bad.item, bad.raw) == ([], reason, None, None)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"traceId": "not an id"}, "wrong_type"),
        ({"spanId": "AAAAAAAAAAA="}, "missing_identity"),
        ({"traceId": None}, "missing_identity"),
        ({"startTimeUnixNano": "soon"}, "bad_timestamp"),
        ({"startTimeUnixNano": "0"}, "missing_timestamp"),
        (
            {"attributes": [{"key": "gen_ai.request.model", "value": {"intValue": "x"}}]},
            "wrong_type",
        ),
        ({"attributes": "none"}, "wrong_type"),
        ({"status": {"code": [2]}}, "wrong_type"),
    ],
)
def test_a_bad_span_is_rejected_not_raised(
    spans: Spans, change: dict[str, Any], reason: str
) -> None:
    spans.add("chat", call())
    line: Any = spans.protobuf_json()
    next(all_spans(line)).update(change)
    _, [bad], _ = read(line)
    assert (bad.reject.reason, bad.item) == (reason, 0)


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        (ga.GEN_AI_OUTPUT_MESSAGES, dumps({"role": "assistant"})),
        (ga.GEN_AI_OUTPUT_MESSAGES, dumps([{"role": "assistant", "parts": ["text"]}])),
        (
            ga.GEN_AI_INPUT_MESSAGES,
            dumps([{"role": "user", "parts": [{"type": "text", "content": 1}]}]),
        ),
        (ga.GEN_AI_REQUEST_CHOICE_COUNT, 2**40),
        (ga.GEN_AI_RESPONSE_FINISH_REASONS, [1, 2]),
        (USER_ID, True),
    ],
)
def test_wrong_shapes_are_wrong_type(spans: Spans, attribute: str, value: AttributeValue) -> None:
    spans.add("chat", call({attribute: value}))
    _, [bad], _ = read(spans.protobuf_json())
    assert bad.reject.reason == "wrong_type"


def test_looks_like() -> None:
    assert otel.looks_like({"resourceSpans": []})
    assert not otel.looks_like({"request_id": "r", "endpoint": "/v1/messages"})
