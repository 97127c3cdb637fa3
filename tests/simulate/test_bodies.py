"""Rendered bodies are the providers' shapes (SDK types) and read back as the Call says."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from functools import cache
from typing import Any

import anthropic.types as at
import orjson
import pytest
from openai.types import Completion
from openai.types import completion_create_params as legacy_params
from openai.types.chat import ChatCompletion
from openai.types.chat import completion_create_params as chat_params
from openai.types.responses import Response, response_create_params
from openai.types.shared import ErrorObject
from pydantic import BaseModel, TypeAdapter

from distillguard.simulate.bodies import (
    ANTHROPIC_MAX_TOKENS,
    CHAT,
    COMPLETIONS,
    ENDPOINTS,
    ID_PREFIX,
    MESSAGES,
    RESPONSES,
    Call,
    render,
)
from tests.factories import parse

REFUSAL = "I can't help with that."
VARIANTS: dict[str, dict[str, Any]] = {
    "plain": {},
    "bare": {"system": None, "temperature": None, "top_p": None, "max_tokens": None},
    "multi_turn": {"turns": (("user", "Hi!"), ("assistant", "Hello. What is it?"))},
    "reasoning": {
        "reasoning": "The user wants a short answer.",
        "reasoning_effort": "high",
        "reasoning_tokens": 120,
    },
    "thinking_budget": {
        "reasoning": "Budgeted thought.",
        "thinking_budget": 2048,
        "reasoning_tokens": 300,
        "max_tokens": 8192,
    },
    "refusal": {"refused": True, "answer": REFUSAL},
    "tools": {"tool_names": ("get_weather", "web_search"), "tool_calls": 3, "answer": None},
    "tools_offered": {"tool_names": ("get_weather",)},
    "logprobs": {"logprobs": True, "top_logprobs": 3},
    "logprobs_plain": {"logprobs": True},
    "n3": {"n": 3},
    "json_schema": {"response_format": "json_schema"},
    "json_object": {"response_format": "json_object"},
    "stream": {"stream": True},
    "truncated": {"max_tokens": 90, "output_tokens": 90},
    "error": {"error": (429, "rate_limit_error", "Rate limit reached")},
    "everything": {
        "turns": (("user", "Hi!"), ("assistant", "Hello.")),
        "reasoning": "Think first.",
        "reasoning_effort": "medium",
        "reasoning_tokens": 64,
        "tool_names": ("lookup",),
        "tool_calls": 1,
        "logprobs": True,
        "top_logprobs": 2,
        "n": 2,
        "response_format": "json_schema",
        "stream": True,
    },
}
# What an endpoint cannot express is not tried there (see the module docstring).
SKIP = {
    CHAT: set(),
    RESPONSES: {"n3"},
    COMPLETIONS: set(),
    MESSAGES: {"n3", "logprobs", "logprobs_plain"},
}
UNSENDABLE = {RESPONSES: ("n",), MESSAGES: ("n", "logprobs", "top_logprobs")}
MODELS = {
    CHAT: "gpt-5.2",
    RESPONSES: "gpt-5.2",
    COMPLETIONS: "gpt-3.5-turbo-instruct",
    MESSAGES: "claude-opus-4-5",
}
CASES = [(e, v) for e in ENDPOINTS for v in VARIANTS if v not in SKIP[e]]


def make_call(endpoint: str, variant: str) -> Call:
    fields: dict[str, Any] = {
        "system": "You are a concise tutor.",
        "answer": "Rayleigh scattering favours short wavelengths.",
        "temperature": 0.7,
        "top_p": 0.9,
        "max_tokens": 1024,
        "end_user": "user-hash-7",
        "input_tokens": 300,
        "output_tokens": 200,
        "cached_tokens": 128,
        "response_id": ID_PREFIX[endpoint] + "abc123",
        "created": 1_777_636_800,
    }
    fields.update(VARIANTS[variant])
    for name in UNSENDABLE.get(endpoint, ()):
        fields.pop(name, None)
    if endpoint == MESSAGES and variant == "error":
        fields["error"] = (429, "rate_limit_error", "Number of request tokens has exceeded")
    elif variant == "error":
        fields["error"] = (400, "invalid_request_error", "Invalid 'messages': empty")
    return Call(endpoint, MODELS[endpoint], "Why is the sky blue?", **fields)


# -- SDK validation -----------------------------------------------------------------------------


@cache
def request_adapter(endpoint: str, stream: bool) -> TypeAdapter[Any]:
    types: dict[tuple[str, bool], Any] = {
        (CHAT, False): chat_params.CompletionCreateParamsNonStreaming,
        (CHAT, True): chat_params.CompletionCreateParamsStreaming,
        (RESPONSES, False): response_create_params.ResponseCreateParamsNonStreaming,
        (RESPONSES, True): response_create_params.ResponseCreateParamsStreaming,
        (COMPLETIONS, False): legacy_params.CompletionCreateParamsNonStreaming,
        (COMPLETIONS, True): legacy_params.CompletionCreateParamsStreaming,
        (MESSAGES, False): at.message_create_params.MessageCreateParamsNonStreaming,
        (MESSAGES, True): at.message_create_params.MessageCreateParamsStreaming,
    }
    return TypeAdapter(types[endpoint, stream])


RESPONSE_MODELS: dict[str, type[BaseModel]] = {
    CHAT: ChatCompletion,
    RESPONSES: Response,
    COMPLETIONS: Completion,
    MESSAGES: at.Message,
}


def plain(value: object) -> object:
    """A validated value as plain JSON data; iterating pydantic's lazy iterables validates them."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    assert isinstance(value, Iterable), value
    return [plain(v) for v in value]


