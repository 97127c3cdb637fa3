"""Request and response bodies of one simulated API call, in the providers' own shapes.

A :class:`Call` says what one call asked for and what came back: prompt, answer, reasoning,
tools, sampling parameters, token counts or an error. :func:`render` turns it into the JSON
bodies a raw-log record carries (DESIGN.md, "Raw API log record"), shaped like the official
API of its endpoint: OpenAI chat completions, responses and legacy completions, Anthropic
messages. The ``openai`` / ``anthropic`` SDKs are not needed at run time: bodies are literal
dicts, fast enough for millions of calls, and the tests validate them against the SDK types.

A field a Call leaves at ``None`` (or ``False``) is not sent, as a client that relies on the
default would not send it. What an endpoint cannot express is left out of its bodies:

* ``/v1/completions`` has one prompt: no system prompt, earlier turns, tools, reasoning or
  response format; a refusal is the ``content_filter`` finish reason.
* ``/v1/responses`` has no ``n``; chat completions return no reasoning text (only its tokens).
* ``/v1/messages`` has no ``n``, ``temperature``/``top_p`` (absent from the current SDK's
  params), logprobs or JSON mode: ``json_object`` is sent as a JSON schema for any object.
  ``max_tokens`` is required there (4096 when the Call has none), and Anthropic's
  ``input_tokens`` excludes cache reads, so it is rendered as ``input_tokens - cached_tokens``.

A system prompt goes to chat completions as a ``developer`` message when the call sets a
reasoning effort (as reasoning models expect), else as a ``system`` message. The rendered dicts
may share sub-objects (the ``n`` choices of a chat completion share one message): serialise
them, do not mutate them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

Body = dict[str, Any]

CHAT: Final = "/v1/chat/completions"
RESPONSES: Final = "/v1/responses"
COMPLETIONS: Final = "/v1/completions"
MESSAGES: Final = "/v1/messages"
ENDPOINTS: Final = (CHAT, RESPONSES, COMPLETIONS, MESSAGES)

#: How each endpoint's response ids begin (``Call.response_id`` is used as given).
ID_PREFIX: Final = MappingProxyType(
    {CHAT: "chatcmpl-", RESPONSES: "resp_", COMPLETIONS: "cmpl-", MESSAGES: "msg_"}
)
ANTHROPIC_MAX_TOKENS: Final = 4096
_FALLBACK_TOOL: Final = "lookup"
_ALTERNATIVES: Final = (" the", " a", " and", " of", " to", " in", " it", " is", " we", " on")


@dataclass(slots=True)
class Call:
    """One API call's content; ``None`` request parameters are not sent."""

    endpoint: str
    model: str
    user_text: str
    system: str | None = None
    turns: tuple[tuple[str, str], ...] = ()  # earlier (role, text) turns: "user" / "assistant"
    answer: str | None = None  # the answer text, or the refusal message when ``refused``
    reasoning: str | None = None  # returned reasoning / thinking (summary) text
    refused: bool = False
    tool_names: tuple[str, ...] = ()  # tools offered
    tool_calls: int = 0  # tool calls in the answer (names cycle through ``tool_names``)
    temperature: float | None = None
    top_p: float | None = None
    n: int | None = None
    max_tokens: int | None = None
    logprobs: bool = False
    top_logprobs: int | None = None
    reasoning_effort: str | None = None
    thinking_budget: int | None = None
    response_format: str | None = None  # None | "json_object" | "json_schema"
    stream: bool = False
    end_user: str | None = None
    input_tokens: int = 0  # all prompt tokens, cached ones included (OpenAI's count)
    output_tokens: int = 0  # reasoning tokens included
    reasoning_tokens: int = 0
    cached_tokens: int = 0
    error: tuple[int, str, str] | None = None  # (HTTP status, error type, message)
    response_id: str = "resp_0"
    created: int = 0  # epoch seconds

    @property
    def truncated(self) -> bool:
        """The answer stopped at the output-token limit."""
        return self.max_tokens is not None and self.output_tokens >= self.max_tokens


def _schema() -> Body:
    return {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}


def _tool_name(call: Call, i: int) -> str:
    names = call.tool_names
    return names[i % len(names)] if names else _FALLBACK_TOOL


