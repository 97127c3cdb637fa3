from __future__ import annotations

import orjson

from distillguard.gateway.core import GatewayError
from distillguard.gateway.errors import error_body, error_response


def test_openai_shape() -> None:
    body = error_body(GatewayError(429, "rate_limit_error", "slow down"), "openai")
    assert body == {
        "error": {
            "message": "slow down",
            "type": "rate_limit_exceeded",
            "param": None,
            "code": "rate_limit_exceeded",
        }
    }


def test_anthropic_shape_and_unknown_kinds() -> None:
    body = error_body(GatewayError(403, "permission_error", "no"), "anthropic")
    assert body == {"type": "error", "error": {"type": "permission_error", "message": "no"}}
    odd = error_body(GatewayError(502, "weird", "x"), "anthropic")
    assert odd["error"] == {"type": "api_error", "message": "x"}


def test_retry_after_is_whole_seconds_rounded_up() -> None:
    response = error_response(GatewayError(429, "rate_limit_error", "x", retry_after=0.2), "openai")
    assert response.headers["retry-after"] == "1"
    response = error_response(GatewayError(429, "rate_limit_error", "x", retry_after=2.1), "openai")
    assert response.headers["retry-after"] == "3"


def test_an_error_response_is_json_in_the_shape() -> None:
    error = GatewayError(403, "permission_error", "no")
    assert orjson.loads(bytes(error_response(error, "anthropic").body))["type"] == "error"
    assert error_response(error, "openai").media_type == "application/json"
