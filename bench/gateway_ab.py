"""Two builds of the gateway side by side: the same load on each in alternating slices.

    python -m bench.gateway_ab --baseline DIR [--rounds 6] [--seconds 5] [--rate 200]

``DIR`` is another checkout of the project (``git worktree add DIR COMMIT``); its ``src`` is
put first on the baseline gateway's ``PYTHONPATH``. One stand-in upstream, the direct target
and both gateways run at once (the ``bench.gateway_overhead`` policy: the default rules,
budgets above the load, fsync every second), and each round sends the same open-loop load to
each of the three in turn, in an order that rotates from round to round; on a shared machine
whose speed drifts by tens of per cent from minute to minute, a ratio of the two builds in
the same round is the figure that holds. Per round: p50 / p99 of whole answers and first
bytes, the added p50 (through − direct, same round) and each gateway's CPU per call; then the
median of each and of the per-round ratios. Results in ``bench/out/gateway-ab.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import orjson
from tests.gateway.processes import gateway, standin

from bench.gateway_overhead import _load, _summary, budgets_policy
from bench.results import save
from distillguard.gateway.keys import KeyStore

METRICS = ("whole_p50_ms", "whole_p99_ms", "stream_p50_ms", "stream_p99_ms")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True, help="another checkout")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=200.0)
    args = parser.parse_args(argv)
    baseline_src = (args.baseline / "src").resolve()
    if not (baseline_src / "distillguard").is_dir():
        parser.error(f"{args.baseline} holds no src/distillguard")
    root = Path(tempfile.mkdtemp(prefix="gw-ab-"))
    policy = root / "policy.toml"
    policy.write_text(budgets_policy())
    env = {"DISTILLGUARD_GATEWAY_FSYNC_INTERVAL": "1.0", "DISTILLGUARD_GATEWAY_POLICY": str(policy)}
    path = [str(baseline_src), *filter(None, [os.environ.get("PYTHONPATH")])]
    builds = {"baseline": {**env, "PYTHONPATH": os.pathsep.join(path)}, "current": env}
    rounds: list[dict[str, dict[str, float]]] = []
    with ExitStack() as stack:
        upstream = stack.enter_context(standin())
        targets: dict[str, tuple[str, str, int | None]] = {"direct": (upstream, "none", None)}
        for name, build_env in builds.items():
            workspace = root / name
            key = KeyStore(workspace).create("acct_ab")[1]
            base, process = stack.enter_context(
                gateway(workspace, upstream, root / f"{name}-log", build_env)
            )
            targets[name] = (base, key, process.pid)
        names = list(targets)
        for number in range(args.rounds):
            order = names[number % len(names) :] + names[: number % len(names)]
            found: dict[str, dict[str, float]] = {}
            for name in order:
                base, key, pid = targets[name]
                found[name] = _summary(asyncio.run(_load(base, key, args.rate, args.seconds, pid)))
            for name in ("baseline", "current"):
                for metric in ("whole_p50_ms", "stream_p50_ms"):
                    found[name][f"added_{metric}"] = found[name][metric] - found["direct"][metric]
            rounds.append(found)
            print(f"round {number + 1}", orjson.dumps(found).decode(), flush=True)
    report: dict[str, Any] = {"rate": args.rate, "seconds": args.seconds, "rounds": rounds}
    medians: dict[str, dict[str, float]] = {}
    for name in names:
        keys = [k for k in rounds[0][name] if k != "errors"]
        medians[name] = {k: round(statistics.median(r[name][k] for r in rounds), 3) for k in keys}
    report["median"] = medians
    ratios = {}
    for metric in ("cpu_us_per_call", "added_whole_p50_ms", "added_stream_p50_ms", *METRICS):
        pairs = [(r["current"][metric], r["baseline"][metric]) for r in rounds]
        each = [current / baseline for current, baseline in pairs if baseline > 0]
        if each:
            ratios[metric] = {
                "median": round(statistics.median(each), 3),
                "min": round(min(each), 3),
                "max": round(max(each), 3),
            }
    report["current_over_baseline"] = ratios
    save("gateway-ab.json", report)
    print("median", orjson.dumps(medians).decode())
    print("current / baseline", orjson.dumps(ratios).decode())
    return report


if __name__ == "__main__":
    main()
