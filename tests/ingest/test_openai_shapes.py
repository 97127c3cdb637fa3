"""OpenAI bodies (chat completions, responses, legacy completions) → interaction columns."""

from __future__ import annotations

from typing import Any

import pytest
from openai.types.chat import ChatCompletionMessageParam
from openai.types.responses import (
    Response,
    ResponseError,
    ResponseFunctionWebSearch,
    ResponseInputItemParam,
    ResponseOutputMessage,
    ResponseOutputRefusal,
)
from openai.types.responses.response import IncompleteDetails
from openai.types.responses.response_function_web_search import ActionSearch

from distillguard.ingest import openai_shapes
from distillguard.ingest.record import PARSED_NAMES, Reject, new_row
from tests import factories as f

HELLO = "Hello. What would you like to know?"


def columns(row: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: row[name] for name in names}


# -- /v1/chat/completions -----------------------------------------------------------------------


def test_chat_request_and_response_columns() -> None:
    row = f.parse(f.chat_record())
    assert tuple(row) == PARSED_NAMES
    assert row == {
        **row,
        "endpoint": "/v1/chat/completions",
        "model": "gpt-5.2",
        "stream": None,
        "system_prompt": f.SYSTEM_TEXT,
        "user_text": f.USER_TEXT,
        "n_turns": 3,
        "n_user_turns": 2,
        "conversation_chars": len(f.SYSTEM_TEXT) + len("Hi!") + len(HELLO) + len(f.USER_TEXT),
        "temperature": 0.7,
        "top_p": 0.9,
        "n": 1,
        "max_tokens": 1024,
        "logprobs": None,
        "top_logprobs": None,
        "reasoning_effort": "high",
        "thinking_budget": None,
        "n_tools": 1,
        "tool_names": ["get_weather"],
        "response_format": "text",
        "end_user": "body-user-1",
        "response_id": "chatcmpl-abc123",
        "response_text": f.RESPONSE_TEXT,
        "reasoning_text": None,
        "finish_reason": "stop",
        "refusal": False,
        "n_tool_calls": 0,
        "error_type": None,
        "input_tokens": 120,
        "output_tokens": 400,
        "reasoning_tokens": 256,
        "cached_input_tokens": 64,
    }
    f.to_table([row])


def test_chat_max_tokens_prefers_max_completion_tokens() -> None:
    assert f.parse(f.chat_record())["max_tokens"] == 1024
    row = f.parse(f.chat_record(params={"max_completion_tokens": None}))
    assert row["max_tokens"] == 4096
    row = f.parse(f.chat_record(params={"max_completion_tokens": None, "max_tokens": None}))
    assert row["max_tokens"] is None


def test_chat_harvesting_parameters() -> None:
    params = {
        "logprobs": True,
        "top_logprobs": 20,
        "n": 8,
        "stream": True,
        "temperature": 2,
        "response_format": {"type": "json_schema", "json_schema": {"name": "a", "schema": f.ARGS}},
        "safety_identifier": "sid-1",
    }
    row = f.parse(f.chat_record(params=params))
    assert columns(row, "logprobs", "top_logprobs", "n", "stream", "temperature") == {
        "logprobs": True,
        "top_logprobs": 20,
        "n": 8,
        "stream": True,
        "temperature": 2.0,
    }
    assert row["response_format"] == "json_schema"
    assert row["end_user"] == "sid-1"  # safety_identifier over the deprecated user
    row = f.parse(f.chat_record(params={"response_format": {"type": "json_object"}, "user": None}))
    assert (row["response_format"], row["end_user"]) == ("json_object", None)