def _tail(call: Call) -> str:
    return call.response_id.removeprefix(ID_PREFIX[call.endpoint])


def _logprob(token: str, logprob: float) -> Body:
    return {"token": token, "logprob": logprob, "bytes": list(token.encode())}


def _token_logprobs(call: Call, text: str | None) -> list[Body]:
    """OpenAI's logprob entries for the first few words of ``text`` (a stand-in for tokens)."""
    words = (text or "").split(None, 3)[:3] or [""]
    tokens = [words[0], *(" " + w for w in words[1:])]
    k = call.top_logprobs or 0
    return [
        {
            **_logprob(t, -0.05 * (i + 1)),
            "top_logprobs": [
                _logprob(a, -0.05 * (i + 1) - 2.0 * j)
                for j, a in enumerate((t, *_ALTERNATIVES)[:k])
            ],
        }
        for i, t in enumerate(tokens)
    ]


# -- /v1/chat/completions -----------------------------------------------------------------------


def _finish(call: Call, refusal: str, tool_use: str, length: str, normal: str) -> str:
    """The stop / finish reason, in the words of the endpoint."""
    if call.refused:
        return refusal
    return tool_use if call.tool_calls else length if call.truncated else normal


def _openai_options(call: Call, body: Body, user_key: str, stream_options: bool) -> Body:
    """Sampling, end user and streaming fields, in that order at the end of ``body``."""
    if call.temperature is not None:
        body["temperature"] = call.temperature
    if call.top_p is not None:
        body["top_p"] = call.top_p
    if call.end_user is not None:
        body[user_key] = call.end_user
    if call.stream:
        body["stream"] = True
        if stream_options:
            body["stream_options"] = {"include_usage": True}
    return body


def _json_schema() -> Body:
    return {"name": "answer", "schema": _schema(), "strict": True}


def chat_request(call: Call) -> Body:
    messages: list[Body] = []
    if call.system is not None:
        role = "developer" if call.reasoning_effort is not None else "system"
        messages.append({"role": role, "content": call.system})
    messages.extend({"role": role, "content": text} for role, text in call.turns)
    messages.append({"role": "user", "content": call.user_text})
    body: Body = {"model": call.model, "messages": messages}
    if call.n is not None:
        body["n"] = call.n
    if call.max_tokens is not None:
        body["max_completion_tokens"] = call.max_tokens
    if call.logprobs:
        body["logprobs"] = True
        if call.top_logprobs is not None:
            body["top_logprobs"] = call.top_logprobs
    if call.reasoning_effort is not None:
        body["reasoning_effort"] = call.reasoning_effort
    if call.response_format == "json_schema":
        body["response_format"] = {"type": "json_schema", "json_schema": _json_schema()}
    elif call.response_format is not None:
        body["response_format"] = {"type": call.response_format}
    if call.tool_names:
        body["tools"] = [
            {"type": "function", "function": {"name": name, "parameters": _schema()}}
            for name in call.tool_names
        ]
    return _openai_options(call, body, "safety_identifier", stream_options=True)


