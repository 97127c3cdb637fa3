"""Provider wire shapes: one :class:`Call` → one raw API log record (DESIGN.md contract).

Request bodies follow the OpenAI ``chat.completions`` / ``responses`` / ``completions`` and the
Anthropic ``messages`` create-parameters; response bodies are what those APIs return (for a
streamed call, the assembled object). :mod:`bench.outside.validate` checks them against the
official SDK types.
"""

from __future__ import annotations

import json
import random
from typing import Any

from bench.outside.identity import alnum
from bench.outside.model import CHAT, COMPLETIONS, MESSAGES, RESPONSES, Call, Exchange

# What the API answers with for a requested model name.
SNAPSHOTS: dict[str, str] = {
    "gpt-5.1": "gpt-5.1-2025-11-13",
    "gpt-5.1-mini": "gpt-5.1-mini-2025-11-13",
    "gpt-5.2": "gpt-5.2-2026-11-26",
    "o4-mini": "o4-mini-2025-04-16",
    "gpt-4.1-mini": "gpt-4.1-mini-2025-04-14",
    "gpt-3.5-turbo-instruct": "gpt-3.5-turbo-instruct",
    "claude-sonnet-4-5": "claude-sonnet-4-5-20250929",
    "claude-haiku-4-5": "claude-haiku-4-5-20251001",
    "claude-opus-4-6": "claude-opus-4-6-20261126",
}
LOGPROB_TOKENS = 24  # token entries kept per logprobs answer (the real list has one per token)

TOOL_SCHEMAS: dict[str, tuple[str, dict[str, Any]]] = {
    "run_python": (
        "Execute Python code in a sandbox and return stdout.",
        {"code": {"type": "string"}},
    ),
    "read_file": ("Read a file from the repository.", {"path": {"type": "string"}}),
    "write_file": (
        "Write content to a file.",
        {"path": {"type": "string"}, "content": {"type": "string"}},
    ),
    "search_web": ("Search the web.", {"query": {"type": "string"}}),
    "bash": ("Run a shell command.", {"command": {"type": "string"}}),
    "get_order_status": ("Look up an order by id.", {"order_id": {"type": "string"}}),
    "lookup_customer": ("Fetch a customer record.", {"customer_id": {"type": "string"}}),
    "create_ticket": (
        "Open a support ticket.",
        {"title": {"type": "string"}, "body": {"type": "string"}},
    ),
    "sql_query": ("Run a read-only SQL query.", {"sql": {"type": "string"}}),
    "post_review_comment": (
        "Post a review comment on a pull request line.",
        {"path": {"type": "string"}, "line": {"type": "integer"}, "body": {"type": "string"}},
    ),
}


def tokens(text: str) -> int:
    return max(1, round(len(text) / 3.8))


def iso(call: Call) -> str:
    return call.ts.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _schema(name: str) -> tuple[str, dict[str, Any]]:
    desc, props = TOOL_SCHEMAS.get(name, ("A tool.", {"input": {"type": "string"}}))
    return desc, {"type": "object", "properties": props, "required": list(props)}


def _arguments(name: str, ex: Exchange) -> dict[str, Any]:
    _, schema = _schema(name)
    return {
        key: (ex.user_text[:80] if spec["type"] == "string" else 12)
        for key, spec in schema["properties"].items()
    }


def _alternatives(rng: random.Random, answer: str, n: int) -> list[str]:
    """``n`` answers: the answer, then re-orderings of its paragraphs (different samples)."""
    parts = [p for p in answer.split("\n") if p.strip()] or [answer]
    out = [answer]
    for _ in range(n - 1):
        shuffled = parts[:]
        rng.shuffle(shuffled)
        out.append("\n".join(shuffled))
    return out


def _chat_logprobs(rng: random.Random, text: str, top: int | None) -> dict[str, Any]:
    content = []
    for word in text.split()[:LOGPROB_TOKENS]:
        token = " " + word
        alts = [
            {
                "token": token,
                "logprob": round(-rng.expovariate(8), 5),
                "bytes": list(token.encode()),
            }
        ]
        for _ in range((top or 0) - 1):
            other = " " + alnum(rng, rng.randint(2, 6)).lower()
            alts.append(
                {
                    "token": other,
                    "logprob": round(-rng.uniform(1.5, 12), 5),
                    "bytes": list(other.encode()),
                }
            )
        content.append(
            {
                "token": token,
                "logprob": alts[0]["logprob"],
                "bytes": list(token.encode()),
                "top_logprobs": alts[: top or 0],
            }
        )
    return {"content": content, "refusal": None}


