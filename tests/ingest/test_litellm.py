"""LiteLLM spend-log rows → interaction rows, with bodies built from the official SDK types."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import anthropic.types as anthropic_types
import orjson
import pyarrow as pa
import pytest
from anthropic.types.message_create_params import MessageCreateParamsNonStreaming
from openai.types.chat import ChatCompletion, ChatCompletionMessage
from openai.types.chat.chat_completion import Choice
from openai.types.chat.completion_create_params import CompletionCreateParamsNonStreaming
from openai.types.completion import Completion
from openai.types.completion_choice import CompletionChoice
from openai.types.completion_create_params import (
    CompletionCreateParamsNonStreaming as TextCompletionParams,
)
from openai.types.completion_usage import CompletionUsage
from openai.types.responses import Response, ResponseOutputMessage, ResponseOutputText
from openai.types.responses.response_create_params import ResponseCreateParamsNonStreaming
from openai.types.responses.response_usage import (
    InputTokensDetails,
    OutputTokensDetails,
    ResponseUsage,
)
from pydantic import TypeAdapter

from distillguard.ingest import litellm
from distillguard.ingest.record import PARSED_NAMES, ReadContext, ReadOptions, Rejected, Row
from distillguard.schema.interactions import PARSED

KEY_HASH = "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b"


def _params(kind: Any, body: dict[str, Any]) -> dict[str, Any]:
    """A request body, checked against the SDK's TypedDict for it."""
    TypeAdapter(kind).validate_python(body)
    return body


def _chat_request() -> dict[str, Any]:
    return _params(
        CompletionCreateParamsNonStreaming,
        {
            "model": "gpt-4o",
            "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Name a prime."},
            ],
            "temperature": 0.2,
            "max_completion_tokens": 64,
            "user": "end-user-7",
        },
    )


def _chat_response() -> dict[str, Any]:
    return ChatCompletion(
        id="chatcmpl-abc",
        object="chat.completion",
        created=1741064767,
        model="gpt-4o-2024-08-06",
        choices=[
            Choice(
                index=0,
                finish_reason="stop",
                message=ChatCompletionMessage(role="assistant", content="7"),
            )
        ],
        usage=CompletionUsage(prompt_tokens=21, completion_tokens=1, total_tokens=22),
    ).model_dump(mode="json")


def _spend_row(**overrides: Any) -> dict[str, Any]:
    """A ``LiteLLM_SpendLogs`` row as a JSON export holds it (store_prompts_in_spend_logs on)."""
    row: dict[str, Any] = {
        "request_id": "chatcmpl-abc",
        "call_type": "acompletion",
        "api_key": KEY_HASH,
        "spend": 0.0000625,
        "total_tokens": 22,
        "prompt_tokens": 21,
        "completion_tokens": 1,
        "startTime": "2025-03-04T05:06:07.250000Z",
        "endTime": "2025-03-04T05:06:08.000000Z",
        "completionStartTime": "2025-03-04T05:06:07.900000Z",
        "model": "gpt-4o-2024-08-06",
        "model_id": "model-db-1",
        "model_group": "gpt-4o",
        "custom_llm_provider": "openai",
        "api_base": "https://api.openai.com/v1",
        "user": "acct-1",
        "metadata": {
            "user_api_key": KEY_HASH,
            "user_api_key_alias": "ci-key",
            "user_api_key_team_id": "team-1",
            "user_api_key_org_id": None,
            "user_api_key_user_id": "acct-1",
            "user_api_key_team_alias": None,
            "spend_logs_metadata": None,
            "requester_ip_address": "203.0.113.7",
            "status": "success",
            "error_information": None,
            "additional_usage_values": {},
        },
        "cache_hit": "False",
        "cache_key": "Cache OFF",
        "request_tags": [],
        "team_id": "team-1",
        "organization_id": None,
        "end_user": "",
        "requester_ip_address": "203.0.113.7",
        "messages": {},
        "response": _chat_response(),
        "proxy_server_request": _chat_request(),
        "session_id": "3f1c2a9e-0000-4000-8000-000000000001",
        "status": "success",
    }
    row.update(overrides)
    return row


