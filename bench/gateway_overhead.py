"""The gateway's added latency and throughput, against the stand-in upstream directly.

``python -m bench.gateway_overhead [--seconds S] [--rate R]``. In one run, against one
stand-in upstream (``distillguard.gateway.standin``, its own process): direct to it; through
``distillguard gateway`` with the default policy (an ordinary account: allow); through it with
a policy that watermarks every answer; through ``bench.passthrough`` (the floor: the same
server and upstream client forwarding and nothing else); through the LiteLLM proxy
(``bench.litellm_peer``, installed from PyPI into the benchmark's own environment on first
use) with a deployment rate limit. For each target an open-loop load at ``--rate``
requests/s (half unstreamed, half streamed) from one aiohttp client in this process (the
same client for every target; aiohttp costs about half the CPU per call of httpx,
``bench.upstream_clients``, leaving more of the shared cores to the targets); latency of
unstreamed calls, time to first byte of streamed ones, and each proxy process's CPU seconds
per call during that load (``/proc/<pid>/stat`` user + system time before and after: a
figure other work on the cores does not inflate). *Added* latency is the
through-gateway percentile minus the direct percentile of the same run (percentiles of two
distributions, not of paired differences). Then a throughput search: the highest rate each
target sustains with p99 ≤ 50 ms. Memory: the resident size of a gateway process before and
after calls from ``--accounts`` distinct accounts. Results in ``bench/out/gateway.json``.

By default all processes share every core (``os.sched_getaffinity``); the load generator is
one of them, so the figures are an upper bound of the gateway's own cost. With ``--pin`` each
side has cores of its own: this process (the load generator) and the stand-in upstream share
the first core, every target (a gateway, the LiteLLM proxy) is given the rest
(``os.sched_setaffinity``). On this project's two-core machine that measured worse for every
target, the direct one included (the load and the upstream on one core are the bottleneck),
so it is not the default. The report says which.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import aiohttp
from tests.gateway.processes import gateway, standin

from bench import litellm_peer, passthrough
from bench.results import save
from distillguard.gateway.keys import KeyRequest, KeyStore
from distillguard.gateway.policy import default_text

BODY = {"model": "m", "messages": [{"role": "user", "content": "Tell me about rivers and seas."}]}


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _one(client: aiohttp.ClientSession, url: str, key: str, streamed: bool) -> float:
    started = time.perf_counter()
    body = {**BODY, "stream": streamed}
    headers = {"authorization": f"Bearer {key}"}
    async with client.post(url, json=body, headers=headers) as answer:
        answer.raise_for_status()
        if not streamed:
            await answer.read()
            return time.perf_counter() - started
        first = 0.0
        async for _ in answer.content.iter_any():
            if not first:
                first = time.perf_counter() - started
        return first


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _client() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=400), timeout=aiohttp.ClientTimeout(total=30)
    )


async def _load(
    base: str,
    key: str,
    rate: float,
    seconds: float,
    pid: int | None = None,
    *,
    streamed: bool | None = None,
) -> dict[str, list[float]]:
    """Open-loop load at ``rate``, calls of both kinds in turn or all ``streamed`` or not;
    with ``pid``, that process's CPU seconds per call too."""
    url = base + "/v1/chat/completions"
    results: dict[str, list[float]] = {"whole": [], "stream": [], "errors": [], "cpu": []}
    async with _client() as client:
        # Warm the connection pools of the client and of the target (its upstream pool)
        # with concurrent calls of both kinds: sequential ones leave one connection open,
        # and the first concurrent burst of the measured load would pay for opening the
        # rest (measured: ~60 ms for the first 60 ms of calls, enough to set p99).
        for _ in range(3):
            await asyncio.gather(*(_one(client, url, key, i % 2 == 1) for i in range(40)))
        tasks = []
        cpu_before = _cpu_seconds(pid) if pid is not None else 0.0
        start = time.perf_counter()
        n = int(rate * seconds)
        for i in range(n):
            await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
            kind = i % 2 == 1 if streamed is None else streamed

            async def run(streamed: bool = kind) -> None:
                try:
                    value = await _one(client, url, key, streamed)
                    results["stream" if streamed else "whole"].append(value)
                except (aiohttp.ClientError, TimeoutError):
                    results["errors"].append(1.0)

            tasks.append(asyncio.ensure_future(run()))
        await asyncio.gather(*tasks)
        if pid is not None and n:
            results["cpu"].append((_cpu_seconds(pid) - cpu_before) / n)
    return results


