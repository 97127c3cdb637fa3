"""Sample inputs in every format distillguard reads, for the demo: ``python -m bench.samples DIR``.

Writes ``DIR/logs/`` with a gzip raw API log (from ``bench.traffic``, i.e. SDK-typed bodies),
OpenTelemetry GenAI spans made by the real ``opentelemetry-sdk`` and encoded by its OTLP
encoder (OTLP/JSON as a Collector's file exporter writes it, zstd-compressed), and LiteLLM
spend-log rows as CSV; plus ``DIR/accounts.csv``. A few deliberately bad records of each kind
are mixed in so the demo shows quarantine at work. Same seed, same bytes (except OTel ids,
which the SDK draws at random).
"""

from __future__ import annotations

import base64
import csv
import gzip
import random
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import zstandard
from google.protobuf.json_format import MessageToDict  # type: ignore[import-untyped]
from openai.types.chat import ChatCompletion
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from bench.traffic import START, TrafficWriter

BAD_RAW_LINES = (
    b"this line is not JSON at all\n",
    b'{"request_id": "req_cut", "ts": "2026-05-02T10:00:00Z", "account_id": "acct_x"\n',
    b'["a", "JSON", "array", "not", "an", "object"]\n',
    b'{"request_id": "req_noacct", "ts": "2026-05-02T10:00:00Z", "endpoint": "/v1/messages"}\n',
    b'{"request_id": "req_badts", "ts": "yesterday", "account_id": "a", "endpoint": '
    b'"/v1/messages"}\n',
    b'{"request_id": "req_embed", "ts": "2026-05-02T10:00:00Z", "account_id": "a", '
    b'"endpoint": "/v1/embeddings"}\n',
    b'{"request_id": "req_badip", "ts": "2026-05-02T10:00:00Z", "account_id": "a", '
    b'"endpoint": "/v1/messages", "client_ip": "999.1.2.3"}\n',
    b'{"request_id": "req_type", "ts": "2026-05-02T10:00:00Z", "account_id": "a", '
    b'"endpoint": "/v1/chat/completions", "request": {"temperature": "hot"}}\n',
    b'{"request_id": "req_\xff\xfe", "ts": "2026-05-02T10:00:00Z"}\n',
)