def test_chat_conversation_with_system_tools_and_parts() -> None:
    messages: list[ChatCompletionMessageParam] = [
        {"role": "system", "content": "Rule one."},
        {"role": "developer", "content": [{"type": "text", "text": "Rule two."}]},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Look:"},
                {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
                {"type": "text", "text": "what is it?"},
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{}"},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
        {"role": "assistant", "content": [{"type": "refusal", "refusal": "No."}]},
    ]
    row = f.parse(f.chat_record(params={"messages": messages}))
    assert row["system_prompt"] == "Rule one.\nRule two."
    assert row["user_text"] == "Look:\nwhat is it?"
    assert (row["n_turns"], row["n_user_turns"]) == (4, 1)
    chars = len("Rule one.Rule two.") + len("Look:\nwhat is it?") + len("sunny") + len("No.")
    assert row["conversation_chars"] == chars


def test_chat_without_user_turns_or_messages() -> None:
    row = f.parse(f.chat_record(params={"messages": [{"role": "system", "content": "x"}]}))
    assert columns(row, "user_text", "n_turns", "n_user_turns", "conversation_chars") == {
        "user_text": None,
        "n_turns": 0,
        "n_user_turns": 0,
        "conversation_chars": 1,
    }
    row = f.parse(f.chat_record(params={"messages": None}))
    assert (row["n_turns"], row["system_prompt"]) == (0, None)


def test_chat_tool_names_of_function_and_custom_tools() -> None:
    tools = [
        {"type": "function", "function": {"name": "lookup", "parameters": f.ARGS}},
        {"type": "custom", "custom": {"name": "sql", "description": "Run SQL"}},
        {"type": "function", "function": {"parameters": f.ARGS}},
    ]
    row = f.parse(f.chat_record(params={"tools": tools}))
    assert (row["n_tools"], row["tool_names"]) == (3, ["lookup", "sql", "function"])
    row = f.parse(f.chat_record(params={"tools": []}))
    assert (row["n_tools"], row["tool_names"]) == (0, None)


def test_chat_refusal() -> None:
    response = f.chat_response(None, refusal="I can't help with that.")
    row = f.parse(f.chat_record(response=response))
    assert columns(row, "response_text", "refusal", "finish_reason") == {
        "response_text": None,
        "refusal": True,
        "finish_reason": "stop",
    }
    row = f.parse(f.chat_record(response=f.chat_response(finish_reason="content_filter")))
    assert (row["refusal"], row["finish_reason"]) == (True, "content_filter")


def test_chat_tool_calls_and_logprobs() -> None:
    response = f.chat_response(None, tool_calls=["get_weather", "lookup"], logprobs=True)
    row = f.parse(f.chat_record(response=response))
    assert columns(row, "n_tool_calls", "finish_reason", "response_text", "refusal") == {
        "n_tool_calls": 2,
        "finish_reason": "tool_calls",
        "response_text": None,
        "refusal": False,
    }


def test_chat_reasoning_content_of_compatible_servers() -> None:
    response = f.chat_response()
    response["choices"][0]["message"]["reasoning_content"] = f.REASONING_TEXT
    assert f.parse(f.chat_record(response=response))["reasoning_text"] == f.REASONING_TEXT
    response["choices"][0]["message"] = {"role": "assistant", "content": "x", "reasoning": "r"}
    assert f.parse(f.chat_record(response=response))["reasoning_text"] == "r"


def test_chat_usage_without_details_or_without_usage() -> None:
    response = f.chat_response(reasoning_tokens=None, cached_tokens=None)
    row = f.parse(f.chat_record(response=response))
    assert columns(
        row, "input_tokens", "output_tokens", "reasoning_tokens", "cached_input_tokens"
    ) == {
        "input_tokens": 120,
        "output_tokens": 400,
        "reasoning_tokens": None,
        "cached_input_tokens": None,
    }
    response["usage"] = None
    row = f.parse(f.chat_record(response=response))
    assert (row["input_tokens"], row["output_tokens"], row["response_text"]) == (
        None,
        None,
        f.RESPONSE_TEXT,
    )


def test_chat_error_body() -> None:
    row = f.parse(f.chat_record(response=f.openai_error(), status=429))
    assert columns(row, "error_type", "status", "response_text", "response_id", "refusal") == {
        "error_type": "requests",
        "status": 429,
        "response_text": None,
        "response_id": None,
        "refusal": None,
    }
    assert (row["model"], row["user_text"], row["input_tokens"]) == ("gpt-5.2", f.USER_TEXT, None)
    row = f.parse(f.chat_record(response=f.openai_error(type="", code="invalid_api_key")))
    assert row["error_type"] == "invalid_api_key"


def test_chat_response_with_no_choices() -> None:
    response = f.chat_response()
    response["choices"] = []
    row = f.parse(f.chat_record(response=response))
    assert (row["response_text"], row["finish_reason"], row["n_tool_calls"]) == (None, None, None)
    assert row["input_tokens"] == 120


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"temperature": "0.7"}, "request.temperature"),
        ({"top_p": [0.9]}, "request.top_p"),
        ({"n": "2"}, "request.n"),
        ({"n": 2**31}, "request.n"),
        ({"max_completion_tokens": 1.5}, "request.max_completion_tokens"),
        ({"logprobs": "true"}, "request.logprobs"),
        ({"top_logprobs": "5"}, "request.top_logprobs"),
        ({"stream": 1}, "request.stream"),
        ({"model": ["gpt"]}, "request.model"),
        ({"messages": "hello"}, "request.messages"),
        ({"messages": ["hello"]}, "request.messages[]"),
        ({"messages": [{"role": "user", "content": 5}]}, "request.messages[].content"),
        ({"tools": {"type": "function"}}, "request.tools"),
        ({"response_format": "json"}, "response_format"),
        ({"reasoning_effort": 3}, "request.reasoning_effort"),
    ],
)
def test_chat_request_of_the_wrong_type(params: dict[str, Any], field: str) -> None:
    with pytest.raises(Reject) as caught:
        openai_shapes.chat_request(f.chat_request(params=params), new_row())
    assert caught.value.reason == "wrong_type"
    assert caught.value.detail.startswith(field + " ")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("choices",), {"0": {}}),
        (("choices", 0), "stop"),
        (("choices", 0, "message"), "hi"),
        (("choices", 0, "message", "tool_calls"), {}),
        (("choices", 0, "finish_reason"), 1),
        (("usage",), [1]),
        (("usage", "prompt_tokens"), "120"),
        (("usage", "completion_tokens_details"), "none"),
    ],
)
def test_chat_response_of_the_wrong_type(path: tuple[Any, ...], value: object) -> None:
    response: Any = f.chat_response()
    target = response
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert f.rejection(f.chat_record(response=response)) == "wrong_type"


