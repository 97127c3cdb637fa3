"""The gateway's upstream client: aiohttp against httpx, on the same stand-in, in one run.

``python -m bench.upstream_clients [--calls N] [--rounds R]``: one stand-in upstream in its
own process; in this process, one pooled client of each library sends the same sequence of
calls (half unstreamed, half streamed and read to the end), one at a time, and the process's
CPU time and the wall time per call are taken for each, in alternating rounds. The CPU time
is what the client costs the gateway's event loop on each call: the figure that chose aiohttp
for ``gateway/upstream.py``. Results in ``bench/out/upstream_clients.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import httpx
import orjson
from tests.gateway.processes import standin

from bench.results import save

MESSAGES = [{"role": "user", "content": "Tell me about rivers and seas."}]
BODIES = (
    orjson.dumps({"model": "m", "messages": MESSAGES}),
    orjson.dumps({"model": "m", "messages": MESSAGES, "stream": True}),
)
HEADERS = {"content-type": "application/json", "authorization": "Bearer sk-bench"}
PATH = "/v1/chat/completions"
Measured = tuple[float, float]  # wall s, CPU s


async def with_httpx(base: str, calls: int) -> Measured:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(20):
            (await client.post(PATH, content=BODIES[0], headers=HEADERS)).raise_for_status()
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(calls):
            request = client.build_request("POST", PATH, content=BODIES[i % 2], headers=HEADERS)
            response = await client.send(request, stream=True)
            async for _ in response.aiter_bytes():
                pass
            await response.aclose()
        return time.perf_counter() - wall, time.process_time() - cpu


async def with_aiohttp(base: str, calls: int) -> Measured:
    async with aiohttp.ClientSession() as session:
        for _ in range(20):
            async with session.post(base + PATH, data=BODIES[0], headers=HEADERS) as response:
                await response.read()
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(calls):
            async with session.post(base + PATH, data=BODIES[i % 2], headers=HEADERS) as response:
                async for _ in response.content.iter_any():
                    pass
        return time.perf_counter() - wall, time.process_time() - cpu


CLIENTS: dict[str, Callable[[str, int], Awaitable[Measured]]] = {
    "httpx": with_httpx,
    "aiohttp": with_aiohttp,
}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    found: dict[str, list[Measured]] = {name: [] for name in CLIENTS}
    with standin() as base:
        for round_ in range(args.rounds):
            order = list(CLIENTS) if round_ % 2 == 0 else list(reversed(CLIENTS))
            for name in order:
                found[name].append(asyncio.run(CLIENTS[name](base, args.calls)))
    report: dict[str, Any] = {"calls": args.calls, "rounds": args.rounds}
    for name, runs in found.items():
        report[name] = {
            "cpu_ms_per_call": [round(c / args.calls * 1000, 3) for _, c in runs],
            "wall_ms_per_call": [round(w / args.calls * 1000, 3) for w, _ in runs],
        }
    report["cpu_ratio_aiohttp_to_httpx"] = [
        round(a[1] / h[1], 3) for a, h in zip(found["aiohttp"], found["httpx"], strict=True)
    ]
    save("upstream_clients.json", report, echo=True)
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
