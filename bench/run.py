"""Benchmarks (not tests): ``make bench`` or ``python -m bench.run [--sizes 1000000,4000000]``.

Ingest: for each size, a raw API log of that many records (``bench.traffic``: SDK-shaped
bodies, corpus text) is ingested into a fresh workspace by the real CLI in a subprocess, while
a sampler sums the resident memory of the ingest process and its workers. The floor, measured
in the same run on the same file, is one process reading the file and decoding every line with
orjson (the least any JSON-lines ingest must do); the ratio ingest / floor is the figure that
survives a noisy machine. The first size is also ingested with one worker, to show how parse
work scales with processes. Results go to ``bench/out/ingest.json`` and a Markdown table on
stdout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import orjson

from bench.traffic import write_log

OUT = Path(__file__).resolve().parent / "out"
CLI = Path(sys.executable).parent / "distillguard"


def _children(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory:
    """Samples the summed RSS of a process and all its descendants; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = sum(_rss_kib(p) for p in _children(self.pid))
            self.peak_kib = max(self.peak_kib, total)
            self._stop.wait(0.25)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kib


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
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(CLI), "ingest", str(path), "--workspace", str(workspace), "--json"],
        stdout=subprocess.PIPE,
        env=env,
    )
    memory = TreeMemory(proc.pid)
    stdout, _ = proc.communicate()
    wall = time.perf_counter() - start
    peak = memory.stop()
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed with exit code {proc.returncode}")
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
    parser.add_argument("--keep-logs", action="store_true", help="keep the generated logs")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    cores = os.cpu_count() or 1
    results: list[dict[str, Any]] = []
    for k, n in enumerate(int(s) for s in args.sizes.split(",")):
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
        if not args.keep_logs:
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