# -- /v1/responses ------------------------------------------------------------------------------


def test_responses_request_and_response_columns() -> None:
    row = f.parse(f.responses_record())
    assert row == {
        **row,
        "endpoint": "/v1/responses",
        "model": "gpt-5.2",
        "system_prompt": f.SYSTEM_TEXT + "\nAnswer in plain English.",
        "user_text": f.USER_TEXT,
        "n_turns": 3,
        "n_user_turns": 2,
        "conversation_chars": len(
            f.SYSTEM_TEXT + "Answer in plain English.Hi!Hello." + f.USER_TEXT
        ),
        "temperature": 1.0,
        "top_p": None,
        "n": None,
        "max_tokens": 2048,
        "logprobs": True,
        "top_logprobs": 5,
        "reasoning_effort": "medium",
        "n_tools": 2,
        "tool_names": ["get_weather", "web_search"],
        "response_format": "json_schema",
        "end_user": "safety-hash-7",
        "response_id": "resp_abc123",
        "response_text": f.RESPONSE_TEXT,
        "reasoning_text": f.REASONING_TEXT + "\n" + f.SUMMARY_TEXT,
        "finish_reason": "completed",
        "refusal": False,
        "n_tool_calls": 1,
        "error_type": None,
        "input_tokens": 300,
        "output_tokens": 900,
        "reasoning_tokens": 512,
        "cached_input_tokens": 128,
    }
    f.to_table([row])


def test_responses_string_input_and_no_instructions() -> None:
    row = f.parse(f.responses_record(params={"input": "Just this.", "instructions": None}))
    assert columns(row, "system_prompt", "user_text", "n_turns", "n_user_turns") == {
        "system_prompt": None,
        "user_text": "Just this.",
        "n_turns": 1,
        "n_user_turns": 1,
    }
    assert row["conversation_chars"] == len("Just this.")