def _read(obj: object) -> Row | Rejected:
    out = list(litellm.read(obj, ReadContext(ReadOptions())))
    assert len(out) == 1
    return out[0]


def _row(obj: object) -> Row:
    row = _read(obj)
    assert not isinstance(row, Rejected), row
    assert set(row) == set(PARSED_NAMES)
    pa.Table.from_pylist([{**row, "source_file": "f", "source_line": 1}], schema=PARSED)
    return row


def _rejected(obj: object) -> Rejected:
    out = _read(obj)
    assert isinstance(out, Rejected), out
    return out


def _csv(row: dict[str, Any]) -> dict[str, str]:
    """The row as a CSV export holds it, through a DictWriter → DictReader round trip."""

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            return orjson.dumps(value).decode()
        return str(value)

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row))
    writer.writeheader()
    writer.writerow({key: cell(value) for key, value in row.items()})
    buffer.seek(0)
    rows = list(csv.DictReader(buffer))
    assert len(rows) == 1
    return rows[0]


def test_looks_like() -> None:
    assert litellm.looks_like(_spend_row())
    assert litellm.looks_like({"request_id": "r", "startTime": "2025-01-01"})
    assert not litellm.looks_like({"request_id": "r", "endpoint": "/v1/chat/completions"})


def test_chat_row_with_proxy_server_request_and_response() -> None:
    row = _row(_spend_row())
    assert row["request_id"] == "chatcmpl-abc"
    assert row["ts"] == datetime(2025, 3, 4, 5, 6, 7, 250000, tzinfo=UTC)
    assert row["day"] == date(2025, 3, 4)
    assert row["latency_ms"] == pytest.approx(750.0)
    assert row["account_id"] == "acct-1"
    assert row["key_id"] == KEY_HASH
    assert row["org_id"] == "team-1"
    assert row["client_ip"] == "203.0.113.7"
    assert row["user_agent"] is None
    assert row["endpoint"] == "/v1/chat/completions"
    assert row["model"] == "gpt-4o"
    assert row["end_user"] == "end-user-7"
    assert row["system_prompt"] == "You are terse."
    assert row["user_text"] == "Name a prime."
    assert (row["n_turns"], row["n_user_turns"]) == (1, 1)
    assert row["temperature"] == 0.2
    assert row["max_tokens"] == 64
    assert row["response_id"] == "chatcmpl-abc"
    assert row["response_text"] == "7"
    assert row["finish_reason"] == "stop"
    assert (row["input_tokens"], row["output_tokens"]) == (21, 1)
    assert row["status"] == 200
    assert row["error_type"] is None
    assert row["source_format"] == "litellm"
    assert row["source_file"] is None


def test_messages_list_fallback_and_column_tokens() -> None:
    messages = _chat_request()["messages"]
    row = _row(
        _spend_row(proxy_server_request={}, messages=messages, response={}, end_user="cust-9")
    )
    assert row["user_text"] == "Name a prime."
    assert row["system_prompt"] == "You are terse."
    assert row["model"] == "gpt-4o-2024-08-06"
    assert row["end_user"] == "cust-9"
    assert row["response_text"] is None
    assert (row["input_tokens"], row["output_tokens"]) == (21, 1)


def test_no_bodies_at_all() -> None:
    row = _row(_spend_row(proxy_server_request={}, messages={}, response={}))
    assert row["user_text"] is None
    assert row["model"] == "gpt-4o-2024-08-06"
    assert row["input_tokens"] == 21


def test_anthropic_messages_call() -> None:
    request = _params(
        MessageCreateParamsNonStreaming,
        {
            "model": "claude-sonnet-4-5",
            "max_tokens": 256,
            "system": "Answer in French.",
            "messages": [{"role": "user", "content": "Say hello."}],
            "metadata": {"user_id": "anthropic-end-user"},
        },
    )
    response = anthropic_types.Message(
        id="msg_01",
        type="message",
        role="assistant",
        model="claude-sonnet-4-5-20250929",
        content=[anthropic_types.TextBlock(type="text", text="Bonjour.")],
        stop_reason="end_turn",
        stop_sequence=None,
        usage=anthropic_types.Usage(input_tokens=12, output_tokens=4, cache_read_input_tokens=8),
    ).model_dump(mode="json")
    row = _row(
        _spend_row(
            request_id="msg_01",
            call_type="anthropic_messages",
            model="claude-sonnet-4-5-20250929",
            proxy_server_request=request,
            response=response,
        )
    )
    assert row["endpoint"] == "/v1/messages"
    assert row["model"] == "claude-sonnet-4-5"
    assert row["system_prompt"] == "Answer in French."
    assert row["user_text"] == "Say hello."
    assert row["max_tokens"] == 256
    assert row["end_user"] == "anthropic-end-user"
    assert row["response_id"] == "msg_01"
    assert row["response_text"] == "Bonjour."
    assert row["finish_reason"] == "end_turn"
    assert (row["input_tokens"], row["output_tokens"], row["cached_input_tokens"]) == (12, 4, 8)


