"""Benchmarks (not tests): ``make bench`` or ``python -m bench.run [--sizes ...] [--simulate ...]``.

Simulator (``bench.simulation``): a built-in scenario (``demo`` by default; ``--simulate
scale16m`` for the full-scale figure) written by the real CLI, timed with its memory, against
a compression floor; results in ``bench/out/simulate-<scenario>.json``.

Ingest: for each size, a raw API log of that many records (``bench.traffic``: SDK-shaped
bodies, corpus text) is ingested into a fresh workspace by the real CLI in a subprocess, while
a sampler sums the resident memory of the ingest process and its workers. The floor, measured
in the same run on the same file, is one process reading the file and decoding every line with
orjson (the least any JSON-lines ingest must do); the ratio ingest / floor is the figure that
survives a noisy machine. The first size is also ingested with one worker, to show how parse
work scales with processes. Results go to ``bench/out/ingest.json`` and a Markdown table on
stdout.

Hostile input (``bench.ingest_hostile``): decompression bombs (a ``.jsonl.gz`` whose first
record is 1.5 GiB, a 10 GiB ``.jsonl.zst``), generated at run time in a temporary folder,
ingested by the real CLI against an ordinary log of the same file count: exit code, outcome,
wall time and peak memory; then ordinary throughput with the ingest caps on and lifted, as a
ratio; results in ``bench/out/ingest-hostile.json`` (about 5 minutes; ``--skip-hostile`` to
skip).

Scan (``bench.scan``): ``distillguard scan`` timed end to end with its memory, per stage, against
a DuckDB floor (hash every prompt, group by account) on the same workspace, and its detection
quality against the simulator's labels. Sizes with ``--scan`` (``1m`` by default; ``16m``
takes ~25 minutes and ~20 GB of disk to build), or existing workspaces with
``--scan-workspaces name=WS[:LABELS],...``; results merged into ``bench/out/scan.json``.

Watermark (``bench.watermark``): on real held-out answers from ``../shared/corpora``, the null
calibration of the test, its power against the number of answers, inheritance by a trigram
student distilled from watermarked answers, robustness to synonym replacement and partial
paraphrase, the cost of embedding (whole and streamed) and verification against a word-scan
floor, and how far the watermark moves the word distribution; results in
``bench/out/watermark.json`` (about 1.5 minutes; ``--watermark-quick`` for under one,
``--skip-watermark`` to skip; skipped with a message when the corpora are absent).

Robustness (``bench.robustness``): detection with each overlap between legitimate traffic
and campaigns turned on one at a time (the built-in ``overlap-<name>`` scenarios), all at
once (``adversarial``), and on the independent test worlds of ``bench.outside`` and
``bench.redteam`` when the corpora are present: precision, recall, benign FPR with Wilson
intervals and every benign population's flagged share; results in
``bench/out/robustness.json`` (about 15 minutes;
``--robustness ''`` to skip).

Gateway (``bench.gateway_overhead``): the stand-in upstream directly, through the gateway
(default rules), through it watermarking every answer, and through the LiteLLM proxy
(installed from PyPI into ``bench/out/litellm-venv`` on first use), in one run at 200
requests/s: latency and time to first byte, the added latency, the highest rate with
p99 ≤ 50 ms and its ratio to LiteLLM's, memory per account at 10k accounts; results in
``bench/out/gateway.json`` (about 10 minutes; ``--skip-gateway`` to skip). With it,
``bench.upstream_clients``: the CPU each upstream client library (aiohttp, httpx) costs per
call on the same stand-in, in alternating rounds (``bench/out/upstream_clients.json``), and
``bench.quota_redis``: what admitting, settling and releasing a call costs on Redis against
the build before one-script admission, in alternating rounds (``bench/out/quota_redis.json``;
needs the git history). Not in ``make bench``, for a change to the hot path:
``bench.gateway_ab`` (two builds of the gateway under the same load in alternating slices)
and ``bench.gateway_profile`` (py-spy stages per call).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from bench.gateway_overhead import main as gateway_overhead
from bench.ingest_hostile import hostile_benchmark
from bench.memory import run_measured
from bench.quota_redis import main as quota_redis
from bench.robustness import ALL as ROBUSTNESS_ALL
from bench.robustness import robustness_benchmark
from bench.scan import CORPORA, SIZES_HELP, scan_benchmark
from bench.simulation import simulate_once
from bench.traffic import write_log
from bench.upstream_clients import main as upstream_clients
from bench.watermark import watermark_benchmark

OUT = Path(__file__).resolve().parent / "out"
CLI = Path(sys.executable).parent / "distillguard"


def floor_seconds(path: Path) -> float:
    """Read the file and decode every line with orjson, in one process."""
    start = time.perf_counter()
    with path.open("rb") as handle:
        for line in handle:
            orjson.loads(line)
    return time.perf_counter() - start


def ingest_once(path: Path, workspace: Path, workers: int) -> dict[str, Any]:
    shutil.rmtree(workspace, ignore_errors=True)
    env = {**os.environ, "DISTILLGUARD_INGEST_WORKERS": str(workers)}
    wall, peak, stdout = run_measured(
        [str(CLI), "ingest", str(path), "--workspace", str(workspace), "--json"], env
    )
    report = orjson.loads(stdout.strip().splitlines()[-1])
    size = sum(p.stat().st_size for p in workspace.rglob("*") if p.is_file())
    shutil.rmtree(workspace, ignore_errors=True)
    return {
        "workers": workers,
        "wall_s": round(wall, 2),
        "records_per_s": round(report["read"] / wall),
        "phases_s": report["phases"],
        "peak_rss_mib": round(peak / 1024),
        "ingested": report["ingested"],
        "quarantined": report["quarantined"],
        "workspace_mib": round(size / 2**20),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1000000,4000000"))
    parser.add_argument(
        "--keep-logs",
        action="store_true",
        help="keep the generated logs, and the scan's built workspaces (later runs reuse them)",
    )
    parser.add_argument(
        "--simulate",
        default=os.environ.get("BENCH_SIMULATE", "demo"),
        help="built-in scenario to time the simulator on ('' to skip; scale16m takes ~15 min)",
    )
    parser.add_argument("--skip-ingest", action="store_true", help="skip the ingest benchmark")
    parser.add_argument(
        "--skip-hostile", action="store_true", help="skip the hostile-input ingest benchmark"
    )
    parser.add_argument(
        "--scan",
        metavar="SIZES",
        default=os.environ.get("BENCH_SCAN_SIZES"),
        help=f"workspaces to build and scan, comma-separated ('' for none): {SIZES_HELP}; "
        "default 1m, none when --scan-workspaces is given",
    )
    parser.add_argument(
        "--scan-workspaces",
        metavar="NAME=WS[:LABELS],...",
        default=os.environ.get("BENCH_SCAN_WORKSPACES", ""),
        help="existing workspaces to scan instead of building them (labels.csv: measure quality)",
    )
    parser.add_argument("--skip-scan", action="store_true", help="skip the scan benchmark")
    parser.add_argument(
        "--skip-watermark", action="store_true", help="skip the watermark benchmark"
    )
    parser.add_argument(
        "--robustness",
        metavar="OVERLAPS",
        default=os.environ.get("BENCH_ROBUSTNESS", ROBUSTNESS_ALL),
        help="overlaps to measure one at a time ('' to skip; 'all' is the adversarial "
        "scenario); the outside world is measured too when ../shared/corpora is present",
    )
    parser.add_argument("--skip-gateway", action="store_true", help="skip the gateway benchmark")
    parser.add_argument(
        "--watermark-quick",
        action="store_true",
        help="fewer keys and draws in the watermark benchmark (under a minute)",
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.simulate:
        simulation(args.simulate, args.keep_logs)
    if not args.skip_ingest:
        ingest_benchmark(args.sizes, args.keep_logs)
    if not args.skip_hostile:
        hostile_benchmark(records=20_000, throughput_records=100_000, repeats=5)
    if not args.skip_scan:
        default = "" if args.scan_workspaces else "1m"
        sizes = args.scan if args.scan is not None else default
        scan_benchmark(sizes, args.scan_workspaces, args.keep_logs)
    if not args.skip_watermark:
        watermark_benchmark(quick=args.watermark_quick)
    if args.robustness:
        outside = OUT / "robustness-outside" if CORPORA.is_dir() else None
        redteam = OUT / "robustness-redteam" if CORPORA.is_dir() else None
        robustness_benchmark(args.robustness, outside, args.keep_logs, redteam)
    if not args.skip_gateway:
        upstream_clients([])
        gateway_overhead(["--rate", "200", "--seconds", "6"])
        quota_redis(["--rounds", "3"])


def simulation(scenario: str, keep: bool) -> None:
    """Time the simulator with each codec, then ingest its gzip output."""
    rows = []
    for compression in ("gzip", "zstd"):
        out = OUT / f"sim-{scenario}-{compression}"
        row = simulate_once(scenario, out, compression)
        if compression == "gzip":
            ingested = ingest_once(out / "log", OUT / "ws", os.cpu_count() or 1)
            row["ingest"] = ingested
        rows.append(row)
        print(orjson.dumps(row).decode(), file=sys.stderr)
        if not keep:
            shutil.rmtree(out, ignore_errors=True)
    (OUT / f"simulate-{scenario}.json").write_bytes(orjson.dumps(rows, option=orjson.OPT_INDENT_2))
    print(
        "| scenario | codec | calls | accounts (campaign) | wall s | calls/s | workers "
        "| peak RSS MiB | log MiB (raw) | floor s | ratio | ingest: records/s, quarantined |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        ingest = row.get("ingest")
        ingested = (
            f"{ingest['records_per_s']:,}, {ingest['quarantined']}" if ingest is not None else "-"
        )
        print(
            f"| {row['scenario']} | {row['compression']} | {row['calls']:,} "
            f"| {row['accounts']:,} ({row['campaign_accounts']:,}) | {row['wall_s']} "
            f"| {row['calls_per_s']:,} | {row['workers']} | {row['peak_rss_mib']:,} "
            f"| {row['log_mib']:,} ({row['log_raw_mib']:,}) | {row['floor_s']} "
            f"| {row['ratio_to_floor']} | {ingested} |"
        )


def ingest_benchmark(sizes: str, keep_logs: bool) -> None:
    cores = os.cpu_count() or 1
    results: list[dict[str, Any]] = []
    for k, n in enumerate(int(s) for s in sizes.split(",")):
        log = OUT / f"raw-{n}.jsonl"
        if not log.exists():
            print(f"generating {n:,} records…", file=sys.stderr)
            write_log(log, n)
        floor = floor_seconds(log)
        runs = [ingest_once(log, OUT / "ws", cores)]
        if k == 0 and cores > 1:
            runs.append(ingest_once(log, OUT / "ws", 1))
        for run in runs:
            row = {
                "records": n,
                "log_mib": round(log.stat().st_size / 2**20),
                "mean_record_bytes": round(log.stat().st_size / n),
                "floor_s": round(floor, 2),
                "ratio_to_floor": round(run["wall_s"] / floor, 2),
                **run,
            }
            results.append(row)
            print(orjson.dumps(row).decode(), file=sys.stderr)
        if not keep_logs:
            log.unlink()
    (OUT / "ingest.json").write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    print(
        "| records | log MiB | workers | wall s | records/s | parse s | dedup+enrich+write s "
        "| floor s | ratio | peak RSS MiB (all processes) | workspace MiB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        phases = r["phases_s"]
        print(
            f"| {r['records']:,} | {r['log_mib']:,} | {r['workers']} | {r['wall_s']} "
            f"| {r['records_per_s']:,} | {phases['parse']} | {phases['dedup_enrich_write']} "
            f"| {r['floor_s']} | {r['ratio_to_floor']} | {r['peak_rss_mib']:,} "
            f"| {r['workspace_mib']:,} |"
        )


if __name__ == "__main__":
    main()