def test_responses_logprobs_from_include_or_top_logprobs() -> None:
    row = f.parse(f.responses_record(params={"include": None, "top_logprobs": None}))
    assert (row["logprobs"], row["top_logprobs"]) == (False, None)
    row = f.parse(f.responses_record(params={"include": ["reasoning.encrypted_content"]}))
    assert (row["logprobs"], row["top_logprobs"]) == (True, 5)
    params = {"include": ["reasoning.encrypted_content"], "top_logprobs": 0}
    assert f.parse(f.responses_record(params=params))["logprobs"] is False
    params = {"include": ["message.output_text.logprobs"], "top_logprobs": None}
    assert f.parse(f.responses_record(params=params))["logprobs"] is True


def test_responses_parameters_absent() -> None:
    params = {"reasoning": None, "text": None, "tools": None, "safety_identifier": None}
    row = f.parse(f.responses_record(params=params))
    assert columns(row, "reasoning_effort", "response_format", "n_tools", "tool_names") == {
        "reasoning_effort": None,
        "response_format": None,
        "n_tools": 0,
        "tool_names": None,
    }
    assert row["end_user"] == "body-user-2"
    row = f.parse(f.responses_record(params={"text": {"format": {"type": "text"}}}))
    assert row["response_format"] == "text"


def test_responses_tool_items_in_the_input() -> None:
    items: list[ResponseInputItemParam] = [
        {"role": "user", "content": "Weather and a screenshot, please."},
        {"type": "reasoning", "id": "rs_0", "summary": [{"type": "summary_text", "text": "plan"}]},
        {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1", "output": "sunny"},
        {
            "type": "function_call_output",
            "call_id": "c2",
            "output": [{"type": "input_text", "text": "windy"}],
        },
        {
            "type": "computer_call_output",
            "call_id": "c3",
            "output": {"type": "computer_screenshot", "image_url": "data:image/png;base64,AAAA"},
        },
    ]
    row = f.parse(f.responses_record(params={"input": items}))
    assert columns(row, "user_text", "n_turns", "n_user_turns") == {
        "user_text": "Weather and a screenshot, please.",
        "n_turns": 6,
        "n_user_turns": 1,
    }
    expected = len(f.SYSTEM_TEXT + "Weather and a screenshot, please." + "sunny" + "windy")
    assert row["conversation_chars"] == expected


def _response(**changes: Any) -> dict[str, Any]:
    response = Response.model_validate({**f.responses_response(), **changes})
    return f.dump(response)


def test_responses_refusal_and_other_tool_calls() -> None:
    refusal = ResponseOutputRefusal(type="refusal", refusal="I can't help with that.")
    message = ResponseOutputMessage(
        id="msg_2", type="message", role="assistant", status="completed", content=[refusal]
    )
    search = ResponseFunctionWebSearch(
        id="ws_1",
        type="web_search_call",
        status="completed",
        action=ActionSearch(type="search", query="weather"),
    )
    row = f.parse(f.responses_record(response=_response(output=[search, message])))
    assert columns(row, "response_text", "refusal", "n_tool_calls", "reasoning_text") == {
        "response_text": "I can't help with that.",
        "refusal": True,
        "n_tool_calls": 1,
        "reasoning_text": None,
    }


@pytest.mark.parametrize(
    ("reason", "refusal"), [("max_output_tokens", False), ("content_filter", True)]
)
def test_responses_incomplete(reason: str, refusal: bool) -> None:
    response = _response(status="incomplete", incomplete_details=IncompleteDetails(reason=reason))
    row = f.parse(f.responses_record(response=response))
    assert (row["finish_reason"], row["refusal"]) == (reason, refusal)


def test_responses_failed_and_error_bodies() -> None:
    error = ResponseError(code="server_error", message="The server had an error")
    response = _response(status="failed", error=error, output=[], usage=None)
    row = f.parse(f.responses_record(response=response, status=200))
    assert (row["error_type"], row["response_text"], row["finish_reason"]) == (
        "server_error",
        None,
        None,
    )
    row = f.parse(f.responses_record(response=f.openai_error("insufficient_quota"), status=429))
    assert (row["error_type"], row["status"]) == ("insufficient_quota", 429)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"input": 5}, "request.input"),
        ({"input": ["hi"]}, "request.input[]"),
        ({"input": [{"role": "user", "content": {"text": "hi"}}]}, "request.input[].content"),
        ({"reasoning": "high"}, "reasoning"),
        ({"reasoning": {"effort": 3}}, "request.reasoning"),
        ({"text": "json"}, "request.text"),
        ({"text": {"format": "json"}}, "request.text.format"),
        ({"include": "logprobs"}, "request.include"),
        ({"max_output_tokens": "2048"}, "request.max_output_tokens"),
        ({"top_logprobs": 2**31}, "request.top_logprobs"),
        ({"safety_identifier": 7}, "safety_identifier"),
    ],
)
def test_responses_request_of_the_wrong_type(params: dict[str, Any], field: str) -> None:
    with pytest.raises(Reject) as caught:
        openai_shapes.responses_request(f.responses_request(params=params), new_row())
    assert caught.value.reason == "wrong_type"
    assert caught.value.detail.startswith(field + " ")