def test_aresponses_call() -> None:
    request = _params(
        ResponseCreateParamsNonStreaming,
        {
            "model": "gpt-4.1",
            "instructions": "Be brief.",
            "input": "What is 2+2?",
            "max_output_tokens": 32,
        },
    )
    response = Response(
        id="resp_01",
        object="response",
        created_at=1741064767,
        model="gpt-4.1-2025-04-14",
        status="completed",
        output=[
            ResponseOutputMessage(
                id="msg_01",
                type="message",
                role="assistant",
                status="completed",
                content=[ResponseOutputText(type="output_text", text="4", annotations=[])],
            )
        ],
        parallel_tool_calls=True,
        tool_choice="auto",
        tools=[],
        usage=ResponseUsage(
            input_tokens=15,
            input_tokens_details=InputTokensDetails(cached_tokens=0, cache_write_tokens=0),
            output_tokens=2,
            output_tokens_details=OutputTokensDetails(reasoning_tokens=0),
            total_tokens=17,
        ),
    ).model_dump(mode="json")
    row = _row(
        _spend_row(
            request_id="resp_01",
            call_type="aresponses",
            proxy_server_request=request,
            response=response,
        )
    )
    assert row["endpoint"] == "/v1/responses"
    assert row["model"] == "gpt-4.1"
    assert row["system_prompt"] == "Be brief."
    assert row["user_text"] == "What is 2+2?"
    assert row["max_tokens"] == 32
    assert row["response_id"] == "resp_01"
    assert row["response_text"] == "4"
    assert row["finish_reason"] == "completed"
    assert (row["input_tokens"], row["output_tokens"]) == (15, 2)


def test_atext_completion_call() -> None:
    request = _params(
        TextCompletionParams,
        {"model": "gpt-3.5-turbo-instruct", "prompt": "Once upon a time", "max_tokens": 16},
    )
    response = Completion(
        id="cmpl-01",
        object="text_completion",
        created=1741064767,
        model="gpt-3.5-turbo-instruct",
        choices=[CompletionChoice(index=0, text=" there was a fox.", finish_reason="stop")],
        usage=CompletionUsage(prompt_tokens=4, completion_tokens=5, total_tokens=9),
    ).model_dump(mode="json")
    row = _row(
        _spend_row(
            request_id="cmpl-01",
            call_type="atext_completion",
            proxy_server_request=request,
            response=response,
        )
    )
    assert row["endpoint"] == "/v1/completions"
    assert row["user_text"] == "Once upon a time"
    assert row["response_text"] == " there was a fox."
    assert (row["input_tokens"], row["output_tokens"]) == (4, 5)


def test_csv_row_reads_like_the_json_row() -> None:
    json_row = _spend_row()
    csv_row = _csv(
        {**json_row, "startTime": "2025-03-04 05:06:07.250", "endTime": "2025-03-04 05:06:08"}
    )
    assert all(isinstance(v, str) for v in csv_row.values())
    assert csv_row["organization_id"] == ""
    assert _row(csv_row) == _row(json_row)


def test_json_columns_held_as_json_text_in_a_json_export() -> None:
    json_row = _spend_row()
    as_text = {
        key: orjson.dumps(json_row[key]).decode()
        for key in ("metadata", "response", "proxy_server_request", "messages")
    }
    assert _row({**json_row, **as_text}) == _row(json_row)


