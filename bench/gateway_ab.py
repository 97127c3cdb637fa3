"""Builds of the gateway side by side: the same load on each in alternating slices.

    python -m bench.gateway_ab [--baseline DIR] [--floor] [--rounds 6] [--seconds 5]

``DIR`` is another checkout of the project (``git worktree add DIR COMMIT``); its ``src`` is
put first on the baseline gateway's ``PYTHONPATH``. ``--floor`` adds ``bench.passthrough``
(the gateway's server and upstream client forwarding and nothing else). One stand-in
upstream, the direct target, the current gateway and the others run at once (the
``bench.gateway_overhead`` policy: the default rules, budgets above the load, fsync every
second), and each round sends the same open-loop load to each in turn, in an order that
rotates from round to round; on a shared machine whose speed drifts by tens of per cent from
minute to minute, a ratio of two targets in the same round is the figure that holds. Per
round: p50 / p99 of whole answers and first bytes, the added p50 (through − direct, same
round) and each proxy's CPU per call; then the median of each and of the per-round ratios
of the current gateway to each other proxy. Results in ``bench/out/gateway-ab.json``.
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

from bench import passthrough
from bench.gateway_overhead import _load, _summary, budgets_policy, gateway_env
from bench.results import save
from distillguard.gateway.keys import KeyStore

METRICS = ("whole_p50_ms", "whole_p99_ms", "stream_p50_ms", "stream_p99_ms")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="another checkout")
    parser.add_argument("--floor", action="store_true", help="add bench.passthrough")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=200.0)
    args = parser.parse_args(argv)
    if args.baseline is None and not args.floor:
        parser.error("nothing to compare: give --baseline DIR, --floor or both")
    root = Path(tempfile.mkdtemp(prefix="gw-ab-"))
    policy = root / "policy.toml"
    policy.write_text(budgets_policy())
    env = gateway_env(policy)
    builds = {"current": env}
    if args.baseline is not None:
        baseline_src = (args.baseline / "src").resolve()
        if not (baseline_src / "distillguard").is_dir():
            parser.error(f"{args.baseline} holds no src/distillguard")
        path = [str(baseline_src), *filter(None, [os.environ.get("PYTHONPATH")])]
        builds["baseline"] = {**env, "PYTHONPATH": os.pathsep.join(path)}
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
        if args.floor:
            base, started = stack.enter_context(passthrough.running(upstream))
            targets["passthrough"] = (base, "none", started.pid)
        names = list(targets)
        others = [name for name in names if name not in ("direct", "current")]
        for number in range(args.rounds):
            order = names[number % len(names) :] + names[: number % len(names)]
            found: dict[str, dict[str, float]] = {}
            for name in order:
                base, key, pid = targets[name]
                found[name] = _summary(asyncio.run(_load(base, key, args.rate, args.seconds, pid)))
            for name in names[1:]:
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
    ratios: dict[str, dict[str, dict[str, float]]] = {}
    for other in others:
        ratios[other] = {}
        for metric in ("cpu_us_per_call", "added_whole_p50_ms", "added_stream_p50_ms", *METRICS):
            pairs = [(r["current"][metric], r[other][metric]) for r in rounds]
            each = [current / then for current, then in pairs if then > 0]
            if each:
                ratios[other][metric] = {
                    "median": round(statistics.median(each), 3),
                    "min": round(min(each), 3),
                    "max": round(max(each), 3),
                }
    report["current_over"] = ratios
    save("gateway-ab.json", report)
    print("median", orjson.dumps(medians).decode())
    print("current / other", orjson.dumps(ratios).decode())
    return report


if __name__ == "__main__":
    main()