# -- OpenAI chat.completions ------------------------------------------------------------
def _chat(rng: random.Random, call: Call) -> tuple[dict[str, Any], dict[str, Any] | None]:
    ex = call.exchange
    messages: list[dict[str, Any]] = []
    if ex.system:
        role = (
            "developer" if ex.model.startswith(("gpt-5", "o4")) and rng.random() < 0.5 else "system"
        )
        messages.append({"role": role, "content": ex.system})
    for user, assistant in ex.history:
        messages.append({"role": "user", "content": user})
        messages.append({"role": "assistant", "content": assistant})
    messages.append({"role": "user", "content": ex.user_text})
    req: dict[str, Any] = {"model": ex.model, "messages": messages}
    if ex.temperature is not None:
        req["temperature"] = ex.temperature
    if ex.top_p is not None:
        req["top_p"] = ex.top_p
    if ex.max_tokens is not None:
        key = "max_completion_tokens" if ex.model.startswith(("gpt-5", "o4")) else "max_tokens"
        req[key] = ex.max_tokens
    if ex.n:
        req["n"] = ex.n
    if ex.logprobs:
        req["logprobs"] = True
        if ex.top_logprobs:
            req["top_logprobs"] = ex.top_logprobs
    if ex.reasoning_effort:
        req["reasoning_effort"] = ex.reasoning_effort
    if ex.tools:
        req["tools"] = [
            {
                "type": "function",
                "function": {"name": t, "description": _schema(t)[0], "parameters": _schema(t)[1]},
            }
            for t in ex.tools
        ]
    if ex.response_format:
        req["response_format"] = {"type": ex.response_format}
    if ex.stream:
        req["stream"] = True
        req["stream_options"] = {"include_usage": True}
    if ex.end_user:
        req["safety_identifier" if rng.random() < 0.5 else "user"] = ex.end_user
    if call.status != 200:
        return req, _openai_error(call)
    choices = []
    answers = _alternatives(rng, ex.answer, ex.n or 1)
    for index, text in enumerate(answers):
        message: dict[str, Any] = {
            "role": "assistant",
            "content": text,
            "refusal": None,
            "annotations": [],
        }
        finish = "stop" if tokens(text) < (ex.max_tokens or 10**9) else "length"
        if ex.refusal:
            message["content"] = None
            message["refusal"] = text
        elif ex.tool_call:
            message["content"] = None
            message["tool_calls"] = [
                {
                    "id": f"call_{alnum(rng, 24)}",
                    "type": "function",
                    "function": {
                        "name": ex.tool_call,
                        "arguments": json.dumps(_arguments(ex.tool_call, ex)),
                    },
                }
            ]
            finish = "tool_calls"
        choice: dict[str, Any] = {
            "index": index,
            "message": message,
            "finish_reason": finish,
            "logprobs": None,
        }
        if ex.logprobs:
            choice["logprobs"] = _chat_logprobs(rng, text, ex.top_logprobs)
        choices.append(choice)
    out_tokens = sum(tokens(a) for a in answers) + (tokens(ex.reasoning) if ex.reasoning else 0)
    usage = _openai_usage(
        call, out_tokens, prompt_key="prompt_tokens", completion_key="completion_tokens"
    )
    resp = {
        "id": f"chatcmpl-{alnum(rng, 29)}",
        "object": "chat.completion",
        "created": int(call.ts.timestamp()),
        "model": SNAPSHOTS.get(ex.model, ex.model),
        "choices": choices,
        "usage": usage,
        "service_tier": "default",
        "system_fingerprint": f"fp_{alnum(rng, 10).lower()}",
    }
    return req, resp


def _input_tokens(ex: Exchange) -> int:
    chars = len(ex.system or "") + len(ex.user_text) + sum(len(u) + len(a) for u, a in ex.history)
    return max(1, round(chars / 3.8)) + 7 * (len(ex.history) * 2 + 1) + 60 * len(ex.tools)