def write_raw(path: Path, n: int, seed: int) -> None:
    writer = TrafficWriter(seed, n, corpora=None)  # built-in text: same bytes everywhere
    lines = list(writer.lines(n))
    for k, bad in enumerate(BAD_RAW_LINES):
        lines.insert((k + 1) * len(lines) // (len(BAD_RAW_LINES) + 1), bad)
    lines.append(lines[0])  # a repeated request id: counted as a duplicate, stored once
    with gzip.GzipFile(path, "wb", mtime=0) as handle:
        handle.write(b"".join(lines))


def write_otel(path: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    exporter = InMemorySpanExporter()
    provider = TracerProvider(
        resource=Resource.create({"service.name": "support-bot"}), shutdown_on_exit=False
    )
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("distillguard.samples")
    start = int(START.timestamp() * 1e9)
    for i in range(n):
        user = f"otel_user_{rng.randrange(12):02d}" if i % 25 else None
        attributes: dict[str, Any] = {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": rng.choice(("openai", "anthropic")),
            "gen_ai.request.model": "gpt-5.1",
            "gen_ai.request.temperature": 0.2,
            "gen_ai.usage.input_tokens": rng.randint(20, 900),
            "gen_ai.usage.output_tokens": rng.randint(50, 2000),
            "gen_ai.response.finish_reasons": ["stop"],
            "gen_ai.input.messages": orjson.dumps(
                [{"role": "user", "parts": [{"type": "text", "content": f"Question {i}?"}]}]
            ).decode(),
            "gen_ai.output.messages": orjson.dumps(
                [
                    {
                        "role": "assistant",
                        "finish_reason": "stop",
                        "parts": [{"type": "text", "content": f"Answer {i}."}],
                    }
                ]
            ).decode(),
            "client.address": f"81.2.69.{rng.randrange(1, 255)}",
            "user_agent.original": "support-bot/2.3",
        }
        if user is not None:
            attributes["user.id"] = user
        begin = start + i * 37_000_000_000
        span = tracer.start_span(
            "chat gpt-5.1", kind=SpanKind.CLIENT, attributes=attributes, start_time=begin
        )
        span.end(end_time=begin + rng.randint(300, 4000) * 1_000_000)
        if i % 10 == 9:
            with tracer.start_as_current_span("GET /health"):
                pass
    request = MessageToDict(
        encode_spans(exporter.get_finished_spans()), use_integers_for_enums=True
    )
    for resource_spans in request["resourceSpans"]:
        for scope_spans in resource_spans["scopeSpans"]:
            for span_json in scope_spans["spans"]:
                for key in ("traceId", "spanId", "parentSpanId"):
                    if key in span_json:
                        span_json[key] = base64.b64decode(span_json[key]).hex()
    data = orjson.dumps(request) + b"\n"
    path.write_bytes(zstandard.ZstdCompressor().compress(data))


def write_litellm(path: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    fields = [
        "request_id",
        "call_type",
        "api_key",
        "spend",
        "total_tokens",
        "prompt_tokens",
        "completion_tokens",
        "startTime",
        "endTime",
        "model",
        "user",
        "metadata",
        "team_id",
        "end_user",
        "requester_ip_address",
        "messages",
        "response",
        "proxy_server_request",
        "status",
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for i in range(n):
            prompt, answer = f"Summarise ticket {i}.", f"Ticket {i} is about billing."
            response = ChatCompletion.model_validate(
                {
                    "id": f"chatcmpl-l{i}",
                    "object": "chat.completion",
                    "created": 1_777_000_000,
                    "model": "gpt-5.1",
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": answer},
                        }
                    ],
                    "usage": {"prompt_tokens": 12, "completion_tokens": 9, "total_tokens": 21},
                }
            )
            begin = START.replace(hour=9).timestamp() + i * 61
            call_type = "aembedding" if i % 15 == 14 else "acompletion"
            ip = "not-an-ip" if i == 7 else f"34.{rng.randrange(256)}.{rng.randrange(256)}.9"
            writer.writerow(
                {
                    "request_id": f"llm-{i:05d}",
                    "call_type": call_type,
                    "api_key": f"{rng.getrandbits(128):032x}",
                    "spend": "0.0004",
                    "total_tokens": "21",
                    "prompt_tokens": "12",
                    "completion_tokens": "9",
                    "startTime": _iso(begin),
                    "endTime": _iso(begin + 1.2),
                    "model": "gpt-5.1",
                    "user": f"team_user_{i % 6}",
                    "metadata": orjson.dumps({"status": "success"}).decode(),
                    "team_id": "team_research",
                    "end_user": "",
                    "requester_ip_address": ip,
                    "messages": "{}",
                    "response": response.model_dump_json(exclude_none=True),
                    "proxy_server_request": orjson.dumps(
                        {"model": "gpt-5.1", "messages": [{"role": "user", "content": prompt}]}
                    ).decode(),
                    "status": "success",
                }
            )


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat(timespec="milliseconds")


def write_accounts(path: Path, n: int) -> None:
    rng = random.Random(3)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "account_id",
                "created_at",
                "email_domain",
                "payment_fingerprint",
                "billing_country",
                "tier",
                "program",
                "verified",
            ]
        )
        for a in range(n):
            writer.writerow(
                [
                    f"acct_{a:06d}",
                    f"2026-0{1 + a % 4}-1{a % 9}T08:00:00Z",
                    rng.choice(("Example.com", "mail.example.org", "uni.example.edu")),
                    f"pm_{rng.getrandbits(40):010x}",
                    rng.choice(("us", "DE", "SG")),
                    rng.choice(("build", "scale", "enterprise")),
                    rng.choice(("none", "none", "education", "startup")),
                    rng.choice(("true", "false")),
                ]
            )
        writer.writerow(
            ["", "2026-01-01T00:00:00Z", "x.example", "pm_0", "US", "build", "none", "true"]
        )
        writer.writerow(
            [
                "acct_bad",
                "2026-01-01T00:00:00Z",
                "x.example",
                "pm_0",
                "US",
                "build",
                "influencer",
                "true",
            ]
        )


def main(out: Path) -> None:
    logs = out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    write_raw(logs / "api-log-2026-05.jsonl.gz", 20_000, seed=1)
    write_otel(logs / "otel-spans.jsonl.zst", 200, seed=2)
    write_litellm(logs / "litellm-spend-logs.csv", 150, seed=3)
    write_accounts(out / "accounts.csv", 60)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-data/input"))
