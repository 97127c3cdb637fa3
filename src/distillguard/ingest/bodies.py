"""Provider bodies by endpoint: which function reads a request and which reads a response."""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

from distillguard.ingest import anthropic_shapes, openai_shapes
from distillguard.ingest.record import JsonObject, Reject, Row

BodyReader = Callable[[JsonObject, Row], None]

REQUEST_READERS: MappingProxyType[str, BodyReader] = MappingProxyType(
    {
        "/v1/chat/completions": openai_shapes.chat_request,
        "/v1/responses": openai_shapes.responses_request,
        "/v1/completions": openai_shapes.completions_request,
        "/v1/messages": anthropic_shapes.messages_request,
    }
)
RESPONSE_READERS: MappingProxyType[str, BodyReader] = MappingProxyType(
    {
        "/v1/chat/completions": openai_shapes.chat_response,
        "/v1/responses": openai_shapes.responses_response,
        "/v1/completions": openai_shapes.completions_response,
        "/v1/messages": anthropic_shapes.messages_response,
    }
)


def read_bodies(endpoint: str, request: object, response: object, row: Row) -> None:
    """Fill ``row`` from a request body and (when present) a response body."""
    if request is not None:
        if not isinstance(request, dict):
            raise Reject("wrong_type", f"request must be a JSON object, got {request!r:.40}")
        REQUEST_READERS[endpoint](request, row)
    if response is not None:
        if not isinstance(response, dict):
            raise Reject("wrong_type", f"response must be a JSON object, got {response!r:.40}")
        RESPONSE_READERS[endpoint](response, row)
        if row["model"] is None and isinstance(response.get("model"), str):
            row["model"] = response["model"]
