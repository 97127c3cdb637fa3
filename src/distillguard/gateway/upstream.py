"""The upstream model API: one pooled ``httpx.AsyncClient`` per process, and its failures.

Each route is forwarded to the same path under the upstream's base URL. The upstream kind
says how the gateway presents its own credential: ``Authorization: Bearer`` for OpenAI,
``x-api-key`` plus ``anthropic-version`` for Anthropic (a client's own key never goes
upstream: it is a gateway key). Failures become errors in the provider's shape: an
unreachable upstream 502, a time-out 504, a stream silent for longer than
``gateway.stream_idle_timeout`` ends with an error event.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Final

import httpx

from distillguard.gateway.core import GatewayError

ANTHROPIC_VERSION: Final = "2023-06-01"
_PASSED_HEADERS: Final = ("anthropic-version", "anthropic-beta", "openai-beta", "user-agent")
"""Client headers passed upstream (the rest, credentials included, stay at the gateway)."""


@dataclass(frozen=True)
class UpstreamConfig:
    base_url: str
    kind: str  # openai | anthropic
    credential: str
    connect_timeout: float
    read_timeout: float
    stream_idle_timeout: float
    max_connections: int


class StreamStalledError(GatewayError):
    def __init__(self, seconds: float) -> None:
        super().__init__(
            504, "timeout_error", f"the upstream stream sent nothing for {seconds:g} s"
        )


class Upstream:
    def __init__(self, config: UpstreamConfig, transport: httpx.AsyncBaseTransport | None = None):
        self.config = config
        limits = httpx.Limits(
            max_connections=config.max_connections,
            max_keepalive_connections=config.max_connections,
        )
        timeout = httpx.Timeout(
            connect=config.connect_timeout,
            read=config.read_timeout,
            write=config.read_timeout,
            pool=config.connect_timeout,
        )
        self.client = httpx.AsyncClient(
            base_url=config.base_url.rstrip("/"),
            limits=limits,
            timeout=timeout,
            transport=transport,
        )

    def headers(self, client_headers: Mapping[str, str]) -> dict[str, str]:
        headers = {k: client_headers[k] for k in _PASSED_HEADERS if k in client_headers}
        headers["content-type"] = "application/json"
        if self.config.kind == "anthropic":
            headers.setdefault("anthropic-version", ANTHROPIC_VERSION)
            if self.config.credential:
                headers["x-api-key"] = self.config.credential
        elif self.config.credential:
            headers["authorization"] = f"Bearer {self.config.credential}"
        return headers

    async def send(
        self, method: str, path: str, body: bytes | None, client_headers: Mapping[str, str]
    ) -> httpx.Response:
        """Send and return the response with its body unread (``stream=True``)."""
        request = self.client.build_request(
            method, path, content=body, headers=self.headers(client_headers)
        )
        try:
            return await self.client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise GatewayError(504, "timeout_error", "the upstream did not answer in time") from exc
        except httpx.TransportError as exc:
            raise GatewayError(
                502, "api_error", f"the upstream cannot be reached ({type(exc).__name__})"
            ) from exc

    async def body(self, response: httpx.Response) -> bytes:
        try:
            return await response.aread()
        except httpx.TimeoutException as exc:
            raise GatewayError(504, "timeout_error", "the upstream did not answer in time") from exc
        except httpx.TransportError as exc:
            raise GatewayError(
                502, "api_error", f"the upstream connection failed ({type(exc).__name__})"
            ) from exc
        finally:
            await response.aclose()

    async def chunks(self, response: httpx.Response) -> AsyncIterator[bytes]:
        """The streamed body, chunk by chunk; a silence past the idle time-out raises."""
        idle = self.config.stream_idle_timeout
        iterator = response.aiter_bytes().__aiter__()
        try:
            while True:
                try:
                    chunk = await asyncio.wait_for(iterator.__anext__(), idle)
                except StopAsyncIteration:
                    return
                except TimeoutError as exc:
                    raise StreamStalledError(idle) from exc
                except httpx.TransportError as exc:
                    raise GatewayError(
                        502, "api_error", f"the upstream stream broke ({type(exc).__name__})"
                    ) from exc
                yield chunk
        finally:
            await response.aclose()

    async def close(self) -> None:
        await self.client.aclose()
