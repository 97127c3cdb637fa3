"""Anthropic ``/v1/messages`` bodies → interaction columns."""

from __future__ import annotations

from typing import Any

import anthropic.types as at
import pytest

from distillguard.ingest import anthropic_shapes
from distillguard.ingest.record import PARSED_NAMES, Reject, new_row
from tests import factories as f

HISTORY = [
    "What's the weather in Paris?",
    "Let me check.",
    f.TOOL_OUTPUT,
    "It is 18°C. Anything else?",
]


def columns(row: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: row[name] for name in names}


def test_messages_request_and_response_columns() -> None:
    row = f.parse(f.messages_record())
    assert tuple(row) == PARSED_NAMES
    assert row == {
        **row,
        "endpoint": "/v1/messages",
        "model": "claude-opus-4-5",
        "stream": None,
        "system_prompt": f.SYSTEM_TEXT,
        "user_text": f.USER_TEXT,
        # the user message holding only a tool result is the tool's turn, not the user's
        "n_turns": 5,
        "n_user_turns": 2,
        "conversation_chars": len(f.SYSTEM_TEXT + "".join(HISTORY) + f.USER_TEXT),
        "temperature": None,
        "top_p": None,
        "n": None,
        "max_tokens": 8192,
        "logprobs": None,
        "top_logprobs": None,
        "reasoning_effort": None,
        "thinking_budget": 4000,
        "n_tools": 2,
        "tool_names": ["get_weather", "web_search"],
        "response_format": None,
        "end_user": "anthropic-user-5",
        "response_id": "msg_01abc",
        "response_text": f.RESPONSE_TEXT,
        "reasoning_text": f.REASONING_TEXT,
        "finish_reason": "tool_use",
        "refusal": False,
        "n_tool_calls": 1,
        "error_type": None,
        "input_tokens": 500,
        "output_tokens": 700,
        "reasoning_tokens": 300 if f.ANTHROPIC_HAS_THINKING_TOKENS else None,
        "cached_input_tokens": 400,
    }
    f.to_table([row])


def test_system_as_text_blocks() -> None:
    row = f.parse(f.messages_record(params={"system": f.SYSTEM_BLOCKS}))
    assert row["system_prompt"] == f.SYSTEM_TEXT + "\nBe brief."
    assert row["conversation_chars"] == len(
        f.SYSTEM_TEXT + "\nBe brief." + "".join(HISTORY) + f.USER_TEXT
    )
    row = f.parse(f.messages_record(params={"system": None}))
    assert row["system_prompt"] is None


def test_system_messages_in_the_conversation() -> None:
    system: at.SystemMessageParam = {
        "role": "system",
        "content": [{"type": "text", "text": "Late rule."}],
    }
    user: at.MessageParam = {"role": "user", "content": "Hi"}
    row = f.parse(f.messages_record(params={"messages": [system, user]}))
    assert row["system_prompt"] == f.SYSTEM_TEXT + "\nLate rule."
    assert columns(row, "user_text", "n_turns", "n_user_turns", "conversation_chars") == {
        "user_text": "Hi",
        "n_turns": 1,
        "n_user_turns": 1,
        "conversation_chars": len(f.SYSTEM_TEXT + "Late rule.Hi"),
    }


def test_tool_results_are_not_the_prompt() -> None:
    result: at.ToolResultBlockParam = {"type": "tool_result", "tool_use_id": "t1", "content": "42"}
    mixed: at.MessageParam = {"role": "user", "content": [result, {"type": "text", "text": "Why?"}]}
    row = f.parse(f.messages_record(params={"messages": [mixed]}))
    assert columns(row, "user_text", "n_turns", "n_user_turns", "conversation_chars") == {
        "user_text": "Why?",
        "n_turns": 1,
        "n_user_turns": 1,
        "conversation_chars": len(f.SYSTEM_TEXT) + len("42\nWhy?"),
    }
    only: at.MessageParam = {"role": "user", "content": [result]}
    row = f.parse(f.messages_record(params={"messages": [{"role": "user", "content": "Go"}, only]}))
    assert columns(row, "user_text", "n_turns", "n_user_turns", "conversation_chars") == {
        "user_text": "Go",
        "n_turns": 2,
        "n_user_turns": 1,
        "conversation_chars": len(f.SYSTEM_TEXT + "Go42"),
    }


def test_content_blocks_without_text() -> None:
    image: at.ImageBlockParam = {
        "type": "image",
        "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="},
    }
    messages: list[at.MessageParam] = [{"role": "user", "content": [image]}]
    row = f.parse(f.messages_record(params={"messages": messages}))
    assert columns(row, "user_text", "n_turns", "n_user_turns") == {
        "user_text": "",
        "n_turns": 1,
        "n_user_turns": 1,
    }


@pytest.mark.parametrize(
    ("thinking", "output_config", "effort", "budget"),
    [
        ({"type": "enabled", "budget_tokens": 2048}, None, None, 2048),
        ({"type": "adaptive"}, None, "adaptive", None),
        ({"type": "adaptive"}, {"effort": "high"}, "high", None),
        ({"type": "disabled"}, None, None, None),
        (None, {"effort": "low"}, "low", None),
        (None, None, None, None),
    ],
)
def test_thinking_and_effort(
    thinking: at.ThinkingConfigParam | None,
    output_config: at.OutputConfigParam | None,
    effort: str | None,
    budget: int | None,
) -> None:
    row = f.parse(f.messages_record(params={"thinking": thinking, "output_config": output_config}))
    assert (row["reasoning_effort"], row["thinking_budget"]) == (effort, budget)


