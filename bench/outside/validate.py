"""Check generated bodies against the official ``openai`` and ``anthropic`` SDK types.

Responses are validated with the SDKs' pydantic models (``ChatCompletion``, ``Response``,
``Completion``, ``Message``) and must round-trip without unknown top-level fields. Requests
are checked against the SDKs' create-parameter ``TypedDict``s: every key must be a parameter
the SDK knows, every required parameter must be present, and each message must use the keys
of its role's message-parameter type.
"""

from __future__ import annotations

from typing import Any

from anthropic.types import AssistantMessageParam as AnthropicAssistantParam
from anthropic.types import Message
from anthropic.types import UserMessageParam as AnthropicUserParam
from anthropic.types import message_create_params as anthropic_params
from openai.types import Completion
from openai.types import completion_create_params as completion_params
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionAssistantMessageParam,
    ChatCompletionDeveloperMessageParam,
    ChatCompletionSystemMessageParam,
    ChatCompletionUserMessageParam,
)
from openai.types.chat import completion_create_params as chat_params
from openai.types.responses import Response
from openai.types.responses import response_create_params as responses_params
from pydantic import BaseModel

from bench.outside.model import CHAT, COMPLETIONS, MESSAGES, RESPONSES


class ShapeError(ValueError):
    """A generated body does not fit the SDK's type."""


RESPONSE_MODELS: dict[str, type[BaseModel]] = {
    CHAT: ChatCompletion,
    RESPONSES: Response,
    COMPLETIONS: Completion,
    MESSAGES: Message,
}
REQUEST_PARAMS: dict[str, Any] = {
    CHAT: chat_params.CompletionCreateParamsNonStreaming,
    RESPONSES: responses_params.ResponseCreateParamsNonStreaming,
    COMPLETIONS: completion_params.CompletionCreateParamsNonStreaming,
    MESSAGES: anthropic_params.MessageCreateParamsNonStreaming,
}
CHAT_ROLES: dict[str, Any] = {
    "system": ChatCompletionSystemMessageParam,
    "developer": ChatCompletionDeveloperMessageParam,
    "user": ChatCompletionUserMessageParam,
    "assistant": ChatCompletionAssistantMessageParam,
}


def _keys(typed: Any) -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(typed.__required_keys__), frozenset(typed.__optional_keys__)


def _fits(
    body: dict[str, Any], typed: Any, where: str, allow: frozenset[str] = frozenset()
) -> None:
    required, optional = _keys(typed)
    unknown = set(body) - required - optional - allow
    if unknown:
        raise ShapeError(f"{where}: unknown keys {sorted(unknown)} for {typed.__name__}")
    missing = required - set(body)
    if missing:
        raise ShapeError(f"{where}: missing {sorted(missing)} for {typed.__name__}")


def request(endpoint: str, body: dict[str, Any]) -> None:
    # ``stream`` lives on the streaming variant of each parameter type
    _fits(body, REQUEST_PARAMS[endpoint], f"{endpoint} request", frozenset({"stream"}))
    if endpoint == CHAT:
        for message in body["messages"]:
            _fits(message, CHAT_ROLES[message["role"]], "chat message")
    elif endpoint == MESSAGES:
        for message in body["messages"]:
            typed = AnthropicUserParam if message["role"] == "user" else AnthropicAssistantParam
            _fits(message, typed, "messages message")


def response(endpoint: str, body: dict[str, Any] | None, status: int) -> None:
    if body is None:
        return
    if status != 200:
        if "error" not in body:
            raise ShapeError(f"{endpoint}: failed call without an error body")
        return
    model = RESPONSE_MODELS[endpoint].model_validate(body)
    extra = set(body) - set(type(model).model_fields)
    if extra:
        raise ShapeError(f"{endpoint} response: fields {sorted(extra)} unknown to the SDK")


def record(rec: dict[str, Any]) -> None:
    request(rec["endpoint"], rec["request"])
    response(rec["endpoint"], rec["response"], rec["status"])
