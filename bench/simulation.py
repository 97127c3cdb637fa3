"""Simulator throughput: a built-in scenario written by the real CLI, against a floor.

The floor, measured in the same run on the same output, is one process compressing the
log's bytes again with the simulator's codec and level: the least any writer of those bytes
must do. It is measured on the first files, up to ``FLOOR_SAMPLE`` bytes of log, and scaled
to the whole log by bytes (the days are alike). The simulator itself uses every core, so the
ratio simulate / floor falls below the per-call cost ratio by up to the number of cores.
"""

from __future__ import annotations

import gzip
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import zstandard

from bench.memory import run_measured
from distillguard.simulate.generate import compress

CLI = Path(sys.executable).parent / "distillguard"
FLOOR_SAMPLE = 3 << 30  # decompressed bytes of log the floor is measured on


def _chunks(path: Path) -> Iterator[bytes]:
    if path.suffix == ".gz":
        with gzip.open(path) as handle:
            while chunk := handle.read(64 << 20):
                yield chunk
        return
    with path.open("rb") as raw:
        reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        while chunk := reader.read(64 << 20):
            yield chunk


def compress_floor(log_dir: Path, compression: str) -> dict[str, float]:
    """Seconds to compress the log's bytes again, measured on a sample, scaled to the log."""
    files = sorted(p for p in log_dir.iterdir() if p.is_file())
    seconds = 0.0
    raw = 0
    packed = 0
    for path in files:
        if raw >= FLOOR_SAMPLE:
            break
        packed += path.stat().st_size
        for chunk in _chunks(path):
            raw += len(chunk)
            start = time.perf_counter()
            compress(chunk, compression)
            seconds += time.perf_counter() - start
    total_packed = sum(p.stat().st_size for p in files)
    total_raw = raw * total_packed / max(1, packed)
    return {"floor_s": seconds * total_raw / max(1, raw), "raw_bytes": total_raw}


def simulate_once(
    scenario: str, out: Path, compression: str = "gzip", interactions: int | None = None
) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    command = [str(CLI), "simulate", "--scenario", scenario, "--out", str(out), "--json"]
    command += ["--compression", compression]
    if interactions is not None:
        command += ["--interactions", str(interactions)]
    wall, peak, stdout = run_measured(command)
    report = orjson.loads(stdout.strip().splitlines()[-1])
    floor = compress_floor(out / "log", compression)
    return {
        "scenario": scenario,
        "compression": compression,
        "calls": report["calls"],
        "accounts": report["accounts"],
        "campaign_accounts": report["campaign_accounts"],
        "wall_s": round(wall, 1),
        "calls_per_s": round(report["calls"] / wall),
        "peak_rss_mib": round(peak / 1024),
        "log_mib": round(report["bytes_written"] / 2**20),
        "log_raw_mib": round(floor["raw_bytes"] / 2**20),
        "mean_call_bytes": round(floor["raw_bytes"] / max(1, report["calls"])),
        "floor_s": round(floor["floor_s"], 1),
        "ratio_to_floor": round(wall / floor["floor_s"], 2) if floor["floor_s"] else None,
        "workers": os.cpu_count() or 1,
    }