def _summary(found: dict[str, list[float]]) -> dict[str, float]:
    cpu = {"cpu_us_per_call": round(found["cpu"][0] * 1e6, 1)} if found["cpu"] else {}
    return (
        {
            f"{kind}_{name}_ms": round(_percentile(found[kind], q) * 1000, 3)
            for kind in ("whole", "stream")
            for name, q in (("p50", 0.5), ("p99", 0.99))
        }
        | {"errors": len(found["errors"])}
        | cpu
    )


def _max_rate(base: str, key: str, seconds: float) -> float:
    best = 0.0
    for rate in (25, 50, 75, 100, 150, 200, 300, 400, 600, 800, 1000):
        found = asyncio.run(_load(base, key, rate, seconds))
        p99 = max(_percentile(found["whole"], 0.99), _percentile(found["stream"], 0.99))
        if found["errors"] or p99 > 0.050:
            break
        best = rate
    return best


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _pin(pid: int, cpus: set[int]) -> None:
    """Process ``pid``, every thread of it and every process under it, onto ``cpus``."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.sched_setaffinity(int(task.name), cpus)
        children = task / "children"
        for child in children.read_text().split() if children.exists() else ():
            _pin(int(child), cpus)


def gateway_env(policy: Path) -> dict[str, str]:
    """A benchmarked gateway's environment: ``policy``, and the call log synced every second."""
    return {
        "DISTILLGUARD_GATEWAY_FSYNC_INTERVAL": "1.0",
        "DISTILLGUARD_GATEWAY_POLICY": str(policy),
    }