def extras(model: object, path: str = "") -> list[str]:
    """Fields a model accepted without knowing them (the SDK models allow extras)."""
    found: list[str] = []
    if isinstance(model, BaseModel):
        found += [f"{path}.{k}" for k in model.model_extra or {}]
        for name in type(model).model_fields:
            found += extras(getattr(model, name), f"{path}.{name}")
    elif isinstance(model, list):
        for i, item in enumerate(model):
            found += extras(item, f"{path}[{i}]")
    return found


def check_request(call: Call, request: dict[str, Any]) -> None:
    validated = request_adapter(call.endpoint, call.stream).validate_python(request)
    assert plain(validated) == request  # nothing dropped as unknown, nothing coerced


def check_response(call: Call, response: dict[str, Any]) -> None:
    if call.error is not None:
        if call.endpoint == MESSAGES:
            err = at.ErrorResponse.model_validate(response)
            assert (err.error.type, err.error.message) == call.error[1:]
        else:
            assert list(response) == ["error"]
            obj = ErrorObject.model_validate(response["error"])
            assert (obj.type, obj.message) == call.error[1:]
        return
    model = RESPONSE_MODELS[call.endpoint].model_validate(response)
    assert extras(model) == []
    assert model.model_dump(mode="json", exclude_unset=True) == response


@pytest.mark.parametrize(("endpoint", "variant"), CASES)
def test_bodies_are_the_sdk_shapes(endpoint: str, variant: str) -> None:
    call = make_call(endpoint, variant)
    request, response = render(call)
    check_request(call, request)
    check_response(call, response)


# -- reading back -------------------------------------------------------------------------------


