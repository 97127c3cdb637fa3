"""``python -m bench.redteam.measure DIR [--seed N] [--scale S]``: generate the red-team
world into DIR/traffic, ingest, scan and evaluate it with the real CLI
(``bench.robustness.measure``), print the figures and write DIR/measure.json."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import orjson

from bench.redteam.build import build
from bench.robustness import measure, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.redteam.measure", description=__doc__)
    parser.add_argument("dir", type=Path, help="working folder (replaced)")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true", help="keep DIR/traffic if present")
    args = parser.parse_args(argv)
    traffic = args.dir / "traffic"
    if not (args.reuse and (traffic / "labels.csv").is_file()):
        shutil.rmtree(args.dir, ignore_errors=True)
        build(traffic, args.seed, args.scale, validate_every=10)
    shutil.rmtree(args.dir / "ws", ignore_errors=True)
    row = measure("redteam", traffic, args.dir)
    (args.dir / "measure.json").write_bytes(orjson.dumps(row, option=orjson.OPT_INDENT_2))
    print(table([row]))
    for title, rows, share in (
        ("population", row["benign_populations"], "flagged_share"),
        ("campaign", row["campaigns"], "recall"),
    ):
        print()
        print(f"| {title} | flagged / accounts | {share.replace('_', ' ')} [95 % CI] |")
        print("|---|---|---|")
        for name, p in sorted(rows.items()):
            lo, hi = p[f"{share}_ci"] or (0.0, 0.0)
            print(
                f"| {name} | {p['flagged']}/{p['accounts']} | "
                f"{100 * (p[share] or 0):.1f} % [{100 * lo:.1f}, {100 * hi:.1f}] |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
