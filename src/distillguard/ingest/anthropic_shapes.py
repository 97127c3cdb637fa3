"""Anthropic ``/v1/messages`` request and response bodies → interaction columns.

Handles ``system`` as a string or as text blocks, text / thinking / redacted-thinking /
tool-use / tool-result blocks, thinking configuration, ``output_config`` and the
``{"type": "error", "error": {...}}`` body of a failed call.
"""

from __future__ import annotations

from distillguard.ingest.record import (
    JsonObject,
    Row,
    flag,
    integer,
    mapping,
    number,
    sequence,
    text,
)
from distillguard.ingest.text import Conversation, join_text


def _blocks_text(content: object, name: str, tool_results: bool = True) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        Conversation.wrong(name, content)
    parts: list[str] = []
    for block in content:
        if not isinstance(block, dict):
            Conversation.wrong(name + "[]", block)
        kind = block.get("type")
        if kind == "text" and isinstance(block.get("text"), str):
            parts.append(block["text"])
        elif kind == "tool_result" and tool_results:
            parts.append(_blocks_text(block.get("content"), name + "[].content"))
    return join_text(parts)


def messages_request(body: JsonObject, row: Row) -> None:
    row["model"] = text(body, "model", "request.model")
    row["stream"] = flag(body, "stream", "request.stream")
    row["temperature"] = number(body, "temperature", "request.temperature")
    row["top_p"] = number(body, "top_p", "request.top_p")
    row["max_tokens"] = integer(body, "max_tokens", "request.max_tokens")
    conv = Conversation()
    conv.system(_blocks_text(body.get("system"), "request.system"))
    for message in sequence(body, "messages", "request.messages"):
        if not isinstance(message, dict):
            Conversation.wrong("request.messages[]", message)
        blocks = message.get("content")
        content = _blocks_text(blocks, "request.messages[].content")
        role = message.get("role")
        if role == "system":
            conv.system(content)
        elif role == "user" and isinstance(blocks, list):
            # tool results ride in user messages: their text is the tool's, not the prompt
            prompt = _blocks_text(blocks, "request.messages[].content", tool_results=False)
            conv.turn(bool(prompt) or not content, prompt)
            conv.chars += len(content) - len(prompt)
        else:
            conv.turn(role == "user", content)
    conv.fill(row)
    thinking = mapping(body, "thinking", "request.thinking")
    kind = text(thinking, "type", "request.thinking.type")
    row["thinking_budget"] = integer(thinking, "budget_tokens", "request.thinking.budget_tokens")
    output_config = mapping(body, "output_config", "request.output_config")
    effort = text(output_config, "effort", "request.output_config.effort")
    if effort is None and kind in ("enabled", "adaptive") and row["thinking_budget"] is None:
        effort = kind
    row["reasoning_effort"] = effort
    fmt = mapping(output_config, "format") or mapping(body, "output_format")
    row["response_format"] = text(fmt, "type", "request.output_config.format.type")
    tools = sequence(body, "tools", "request.tools")
    names = [t["name"] for t in tools if isinstance(t, dict) and isinstance(t.get("name"), str)]
    row["n_tools"] = len(tools)
    row["tool_names"] = names or None
    row["end_user"] = text(mapping(body, "metadata"), "user_id", "request.metadata.user_id")


def messages_response(body: JsonObject, row: Row) -> None:
    if body.get("type") == "error" or isinstance(body.get("error"), dict):
        row["error_type"] = text(mapping(body, "error"), "type", "error.type")
        return
    row["response_id"] = text(body, "id", "response.id")
    answer: list[str] = []
    reasoning: list[str] = []
    tool_calls = 0
    for block in sequence(body, "content", "response.content"):
        if not isinstance(block, dict):
            Conversation.wrong("response.content[]", block)
        kind = block.get("type")
        if kind == "text" and isinstance(block.get("text"), str):
            answer.append(block["text"])
        elif kind == "thinking" and isinstance(block.get("thinking"), str):
            reasoning.append(block["thinking"])
        elif kind in ("tool_use", "server_tool_use"):
            tool_calls += 1
    row["response_text"] = join_text(answer) or None
    row["reasoning_text"] = join_text(reasoning) or None
    row["finish_reason"] = text(body, "stop_reason", "response.stop_reason")
    row["refusal"] = row["finish_reason"] == "refusal"
    row["n_tool_calls"] = tool_calls
    usage = mapping(body, "usage", "response.usage")
    row["input_tokens"] = integer(usage, "input_tokens", "usage.input_tokens")
    row["output_tokens"] = integer(usage, "output_tokens", "usage.output_tokens")
    details = mapping(usage, "output_tokens_details", "usage.output_tokens_details")
    row["reasoning_tokens"] = integer(details, "thinking_tokens", "usage.thinking_tokens")
    row["cached_input_tokens"] = integer(
        usage, "cache_read_input_tokens", "usage.cache_read_input_tokens"
    )
