"""Simulator throughput: a built-in scenario written by the real CLI, against a floor.

The floor, measured in the same run on the same output, is one process compressing the
log's bytes again at the simulator's gzip level: the least any writer of those bytes must
do. The simulator itself uses every core, so the ratio simulate / floor falls below the
per-call cost ratio by about the number of cores.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import orjson

from bench.memory import TreeMemory
from distillguard.simulate.generate import GZIP_LEVEL

CLI = Path(sys.executable).parent / "distillguard"


def compress_floor_seconds(log_dir: Path) -> tuple[float, int]:
    """Seconds to gzip the log's decompressed bytes again, and how many bytes that is."""
    seconds = 0.0
    raw = 0
    for path in sorted(log_dir.glob("*.jsonl.gz")):
        with gzip.open(path) as handle:
            while chunk := handle.read(64 << 20):
                raw += len(chunk)
                start = time.perf_counter()
                packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
                packer.compress(chunk)
                packer.flush()
                seconds += time.perf_counter() - start
    return seconds, raw


def simulate_once(scenario: str, out: Path, interactions: int | None = None) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    command = [str(CLI), "simulate", "--scenario", scenario, "--out", str(out), "--json"]
    if interactions is not None:
        command += ["--interactions", str(interactions)]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, env=dict(os.environ))
    memory = TreeMemory(proc.pid)
    stdout, _ = proc.communicate()
    wall = time.perf_counter() - start
    peak = memory.stop()
    if proc.returncode != 0:
        raise SystemExit(f"simulate failed with exit code {proc.returncode}")
    report = orjson.loads(stdout.strip().splitlines()[-1])
    floor, raw = compress_floor_seconds(out / "log")
    return {
        "scenario": scenario,
        "calls": report["calls"],
        "accounts": report["accounts"],
        "campaign_accounts": report["campaign_accounts"],
        "wall_s": round(wall, 1),
        "calls_per_s": round(report["calls"] / wall),
        "peak_rss_mib": round(peak / 1024),
        "log_gz_mib": round(report["bytes_written"] / 2**20),
        "log_raw_mib": round(raw / 2**20),
        "mean_call_bytes": round(raw / max(1, report["calls"])),
        "floor_s": round(floor, 1),
        "ratio_to_floor": round(wall / floor, 2) if floor else None,
        "workers": os.cpu_count() or 1,
    }
