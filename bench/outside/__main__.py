"""``python -m bench.outside --out DIR [--seed N] [--scale S]``: write the outside world."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from bench.outside.build import Summary, build
from bench.outside.corpora import CorporaMissingError


def main(argv: list[str] | None = None) -> int:
    return command("bench.outside", __doc__, build, argv, seed=7, validate_every=1)


def command(
    name: str,
    doc: str | None,
    build: Callable[[Path, int, float, int], Summary],
    argv: list[str] | None,
    *,
    seed: int,
    validate_every: int,
) -> int:
    """``python -m NAME --out DIR [--seed N] [--scale S] [--validate-every K]`` for a world
    made by ``build`` (this one's, or ``bench.redteam``'s)."""
    parser = argparse.ArgumentParser(prog=f"python -m {name}", description=doc)
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=seed, help=f"random seed (default {seed})")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="volume multiplier; 1.0 ≈ 200k calls, ~4.5k accounts",
    )
    parser.add_argument(
        "--validate-every",
        type=int,
        default=validate_every,
        help=f"check every Nth record against the SDK types (default {validate_every})",
    )
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    try:
        summary = build(args.out, args.seed, args.scale, max(1, args.validate_every))
    except CorporaMissingError as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    print(f"{'population':<26}{'accounts':>9}{'calls':>9}")
    for population, (accounts, calls) in sorted(summary.by_population.items()):
        print(f"{population:<26}{accounts:>9}{calls:>9}")
    print(
        f"wrote {summary.calls} calls from {summary.accounts} accounts in "
        f"{len(summary.files)} log files to {args.out} in {summary.seconds:.1f} s "
        f"({summary.validated} records checked against the SDK types)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
