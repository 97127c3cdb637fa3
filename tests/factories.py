"""Realistic raw-log records, built from the official ``openai`` and ``anthropic`` SDK types.

Requests are the SDKs' ``*CreateParams`` typed dicts (``params`` adds or replaces fields);
responses are the SDKs' models dumped as the API sends them. The ``*_record`` factories take
keyword overrides for every record field (``request_id``, ``ts``, ``account_id``, ``client_ip``,
``status``, whole ``request`` / ``response`` bodies) and for ``user_text`` / ``response_text``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import anthropic.types as at
import pyarrow as pa
from openai.types import Completion, CompletionChoice, CompletionUsage
from openai.types import completion_create_params as legacy
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionMessage,
    ChatCompletionMessageFunctionToolCall,
    ChatCompletionMessageParam,
    ChatCompletionMessageToolCallUnion,
    ChatCompletionTokenLogprob,
)
from openai.types.chat import completion_create_params as chat_params
from openai.types.chat.chat_completion import Choice, ChoiceLogprobs
from openai.types.chat.chat_completion_message_function_tool_call import Function
from openai.types.completion_choice import Logprobs
from openai.types.completion_usage import CompletionTokensDetails, PromptTokensDetails
from openai.types.responses import (
    FunctionTool,
    Response,
    ResponseFunctionToolCall,
    ResponseInputItemParam,
    ResponseOutputMessage,
    ResponseOutputText,
    ResponseReasoningItem,
    ResponseUsage,
    response_create_params,
)
from openai.types.responses import response_reasoning_item as reasoning_item
from openai.types.responses.response_usage import InputTokensDetails, OutputTokensDetails
from openai.types.shared import ErrorObject
from pydantic import BaseModel

from distillguard.ingest import raw
from distillguard.ingest.record import ReadContext, ReadOptions, Rejected, Row
from distillguard.schema.interactions import PARSED

Record = dict[str, Any]
RecordFactory = Callable[..., Record]
Params = Mapping[str, Any] | None

USER_TEXT = "Explain, step by step, why the sky is blue."
RESPONSE_TEXT = "Sunlight scatters off air molecules; blue light scatters the most."
REASONING_TEXT = "The user wants Rayleigh scattering explained simply."
SUMMARY_TEXT = "Explain scattering."
SYSTEM_TEXT = "You are a concise physics tutor."
TOOL = "get_weather"
TOOL_OUTPUT = "18°C, clear"
ARGS: dict[str, object] = {"type": "object", "properties": {"city": {"type": "string"}}}
ANTHROPIC_HAS_THINKING_TOKENS = "output_tokens_details" in at.Usage.model_fields
RECORD_DEFAULTS: dict[str, Any] = {
    "request_id": "req_0001",
    "ts": "2026-05-01T12:00:00.123Z",
    "account_id": "acct_9",
    "key_id": "key_3",
    "org_id": "org_2",
    "end_user": None,
    "client_ip": "203.0.113.7",
    "user_agent": "OpenAI/Python 3.57.0",
    "status": 200,
    "latency_ms": 812.5,
}


def dump(model: BaseModel) -> dict[str, Any]:
    """A response model as the JSON body the API returns."""
    return model.model_dump(mode="json", by_alias=True)


def record(endpoint: str, request: object, response: object, /, **fields: Any) -> Record:
    """A raw-log record (DESIGN.md, "Raw API log record"); ``fields`` override its fields."""
    rec: Record = {**RECORD_DEFAULTS, "endpoint": endpoint, "request": request}
    rec["response"] = response
    unknown = set(fields) - set(rec)
    if unknown:
        raise TypeError(f"not raw-log record fields: {sorted(unknown)}")
    return {**rec, **fields}


# -- /v1/chat/completions ---------------------------------------------------------------------


def chat_request(
    user_text: str = USER_TEXT, params: Params = None
) -> chat_params.CompletionCreateParamsNonStreaming:
    messages: list[ChatCompletionMessageParam] = [
        {"role": "developer", "content": SYSTEM_TEXT},
        {"role": "user", "content": "Hi!"},
        {"role": "assistant", "content": "Hello. What would you like to know?"},
        {"role": "user", "content": [{"type": "text", "text": user_text}]},
    ]
    body: chat_params.CompletionCreateParamsNonStreaming = {
        "model": "gpt-5.2",
        "messages": messages,
        "temperature": 0.7,
        "top_p": 0.9,
        "n": 1,
        "max_completion_tokens": 1024,
        "max_tokens": 4096,
        "reasoning_effort": "high",
        "response_format": {"type": "text"},
        "tools": [{"type": "function", "function": {"name": TOOL, "parameters": ARGS}}],
        "user": "body-user-1",
    }
    return {**body, **(params or {})}  # type: ignore[typeddict-item]


def chat_response(
    response_text: str | None = RESPONSE_TEXT,
    *,
    refusal: str | None = None,
    tool_calls: Sequence[str] = (),
    logprobs: bool = False,
    finish_reason: str | None = None,
    reasoning_tokens: int | None = 256,
    cached_tokens: int | None = 64,
) -> dict[str, Any]:
    calls: list[ChatCompletionMessageToolCallUnion] = [
        ChatCompletionMessageFunctionToolCall(
            id=f"call_{i}", type="function", function=Function(name=name, arguments="{}")
        )
        for i, name in enumerate(tool_calls)
    ]
    message = ChatCompletionMessage(
        role="assistant", content=response_text, refusal=refusal, tool_calls=calls or None
    )
    token = ChatCompletionTokenLogprob(token="Sun", logprob=-0.01, top_logprobs=[])
    choice = Choice(
        index=0,
        message=message,
        finish_reason=finish_reason or ("tool_calls" if calls else "stop"),  # type: ignore[arg-type]
        logprobs=ChoiceLogprobs(content=[token]) if logprobs else None,
    )
    usage = CompletionUsage(
        prompt_tokens=120,
        completion_tokens=400,
        total_tokens=520,
        completion_tokens_details=CompletionTokensDetails(reasoning_tokens=reasoning_tokens),
        prompt_tokens_details=PromptTokensDetails(cached_tokens=cached_tokens),
    )
    completion = ChatCompletion(
        id="chatcmpl-abc123",
        object="chat.completion",
        created=1_777_636_800,
        model="gpt-5.2-2026-01-15",
        choices=[choice],
        usage=usage,
    )
    return dump(completion)


def openai_error(
    type: str = "requests", code: str | None = "rate_limit_exceeded"
) -> dict[str, Any]:
    """The ``{"error": {...}}`` body of a failed OpenAI call (a 429 by default)."""
    error = ErrorObject(message="Rate limit reached", type=type, param=None, code=code)
    return {"error": dump(error)}


# -- /v1/responses ----------------------------------------------------------------------------


def responses_request(
    user_text: str = USER_TEXT, params: Params = None
) -> response_create_params.ResponseCreateParamsNonStreaming:
    items: list[ResponseInputItemParam] = [
        {"role": "developer", "content": "Answer in plain English."},
        {"role": "user", "content": "Hi!"},
        {"role": "assistant", "content": "Hello."},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": user_text}]},
    ]
    body: response_create_params.ResponseCreateParamsNonStreaming = {
        "model": "gpt-5.2",
        "instructions": SYSTEM_TEXT,
        "input": items,
        "temperature": 1.0,
        "max_output_tokens": 2048,
        "reasoning": {"effort": "medium", "summary": "auto"},
        "text": {"format": {"type": "json_schema", "name": "answer", "schema": ARGS}},
        "include": ["message.output_text.logprobs", "reasoning.encrypted_content"],
        "top_logprobs": 5,
        "tools": [
            {"type": "function", "name": TOOL, "parameters": ARGS, "strict": True},
            {"type": "web_search"},
        ],
        "safety_identifier": "safety-hash-7",
        "user": "body-user-2",
    }
    return {**body, **(params or {})}  # type: ignore[typeddict-item]


def responses_response(response_text: str = RESPONSE_TEXT) -> dict[str, Any]:
    reasoning = ResponseReasoningItem(
        id="rs_1",
        type="reasoning",
        summary=[reasoning_item.Summary(type="summary_text", text=SUMMARY_TEXT)],
        content=[reasoning_item.Content(type="reasoning_text", text=REASONING_TEXT)],
    )
    answer = ResponseOutputText(type="output_text", text=response_text, annotations=[])
    message = ResponseOutputMessage(
        id="msg_1", type="message", role="assistant", status="completed", content=[answer]
    )
    call = ResponseFunctionToolCall(
        type="function_call", call_id="call_1", name=TOOL, arguments="{}"
    )
    usage = ResponseUsage(
        input_tokens=300,
        input_tokens_details=InputTokensDetails(cached_tokens=128, cache_write_tokens=0),
        output_tokens=900,
        output_tokens_details=OutputTokensDetails(reasoning_tokens=512),
        total_tokens=1200,
    )
    response = Response(
        id="resp_abc123",
        object="response",
        created_at=1_777_636_800,
        model="gpt-5.2-2026-01-15",
        status="completed",
        output=[reasoning, message, call],
        parallel_tool_calls=True,
        tool_choice="auto",
        tools=[FunctionTool(type="function", name=TOOL, parameters=ARGS)],
        usage=usage,
    )
    return dump(response)


# -- /v1/completions (legacy) -----------------------------------------------------------------


def completions_request(
    user_text: str = USER_TEXT, params: Params = None
) -> legacy.CompletionCreateParamsNonStreaming:
    body: legacy.CompletionCreateParamsNonStreaming = {
        "model": "gpt-3.5-turbo-instruct",
        "prompt": user_text,
        "max_tokens": 256,
        "temperature": 0.0,
        "n": 2,
        "logprobs": 5,
        "user": "legacy-user",
    }
    return {**body, **(params or {})}  # type: ignore[typeddict-item]


def completions_response(response_text: str = RESPONSE_TEXT) -> dict[str, Any]:
    logprobs = Logprobs(tokens=["Sun"], token_logprobs=[-0.02], top_logprobs=[{"Sun": -0.02}])
    choice = CompletionChoice(index=0, text=response_text, finish_reason="stop", logprobs=logprobs)
    completion = Completion(
        id="cmpl-abc123",
        object="text_completion",
        created=1_777_636_800,
        model="gpt-3.5-turbo-instruct",
        choices=[choice],
        usage=CompletionUsage(prompt_tokens=12, completion_tokens=30, total_tokens=42),
    )
    return dump(completion)


# -- /v1/messages (Anthropic) -----------------------------------------------------------------

SYSTEM_BLOCKS: list[at.TextBlockParam] = [
    {"type": "text", "text": SYSTEM_TEXT, "cache_control": {"type": "ephemeral"}},
    {"type": "text", "text": "Be brief."},
]
"""``system`` as a list of text blocks (pass it in ``params``)."""


def messages_request(user_text: str = USER_TEXT, params: Params = None) -> at.MessageCreateParams:
    use: at.ToolUseBlockParam = {"type": "tool_use", "id": "toolu_1", "name": TOOL, "input": {}}
    output: list[at.TextBlockParam] = [{"type": "text", "text": TOOL_OUTPUT}]
    result: at.ToolResultBlockParam = {"type": "tool_result", "tool_use_id": "toolu_1"}
    body: at.message_create_params.MessageCreateParamsNonStreaming = {
        "model": "claude-opus-4-5",
        "max_tokens": 8192,
        "system": SYSTEM_TEXT,
        "messages": [
            {"role": "user", "content": "What's the weather in Paris?"},
            {"role": "assistant", "content": [{"type": "text", "text": "Let me check."}, use]},
            {"role": "user", "content": [{**result, "content": output}]},
            {"role": "assistant", "content": "It is 18°C. Anything else?"},
            {"role": "user", "content": [{"type": "text", "text": user_text}]},
        ],
        "thinking": {"type": "enabled", "budget_tokens": 4000},
        "tools": [
            {"name": TOOL, "description": "Current weather", "input_schema": ARGS},
            {"type": "web_search_20250305", "name": "web_search", "max_uses": 3},
        ],
        "metadata": {"user_id": "anthropic-user-5"},
    }
    return {**body, **(params or {})}  # type: ignore[return-value]


def messages_response(
    response_text: str = RESPONSE_TEXT, stop_reason: str = "tool_use"
) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if ANTHROPIC_HAS_THINKING_TOKENS:
        details["output_tokens_details"] = {"thinking_tokens": 300}
    usage = at.Usage(input_tokens=500, output_tokens=700, cache_read_input_tokens=400, **details)
    message = at.Message(
        id="msg_01abc",
        type="message",
        role="assistant",
        model="claude-opus-4-5-20251101",
        content=[
            at.ThinkingBlock(type="thinking", thinking=REASONING_TEXT, signature="sig=="),
            at.TextBlock(type="text", text=response_text),
            at.ToolUseBlock(type="tool_use", id="toolu_2", name=TOOL, input={"city": "Nice"}),
        ],
        stop_reason=stop_reason,  # type: ignore[arg-type]
        stop_sequence=None,
        usage=usage,
    )
    return dump(message)


def anthropic_error(type: str = "rate_limit_error") -> dict[str, Any]:
    """The ``{"type": "error", "error": {...}}`` body of a failed Anthropic call."""
    error = {"type": type, "message": "Number of request tokens has exceeded your rate limit"}
    body = {"type": "error", "error": error, "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"}
    return dump(at.ErrorResponse.model_validate(body))


# -- records ----------------------------------------------------------------------------------


def _record_factory(
    endpoint: str,
    build_request: Callable[[str, Params], object],
    build_response: Callable[[str], dict[str, Any]],
    user_agent: str = "OpenAI/Python 3.57.0",
) -> RecordFactory:
    def make(
        *,
        user_text: str = USER_TEXT,
        response_text: str = RESPONSE_TEXT,
        params: Params = None,
        **fields: Any,
    ) -> Record:
        fields.setdefault("user_agent", user_agent)
        request, response = build_request(user_text, params), build_response(response_text)
        return record(endpoint, request, response, **fields)

    make.__name__ = make.__qualname__ = build_request.__name__.replace("_request", "_record")
    make.__doc__ = f"A {endpoint} record; keyword arguments override any record field."
    return make


chat_record = _record_factory("/v1/chat/completions", chat_request, chat_response)
responses_record = _record_factory("/v1/responses", responses_request, responses_response)
completions_record = _record_factory("/v1/completions", completions_request, completions_response)
messages_record = _record_factory(
    "/v1/messages", messages_request, messages_response, "Anthropic/Python 2.14.0"
)
RECORD_FACTORIES = (chat_record, responses_record, completions_record, messages_record)


# -- reading ----------------------------------------------------------------------------------


def read_one(rec: object) -> Row | Rejected:
    """What the raw reader makes of one record (it makes exactly one result)."""
    (result,) = raw.read(rec, ReadContext(ReadOptions()))
    return result


def parse(rec: object) -> Row:
    result = read_one(rec)
    assert not isinstance(result, Rejected), result.reject
    return result


def rejection(rec: object) -> str:
    """The reason code of a record the reader must reject."""
    result = read_one(rec)
    assert isinstance(result, Rejected), f"expected a rejection, got a row: {result}"
    return result.reject.reason


def to_table(rows: Sequence[Row]) -> pa.Table:
    """Rows as an Arrow table of ``schema.PARSED``, provenance filled in as ingest does."""
    rows = [{**r, "source_file": "test.jsonl", "source_line": i} for i, r in enumerate(rows, 1)]
    return pa.Table.from_pylist(rows, schema=PARSED)
