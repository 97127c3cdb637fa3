"""Writing a scenario's traffic: the output folder, in parallel, byte for byte reproducible.

``simulate(scenario, out)`` writes::

    out/log/YYYY-MM-DD.jsonl.gz   the raw API log, one file per day, in time order
                                  (``.jsonl.zst`` with ``compression="zstd"``)
    out/accounts.jsonl            every account's sign-up record (DESIGN.md, accounts file)
    out/labels.csv                account_id,campaign_id,population
    out/scenario.json             the scenario as run and what was generated

Each hour of the period is one job: a worker process turns the plan's sessions for that hour
into records and compresses them as one gzip member (or zstd frame); a day's file is its
hours' members in order (a valid gzip / zstd file). gzip at level 1 is the default, as most
tools read it; zstd at level 1 compresses about five times faster and twice as small, which
matters at tens of millions of calls (docs/benchmarks.md).

The plan is drawn once in this process and handed to the workers as a file; every hour has
its own seed, so the bytes do not depend on the number of workers. ``accounts.jsonl``,
``labels.csv`` and ``scenario.json`` are written last: a run that fails half-way leaves only
log files, and a rerun into the same folder replaces them.
"""

from __future__ import annotations

import csv
import functools
import io
import multiprocessing
import os
import pickle
import tempfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import orjson
import zstandard

from distillguard.simulate.corpus import Corpus
from distillguard.simulate.plan import Plan, build
from distillguard.simulate.scenario import Scenario
from distillguard.simulate.text import TextBank
from distillguard.simulate.traffic import HourWriter

GZIP_LEVEL: Final = 1  # fast: the log is written once and read once
ZSTD_LEVEL: Final = 1
COMPRESSIONS: Final = MappingProxyType({"gzip": ".jsonl.gz", "zstd": ".jsonl.zst"})
LOG_DIR: Final = "log"


@dataclass
class SimulationReport:
    scenario: str
    out: str
    calls: int = 0
    accounts: int = 0
    campaign_accounts: int = 0
    bytes_written: int = 0
    files: list[str] = field(default_factory=list)
    by_population: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "out": self.out,
            "calls": self.calls,
            "accounts": self.accounts,
            "campaign_accounts": self.campaign_accounts,
            "bytes_written": self.bytes_written,
            "files": self.files,
            "by_population": self.by_population,
        }


@functools.cache
def _writer(plan_file: str, corpus: str | None) -> HourWriter:
    """The hour writer of a worker process (built once per process and plan)."""
    with open(plan_file, "rb") as handle:
        plan = pickle.load(handle)  # a file this run wrote a moment ago
    text = TextBank(Corpus.load(Path(corpus)) if corpus is not None else None)
    return HourWriter(plan, text)


Job = tuple[str, str | None, str, int]  # plan file, corpus folder, compression, hour


def compress(data: bytes, compression: str) -> bytes:
    """One gzip member or zstd frame holding ``data``."""
    if compression == "zstd":
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(data)
    packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


def _hour_job(job: Job) -> tuple[int, bytes, dict[str, int]]:
    plan_file, corpus, compression, hour = job
    lines, counts = _writer(plan_file, corpus).hour(hour)
    data = compress(b"\n".join(lines) + (b"\n" if lines else b""), compression)
    return hour, data, dict(counts)


def _accounts_file(plan: Plan) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for g in plan.groups for r in g.records)


def _labels_file(plan: Plan) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("account_id", "campaign_id", "population"))
    for group in plan.groups:
        for account in group.ids:
            writer.writerow((account, group.population.campaign_id, group.population.name))
    return buffer.getvalue().encode()


def _results(jobs: list[Job], workers: int) -> Iterator[tuple[int, bytes, dict[str, int]]]:
    if workers <= 1:
        yield from map(_hour_job, jobs)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers) as pool:
        yield from pool.imap(_hour_job, jobs)


def simulate(
    scenario: Scenario,
    out: Path,
    *,
    corpus: Path | None = None,
    workers: int = 0,
    compression: str = "gzip",
    progress: Callable[[int, int], None] | None = None,
) -> SimulationReport:
    """Write ``scenario``'s traffic, accounts, labels and description into ``out``.

    ``workers`` 0 means one per CPU; 1 writes in this process. ``compression`` is ``gzip``
    or ``zstd``. ``progress(hours_done, hours)`` is called after each hour. Raises
    ValueError when ``corpus`` cannot be read or ``compression`` is unknown.
    """
    if compression not in COMPRESSIONS:
        raise ValueError(f"compression must be one of {', '.join(COMPRESSIONS)}")
    if corpus is not None:
        Corpus.load(corpus)  # fail before any work if it cannot be read
    workers = workers or os.cpu_count() or 1
    plan = build(scenario)
    log_dir = out / LOG_DIR
    log_dir.mkdir(parents=True, exist_ok=True)
    for suffix in COMPRESSIONS.values():
        for stale in log_dir.glob(f"*{suffix}"):
            stale.unlink()
    for name in ("accounts.jsonl", "labels.csv", "scenario.json"):
        (out / name).unlink(missing_ok=True)
    report = SimulationReport(scenario.name, str(out))
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="distillguard-plan-") as tmp:
        plan_file = Path(tmp) / "plan.pickle"
        plan_file.write_bytes(pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL))
        jobs: list[Job] = [
            (str(plan_file), str(corpus) if corpus is not None else None, compression, h)
            for h in range(scenario.hours)
        ]
        handle = None
        day = None
        try:
            for hour, data, hour_counts in _results(jobs, workers):
                moment = scenario.start + timedelta(hours=hour)
                if moment.date() != day:
                    if handle is not None:
                        handle.close()
                    day = moment.date()
                    name = f"{LOG_DIR}/{day.isoformat()}{COMPRESSIONS[compression]}"
                    report.files.append(name)
                    handle = (out / name).open("wb")
                assert handle is not None
                handle.write(data)
                report.bytes_written += len(data)
                counts.update(hour_counts)
                if progress is not None:
                    progress(hour + 1, scenario.hours)
        finally:
            if handle is not None:
                handle.close()
    report.by_population = {p.name: counts[p.name] for p in scenario.populations}
    report.calls = sum(report.by_population.values())
    report.accounts = plan.accounts()
    report.campaign_accounts = sum(len(g.ids) for g in plan.groups if g.profile.campaign)
    (out / "accounts.jsonl").write_bytes(_accounts_file(plan))
    (out / "labels.csv").write_bytes(_labels_file(plan))
    description = scenario.describe()
    description["corpus"] = corpus.name if corpus is not None else None
    description["compression"] = compression
    description["generated"] = {
        "calls": report.calls,
        "accounts": report.accounts,
        "campaign_accounts": report.campaign_accounts,
        "files": report.files,
        "by_population": [
            {
                "name": g.population.name,
                "kind": g.population.kind,
                "campaign_id": g.population.campaign_id,
                "accounts": len(g.ids),
                "calls": counts[g.population.name],
            }
            for g in plan.groups
        ],
    }
    (out / "scenario.json").write_bytes(orjson.dumps(description, option=orjson.OPT_INDENT_2))
    return report
