"""Redis limits: what a call's admission, settlement and release cost the gateway, two builds.

``python -m bench.quota_redis [--calls N] [--rounds R] [--baseline REV]``: one local
``redis-server``; per round, one child process per build runs N cycles of
``Budgets.acquire`` + ``Grant.settle`` + ``Grant.release`` against it, one after the other,
with the default policy's limits for an ordinary call (key, account and client address: 9
counters; 50 subjects of each in turn, so no budget is reached), estimating 500 tokens and
settling 300 (a refund on the four token windows). The builds alternate in order from round
to round: ``baseline`` is ``src/distillguard`` at git revision ``REV`` (extracted with
``git archive``; default: the last commit before the one-script admission), ``current`` is
this checkout's; ``baseline, memory`` and ``current, memory`` are the same on the memory
store (whose path the batch leaves as it was), for scale. Each child reports its process CPU
time per cycle (user + system, ``time.process_time``), wall time per cycle, and from Redis's
``INFO`` over the measured cycles: requests read from clients per cycle
(``total_reads_processed``: one per command or script sent) and commands run per cycle
(``total_commands_processed``, counting those a script runs). Results in
``bench/out/quota_redis.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from io import BytesIO
from pathlib import Path
from typing import Any

import orjson

from bench.results import save

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "d2acb97"
"""The last commit that admitted a call with a look and a take per counter."""
SUBJECTS = 50
WARM = 200


async def cycles(url: str, calls: int, tag: str) -> dict[str, Any]:
    import redis.asyncio  # noqa: PLC0415 (the child's own build)

    from distillguard.gateway import policy, quota  # noqa: PLC0415

    limits = quota.Limits.from_table(tomllib.loads(policy.default_text())["limits"])
    budgets = quota.Budgets(url, fail="closed", timeout=5)
    client = None if url == "memory://" else redis.asyncio.Redis.from_url(url)

    def subjects(i: int) -> dict[str, str]:
        n = i % SUBJECTS
        return {"key": f"{tag}-k{n}", "account": f"{tag}-a{n}", "ip": f"10.{n}.0.1"}

    async def cycle(i: int) -> None:
        grant = await budgets.acquire(subjects(i), limits, estimate_tokens=500)
        await grant.settle(300)
        await grant.release()

    for i in range(WARM):
        await cycle(i)
    if client is not None:
        await client.config_resetstat()
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(calls):
        await cycle(WARM + i)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    result: dict[str, Any] = {
        "module": quota.__file__,
        "cpu_us_per_call": round(cpu / calls * 1e6, 1),
        "wall_us_per_call": round(wall / calls * 1e6, 1),
        "requests_per_call": 0.0,
        "commands_per_call": 0.0,
    }
    if client is not None:
        stats = await client.info("stats")
        await client.aclose()
        # less the measurement's own INFO (one request, one command)
        reads, commands = stats["total_reads_processed"], stats["total_commands_processed"]
        result["requests_per_call"] = round((int(reads) - 1) / calls, 2)
        result["commands_per_call"] = round((int(commands) - 1) / calls, 2)
    await budgets.close()
    return result


def _extract(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev, "src/distillguard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _child(src: Path, url: str, calls: int, tag: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join((str(src), str(ROOT)))}
    command = [sys.executable, "-m", "bench.quota_redis", "--child", url, "--calls", str(calls)]
    done = subprocess.run(
        [*command, "--tag", tag], cwd=ROOT, env=env, check=True, capture_output=True
    )
    result: dict[str, Any] = orjson.loads(done.stdout)
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the old build")
    parser.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--tag", default="c", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = asyncio.run(cycles(args.child, args.calls, args.tag))
        print(orjson.dumps(result).decode())
        return result

    from tests.gateway.conftest import RedisServer, _free_port  # noqa: PLC0415

    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    with tempfile.TemporaryDirectory() as scratch:
        old = _extract(args.baseline, Path(scratch) / "baseline")
        builds = {
            "baseline": old,
            "current": ROOT / "src",
            "baseline, memory": old,
            "current, memory": ROOT / "src",
        }
        folder = Path(scratch) / "redis"
        folder.mkdir()
        server = RedisServer(binary, _free_port(), folder)
        server.start()
        found: dict[str, list[dict[str, Any]]] = {name: [] for name in builds}
        try:
            for round_ in range(args.rounds):
                order = list(builds) if round_ % 2 == 0 else list(reversed(builds))
                for name in order:
                    url = "memory://" if name.endswith("memory") else server.url
                    tag = f"{name.split(',')[0]}{round_}"
                    result = _child(builds[name], url, args.calls, tag)
                    found[name].append(result)
                    print(name, round_, orjson.dumps(result).decode(), file=sys.stderr)
        finally:
            server.stop()
    report: dict[str, Any] = {
        "calls": args.calls,
        "rounds": args.rounds,
        "baseline": args.baseline,
        "counters_per_call": 9,
    }
    for name, runs in found.items():
        report[name] = {
            key: [run[key] for run in runs]
            for key in ("cpu_us_per_call", "wall_us_per_call", "requests_per_call")
        }
        report[name]["commands_per_call"] = [run["commands_per_call"] for run in runs]
    for store in ("", ", memory"):
        report[f"cpu_ratio_current_to_baseline{store}"] = [
            round(c["cpu_us_per_call"] / b["cpu_us_per_call"], 3)
            for c, b in zip(found[f"current{store}"], found[f"baseline{store}"], strict=True)
        ]
    save("quota_redis.json", report, echo=True)
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