def _openai_usage(
    call: Call, out_tokens: int, prompt_key: str, completion_key: str
) -> dict[str, Any]:
    ex = call.exchange
    inp = _input_tokens(ex)
    cached = int(inp * ex.cached_share) // 64 * 64
    reasoning = tokens(ex.reasoning) if ex.reasoning else 0
    if prompt_key == "prompt_tokens":
        return {
            "prompt_tokens": inp,
            "completion_tokens": out_tokens,
            "total_tokens": inp + out_tokens,
            "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": reasoning,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        }
    return {
        "input_tokens": inp,
        "output_tokens": out_tokens,
        "total_tokens": inp + out_tokens,
        "input_tokens_details": {"cached_tokens": cached, "cache_write_tokens": 0},
        "output_tokens_details": {"reasoning_tokens": reasoning},
    }


def _openai_error(call: Call) -> dict[str, Any]:
    kind = call.error or "rate_limit_exceeded"
    messages = {
        "rate_limit_exceeded": (
            "Rate limit reached for requests per min. Please try again in 20s.",
            "requests",
            "rate_limit_exceeded",
        ),
        "insufficient_quota": (
            "You exceeded your current quota, please check your plan and billing details.",
            "insufficient_quota",
            "insufficient_quota",
        ),
        "account_deactivated": (
            "This account has been deactivated for violating our usage policies.",
            "invalid_request_error",
            "account_deactivated",
        ),
        "server_error": (
            "The server had an error while processing your request. Sorry about that!",
            "server_error",
            None,
        ),
        "context_length_exceeded": (
            "This model's maximum context length was exceeded.",
            "invalid_request_error",
            "context_length_exceeded",
        ),
    }
    message, etype, code = messages.get(kind, messages["server_error"])
    return {"error": {"message": message, "type": etype, "param": None, "code": code}}


# -- OpenAI responses --------------------------------------------------------------------
def _responses(rng: random.Random, call: Call) -> tuple[dict[str, Any], dict[str, Any] | None]:
    ex = call.exchange
    req: dict[str, Any] = {"model": ex.model}
    if ex.system:
        req["instructions"] = ex.system
    if ex.history:
        items: list[dict[str, Any]] = []
        for user, assistant in ex.history:
            items.append({"role": "user", "content": user})
            items.append({"role": "assistant", "content": assistant})
        items.append({"role": "user", "content": ex.user_text})
        req["input"] = items
    elif rng.random() < 0.5:
        req["input"] = ex.user_text
    else:
        req["input"] = [{"role": "user", "content": [{"type": "input_text", "text": ex.user_text}]}]
    if ex.temperature is not None:
        req["temperature"] = ex.temperature
    if ex.top_p is not None:
        req["top_p"] = ex.top_p
    if ex.max_tokens is not None:
        req["max_output_tokens"] = ex.max_tokens
    if ex.reasoning_effort:
        req["reasoning"] = {"effort": ex.reasoning_effort, "summary": "detailed"}
    include: list[str] = []
    if ex.logprobs:
        include.append("message.output_text.logprobs")
        req["top_logprobs"] = ex.top_logprobs or 0
    if ex.reasoning_effort and rng.random() < 0.5:
        include.append("reasoning.encrypted_content")
        req["store"] = False
    if include:
        req["include"] = include
    if ex.tools:
        req["tools"] = [
            {
                "type": "function",
                "name": t,
                "description": _schema(t)[0],
                "parameters": _schema(t)[1],
                "strict": False,
            }
            for t in ex.tools
        ]
    if ex.response_format:
        req["text"] = {"format": {"type": ex.response_format}}
    if ex.stream:
        req["stream"] = True
    if ex.end_user:
        req["safety_identifier"] = ex.end_user
    if call.status != 200:
        return req, _openai_error(call)
    output: list[dict[str, Any]] = []
    if ex.reasoning:
        output.append(
            {
                "id": f"rs_{alnum(rng, 40)}",
                "type": "reasoning",
                "summary": [{"type": "summary_text", "text": ex.reasoning}],
            }
        )
    if ex.tool_call:
        output.append(
            {
                "id": f"fc_{alnum(rng, 40)}",
                "type": "function_call",
                "call_id": f"call_{alnum(rng, 24)}",
                "name": ex.tool_call,
                "arguments": json.dumps(_arguments(ex.tool_call, ex)),
                "status": "completed",
            }
        )
    else:
        part: dict[str, Any]
        if ex.refusal:
            part = {"type": "refusal", "refusal": ex.answer}
        else:
            part = {"type": "output_text", "text": ex.answer, "annotations": []}
            if ex.logprobs:
                part["logprobs"] = [
                    {
                        "token": t["token"],
                        "logprob": t["logprob"],
                        "bytes": t["bytes"],
                        "top_logprobs": t["top_logprobs"],
                    }
                    for t in _chat_logprobs(rng, ex.answer, ex.top_logprobs)["content"]
                ]
        output.append(
            {
                "id": f"msg_{alnum(rng, 40)}",
                "type": "message",
                "role": "assistant",
                "status": "completed",
                "content": [part],
            }
        )
    out_tokens = tokens(ex.answer) + (tokens(ex.reasoning) if ex.reasoning else 0)
    resp: dict[str, Any] = {
        "id": f"resp_{alnum(rng, 40)}",
        "object": "response",
        "created_at": int(call.ts.timestamp()),
        "status": "completed",
        "model": SNAPSHOTS.get(ex.model, ex.model),
        "output": output,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": req.get("tools", []),
        "temperature": ex.temperature if ex.temperature is not None else 1.0,
        "top_p": ex.top_p if ex.top_p is not None else 1.0,
        "max_output_tokens": ex.max_tokens,
        "incomplete_details": None,
        "error": None,
        "usage": _openai_usage(
            call, out_tokens, prompt_key="input_tokens", completion_key="output_tokens"
        ),
    }
    if ex.reasoning_effort:
        resp["reasoning"] = {"effort": ex.reasoning_effort, "summary": "detailed"}
    return req, resp


