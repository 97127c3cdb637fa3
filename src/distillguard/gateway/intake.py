"""Reading a request body the way every route needs it: bounded, JSON, one object.

A body is read chunk by chunk and refused with 413 as soon as it passes
``gateway.max_body_bytes`` (a ``Content-Length`` above it is refused before reading). The
content type must be JSON; the bytes must be UTF-8 JSON holding one object. The object is
then read by ingest's own body readers (``ingest/bodies.py``) into an interaction row, so the
gateway's online signals see exactly the texts and parameters the batch scan will, and a
body ingest could not read is refused here with the reason ingest would have quarantined it
for, rather than forwarded and logged as a record the scan loses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request

from distillguard.gateway.core import GatewayError
from distillguard.gateway.errors import bad_request
from distillguard.ingest.bodies import read_bodies
from distillguard.ingest.record import Reject, Row, new_row

_JSON_TYPES = ("application/json", "text/json")


@dataclass(frozen=True)
class Intake:
    raw: bytes
    body: dict[str, Any]
    row: Row


def too_large(limit: int) -> GatewayError:
    return GatewayError(
        413, "request_too_large", f"the request body is larger than {limit:,} bytes"
    )


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise too_large(limit)
        except ValueError as exc:
            raise bad_request("Content-Length is not a number") from exc
    parts: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        parts.append(chunk)
    return b"".join(parts)


def check_content_type(request: Request) -> None:
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind not in _JSON_TYPES:
        shown = kind or "none"
        raise GatewayError(
            415, "invalid_request_error", f"the body must be application/json, not {shown}"
        )


def parse(endpoint: str, raw: bytes) -> Intake:
    """The body as an object and as ingest's row; 400 with the reason when it is neither."""
    if not raw:
        raise bad_request("the request body is empty; send a JSON object")
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            raise bad_request("the request body is not valid UTF-8") from exc
        raise bad_request(f"the request body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise bad_request(f"the request body must be a JSON object, got {type(body).__name__}")
    row = new_row()
    try:
        read_bodies(endpoint, body, None, row)
    except Reject as exc:
        raise bad_request(f"cannot read the request: {exc.detail}") from exc
    except RecursionError as exc:
        raise bad_request("the request body is nested too deeply") from exc
    return Intake(raw, body, row)
