"""OpenAI request and response bodies → interaction columns.

Covers ``/v1/chat/completions``, ``/v1/responses`` and ``/v1/completions`` in the shapes of the
official API (and of the ``openai`` SDK's types), including the assembled object of a streamed
call and the ``{"error": {...}}`` body of a failed one.
"""

from __future__ import annotations

from typing import Any

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


def _content_text(content: object, name: str) -> str:
    """Text of a message ``content``: a string or a list of typed parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts: list[str] = []
        for part in content:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict):
                value = part.get("text")
                if value is None and part.get("type") == "refusal":
                    value = part.get("refusal")
                if isinstance(value, str):
                    parts.append(value)
        return join_text(parts)
    return Conversation.wrong(name, content)


def _tools(body: JsonObject, row: Row) -> None:
    tools = sequence(body, "tools", "request.tools")
    names: list[str] = []
    for tool in tools:
        if not isinstance(tool, dict):
            continue
        inner = tool.get("function") or tool.get("custom") or tool
        name = inner.get("name") if isinstance(inner, dict) else None
        names.append(name if isinstance(name, str) else str(tool.get("type", "tool")))
    row["n_tools"] = len(tools)
    row["tool_names"] = names or None


def _common(body: JsonObject, row: Row) -> None:
    row["model"] = text(body, "model", "request.model")
    row["stream"] = flag(body, "stream", "request.stream")
    row["temperature"] = number(body, "temperature", "request.temperature")
    row["top_p"] = number(body, "top_p", "request.top_p")


def chat_request(body: JsonObject, row: Row) -> None:
    _common(body, row)
    conv = Conversation()
    for message in sequence(body, "messages", "request.messages"):
        if not isinstance(message, dict):
            Conversation.wrong("request.messages[]", message)
        role = message.get("role")
        content = _content_text(message.get("content"), "request.messages[].content")
        if role in ("system", "developer"):
            conv.system(content)
        else:
            conv.turn(role == "user", content)
    conv.fill(row)
    row["n"] = integer(body, "n", "request.n", bits=32)
    row["max_tokens"] = integer(body, "max_completion_tokens", "request.max_completion_tokens")
    if row["max_tokens"] is None:
        row["max_tokens"] = integer(body, "max_tokens", "request.max_tokens")
    row["logprobs"] = flag(body, "logprobs", "request.logprobs")
    row["top_logprobs"] = integer(body, "top_logprobs", "request.top_logprobs", bits=32)
    row["reasoning_effort"] = text(body, "reasoning_effort", "request.reasoning_effort")
    row["response_format"] = text(mapping(body, "response_format"), "type", "response_format")
    row["end_user"] = text(body, "safety_identifier") or text(body, "user", "request.user")
    _tools(body, row)


def responses_request(body: JsonObject, row: Row) -> None:
    _common(body, row)
    conv = Conversation()
    instructions = body.get("instructions")
    if isinstance(instructions, str):
        conv.system(instructions)
    items = body.get("input")
    if isinstance(items, str):
        conv.turn(True, items)
    elif isinstance(items, list):
        for item in items:
            if not isinstance(item, dict):
                Conversation.wrong("request.input[]", item)
            role = item.get("role")
            kind = item.get("type", "message")
            if kind != "message" and role is None:
                # tool outputs: text (a string or parts), or an object such as a screenshot
                output = item.get("output")
                if not isinstance(output, str | list):
                    output = None
                conv.turn(False, _content_text(output, "request.input[].output"))
                continue
            content = _content_text(item.get("content"), "request.input[].content")
            if role in ("system", "developer"):
                conv.system(content)
            else:
                conv.turn(role == "user", content)
    elif items is not None:
        Conversation.wrong("request.input", items)
    conv.fill(row)
    row["max_tokens"] = integer(body, "max_output_tokens", "request.max_output_tokens")
    row["top_logprobs"] = integer(body, "top_logprobs", "request.top_logprobs", bits=32)
    include = sequence(body, "include", "request.include")
    row["logprobs"] = any(isinstance(i, str) and i.endswith("logprobs") for i in include) or (
        row["top_logprobs"] is not None and row["top_logprobs"] > 0
    )
    row["reasoning_effort"] = text(mapping(body, "reasoning"), "effort", "request.reasoning")
    fmt = mapping(mapping(body, "text", "request.text"), "format", "request.text.format")
    row["response_format"] = text(fmt, "type", "request.text.format.type")
    row["end_user"] = text(body, "safety_identifier") or text(body, "user", "request.user")
    _tools(body, row)


def completions_request(body: JsonObject, row: Row) -> None:
    _common(body, row)
    prompt = body.get("prompt")
    conv = Conversation()
    if isinstance(prompt, str):
        conv.turn(True, prompt)
    elif isinstance(prompt, list):
        conv.turn(True, join_text([p for p in prompt if isinstance(p, str)]))
    elif prompt is not None:
        Conversation.wrong("request.prompt", prompt)
    conv.fill(row)
    row["n"] = integer(body, "n", "request.n", bits=32)
    row["max_tokens"] = integer(body, "max_tokens", "request.max_tokens")
    top = integer(body, "logprobs", "request.logprobs", bits=32)
    row["logprobs"] = top is not None
    row["top_logprobs"] = top
    row["end_user"] = text(body, "user", "request.user")


def _usage(usage: JsonObject, row: Row) -> None:
    row["input_tokens"] = integer(usage, "prompt_tokens", "usage.prompt_tokens")
    if row["input_tokens"] is None:
        row["input_tokens"] = integer(usage, "input_tokens", "usage.input_tokens")
    row["output_tokens"] = integer(usage, "completion_tokens", "usage.completion_tokens")
    if row["output_tokens"] is None:
        row["output_tokens"] = integer(usage, "output_tokens", "usage.output_tokens")
    out_details = mapping(usage, "completion_tokens_details") or mapping(
        usage, "output_tokens_details"
    )
    row["reasoning_tokens"] = integer(out_details, "reasoning_tokens", "usage.reasoning_tokens")
    in_details = mapping(usage, "prompt_tokens_details") or mapping(usage, "input_tokens_details")
    row["cached_input_tokens"] = integer(in_details, "cached_tokens", "usage.cached_tokens")


def _error(body: JsonObject, row: Row) -> bool:
    error = body.get("error")
    if isinstance(error, dict):
        row["error_type"] = text(error, "type", "error.type") or text(error, "code")
        return True
    return False


def chat_response(body: JsonObject, row: Row) -> None:
    if _error(body, row):
        return
    row["response_id"] = text(body, "id", "response.id")
    choices = sequence(body, "choices", "response.choices")
    if choices:
        first = choices[0]
        if not isinstance(first, dict):
            Conversation.wrong("response.choices[0]", first)
        message = mapping(first, "message", "response.choices[0].message")
        row["response_text"] = _content_text(message.get("content"), "message.content") or None
        reasoning = message.get("reasoning_content") or message.get("reasoning")
        row["reasoning_text"] = reasoning if isinstance(reasoning, str) else None
        refusal = text(message, "refusal", "message.refusal")
        row["finish_reason"] = text(first, "finish_reason", "choices[0].finish_reason")
        row["refusal"] = bool(refusal) or row["finish_reason"] == "content_filter"
        row["n_tool_calls"] = len(sequence(message, "tool_calls", "message.tool_calls"))
    _usage(mapping(body, "usage", "response.usage"), row)


def responses_response(body: JsonObject, row: Row) -> None:
    if _error(body, row):
        return
    row["response_id"] = text(body, "id", "response.id")
    answer: list[str] = []
    reasoning: list[str] = []
    refused = False
    tool_calls = 0
    for item in sequence(body, "output", "response.output"):
        if not isinstance(item, dict):
            Conversation.wrong("response.output[]", item)
        kind = item.get("type")
        if kind == "message":
            for part in sequence(item, "content", "output[].content"):
                if isinstance(part, dict):
                    if part.get("type") == "refusal":
                        refused = True
                        answer.append(str(part.get("refusal") or ""))
                    elif isinstance(part.get("text"), str):
                        answer.append(part["text"])
        elif kind == "reasoning":
            for key in ("content", "summary"):
                reasoning.extend(
                    p["text"]
                    for p in sequence(item, key, f"output[].{key}")
                    if isinstance(p, dict) and isinstance(p.get("text"), str)
                )
        elif isinstance(kind, str) and kind.endswith("_call"):
            tool_calls += 1
    row["response_text"] = join_text(answer) or None
    row["reasoning_text"] = join_text(reasoning) or None
    status = text(body, "status", "response.status")
    incomplete = text(mapping(body, "incomplete_details"), "reason", "incomplete_details.reason")
    row["finish_reason"] = incomplete or status
    row["refusal"] = refused or incomplete == "content_filter"
    row["n_tool_calls"] = tool_calls
    _usage(mapping(body, "usage", "response.usage"), row)


def completions_response(body: JsonObject, row: Row) -> None:
    if _error(body, row):
        return
    row["response_id"] = text(body, "id", "response.id")
    choices = sequence(body, "choices", "response.choices")
    if choices and isinstance(choices[0], dict):
        first: dict[str, Any] = choices[0]
        row["response_text"] = text(first, "text", "choices[0].text")
        row["finish_reason"] = text(first, "finish_reason", "choices[0].finish_reason")
        row["refusal"] = row["finish_reason"] == "content_filter"
    _usage(mapping(body, "usage", "response.usage"), row)