# -- OpenAI completions (legacy) ---------------------------------------------------------
def _completions(rng: random.Random, call: Call) -> tuple[dict[str, Any], dict[str, Any] | None]:
    ex = call.exchange
    prompt = (ex.system + "\n\n" if ex.system else "") + ex.user_text
    req: dict[str, Any] = {"model": ex.model, "prompt": prompt}
    if ex.max_tokens is not None:
        req["max_tokens"] = ex.max_tokens
    if ex.temperature is not None:
        req["temperature"] = ex.temperature
    if ex.top_p is not None:
        req["top_p"] = ex.top_p
    if ex.n:
        req["n"] = ex.n
    if ex.logprobs:
        req["logprobs"] = ex.top_logprobs or 1
    if ex.end_user:
        req["user"] = ex.end_user
    if call.status != 200:
        return req, _openai_error(call)
    choices: list[dict[str, Any]] = []
    texts = _alternatives(rng, ex.answer, ex.n or 1)
    for index, text in enumerate(texts):
        logprobs: dict[str, Any] | None = None
        if ex.logprobs:
            words = [" " + w for w in text.split()[:LOGPROB_TOKENS]]
            offsets, pos = [], 0
            for w in words:
                offsets.append(pos)
                pos += len(w)
            logprobs = {
                "tokens": words,
                "token_logprobs": [round(-rng.expovariate(8), 5) for _ in words],
                "top_logprobs": [{w: -0.01} for w in words],
                "text_offset": offsets,
            }
        choices.append(
            {"index": index, "text": text, "logprobs": logprobs, "finish_reason": "stop"}
        )
    out = sum(tokens(t) for t in texts)
    inp = _input_tokens(ex)
    resp = {
        "id": f"cmpl-{alnum(rng, 29)}",
        "object": "text_completion",
        "created": int(call.ts.timestamp()),
        "model": SNAPSHOTS.get(ex.model, ex.model),
        "choices": choices,
        "usage": {"prompt_tokens": inp, "completion_tokens": out, "total_tokens": inp + out},
    }
    return req, resp


