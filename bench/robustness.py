"""Detection against the overlaps real traffic has: one look-alike kind on at a time.

For each overlap of the simulator (``distillguard.simulate.overlaps.OVERLAPS``) the built-in
scenario ``overlap-<name>`` (the ``adversarial`` scenario with only that overlap on) is
simulated, ingested and scanned by the real CLI, then measured with ``distillguard eval``
against the simulator's labels; ``overlap-none`` is the baseline and ``adversarial`` has
every overlap on at once. With ``--outside DIR`` the independent test world of
``bench.outside`` (labelled traffic written without the detector or the simulator) is
generated into DIR and measured the same way. The figure per run is each benign
population's flagged share (with its Wilson interval) and each campaign's recall, plus the
overall precision, recall and benign false-positive rate.

With ``--redteam DIR`` the red-team world of ``bench.redteam`` (written from the detector's
public rules by a team designing campaigns to evade them and legitimate workloads that trip
them) likewise.

``python -m bench.robustness [--overlaps a,b,...] [--outside DIR] [--redteam DIR] [--keep]``;
results in ``bench/out/robustness.json`` and a Markdown table on stdout. About 1 minute per
scenario.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Final

import orjson

from distillguard.detect.ties import OPERATOR_TIES
from distillguard.simulate.overlaps import ADVERSARIAL, NONE, OVERLAPS, PREFIX
from distillguard.workspace import Workspace

OUT = Path(__file__).resolve().parent / "out"
CLI = Path(sys.executable).parent / "distillguard"


def _run(command: list[str]) -> bytes:
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(command[:2])} failed ({done.returncode}): "
            + done.stderr.decode(errors="replace")[-2000:]
        )
    return done.stdout


def _last_json(stdout: bytes) -> dict[str, Any]:
    result: dict[str, Any] = orjson.loads(stdout.strip().splitlines()[-1])
    return result


def measure(name: str, traffic: Path, root: Path) -> dict[str, Any]:
    """Ingest ``traffic`` (log/, accounts.jsonl, labels.csv), scan it, evaluate it."""
    workspace = root / "ws"
    started = time.perf_counter()
    ingest = ["ingest", str(traffic / "log"), "--accounts", str(traffic / "accounts.jsonl")]
    ingested = _last_json(_run([str(CLI), *ingest, "--workspace", str(workspace), "--json"]))
    scanned = _last_json(_run([str(CLI), "scan", "--workspace", str(workspace), "--json"]))
    labels = ["--labels", str(traffic / "labels.csv"), "--json"]
    evaluation = _last_json(_run([str(CLI), "eval", "--workspace", str(workspace), *labels]))
    with Workspace(workspace).connect() as con:
        # the membership rule's promise: a member with almost no own evidence needs a card
        # or the pool's specific addresses, or an analyst's label
        unsupported = con.execute(
            "SELECT count(*) FROM account_scores WHERE verdict = 'campaign' AND score < 0.1 "
            "AND operator_ties < ? AND operator_links = 0 AND label IS NULL",
            [OPERATOR_TIES],
        ).fetchall()[0][0]
        # of the others, those an established account's own synchrony carried beside the
        # pool's specific addresses (its address ties alone never carry it)
        in_step = con.execute(
            "SELECT count(*) FROM account_scores WHERE verdict = 'campaign' AND score < 0.1 "
            "AND operator_ties < ? AND operator_links > 0 AND label IS NULL",
            [OPERATOR_TIES],
        ).fetchall()[0][0]
    populations = {
        p: {k: v[k] for k in ("accounts", "flagged", "flagged_share", "flagged_share_ci")}
        for p, v in evaluation["by_population"].items()
        if not v["campaign"]
    }
    campaigns = {
        c: {k: v[k] for k in ("accounts", "flagged", "recall", "recall_ci")}
        for c, v in evaluation["by_campaign"].items()
    }
    return {
        "name": name,
        "calls": ingested["ingested"],
        "quarantined": ingested["quarantined"],
        "accounts": scanned["accounts"],
        "scan_s": scanned["seconds"].get("total"),
        "seconds": round(time.perf_counter() - started, 1),
        **{k: evaluation[k] for k in ("precision", "precision_ci", "recall", "recall_ci")},
        **{k: evaluation[k] for k in ("benign_fpr", "benign_fpr_ci", "tp", "fp", "fn", "tn")},
        "low_score_members_without_ties": unsupported,
        "low_score_members_in_step": in_step,
        "benign_populations": populations,
        "campaigns": campaigns,
    }


def simulated(scenario: str, keep: bool) -> dict[str, Any]:
    root = OUT / f"robustness-{scenario}"
    shutil.rmtree(root, ignore_errors=True)
    traffic = root / "traffic"
    _run([str(CLI), "simulate", "--scenario", scenario, "--out", str(traffic), "--json"])
    row = measure(scenario, traffic, root)
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    return row


def outside(directory: Path, keep: bool, world: str = "outside") -> dict[str, Any]:
    """Generate an independent world (``bench.outside`` or ``bench.redteam``) and measure it."""
    shutil.rmtree(directory, ignore_errors=True)
    _run([sys.executable, "-m", f"bench.{world}", "--out", str(directory / "traffic")])
    row = measure(world, directory / "traffic", directory)
    if not keep:
        shutil.rmtree(directory, ignore_errors=True)
    return row


def _pct(value: float | None, ci: list[float] | None = None) -> str:
    if value is None:
        return "-"
    text = f"{100 * value:.1f} %"
    return text + (f" [{100 * ci[0]:.1f}, {100 * ci[1]:.1f}]" if ci else "")


def _worst(item: tuple[str, dict[str, Any]]) -> str:
    name, population = item
    if not population["flagged"]:
        return "none flagged"
    return f"{name} {population['flagged']}/{population['accounts']}"


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown: one row per run, then the flagged share of every benign population."""
    lines = [
        "| run | calls | precision | recall | benign FPR | worst benign population "
        "(flagged share) | worst campaign (recall) | members < 0.1 without ties | "
        "of which in step |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        worst_p = max(r["benign_populations"].items(), key=lambda kv: kv[1]["flagged_share"] or 0.0)
        worst_c = min(r["campaigns"].items(), key=lambda kv: kv[1]["recall"] or 0.0)
        lines.append(
            f"| {r['name']} | {r['calls']:,} | {_pct(r['precision'], r['precision_ci'])} | "
            f"{_pct(r['recall'], r['recall_ci'])} | {_pct(r['benign_fpr'])} | "
            f"{_worst(worst_p)} | "
            f"{worst_c[0]} {worst_c[1]['flagged']}/{worst_c[1]['accounts']} | "
            f"{r['low_score_members_without_ties']} | {r['low_score_members_in_step']} |"
        )
    lines += ["", "| run | benign population | flagged / accounts | share [95 % CI] |"]
    lines.append("|---|---|---|---|")
    for r in rows:
        for name, p in sorted(r["benign_populations"].items()):
            if p["flagged"]:
                lines.append(
                    f"| {r['name']} | {name} | {p['flagged']}/{p['accounts']} | "
                    f"{_pct(p['flagged_share'], p['flagged_share_ci'])} |"
                )
    return "\n".join(lines)


ALL: Final = ",".join([NONE, *OVERLAPS, "all"])


def robustness_benchmark(
    overlaps: str, outside_dir: Path | None, keep: bool, redteam_dir: Path | None = None
) -> None:
    """Measure each overlap's scenario (``all``: the adversarial one), then the outside world
    and the red-team world."""
    OUT.mkdir(exist_ok=True)
    rows = []
    for name in [n.strip() for n in overlaps.split(",") if n.strip()]:
        scenario = ADVERSARIAL if name == "all" else PREFIX + name
        rows.append(simulated(scenario, keep))
        print(orjson.dumps(rows[-1]).decode(), file=sys.stderr)
    if outside_dir is not None:
        rows.append(outside(outside_dir, keep))
    if redteam_dir is not None:
        rows.append(outside(redteam_dir, keep, "redteam"))
    (OUT / "robustness.json").write_bytes(orjson.dumps(rows, option=orjson.OPT_INDENT_2))
    print(table(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--overlaps", default=ALL, help="overlap names, 'none' and 'all' (the adversarial scenario)"
    )
    parser.add_argument("--outside", type=Path, help="also generate and measure bench.outside")
    parser.add_argument(
        "--redteam", type=Path, help="also generate and measure bench.redteam (its README)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated workspaces")
    args = parser.parse_args()
    robustness_benchmark(args.overlaps, args.outside, args.keep, args.redteam)


if __name__ == "__main__":
    main()