@pytest.mark.parametrize(
    ("error_code", "status"),
    [("429", 429), (500, 500), ("rate_limit_exceeded", None), (None, None)],
)
def test_failure_row_with_error_information(error_code: object, status: int | None) -> None:
    metadata = {
        **_spend_row()["metadata"],
        "status": "failure",
        "error_information": {
            "error_class": "RateLimitError",
            "error_message": "litellm.RateLimitError: rate limit reached",
            "error_code": error_code,
            "llm_provider": "openai",
            "traceback": "",
        },
    }
    row = _row(
        _spend_row(
            status="failure",
            metadata=metadata,
            response={},
            prompt_tokens=0,
            completion_tokens=0,
        )
    )
    assert row["status"] == status
    assert row["error_type"] == "RateLimitError"
    assert row["response_text"] is None
    assert row["user_text"] == "Name a prime."


def test_identity_from_metadata() -> None:
    metadata = {
        **_spend_row()["metadata"],
        "user_api_key_user_id": "acct-from-key",
        "user_api_key_team_id": "team-from-key",
        "user_api_key_end_user_id": "cust-from-key",
    }
    row = _row(
        _spend_row(
            user="",
            api_key="",
            team_id=None,
            requester_ip_address=None,
            metadata=metadata,
            proxy_server_request={},
        )
    )
    assert row["account_id"] == "acct-from-key"
    assert row["key_id"] == KEY_HASH
    assert row["org_id"] == "team-from-key"
    assert row["end_user"] == "cust-from-key"
    assert row["client_ip"] == "203.0.113.7"


def test_wrapped_proxy_server_request_gives_user_agent() -> None:
    wrapped = {
        "url": "http://0.0.0.0:4000/v1/chat/completions",
        "method": "POST",
        "headers": {"User-Agent": "OpenAI/Python 1.99.0", "content-type": "application/json"},
        "body": _chat_request(),
    }
    row = _row(_spend_row(proxy_server_request=wrapped))
    assert row["user_agent"] == "OpenAI/Python 1.99.0"
    assert row["user_text"] == "Name a prime."


def test_missing_account_is_missing_identity() -> None:
    metadata = {**_spend_row()["metadata"], "user_api_key_user_id": None}
    out = _rejected(_spend_row(user="", metadata=metadata))
    assert out.reject.reason == "missing_identity"


@pytest.mark.parametrize(
    "call_type", ["aembedding", "embedding", "aimage_generation", "amoderation", "_arealtime"]
)
def test_non_conversation_call_types_are_counted_not_read(call_type: str) -> None:
    ctx = ReadContext(ReadOptions())
    row = _spend_row(call_type=call_type, proxy_server_request={}, response={})
    assert list(litellm.read(row, ctx)) == []
    assert ctx.skipped == {f"litellm {call_type}": 1}


@pytest.mark.parametrize("call_type", ["afuture_call", "", None])
def test_unknown_call_types_are_unknown_endpoints(call_type: str | None) -> None:
    out = _rejected(_spend_row(call_type=call_type, proxy_server_request={}, response={}))
    assert out.reject.reason == "unknown_endpoint"


def test_bad_requester_ip_is_invalid_ip() -> None:
    out = _rejected(_spend_row(requester_ip_address="not-an-ip"))
    assert out.reject.reason == "invalid_ip"


def test_bad_json_text_in_response_is_wrong_type() -> None:
    out = _rejected(_spend_row(response='{"id": "chatcmpl-abc", "choices": ['))
    assert out.reject.reason == "wrong_type"
    assert "response" in out.reject.detail


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"prompt_tokens": "many"}, "wrong_type"),
        ({"response": ["not", "an", "object"]}, "wrong_type"),
        ({"metadata": "[1, 2]"}, "wrong_type"),
        ({"user": 3.5}, "wrong_type"),
        ({"startTime": None}, "missing_timestamp"),
        ({"startTime": "yesterday"}, "bad_timestamp"),
        ({"request_id": ""}, "missing_identity"),
    ],
)
def test_bad_values_are_rejected(overrides: dict[str, Any], reason: str) -> None:
    assert _rejected(_spend_row(**overrides)).reject.reason == reason


def test_not_an_object() -> None:
    assert _rejected(["a", "list"]).reject.reason == "not_object"