def chat_response(call: Call) -> Body:
    message: Body = {"role": "assistant", "content": call.answer, "refusal": None}
    if call.refused:
        message["content"], message["refusal"] = None, call.answer
    finish = _finish(call, "stop", "tool_calls", "length", "stop")
    if call.tool_calls:
        tail = _tail(call)
        message["tool_calls"] = [
            {
                "id": f"call_{tail}_{i}",
                "type": "function",
                "function": {"name": _tool_name(call, i), "arguments": "{}"},
            }
            for i in range(call.tool_calls)
        ]
    logprobs = None
    if call.logprobs:
        logprobs = {"content": _token_logprobs(call, call.answer), "refusal": None}
    choices = [
        {"index": i, "message": message, "logprobs": logprobs, "finish_reason": finish}
        for i in range(call.n or 1)
    ]
    usage = {
        "prompt_tokens": call.input_tokens,
        "completion_tokens": call.output_tokens,
        "total_tokens": call.input_tokens + call.output_tokens,
        "prompt_tokens_details": {"cached_tokens": call.cached_tokens, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": call.reasoning_tokens, "audio_tokens": 0},
    }
    return {
        "id": call.response_id,
        "object": "chat.completion",
        "created": call.created,
        "model": call.model,
        "choices": choices,
        "usage": usage,
        "service_tier": "default",
    }


# -- /v1/responses ------------------------------------------------------------------------------


def _responses_tools(call: Call) -> list[Body]:
    return [
        {"type": "function", "name": name, "parameters": _schema(), "strict": True}
        for name in call.tool_names
    ]


def responses_request(call: Call) -> Body:
    items: str | list[Body] = call.user_text
    if call.turns:
        items = [{"role": role, "content": text} for role, text in call.turns]
        items.append({"role": "user", "content": call.user_text})
    body: Body = {"model": call.model, "input": items}
    if call.system is not None:
        body["instructions"] = call.system
    if call.max_tokens is not None:
        body["max_output_tokens"] = call.max_tokens
    if call.reasoning_effort is not None:
        body["reasoning"] = {"effort": call.reasoning_effort}
        if call.reasoning is not None:
            body["reasoning"]["summary"] = "auto"
    if call.response_format == "json_schema":
        body["text"] = {"format": {"type": "json_schema", **_json_schema()}}
    elif call.response_format is not None:
        body["text"] = {"format": {"type": call.response_format}}
    if call.logprobs:
        body["include"] = ["message.output_text.logprobs"]
        if call.top_logprobs is not None:
            body["top_logprobs"] = call.top_logprobs
    if call.tool_names:
        body["tools"] = _responses_tools(call)
    return _openai_options(call, body, "safety_identifier", stream_options=False)


def responses_response(call: Call) -> Body:
    tail = _tail(call)
    output: list[Body] = []
    if call.reasoning is not None:
        summary = [{"type": "summary_text", "text": call.reasoning}]
        output.append({"id": f"rs_{tail}", "type": "reasoning", "summary": summary})
    if call.answer is not None:
        part: Body
        if call.refused:
            part = {"type": "refusal", "refusal": call.answer}
        else:
            part = {"type": "output_text", "text": call.answer, "annotations": []}
            if call.logprobs:
                part["logprobs"] = _token_logprobs(call, call.answer)
        output.append(
            {
                "id": f"msg_{tail}",
                "type": "message",
                "role": "assistant",
                "status": "incomplete" if call.truncated else "completed",
                "content": [part],
            }
        )
    output.extend(
        {
            "id": f"fc_{tail}_{i}",
            "type": "function_call",
            "call_id": f"call_{tail}_{i}",
            "name": _tool_name(call, i),
            "arguments": "{}",
            "status": "completed",
        }
        for i in range(call.tool_calls)
    )
    usage = {
        "input_tokens": call.input_tokens,
        "input_tokens_details": {"cached_tokens": call.cached_tokens, "cache_write_tokens": 0},
        "output_tokens": call.output_tokens,
        "output_tokens_details": {"reasoning_tokens": call.reasoning_tokens},
        "total_tokens": call.input_tokens + call.output_tokens,
    }
    incomplete = {"reason": "max_output_tokens"} if call.truncated else None
    return {
        "id": call.response_id,
        "object": "response",
        "created_at": call.created,
        "status": "incomplete" if call.truncated else "completed",
        "incomplete_details": incomplete,
        "model": call.model,
        "output": output,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": _responses_tools(call) if call.tool_names else [],
        "usage": usage,
    }


# -- /v1/completions (legacy) -------------------------------------------------------------------


def completions_request(call: Call) -> Body:
    body: Body = {"model": call.model, "prompt": call.user_text}
    if call.n is not None:
        body["n"] = call.n
    if call.max_tokens is not None:
        body["max_tokens"] = call.max_tokens
    if call.logprobs:
        body["logprobs"] = call.top_logprobs or 0
    return _openai_options(call, body, "user", stream_options=True)


def completions_response(call: Call) -> Body:
    finish = _finish(call, "content_filter", "stop", "length", "stop")
    logprobs = None
    if call.logprobs:
        entries = _token_logprobs(call, call.answer)
        tokens = [e["token"] for e in entries]
        offsets = [0]
        for t in tokens[:-1]:
            offsets.append(offsets[-1] + len(t))
        logprobs = {
            "tokens": tokens,
            "token_logprobs": [e["logprob"] for e in entries],
            "top_logprobs": [
                {t["token"]: t["logprob"] for t in e["top_logprobs"]} for e in entries
            ],
            "text_offset": offsets,
        }
    text = call.answer or ""
    choices = [
        {"index": i, "text": text, "logprobs": logprobs, "finish_reason": finish}
        for i in range(call.n or 1)
    ]
    usage = {
        "prompt_tokens": call.input_tokens,
        "completion_tokens": call.output_tokens,
        "total_tokens": call.input_tokens + call.output_tokens,
    }
    return {
        "id": call.response_id,
        "object": "text_completion",
        "created": call.created,
        "model": call.model,
        "choices": choices,
        "usage": usage,
    }


# -- /v1/messages (Anthropic) -------------------------------------------------------------------


def messages_request(call: Call) -> Body:
    messages = [{"role": role, "content": text} for role, text in call.turns]
    messages.append({"role": "user", "content": call.user_text})
    limit = call.max_tokens or ANTHROPIC_MAX_TOKENS
    body: Body = {"model": call.model, "max_tokens": limit, "messages": messages}
    if call.system is not None:
        body["system"] = call.system
    output_config: Body = {}
    if call.thinking_budget is not None:
        body["thinking"] = {"type": "enabled", "budget_tokens": call.thinking_budget}
    elif call.reasoning_effort is not None:
        body["thinking"] = {"type": "adaptive"}
    if call.reasoning_effort is not None:
        output_config["effort"] = call.reasoning_effort
    if call.response_format is not None:
        output_config["format"] = {"type": "json_schema", "schema": _schema()}
    if output_config:
        body["output_config"] = output_config
    if call.tool_names:
        body["tools"] = [{"name": name, "input_schema": _schema()} for name in call.tool_names]
    if call.end_user is not None:
        body["metadata"] = {"user_id": call.end_user}
    if call.stream:
        body["stream"] = True
    return body


def messages_response(call: Call) -> Body:
    content: list[Body] = []
    usage: Body = {
        "input_tokens": call.input_tokens - call.cached_tokens,
        "output_tokens": call.output_tokens,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": call.cached_tokens,
        "service_tier": "standard",
    }
    if call.reasoning is not None:
        signature = f"EqQB{call.response_id}"
        content.append({"type": "thinking", "thinking": call.reasoning, "signature": signature})
        usage["output_tokens_details"] = {"thinking_tokens": call.reasoning_tokens}
    if call.answer is not None:
        content.append({"type": "text", "text": call.answer})
    if call.tool_calls:
        tail = _tail(call)
        content.extend(
            {
                "type": "tool_use",
                "id": f"toolu_{tail}_{i}",
                "name": _tool_name(call, i),
                "input": {},
            }
            for i in range(call.tool_calls)
        )
    return {
        "id": call.response_id,
        "type": "message",
        "role": "assistant",
        "model": call.model,
        "content": content,
        "stop_reason": _finish(call, "refusal", "tool_use", "max_tokens", "end_turn"),
        "stop_sequence": None,
        "usage": usage,
    }


# -- errors and dispatch ------------------------------------------------------------------------


def error_body(endpoint: str, error: tuple[int, str, str]) -> Body:
    """The body a provider returns for a failed call (the HTTP status goes in the record)."""
    _, kind, message = error
    if endpoint == MESSAGES:
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


Renderer = Callable[[Call], Body]
RENDERERS: Final[MappingProxyType[str, tuple[Renderer, Renderer]]] = MappingProxyType(
    {
        CHAT: (chat_request, chat_response),
        RESPONSES: (responses_request, responses_response),
        COMPLETIONS: (completions_request, completions_response),
        MESSAGES: (messages_request, messages_response),
    }
)


def render(call: Call) -> tuple[Body, Body]:
    """The (request body, response body) of ``call`` in its endpoint's provider shape."""
    request, response = RENDERERS[call.endpoint]
    if call.error is not None:
        return request(call), error_body(call.endpoint, call.error)
    return request(call), response(call)