def budgets_policy(*, watermark: bool = False) -> str:
    """The default policy's rules with budgets above the load (its limits are per-customer
    sizes, below 200 requests/s); with ``watermark``, every answer watermarked."""
    rules = default_text()[default_text().index("[geofence]") :]
    budgets = "".join(
        f"[limits.{scope}]\nrequests_per_minute = 1_000_000_000\n"
        "tokens_per_minute = 1_000_000_000_000\n"
        for scope in ("key", "account", "org", "ip")
    )
    marking = '\n[[rules]]\nname = "all"\nwhen = []\naction = "watermark"\n'
    return budgets + rules + (marking if watermark else "")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument(
        "--accounts", type=int, default=10_000, help="for the memory figure (0: leave it out)"
    )
    parser.add_argument(
        "--no-peer", dest="peer", action="store_false", help="Leave out the LiteLLM proxy."
    )
    parser.add_argument(
        "--chunk-delay-ms",
        type=float,
        default=0.0,
        help="The stand-in's pause between the events of a stream (default: none, every"
        " event of an answer at once).",
    )
    parser.add_argument(
        "--pin",
        action="store_true",
        help="Load and upstream on the first core, each target on the others.",
    )
    args = parser.parse_args(argv)
    cores = sorted(os.sched_getaffinity(0))
    own: set[int] | None = None
    if args.pin:
        if len(cores) < 2:
            parser.error("--pin needs two cores or more")
        own = set(cores[1:])
        os.sched_setaffinity(0, {cores[0]})  # the stand-in, started from here, inherits it
    root = Path(tempfile.mkdtemp(prefix="gw-bench-"))
    defaults = root / "default.toml"
    defaults.write_text(budgets_policy())
    watermarking = root / "watermark.toml"
    watermarking.write_text(budgets_policy(watermark=True))
    report: dict[str, Any] = {
        "cores": len(cores),
        "cores_per_side": {"load_and_upstream": 1, "target": len(cores) - 1}
        if own is not None
        else "all shared",
        "rate": args.rate,
        "chunk_delay_ms": args.chunk_delay_ms,
    }
    with ExitStack() as stack:
        upstream = stack.enter_context(standin("--chunk-delay-ms", str(args.chunk_delay_ms)))
        targets = {"direct": (upstream, "none", None)}
        for name, policy in (("gateway", defaults), ("gateway_watermark", watermarking)):
            workspace = root / name
            key = KeyStore(workspace).create("acct_bench")[1]
            base, process = stack.enter_context(
                gateway(workspace, upstream, root / f"{name}-log", gateway_env(policy))
            )
            targets[name] = (base, key, process)
            if own is not None:
                _pin(process.pid, own)
        base, started = stack.enter_context(passthrough.running(upstream))
        targets["passthrough"] = (base, "none", started)
        if own is not None:
            _pin(started.pid, own)
        peer = litellm_peer.install() if args.peer else "not asked for (--no-peer)"
        if isinstance(peer, Path):
            base, process = stack.enter_context(
                litellm_peer.proxy(peer, upstream, root / "litellm", 1_000_000_000)
            )
            targets["litellm"] = (base, litellm_peer.MASTER_KEY, process)
            if own is not None:
                _pin(process.pid, own)
            report["litellm_version"] = litellm_peer.version()
        else:
            report["litellm_skipped"] = peer
            print("litellm:", peer, flush=True)
        for name, (base, key, started) in targets.items():
            pid = started.pid if started is not None else None
            found = asyncio.run(_load(base, key, args.rate, args.seconds, pid))
            report[name] = _summary(found)
            print(name, report[name], flush=True)
        for name in (n for n in targets if n != "direct"):
            for metric in ("whole_p50_ms", "whole_p99_ms", "stream_p50_ms", "stream_p99_ms"):
                added = report[name][metric] - report["direct"][metric]
                report[name][f"added_{metric}"] = round(added, 3)
        for name, (base, key, _) in targets.items():
            report[name]["max_rate_p99_50ms"] = _max_rate(base, key, min(args.seconds, 5.0))
            print(name, "max rate", report[name]["max_rate_p99_50ms"], flush=True)
        for name, (_, _, started) in targets.items():
            if started is not None:
                report[name]["rss_mib"] = round(_rss_kib(started.pid) / 1024, 1)
        if "litellm" in targets and report["litellm"]["max_rate_p99_50ms"]:
            report["throughput_ratio_gateway_to_litellm"] = round(
                report["gateway"]["max_rate_p99_50ms"] / report["litellm"]["max_rate_p99_50ms"], 2
            )
        if args.accounts > 0:
            report["memory"] = _memory(root / "gateway", targets["gateway"], args.accounts)
    save("gateway.json", report, echo=True)
    return report


def _memory(workspace: Path, target: tuple[str, str, Any], accounts: int) -> dict[str, float]:
    """A gateway's resident size before and after a call from each of ``accounts`` new
    accounts (their keys issued in one step)."""
    base, _, process = target
    before = _rss_kib(process.pid)
    store = KeyStore(workspace)
    requests = [KeyRequest(f"acct_{i:05d}") for i in range(accounts)]
    keys = [key for _, key in store.create_many(requests)]

    async def touch() -> None:
        async with _client() as client:
            for chunk in range(0, len(keys), 50):
                await asyncio.gather(
                    *(
                        _one(client, base + "/v1/chat/completions", k, False)
                        for k in keys[chunk : chunk + 50]
                    )
                )

    asyncio.run(touch())
    after = _rss_kib(process.pid)
    return {
        "accounts": accounts,
        "rss_start_mib": round(before / 1024, 1),
        "rss_after_mib": round(after / 1024, 1),
        "kib_per_account": round((after - before) / accounts, 2),
    }


if __name__ == "__main__":
    main(sys.argv[1:])