@pytest.mark.parametrize(
    "changes",
    [
        {"output": {"type": "message"}},
        {"output": ["text"]},
        {"output": [{"type": "message", "content": "text"}]},
        {"output": [{"type": "reasoning", "summary": "text"}]},
        {"status": 200},
        {"usage": {"input_tokens": "300"}},
    ],
)
def test_responses_response_of_the_wrong_type(changes: dict[str, Any]) -> None:
    response = {**f.responses_response(), **changes}
    assert f.rejection(f.responses_record(response=response)) == "wrong_type"


# -- /v1/completions ----------------------------------------------------------------------------


def test_completions_request_and_response_columns() -> None:
    row = f.parse(f.completions_record())
    assert row == {
        **row,
        "endpoint": "/v1/completions",
        "model": "gpt-3.5-turbo-instruct",
        "system_prompt": None,
        "user_text": f.USER_TEXT,
        "n_turns": 1,
        "n_user_turns": 1,
        "conversation_chars": len(f.USER_TEXT),
        "temperature": 0.0,
        "n": 2,
        "max_tokens": 256,
        "logprobs": True,
        "top_logprobs": 5,
        "reasoning_effort": None,
        "n_tools": None,
        "tool_names": None,
        "response_format": None,
        "end_user": "legacy-user",
        "response_id": "cmpl-abc123",
        "response_text": f.RESPONSE_TEXT,
        "reasoning_text": None,
        "finish_reason": "stop",
        "refusal": False,
        "n_tool_calls": None,
        "input_tokens": 12,
        "output_tokens": 30,
        "reasoning_tokens": None,
        "cached_input_tokens": None,
    }
    f.to_table([row])


@pytest.mark.parametrize(
    ("prompt", "user_text"),
    [
        (["first", "second"], "first\nsecond"),
        ([1, 2, 3], ""),
        ([[1, 2], [3]], ""),
        ("", ""),
    ],
)
def test_completions_prompt_shapes(prompt: object, user_text: str) -> None:
    row = f.parse(f.completions_record(params={"prompt": prompt}))
    assert (row["user_text"], row["n_turns"], row["n_user_turns"]) == (user_text, 1, 1)


def test_completions_without_prompt_or_logprobs() -> None:
    row = f.parse(f.completions_record(params={"prompt": None, "logprobs": None}))
    assert (row["user_text"], row["n_turns"]) == (None, 0)
    assert (row["logprobs"], row["top_logprobs"]) == (False, None)
    row = f.parse(f.completions_record(params={"logprobs": 0}))
    assert (row["logprobs"], row["top_logprobs"]) == (True, 0)


def test_completions_content_filter_and_error() -> None:
    response = f.completions_response()
    response["choices"][0]["finish_reason"] = "content_filter"
    row = f.parse(f.completions_record(response=response))
    assert (row["refusal"], row["finish_reason"]) == (True, "content_filter")
    row = f.parse(f.completions_record(response=f.openai_error(), status=429))
    assert (row["error_type"], row["response_text"]) == ("requests", None)


@pytest.mark.parametrize(
    "params",
    [{"prompt": {"text": "hi"}}, {"prompt": 5}, {"logprobs": True}, {"logprobs": "5"}, {"n": 2.5}],
)
def test_completions_request_of_the_wrong_type(params: dict[str, Any]) -> None:
    assert f.rejection(f.completions_record(params=params)) == "wrong_type"
