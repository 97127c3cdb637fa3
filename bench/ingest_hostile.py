"""Ingest under hostile input: decompression bombs against an ordinary log, in one run.

``python -m bench.ingest_hostile [--records N] [--throughput-records N] [--repeats K]
[--before DIR]``, or
part of ``python -m bench.run`` (``--skip-hostile`` to leave it out). Every file is written at
run time into a temporary folder and deleted after:

* ``ordinary.jsonl.gz``: N records of ``bench.traffic`` (the baseline, one file);
* ``bomb-1.5g.jsonl.gz``: one raw-log record of 1.5 GiB (a chat prompt of one repeated
  letter, the issue's bomb) as the first line, then 1,000 ordinary records;
* ``bomb-10g.jsonl.zst``: the same shape with a 10 GiB record.

Both bombs are compressed as they are written, from a repeated 4 MiB chunk, so nothing large
is held or stored uncompressed. Each file is ingested by ``distillguard ingest FILE
--workspace WS --json`` (the installed command) into a fresh workspace: with default
settings, and with the compression-ratio cap lifted (then the format cannot be told from a
head that holds no whole record, and with ``--format raw`` the record cap is what stops the
bomb: ``too_large``). The command runs under a small Python parent that times it and reads
``getrusage(RUSAGE_CHILDREN)`` when it ends: CPU time, and ``ru_maxrss``, the peak resident
set of the largest single process (the ingest process or one of its workers). A fresh parent
per run, because that figure is a high-water mark over all children, and a child started by
vfork from a large process inherits that process's size in it. Alongside, the summed RSS of
the whole process tree is sampled every 0.25 s (``bench.memory``). A run is killed past
``CEILING_MIB`` of summed RSS or ``TIMEOUT_S``.

Throughput: an ordinary log of ``--throughput-records`` records, gzip and plain, ingested in
``--repeats`` rounds; a round runs each arm once, adjacent, in a rotated order: the caps at
their defaults, every cap lifted (huge values through the ``DISTILLGUARD_INGEST_*``
variables), and with ``--before DIR`` the package under DIR (another checkout's ``src``).
Figures are the medians and ranges of the per-round ratios, in wall time and in CPU time.

Results in ``bench/out/ingest-hostile.json`` and Markdown tables on stdout.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

import orjson
import zstandard

from bench.memory import TreeMemory
from bench.traffic import TrafficWriter
from distillguard.simulate.bodies import CHAT

BENCH_ROOT = Path(__file__).resolve().parents[1]
OUT = BENCH_ROOT / "bench" / "out"
CLI = Path(sys.executable).parent / "distillguard"
MIB = 1 << 20
GIB = 1 << 30
CHUNK = b"A" * (4 * MIB)
TAIL_RECORDS = 1_000
CEILING_MIB = 6 * 1024
TIMEOUT_S = 300.0
GOAL_S = 10.0
GOAL_ABOVE_MIB = 256
CAPS_OFF = {
    "DISTILLGUARD_INGEST_MAX_RECORD_BYTES": str(1 << 62),
    "DISTILLGUARD_INGEST_MAX_DECOMPRESSED_BYTES": str(1 << 62),
    "DISTILLGUARD_INGEST_MAX_COMPRESSION_RATIO": "1e18",
}
RATIO_OFF = {"DISTILLGUARD_INGEST_MAX_COMPRESSION_RATIO": "1e18"}
RAW = ("--format", "raw")
TIMED = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump({"code": code, "wall_s": wall, "peak_kib": usage.ru_maxrss,
               "cpu_s": usage.ru_utime + usage.ru_stime}, out)
"""
"""Runs the command; its wall time, CPU time (workers included) and largest process's peak RSS."""

Writer = Callable[[BinaryIO], AbstractContextManager[BinaryIO]]


def _gzip(raw: BinaryIO) -> AbstractContextManager[BinaryIO]:
    return cast(
        AbstractContextManager[BinaryIO], gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6)
    )


def _zstd(raw: BinaryIO) -> AbstractContextManager[BinaryIO]:
    return zstandard.ZstdCompressor(level=3).stream_writer(raw, closefd=False)


