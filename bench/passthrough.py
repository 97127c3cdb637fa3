"""The floor of a Python proxy on the gateway's own stack: forward, and nothing else.

``python -m bench.passthrough --upstream URL --port P``: Starlette on uvicorn (the gateway's
server settings: one worker, uvloop and httptools when installed, access log and proxy
headers off), one pooled aiohttp session (the gateway's upstream client), every POST
forwarded to the same path upstream with its body, the answer returned — whole, or a stream
relayed chunk by chunk as it is read. No identity, policy, limits, signals, countermeasures,
log or metrics: what is left is what the frameworks cost, so the gateway's added latency
minus this one's is what distillguard's own work adds. ``bench.gateway_overhead`` runs it
beside the gateway.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import aiohttp
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from tests.gateway.processes import free_port, process


def create_app(upstream: str) -> Starlette:
    base = upstream.rstrip("/")
    sessions: list[aiohttp.ClientSession] = []

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sessions.append(aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1000)))
        yield
        await sessions[0].close()

    async def forward(request: Request) -> Response:
        body = await request.body()
        headers = {"content-type": "application/json"}
        answer = await sessions[0].post(base + request.scope["path"], data=body, headers=headers)
        kind = answer.headers.get("content-type", "")
        if kind.startswith("text/event-stream"):

            async def relay() -> AsyncIterator[bytes]:
                async with answer:
                    async for chunk in answer.content.iter_any():
                        yield chunk

            return StreamingResponse(relay(), status_code=answer.status, media_type=kind)
        async with answer:
            data = await answer.read()
        return Response(data, status_code=answer.status, media_type=kind or None)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"ok": True})

    routes = [
        Route("/healthz", healthz),
        Route("/v1/chat/completions", forward, methods=["POST"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


@contextmanager
def running(upstream: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The floor in a process of its own in front of ``upstream``: its base URL, its process."""
    port = free_port()
    command = [sys.executable, "-m", "bench.passthrough", "--upstream", upstream]
    base = f"http://127.0.0.1:{port}"
    with process([*command, "--port", str(port)], base + "/healthz") as started:
        yield base, started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    uvicorn.run(
        create_app(args.upstream),
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
    )


if __name__ == "__main__":
    main()