def expected(call: Call) -> dict[str, Any]:
    """The columns the raw reader should extract from a rendered call."""
    e = call.endpoint
    chat, legacy, anthropic = e == CHAT, e == COMPLETIONS, e == MESSAGES
    exp: dict[str, Any] = {
        "model": call.model,
        "system_prompt": None if legacy else call.system,
        "user_text": call.user_text,
        "n_turns": 1 if legacy else len(call.turns) + 1,
        "temperature": None if anthropic else call.temperature,
        "top_p": None if anthropic else call.top_p,
        "n": call.n if chat or legacy else None,
        "max_tokens": (call.max_tokens or ANTHROPIC_MAX_TOKENS) if anthropic else call.max_tokens,
        "stream": call.stream or None,
        "reasoning_effort": None if legacy else call.reasoning_effort,
        "thinking_budget": call.thinking_budget if anthropic else None,
        "n_tools": None if legacy else len(call.tool_names),
        "tool_names": None if legacy else list(call.tool_names) or None,
        "end_user": call.end_user,
    }
    if chat:
        exp["logprobs"] = call.logprobs or None
        exp["top_logprobs"] = call.top_logprobs if call.logprobs else None
    elif e == RESPONSES:
        exp["logprobs"] = call.logprobs
        exp["top_logprobs"] = call.top_logprobs if call.logprobs else None
    elif legacy:
        exp["logprobs"] = call.logprobs
        exp["top_logprobs"] = (call.top_logprobs or 0) if call.logprobs else None
    fmt = call.response_format
    exp["response_format"] = None if legacy else ("json_schema" if anthropic and fmt else fmt)
    if call.error is not None:
        return exp | {"error_type": call.error[1], "response_id": None, "response_text": None}
    truncated = call.max_tokens is not None and call.output_tokens >= call.max_tokens
    finish = {
        CHAT: "tool_calls" if call.tool_calls else "length" if truncated else "stop",
        RESPONSES: "max_output_tokens" if truncated else "completed",
        COMPLETIONS: "content_filter" if call.refused else "length" if truncated else "stop",
        MESSAGES: "tool_use" if call.tool_calls else "max_tokens" if truncated else "end_turn",
    }[e]
    if anthropic and call.refused:
        finish = "refusal"
    exp |= {
        "error_type": None,
        "response_id": call.response_id,
        # chat carries a refusal apart from the content; the other shapes in the answer text
        "response_text": None if chat and call.refused else call.answer or ("" if legacy else None),
        "reasoning_text": None if chat or legacy else call.reasoning,
        "refusal": call.refused,
        "n_tool_calls": None if legacy else call.tool_calls,
        "finish_reason": finish,
        # Anthropic counts cache reads apart from input_tokens
        "input_tokens": call.input_tokens - (call.cached_tokens if anthropic else 0),
        "output_tokens": call.output_tokens,
        "reasoning_tokens": None
        if legacy or (anthropic and call.reasoning is None)
        else call.reasoning_tokens,
        "cached_input_tokens": None if legacy else call.cached_tokens,
    }
    return exp


def to_record(call: Call) -> dict[str, Any]:
    request, response = render(call)
    rec = {
        "request_id": "req_1",
        "ts": "2026-05-01T12:00:00.123Z",
        "account_id": "acct_1",
        "key_id": "key_1",
        "org_id": None,
        "end_user": None,
        "client_ip": "203.0.113.7",
        "user_agent": "OpenAI/Python 3.57.0",
        "endpoint": call.endpoint,
        "request": request,
        "response": response,
        "status": 200 if call.error is None else call.error[0],
        "latency_ms": 812.5,
    }
    return dict(orjson.loads(orjson.dumps(rec)))  # as written to and read from the log


@pytest.mark.parametrize(("endpoint", "variant"), CASES)
def test_raw_reader_extracts_the_call(endpoint: str, variant: str) -> None:
    call = make_call(endpoint, variant)
    row = parse(to_record(call))
    want = expected(call)
    assert {k: row[k] for k in want} == want
    assert row["status"] == (200 if call.error is None else call.error[0])


def test_n_choices_and_logprob_entries() -> None:
    call = make_call(CHAT, "everything")
    _, response = render(call)
    assert len(response["choices"]) == 2
    entries = response["choices"][0]["logprobs"]["content"]
    assert 1 <= len(entries) <= 3
    assert all(len(e["top_logprobs"]) == 2 for e in entries)
    _, legacy = render(dataclasses.replace(make_call(COMPLETIONS, "logprobs"), n=3))
    assert len(legacy["choices"]) == 3
    assert len(legacy["choices"][0]["logprobs"]["top_logprobs"][0]) == 3


def test_reasoning_items_and_blocks() -> None:
    _, response = render(make_call(RESPONSES, "reasoning"))
    assert [item["type"] for item in response["output"]] == ["reasoning", "message"]
    _, message = render(make_call(MESSAGES, "thinking_budget"))
    thinking = message["content"][0]
    assert thinking["type"] == "thinking"
    assert thinking["signature"]
    _, tools = render(make_call(MESSAGES, "tools"))
    assert [b["name"] for b in tools["content"]] == ["get_weather", "web_search", "get_weather"]


def test_render_is_deterministic_and_the_error_keeps_the_request() -> None:
    call = make_call(MESSAGES, "error")
    request, response = render(call)
    assert render(call) == (request, response)
    assert request == render(dataclasses.replace(call, error=None))[0]
    assert response["type"] == "error"