def _plain(raw: BinaryIO) -> AbstractContextManager[BinaryIO]:
    return nullcontext(raw)


def _ordinary(writer: TrafficWriter, n: int, start: int = 0) -> Iterator[bytes]:
    """``n`` ordinary raw-log lines, written in batches."""
    batch: list[bytes] = []
    for i in range(start, start + n):
        batch.append(orjson.dumps(writer.record(i)) + b"\n")
        if len(batch) >= 10_000:
            yield b"".join(batch)
            batch = []
    yield b"".join(batch)


def write_ordinary(path: Path, n: int, compress: Writer) -> None:
    writer = TrafficWriter(seed=7, n=n)
    with path.open("wb") as raw, compress(raw) as out:
        for data in _ordinary(writer, n):
            out.write(data)


def _giant_halves(writer: TrafficWriter) -> tuple[bytes, bytes]:
    """A chat record's JSON cut where its prompt's text goes: (prefix + '"', '"' + suffix)."""
    i = next(i for i in range(4096) if writer.endpoints[i] == CHAT)
    record = writer.record(i)
    record["request_id"] = "req_giant"
    messages = record["request"]["messages"]
    prompt = orjson.dumps(messages[-1]["content"])
    prefix, suffix = orjson.dumps(record).split(prompt, 1)
    return prefix + b'"', b'"' + suffix + b"\n"


def write_bomb(path: Path, size: int, compress: Writer) -> None:
    """A log whose first line is one record of about ``size`` bytes, then ordinary lines."""
    writer = TrafficWriter(seed=11, n=TAIL_RECORDS)
    head, tail = _giant_halves(writer)
    with path.open("wb") as raw, compress(raw) as out:
        out.write(head)
        for _ in range(size // len(CHUNK)):
            out.write(CHUNK)
        out.write(tail)
        for data in _ordinary(writer, TAIL_RECORDS):
            out.write(data)


def ingest_run(
    path: Path, workspace: Path, env: dict[str, str], args: tuple[str, ...] = ()
) -> dict[str, Any]:
    """One ``distillguard ingest`` in a fresh workspace: exit code, time, memory, outcome."""
    shutil.rmtree(workspace, ignore_errors=True)
    timing = workspace.with_suffix(".timing.json")
    command = [str(CLI), "ingest", str(path), "--workspace", str(workspace), "--json", *args]
    killed = None
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-c", TIMED, str(timing), *command],
            stdout=stdout,
            stderr=stderr,
            env={**os.environ, **env},
            start_new_session=True,
        )
        memory = TreeMemory(proc.pid)
        start = time.perf_counter()
        while proc.poll() is None:
            if memory.peak_kib > CEILING_MIB * 1024 or time.perf_counter() - start > TIMEOUT_S:
                took = time.perf_counter() - start
                killed = f"killed at {memory.peak_kib // 1024:,} MiB after {took:.0f} s"
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            time.sleep(0.05)
        tree_kib = memory.stop()
        stdout.seek(0)
        stderr.seek(0)
        out, err = stdout.read(), stderr.read()
    shutil.rmtree(workspace, ignore_errors=True)
    if killed is not None:
        timing.unlink(missing_ok=True)
        return {
            "exit": None,
            "wall_s": None,
            "peak_rss_mib": None,
            "tree_peak_rss_mib": round(tree_kib / 1024),
            "outcome": killed,
        }
    measured = json.loads(timing.read_text())
    timing.unlink()
    row: dict[str, Any] = {
        "exit": measured["code"],
        "wall_s": round(measured["wall_s"], 2),
        "cpu_s": round(measured["cpu_s"], 2),
        "peak_rss_mib": round(measured["peak_kib"] / 1024),
        "tree_peak_rss_mib": round(tree_kib / 1024),
    }
    if measured["code"] == 0:
        report = orjson.loads(out.strip().splitlines()[-1])
        reasons = ", ".join(f"{k} {v:,}" for k, v in sorted(report["quarantine_reasons"].items()))
        row["outcome"] = (
            f"ingested {report['ingested']:,}, quarantined {report['quarantined']:,}"
            + (f" ({reasons})" if reasons else "")
        )
        row["records"] = report["read"]
        row["records_per_s"] = round(report["read"] / measured["wall_s"])
    else:
        lines = [line.strip() for line in err.decode(errors="replace").splitlines() if line.strip()]
        row["outcome"] = lines[-1] if lines else ""
    return row


