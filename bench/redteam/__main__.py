"""``python -m bench.redteam --out DIR [--seed N] [--scale S]``: write the red-team world."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.outside.corpora import CorporaMissingError
from bench.redteam.build import build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.redteam", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=3, help="random seed (default 3)")
    parser.add_argument("--scale", type=float, default=1.0, help="volume multiplier")
    parser.add_argument(
        "--validate-every",
        type=int,
        default=10,
        help="check every Nth record against the SDK types (default 10)",
    )
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    try:
        summary = build(args.out, args.seed, args.scale, max(1, args.validate_every))
    except CorporaMissingError as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    print(f"{'population':<24}{'accounts':>9}{'calls':>9}")
    for name, (accounts, calls) in sorted(summary.by_population.items()):
        print(f"{name:<24}{accounts:>9}{calls:>9}")
    print(
        f"wrote {summary.calls} calls from {summary.accounts} accounts in "
        f"{len(summary.files)} log files to {args.out} in {summary.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