# -- Anthropic messages ------------------------------------------------------------------
def _messages(rng: random.Random, call: Call) -> tuple[dict[str, Any], dict[str, Any] | None]:
    ex = call.exchange
    messages: list[dict[str, Any]] = []
    for user, assistant in ex.history:
        messages.append({"role": "user", "content": user})
        messages.append({"role": "assistant", "content": assistant})
    if rng.random() < 0.5:
        messages.append({"role": "user", "content": ex.user_text})
    else:
        messages.append({"role": "user", "content": [{"type": "text", "text": ex.user_text}]})
    req: dict[str, Any] = {
        "model": ex.model,
        "max_tokens": ex.max_tokens or 4096,
        "messages": messages,
    }
    if ex.system:
        req["system"] = (
            ex.system
            if rng.random() < 0.6
            else [{"type": "text", "text": ex.system, "cache_control": {"type": "ephemeral"}}]
        )
    if ex.thinking_budget:
        req["thinking"] = {"type": "enabled", "budget_tokens": ex.thinking_budget}
    elif ex.reasoning_effort:
        req["thinking"] = {"type": "adaptive"}
        req["output_config"] = {"effort": ex.reasoning_effort}
    # this API version takes no temperature / top_p on messages (not in the SDK's parameters)
    if ex.tools:
        req["tools"] = [
            {"name": t, "description": _schema(t)[0], "input_schema": _schema(t)[1]}
            for t in ex.tools
        ]
    if ex.response_format == "json_schema":
        req["output_config"] = {
            **req.get("output_config", {}),
            "format": {"type": "json_schema", "schema": {"type": "object"}},
        }
    if ex.stream:
        req["stream"] = True
    if ex.end_user:
        req["metadata"] = {"user_id": ex.end_user}
    if call.status != 200:
        etype = {
            "rate_limit_exceeded": "rate_limit_error",
            "account_deactivated": "permission_error",
            "insufficient_quota": "billing_error",
            "server_error": "overloaded_error",
        }.get(call.error or "", "api_error")
        return req, {
            "type": "error",
            "error": {"type": etype, "message": etype.replace("_", " ")},
            "request_id": f"req_{alnum(rng, 24)}",
        }
    content: list[dict[str, Any]] = []
    if ex.reasoning and (ex.thinking_budget or ex.reasoning_effort):
        content.append({"type": "thinking", "thinking": ex.reasoning, "signature": alnum(rng, 88)})
    stop = "end_turn"
    if ex.refusal:
        stop = "refusal"
        content.append({"type": "text", "text": ex.answer, "citations": None})
    elif ex.tool_call:
        content.append({"type": "text", "text": "I'll use a tool for this.", "citations": None})
        content.append(
            {
                "type": "tool_use",
                "id": f"toolu_{alnum(rng, 24)}",
                "name": ex.tool_call,
                "input": _arguments(ex.tool_call, ex),
            }
        )
        stop = "tool_use"
    else:
        content.append({"type": "text", "text": ex.answer, "citations": None})
        if tokens(ex.answer) >= req["max_tokens"]:
            stop = "max_tokens"
    thinking = tokens(ex.reasoning) if ex.reasoning and content[0]["type"] == "thinking" else 0
    inp = _input_tokens(ex)
    cached = int(inp * ex.cached_share)
    usage: dict[str, Any] = {
        "input_tokens": inp - cached,
        "output_tokens": tokens(ex.answer) + thinking,
        "cache_read_input_tokens": cached,
        "cache_creation_input_tokens": 0,
        "service_tier": "standard",
    }
    if thinking:
        usage["output_tokens_details"] = {"thinking_tokens": thinking}
    resp = {
        "id": f"msg_01{alnum(rng, 22)}",
        "type": "message",
        "role": "assistant",
        "model": SNAPSHOTS.get(ex.model, ex.model),
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": usage,
    }
    return req, resp


RENDER = {CHAT: _chat, RESPONSES: _responses, COMPLETIONS: _completions, MESSAGES: _messages}


def latency(rng: random.Random, call: Call) -> float:
    ex = call.exchange
    if call.status != 200:
        return round(rng.uniform(40, 400), 1)
    out = tokens(ex.answer) * (ex.n or 1) + (tokens(ex.reasoning) if ex.reasoning else 0)
    return round(rng.uniform(250, 1100) + out * rng.uniform(9, 28), 1)


def record(rng: random.Random, call: Call) -> dict[str, Any]:
    """The raw API log record of ``call``."""
    req, resp = RENDER[call.exchange.endpoint](rng, call)
    rec: dict[str, Any] = {
        "request_id": f"req_{alnum(rng, 24)}",
        "ts": iso(call),
        "account_id": call.account.account_id,
        "key_id": call.key_id,
        "org_id": call.org_id,
        "end_user": call.end_user,
        "client_ip": call.ip,
        "user_agent": call.user_agent,
        "endpoint": call.exchange.endpoint,
        "request": req,
        "response": resp,
        "status": call.status,
        "latency_ms": call.latency_ms if call.latency_ms is not None else latency(rng, call),
    }
    return rec
