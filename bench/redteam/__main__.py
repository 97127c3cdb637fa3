"""``python -m bench.redteam --out DIR [--seed N] [--scale S]``: write the red-team world."""

from __future__ import annotations

from bench.outside.__main__ import command
from bench.redteam.build import build


def main(argv: list[str] | None = None) -> int:
    return command("bench.redteam", __doc__, build, argv, seed=3, validate_every=10)


if __name__ == "__main__":
    raise SystemExit(main())