@dataclass(frozen=True, slots=True)
class Case:
    """One hostile-input run: which file, and what the user sets."""

    name: str
    file: str
    giant_bytes: int  # 0: the ordinary log, the baseline
    compress: Writer
    settings: str = "defaults"
    env: Mapping[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = ()


RATIO_OFF_RAW = "ratio cap off, --format raw"
CASES = (
    Case("ordinary", "ordinary.jsonl.gz", 0, _gzip),
    Case("1.5 GiB record", "bomb-1.5g.jsonl.gz", 3 * GIB // 2, _gzip),
    Case("1.5 GiB record", "bomb-1.5g.jsonl.gz", 3 * GIB // 2, _gzip, "ratio cap off", RATIO_OFF),
    Case(
        "1.5 GiB record", "bomb-1.5g.jsonl.gz", 3 * GIB // 2, _gzip, RATIO_OFF_RAW, RATIO_OFF, RAW
    ),
    Case("10 GiB record", "bomb-10g.jsonl.zst", 10 * GIB, _zstd),
    Case("10 GiB record", "bomb-10g.jsonl.zst", 10 * GIB, _zstd, RATIO_OFF_RAW, RATIO_OFF, RAW),
)
"""The baseline first; a bomb with the ratio cap lifted shows the record cap (``too_large``)."""


def hostile(tmp: Path, records: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for case in CASES:
        path = tmp / case.file
        if not path.exists():
            start = time.perf_counter()
            if case.giant_bytes:
                write_bomb(path, case.giant_bytes, case.compress)
            else:
                write_ordinary(path, records, case.compress)
            print(f"wrote {case.file} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        run = ingest_run(path, tmp / "ws", dict(case.env), case.args)
        run["outcome"] = run["outcome"].replace(f"{tmp}/", "")
        row = {
            "file": case.name,
            "path": case.file,
            "file_bytes": path.stat().st_size,
            "giant_record_bytes": case.giant_bytes or None,
            "settings": case.settings,
            **run,
        }
        rows.append(row)
        print(orjson.dumps(row).decode(), file=sys.stderr)
    base = rows[0]
    for row in rows[1:]:
        if row["peak_rss_mib"] is not None:
            row["above_baseline_mib"] = row["peak_rss_mib"] - base["peak_rss_mib"]
            row["tree_above_baseline_mib"] = row["tree_peak_rss_mib"] - base["tree_peak_rss_mib"]
            row["goal_met"] = (
                row["wall_s"] < GOAL_S
                and row["above_baseline_mib"] < GOAL_ABOVE_MIB
                and row["tree_above_baseline_mib"] < GOAL_ABOVE_MIB
            )
    return rows


def throughput(
    tmp: Path, records: int, repeats: int, before: Path | None = None
) -> list[dict[str, Any]]:
    """Caps at their defaults against caps lifted (and ``before``'s code): rounds on one file.

    In each round every arm runs once, adjacent, in an order rotated round by round; each
    round's ratio is taken first (its runs saw about the same load), in wall time and in CPU
    time of the command and its workers (less sensitive to other work on the machine). The
    medians and ranges of the round ratios are the figures.
    """
    arms: dict[str, dict[str, str]] = {"caps on": {}, "caps off": CAPS_OFF}
    if before is not None:
        arms["before"] = {"PYTHONPATH": os.pathsep.join([str(before), str(BENCH_ROOT)])}
    names = list(arms)
    rows: list[dict[str, Any]] = []
    for kind, compress, file in (
        ("gzip", _gzip, "through.jsonl.gz"),
        ("plain", _plain, "through.jsonl"),
    ):
        path = tmp / file
        write_ordinary(path, records, compress)
        rounds: list[dict[str, dict[str, Any]]] = []
        for k in range(repeats):
            done: dict[str, dict[str, Any]] = {}
            for name in names[k % len(names) :] + names[: k % len(names)]:
                run = ingest_run(path, tmp / "ws", arms[name])
                if run["exit"] != 0:
                    raise SystemExit(f"ordinary ingest failed ({name}): {run['outcome']}")
                done[name] = run
                print(orjson.dumps({"file": file, "arm": name, **run}).decode(), file=sys.stderr)
            rounds.append(done)
        for other in names[1:]:
            rows.append(
                {
                    "file": kind,
                    "records": records,
                    "file_mib": round(path.stat().st_size / MIB),
                    "rounds": repeats,
                    "against": other,
                    "caps_on_records_per_s": [r["caps on"]["records_per_s"] for r in rounds],
                    "against_records_per_s": [r[other]["records_per_s"] for r in rounds],
                    "caps_on_cpu_s": [r["caps on"]["cpu_s"] for r in rounds],
                    "against_cpu_s": [r[other]["cpu_s"] for r in rounds],
                    "throughput_ratio": _spread(
                        [r[other]["wall_s"] / r["caps on"]["wall_s"] for r in rounds]
                    ),
                    "cpu_throughput_ratio": _spread(
                        [r[other]["cpu_s"] / r["caps on"]["cpu_s"] for r in rounds]
                    ),
                }
            )
        path.unlink()
    return rows


def _spread(ratios: list[float]) -> dict[str, float]:
    """Median, lowest and highest of the pair ratios."""
    return {
        "median": round(statistics.median(ratios), 3),
        "min": round(min(ratios), 3),
        "max": round(max(ratios), 3),
    }


def _above(row: dict[str, Any], key: str) -> str:
    return f" ({row[key]:+,})" if key in row else ""


def _size(n: int) -> str:
    return f"{n / MIB:,.1f} MiB" if n >= MIB else f"{n / 1024:,.0f} KiB"


def _table(rows: list[dict[str, Any]], through: list[dict[str, Any]]) -> str:
    out = [
        "| file | size | settings | exit | wall s | peak RSS MiB, largest process (vs baseline) "
        "| peak RSS MiB, all processes (vs baseline) | outcome |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['file']} | {_size(r['file_bytes'])} | {r['settings']} | {r['exit']} "
            f"| {r['wall_s']} | {r['peak_rss_mib']}{_above(r, 'above_baseline_mib')} "
            f"| {r['tree_peak_rss_mib']:,}{_above(r, 'tree_above_baseline_mib')} "
            f"| {r['outcome']} |"
        )
    out += [
        "",
        "| file | records | MiB | rounds | caps on, records/s | against | its records/s "
        "| throughput caps on / it, wall: median (range) | the same per CPU second |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for t in through:
        on = ", ".join(f"{v:,}" for v in t["caps_on_records_per_s"])
        it = ", ".join(f"{v:,}" for v in t["against_records_per_s"])
        wall, cpu = t["throughput_ratio"], t["cpu_throughput_ratio"]
        out.append(
            f"| {t['file']} | {t['records']:,} | {t['file_mib']:,} | {t['rounds']} | {on} "
            f"| {t['against']} | {it} | {wall['median']} ({wall['min']}–{wall['max']}) "
            f"| {cpu['median']} ({cpu['min']}–{cpu['max']}) |"
        )
    return "\n".join(out)


def hostile_benchmark(
    records: int, throughput_records: int, repeats: int, before: Path | None = None
) -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as folder:
        tmp = Path(folder)
        rows = hostile(tmp, records)
        for path in tmp.glob("bomb-*"):
            path.unlink()
        through = throughput(tmp, throughput_records, repeats, before) if repeats else []
    result = {"hostile": rows, "throughput": through}
    (OUT / "ingest-hostile.json").write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2))
    print(_table(rows, through))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000, help="records of the baseline log")
    parser.add_argument(
        "--throughput-records", type=int, default=100_000, help="records of the throughput log"
    )
    parser.add_argument("--repeats", type=int, default=5, help="throughput rounds (0: skip)")
    parser.add_argument(
        "--before",
        type=Path,
        help="also time the throughput files with the package under this folder (the src/ "
        "of another checkout, e.g. from before the caps)",
    )
    args = parser.parse_args(argv)
    hostile_benchmark(args.records, args.throughput_records, args.repeats, args.before)


if __name__ == "__main__":
    main()