def test_structured_output_and_sampling() -> None:
    output_config: at.OutputConfigParam = {"format": {"type": "json_schema", "schema": f.ARGS}}
    params = {"output_config": output_config, "temperature": 1, "top_p": 0.95, "stream": True}
    row = f.parse(f.messages_record(params=params))
    assert columns(row, "response_format", "temperature", "top_p", "stream") == {
        "response_format": "json_schema",
        "temperature": 1.0,
        "top_p": 0.95,
        "stream": True,
    }
    legacy = {"output_format": {"type": "json_schema", "schema": f.ARGS}}
    assert f.parse(f.messages_record(params=legacy))["response_format"] == "json_schema"


def test_no_tools_and_no_metadata() -> None:
    row = f.parse(f.messages_record(params={"tools": None, "metadata": None}))
    assert columns(row, "n_tools", "tool_names", "end_user") == {
        "n_tools": 0,
        "tool_names": None,
        "end_user": None,
    }


def test_refusal() -> None:
    response = f.messages_response("", stop_reason="refusal")
    response["stop_details"] = f.dump(at.RefusalStopDetails(type="refusal", category="cyber"))
    response["content"] = [f.dump(at.TextBlock(type="text", text="I can't help with that."))]
    row = f.parse(f.messages_record(response=response))
    assert columns(row, "refusal", "finish_reason", "response_text", "n_tool_calls") == {
        "refusal": True,
        "finish_reason": "refusal",
        "response_text": "I can't help with that.",
        "n_tool_calls": 0,
    }


def test_response_blocks() -> None:
    blocks = [
        at.RedactedThinkingBlock(type="redacted_thinking", data="EmwKAhgB"),
        at.ServerToolUseBlock(
            type="server_tool_use", id="srvtoolu_1", name="web_search", input={"query": "weather"}
        ),
        at.WebSearchToolResultBlock(
            type="web_search_tool_result", tool_use_id="srvtoolu_1", content=[]
        ),
        at.TextBlock(type="text", text="Part one."),
        at.TextBlock(type="text", text="Part two."),
    ]
    response = f.messages_response(stop_reason="end_turn")
    response["content"] = [f.dump(block) for block in blocks]
    row = f.parse(f.messages_record(response=response))
    assert columns(row, "response_text", "reasoning_text", "n_tool_calls", "finish_reason") == {
        "response_text": "Part one.\nPart two.",
        "reasoning_text": None,
        "n_tool_calls": 1,
        "finish_reason": "end_turn",
    }


def test_usage_without_optional_counts() -> None:
    response = f.messages_response()
    response["usage"] = f.dump(at.Usage(input_tokens=10, output_tokens=20))
    row = f.parse(f.messages_record(response=response))
    assert columns(
        row, "input_tokens", "output_tokens", "reasoning_tokens", "cached_input_tokens"
    ) == {
        "input_tokens": 10,
        "output_tokens": 20,
        "reasoning_tokens": None,
        "cached_input_tokens": None,
    }


@pytest.mark.parametrize(("kind", "status"), [("rate_limit_error", 429), ("overloaded_error", 529)])
def test_error_body(kind: str, status: int) -> None:
    row = f.parse(f.messages_record(response=f.anthropic_error(kind), status=status))
    assert columns(row, "error_type", "status", "response_text", "response_id", "model") == {
        "error_type": kind,
        "status": status,
        "response_text": None,
        "response_id": None,
        "model": "claude-opus-4-5",
    }
    assert (row["input_tokens"], row["refusal"], row["user_text"]) == (None, None, f.USER_TEXT)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"system": 5}, "request.system"),
        ({"system": ["rule"]}, "request.system[]"),
        ({"messages": {"role": "user"}}, "request.messages"),
        ({"messages": ["hi"]}, "request.messages[]"),
        ({"messages": [{"role": "user", "content": 5}]}, "request.messages[].content"),
        ({"messages": [{"role": "user", "content": ["hi"]}]}, "request.messages[].content[]"),
        ({"thinking": "on"}, "request.thinking"),
        (
            {"thinking": {"type": "enabled", "budget_tokens": "4k"}},
            "request.thinking.budget_tokens",
        ),
        ({"output_config": {"effort": 1}}, "request.output_config.effort"),
        ({"max_tokens": "8192"}, "request.max_tokens"),
        ({"temperature": "1"}, "request.temperature"),
        ({"tools": {"name": "x"}}, "request.tools"),
        ({"metadata": {"user_id": 5}}, "request.metadata.user_id"),
    ],
)
def test_request_of_the_wrong_type(params: dict[str, Any], field: str) -> None:
    with pytest.raises(Reject) as caught:
        anthropic_shapes.messages_request(f.messages_request(params=params), new_row())
    assert caught.value.reason == "wrong_type"
    assert caught.value.detail.startswith(field + " ")


@pytest.mark.parametrize(
    "changes",
    [
        {"content": {"type": "text"}},
        {"content": ["text"]},
        {"stop_reason": 1},
        {"usage": "none"},
        {"usage": {"input_tokens": "500"}},
        {"usage": {"output_tokens_details": []}},
        {"type": "error", "error": {"type": 5}},
    ],
)
def test_response_of_the_wrong_type(changes: dict[str, Any]) -> None:
    response = {**f.messages_response(), **changes}
    assert f.rejection(f.messages_record(response=response)) == "wrong_type"
