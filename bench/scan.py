"""Batch scan: time, memory and detection quality of ``distillguard scan``, against a floor.

Each workspace is scanned by the real CLI (``distillguard scan --workspace WS --json``) in a
subprocess, default settings, while a sampler sums the resident memory of the process tree.
Wall time is the whole command; the per-stage seconds come from the scan's own report, and
what lies outside them (Python start-up with the whole detection stack imported, writing the
results, the catalog commit) is shown as its own column.

The floor, measured in the same run on the same workspace, is a child process in which DuckDB
(the scan's thread count and memory limit) reads every prompt text from the workspace's
interactions Parquet files (directly: the ``interactions`` view's join with ``ip_info`` is
not pruned by DuckDB and would add to the floor), hashes it and counts distinct prompts per
account, materialising the result: the least any scan that looks at every prompt and groups
by account must do. It is timed end to end like the scan; the ratio scan / floor is the
figure that survives a noisy machine.

Quality: when the workspace comes with the simulator's ``labels.csv``, the scan just made is
measured by ``distillguard.detect.evaluate`` (precision, recall, benign FPR, the worst benign
population's flagged share, the worst campaign's main-cluster share, per population and per
campaign).

Workspaces: ``BENCH_SCAN_WORKSPACES=name=WS_DIR[:LABELS_CSV],...`` scans existing ones (no
simulation); otherwise the sizes in ``--scan`` / ``BENCH_SCAN_SIZES`` (``BUILDS``) are
simulated (zstd) and ingested by the real CLI under ``bench/out/scan-<size>/``. Results are
merged by name into ``bench/out/scan.json``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from bench.memory import run_measured
from distillguard.detect.evaluate import evaluate
from distillguard.settings import Settings
from distillguard.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CLI = Path(sys.executable).parent / "distillguard"
CORPORA = ROOT.parent / "shared" / "corpora"
RESULTS = OUT / "scan.json"


@dataclass(frozen=True)
class Build:
    """How to make a workspace of one size: a built-in scenario, rescaled, with real prompts."""

    scenario: str
    interactions: int | None = None
    corpus: bool = False
    note: str = ""


BUILDS = {
    "smoke": Build("smoke", note="~50k calls; seconds, to check the benchmark itself"),
    "1m": Build("demo", note="~994k calls; ~2 minutes to build"),
    "4m": Build("scale16m", 4_000_000, note="~7 minutes to build"),
    "16m": Build("scale16m", note="~25 minutes and ~20 GB of disk to build"),
    "corpus": Build("demo", corpus=True, note="demo with ../shared/corpora prompts mixed in"),
}
SIZES_HELP = ", ".join(f"{name} ({b.note})" for name, b in BUILDS.items())


@dataclass(frozen=True)
class Target:
    """A workspace to scan, and the labels to measure the scan against (if any)."""

    name: str
    workspace: Path
    labels: Path | None
    build: dict[str, Any] | None = None


def parse_workspaces(spec: str) -> list[Target]:
    """``name=WS_DIR[:LABELS_CSV],...`` (a ``labels.csv`` beside the workspace is not guessed)."""
    targets = []
    for item in filter(None, (s.strip() for s in spec.split(","))):
        name, sep, rest = item.partition("=")
        if not sep or not name or not rest:
            raise SystemExit(
                f"BENCH_SCAN_WORKSPACES: expected name=WS_DIR[:LABELS_CSV], got {item!r}"
            )
        workspace, _, labels = rest.partition(":")
        targets.append(Target(name, Path(workspace), Path(labels) if labels else None))
    return targets


def _threads(settings: Settings) -> int:
    threads = settings.integer("detect.threads")
    return threads if threads > 0 else os.cpu_count() or 1


def floor_query(workspace: Path) -> dict[str, Any]:
    """In this process: hash every prompt text and count distinct prompts per account."""
    settings = Settings.load()
    ws = Workspace(workspace)
    with ws.connect() as con:
        con.execute(f"SET threads = {_threads(settings)}")
        con.execute(f"SET memory_limit = '{settings.text('detect.memory_limit')}'")
        con.execute("SET preserve_insertion_order = false")
        files = ", ".join(f"'{p}'" for p in ws.files("interactions", con))
        start = time.perf_counter()
        con.execute(
            "CREATE TEMP TABLE floor AS SELECT account_id, count(*) AS calls, "
            "count(DISTINCT hash(user_text)) AS prompts "
            f"FROM read_parquet([{files}]) GROUP BY account_id"
        )
        seconds = time.perf_counter() - start
        row = con.execute("SELECT count(*), sum(calls), sum(prompts) FROM floor").fetchone()
        assert row is not None
    return {"query_s": seconds, "accounts": row[0], "calls": int(row[1]), "prompts": int(row[2])}


def _child_env() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": str(ROOT) + (os.pathsep + path if path else "")}


def floor(workspace: Path) -> dict[str, Any]:
    """The floor in its own child process, timed end to end with its memory."""
    command = [sys.executable, "-m", "bench.scan", "--floor", str(workspace)]
    wall, peak, stdout = run_measured(command, _child_env())
    return {"wall_s": wall, "peak_rss_mib": round(peak / 1024), **orjson.loads(stdout)}


def build(name: str, keep: bool) -> Target | None:
    """Simulate and ingest the size ``name`` under ``bench/out/scan-<name>/`` (reused if built)."""
    spec = BUILDS[name]
    if spec.corpus and not CORPORA.is_dir():
        print(f"scan {name}: skipped, {CORPORA} is absent", file=sys.stderr)
        return None
    root = OUT / f"scan-{name}"
    traffic, workspace, marker = root / "traffic", root / "ws", root / "built.json"
    if marker.exists():  # kept by --keep-logs, or by a run whose scan failed
        print(f"scan {name}: reusing the workspace built in {root}", file=sys.stderr)
        return Target(name, workspace, traffic / "labels.csv", orjson.loads(marker.read_bytes()))
    shutil.rmtree(root, ignore_errors=True)
    print(f"scan {name}: building ({spec.note})…", file=sys.stderr)
    command = [str(CLI), "simulate", "--scenario", spec.scenario, "--out", str(traffic)]
    command += ["--compression", "zstd", "--json"]
    if spec.interactions is not None:
        command += ["--interactions", str(spec.interactions)]
    if spec.corpus:
        command += ["--corpus", str(CORPORA)]
    simulate_s, _, _ = run_measured(command)
    command = [str(CLI), "ingest", str(traffic / "log"), "--workspace", str(workspace)]
    command += ["--accounts", str(traffic / "accounts.jsonl"), "--json"]
    ingest_s, _, stdout = run_measured(command)
    ingested = orjson.loads(stdout.strip().splitlines()[-1])
    made = {
        "scenario": spec.scenario,
        "interactions": spec.interactions,
        "corpus": spec.corpus,
        "simulate_s": round(simulate_s, 1),
        "ingest_s": round(ingest_s, 1),
        "ingested": ingested["ingested"],
        "quarantined": ingested["quarantined"],
    }
    marker.write_bytes(orjson.dumps(made))
    if not keep:
        shutil.rmtree(traffic / "log")
    return Target(name, workspace, traffic / "labels.csv", made)


def _share(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def quality(workspace: Path, labels: Path, scan_id: str) -> dict[str, Any]:
    result = evaluate(Workspace(workspace), labels)
    if result.scan_id != scan_id:
        print(f"warning: evaluated scan {result.scan_id}, not {scan_id}", file=sys.stderr)
    benign = {k: p.flagged_share or 0.0 for k, p in result.by_population.items() if not p.campaign}
    grouped = {k: c.main_cluster_share or 0.0 for k, c in result.by_campaign.items()}
    values = result.target_values
    # named only when there is something to name: a benign population with a flagged
    # account, a campaign not wholly in one cluster
    worst_population = max(benign, key=benign.__getitem__, default=None)
    if worst_population is not None and benign[worst_population] == 0:
        worst_population = None
    worst_campaign = min(grouped, key=grouped.__getitem__, default=None)
    if worst_campaign is not None and grouped[worst_campaign] == 1:
        worst_campaign = None
    return {
        "scan_id": result.scan_id,
        "labels": str(labels),
        "evaluated": result.evaluated,
        "labelled_not_scanned": result.labelled_not_scanned,
        "scanned_not_labelled": result.scanned_not_labelled,
        "tp": result.tp,
        "fp": result.fp,
        "fn": result.fn,
        "tn": result.tn,
        "precision": _share(result.precision),
        "recall": _share(result.recall),
        "f1": _share(result.f1),
        "benign_fpr": _share(result.benign_fpr, 6),
        "worst_benign_population": worst_population,
        "worst_benign_population_flagged_share": _share(values["benign_population_flagged_share"]),
        "worst_campaign": worst_campaign,
        "worst_campaign_main_cluster_share": _share(values["campaign_main_cluster_share"]),
        "targets_met": result.targets_met,
        "all_targets_met": result.all_targets_met,
        "by_population": {
            k: {
                "accounts": p.accounts,
                "flagged": p.flagged,
                "flagged_share": _share(p.flagged_share),
                "campaign": p.campaign,
            }
            for k, p in result.by_population.items()
        },
        "by_campaign": {
            k: {
                "accounts": c.accounts,
                "flagged": c.flagged,
                "recall": _share(c.recall),
                "n_clusters": c.n_clusters,
                "main_cluster_share": _share(c.main_cluster_share),
                "purity": _share(c.purity),
            }
            for k, c in result.by_campaign.items()
        },
    }


def scan_once(target: Target) -> dict[str, Any]:
    """Scan ``target`` in a child process, then the floor in another, then evaluate."""
    settings = Settings.load()
    loadavg = os.getloadavg()[0]
    command = [str(CLI), "scan", "--workspace", str(target.workspace), "--json"]
    wall, peak, stdout = run_measured(command)
    report = orjson.loads(stdout.strip().splitlines()[-1])
    base = floor(target.workspace)
    if base["calls"] != report["interactions"]:
        print(
            f"warning: the floor read {base['calls']:,} calls, the scan {report['interactions']:,}",
            file=sys.stderr,
        )
    labels = target.labels if target.labels is not None and target.labels.is_file() else None
    if labels is None:
        print(f"scan {target.name}: no labels.csv, quality not measured", file=sys.stderr)
    return {
        "name": target.name,
        "workspace": str(target.workspace),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count() or 1,
        "threads": _threads(settings),
        "memory_limit": settings.text("detect.memory_limit"),
        "loadavg_before": round(loadavg, 2),
        "calls": report["interactions"],
        "accounts": report["accounts"],
        "wall_s": round(wall, 2),
        "calls_per_s": round(report["interactions"] / wall),
        "stages_s": report["seconds"],
        "peak_rss_mib": round(peak / 1024),
        "floor_s": round(base["wall_s"], 2),
        "floor_query_s": round(base["query_s"], 2),
        "floor_peak_rss_mib": base["peak_rss_mib"],
        "ratio_to_floor": round(wall / base["wall_s"], 2),
        "candidates": report["candidates"],
        "links": report["links"],
        "clusters": report["clusters"],
        "flagged_accounts": report["flagged_accounts"],
        "flagged_clusters": report["flagged_clusters"],
        "scan_id": report["scan_id"],
        "build": target.build,
        "quality": quality(target.workspace, labels, report["scan_id"]) if labels else None,
    }


def save(rows: list[dict[str, Any]]) -> None:
    """Merge ``rows`` into ``bench/out/scan.json``: a row replaces the earlier one of its name."""
    kept = orjson.loads(RESULTS.read_bytes()) if RESULTS.exists() else []
    names = {r["name"] for r in rows}
    merged = [r for r in kept if r["name"] not in names] + rows
    RESULTS.write_bytes(orjson.dumps(merged, option=orjson.OPT_INDENT_2))


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value}"


def _named(name: str | None) -> str:
    return "" if name is None else f" ({name})"


def table(rows: list[dict[str, Any]]) -> None:
    print(
        "| workspace | calls | accounts | scan wall s | calls/s | stages s | outside stages s "
        "| peak RSS MiB (all processes) | floor s (query s) | scan / floor |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        stages = r["stages_s"]
        named = ", ".join(f"{k} {v:.1f}" for k, v in stages.items() if k != "total")
        outside = r["wall_s"] - stages.get("total", sum(stages.values()))
        print(
            f"| {r['name']} | {r['calls']:,} | {r['accounts']:,} | {r['wall_s']} "
            f"| {r['calls_per_s']:,} | {named} | {outside:.1f} | {r['peak_rss_mib']:,} "
            f"| {r['floor_s']} ({r['floor_query_s']}) | {r['ratio_to_floor']} |"
        )
    rated = [r for r in rows if r["quality"] is not None]
    if not rated:
        return
    print()
    print(
        "| workspace | precision | recall | benign FPR | worst benign population flagged "
        "| worst campaign main-cluster share | all targets met |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rated:
        q = r["quality"]
        print(
            f"| {r['name']} | {_fmt(q['precision'])} | {_fmt(q['recall'])} "
            f"| {_fmt(q['benign_fpr'])} | {_fmt(q['worst_benign_population_flagged_share'])}"
            f"{_named(q['worst_benign_population'])} "
            f"| {_fmt(q['worst_campaign_main_cluster_share'])}{_named(q['worst_campaign'])} "
            f"| {q['all_targets_met']} |"
        )
    print()
    print("| workspace | population | accounts | flagged | flagged share |")
    print("|---|---|---|---|---|")
    for r in rated:
        for name, p in r["quality"]["by_population"].items():
            kind = " (campaign)" if p["campaign"] else ""
            print(
                f"| {r['name']} | {name}{kind} | {p['accounts']:,} | {p['flagged']:,} "
                f"| {_fmt(p['flagged_share'])} |"
            )
    print()
    print("| workspace | campaign | accounts | flagged | recall | clusters | main-cluster share |")
    print("|---|---|---|---|---|---|---|")
    for r in rated:
        for name, c in r["quality"]["by_campaign"].items():
            print(
                f"| {r['name']} | {name} | {c['accounts']:,} | {c['flagged']:,} "
                f"| {_fmt(c['recall'])} | {c['n_clusters']} | {_fmt(c['main_cluster_share'])} |"
            )


def scan_benchmark(sizes: str, workspaces: str, keep: bool) -> None:
    """Scan the given workspaces, or build and scan ``sizes``; one scan at a time."""
    targets = parse_workspaces(workspaces)
    names = [s.strip().lower() for s in sizes.split(",") if s.strip()]
    unknown = [n for n in names if n not in BUILDS]
    if unknown:
        raise SystemExit(f"unknown scan size(s) {', '.join(unknown)}; sizes: {SIZES_HELP}")
    OUT.mkdir(exist_ok=True)
    rows = []
    for target in targets:
        rows.append(scan_once(target))
        save(rows[-1:])
        print(orjson.dumps(rows[-1]).decode(), file=sys.stderr)
    for name in names:
        built = build(name, keep)
        if built is None:
            continue
        try:
            rows.append(scan_once(built))
        except SystemExit:
            print(
                f"scan {name}: {built.workspace.parent} is kept; the next run reuses it",
                file=sys.stderr,
            )
            raise
        save(rows[-1:])
        print(orjson.dumps(rows[-1]).decode(), file=sys.stderr)
        if not keep:
            shutil.rmtree(OUT / f"scan-{name}", ignore_errors=True)
    if rows:
        table(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--floor", type=Path, metavar="WS", help="run the floor query on WS")
    args = parser.parse_args()
    if args.floor is not None:
        sys.stdout.write(orjson.dumps(floor_query(args.floor)).decode() + "\n")


if __name__ == "__main__":
    main()
