"""The upstream model API: one pooled ``aiohttp`` client session per process, and its failures.

Each route is forwarded to the same path under the upstream's base URL. The upstream kind
says how the gateway presents its own credential: ``Authorization: Bearer`` for OpenAI,
``x-api-key`` plus ``anthropic-version`` for Anthropic (a client's own key never goes
upstream: it is a gateway key). Failures become errors in the provider's shape: an
unreachable upstream 502, a time-out 504, a stream silent for longer than
``gateway.stream_idle_timeout`` ends with an error event.

The client is aiohttp rather than httpx because it costs about half the CPU per call on the
hot path (``docs/benchmarks.md``, "Gateway overhead"). The session is made on first use, in
the serving event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Final

import aiohttp

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


@dataclass(frozen=True)
class Answer:
    """An upstream response whose body is not read yet."""

    status_code: int
    headers: Mapping[str, str]  # case-insensitive
    response: aiohttp.ClientResponse


class Upstream:
    def __init__(self, config: UpstreamConfig) -> None:
        self.config = config
        self.base = config.base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            config = self.config
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=config.max_connections, limit_per_host=config.max_connections
                ),
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    connect=config.connect_timeout,
                    sock_connect=config.connect_timeout,
                    sock_read=config.read_timeout,
                ),
                skip_auto_headers=("User-Agent",),
            )
        return self._session

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
    ) -> Answer:
        """Send and return the response with its body unread."""
        try:
            response = await self.session().request(
                method, self.base + path, data=body, headers=self.headers(client_headers)
            )
        except TimeoutError as exc:
            raise GatewayError(504, "timeout_error", "the upstream did not answer in time") from exc
        except aiohttp.ClientError as exc:
            raise GatewayError(
                502, "api_error", f"the upstream cannot be reached ({type(exc).__name__})"
            ) from exc
        return Answer(response.status, response.headers, response)

    async def body(self, answer: Answer) -> bytes:
        try:
            return await answer.response.read()
        except TimeoutError as exc:
            raise GatewayError(504, "timeout_error", "the upstream did not answer in time") from exc
        except aiohttp.ClientError as exc:
            raise GatewayError(
                502, "api_error", f"the upstream connection failed ({type(exc).__name__})"
            ) from exc
        finally:
            _done(answer.response)

    async def chunks(self, answer: Answer) -> AsyncIterator[bytes]:
        """The streamed body, chunk by chunk; a silence past the idle time-out raises."""
        idle = self.config.stream_idle_timeout
        iterator = answer.response.content.iter_any().__aiter__()
        try:
            while True:
                try:
                    async with asyncio.timeout(idle):  # no task per chunk, as wait_for makes
                        chunk = await iterator.__anext__()
                except StopAsyncIteration:
                    return
                except TimeoutError as exc:
                    raise StreamStalledError(idle) from exc
                except aiohttp.ClientError as exc:
                    raise GatewayError(
                        502, "api_error", f"the upstream stream broke ({type(exc).__name__})"
                    ) from exc
                yield chunk
        finally:
            _done(answer.response)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def _done(response: aiohttp.ClientResponse) -> None:
    """Give a finished response's connection back to the pool; drop one read halfway."""
    if response.content.at_eof():
        response.release()
    else:
        response.close()
