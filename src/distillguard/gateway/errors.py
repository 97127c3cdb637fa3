"""Errors in the provider's own shape, so that every SDK raises its usual exception.

OpenAI answers ``{"error": {"message", "type", "param", "code"}}``; Anthropic answers
``{"type": "error", "error": {"type", "message"}}``. The HTTP status carries the meaning
(the SDKs map 400, 401, 403, 404, 413, 429, 5xx to their exception classes); the ``type``
names follow each provider's vocabulary. A 429 carries ``Retry-After`` (whole seconds,
rounded up, as RFC 9110 asks) which both SDKs honour when they retry.
"""

from __future__ import annotations

import math
from types import MappingProxyType
from typing import Final

import orjson
from starlette.responses import Response

from distillguard.gateway.core import GatewayError, Shape

_OPENAI_TYPES: Final = MappingProxyType(
    {
        "authentication_error": "invalid_request_error",
        "permission_error": "invalid_request_error",
        "not_found_error": "invalid_request_error",
        "request_too_large": "invalid_request_error",
        "rate_limit_error": "rate_limit_exceeded",
        "overloaded_error": "server_error",
        "timeout_error": "timeout",
    }
)
"""Anthropic-style kinds (the contract's vocabulary) → OpenAI's ``error.type``."""

_OPENAI_CODES: Final = MappingProxyType(
    {
        "authentication_error": "invalid_api_key",
        "rate_limit_error": "rate_limit_exceeded",
        "request_too_large": "request_too_large",
    }
)

_ANTHROPIC_TYPES: Final = frozenset(
    {
        "invalid_request_error",
        "authentication_error",
        "permission_error",
        "not_found_error",
        "request_too_large",
        "rate_limit_error",
        "api_error",
        "overloaded_error",
        "timeout_error",
    }
)


def error_body(error: GatewayError, shape: Shape) -> dict[str, object]:
    """The JSON body of ``error`` as the provider of ``shape`` writes it."""
    if shape == "anthropic":
        kind = error.kind if error.kind in _ANTHROPIC_TYPES else "api_error"
        return {"type": "error", "error": {"type": kind, "message": error.message}}
    return {
        "error": {
            "message": error.message,
            "type": _OPENAI_TYPES.get(error.kind, error.kind),
            "param": None,
            "code": error.code or _OPENAI_CODES.get(error.kind),
        }
    }


def error_response(error: GatewayError, shape: Shape) -> Response:
    headers = {}
    if error.retry_after is not None:
        headers["retry-after"] = str(max(1, math.ceil(error.retry_after)))
    return Response(
        orjson.dumps(error_body(error, shape)),
        status_code=error.status,
        headers=headers,
        media_type="application/json",
    )


def bad_request(message: str) -> GatewayError:
    return GatewayError(400, "invalid_request_error", message)
