"""Where a gateway call's CPU goes: one gateway process under an open-loop load, sampled.

The same stand-in upstream, policy and load generator as ``bench.gateway_overhead``; the
load runs at ``--rate`` for ``--seconds`` unstreamed, then the same streamed, while
``py-spy record --format raw`` samples the gateway process (``py-spy`` is not a dependency
of the project: ``pip install py-spy`` to run this). Each sample of the event loop's thread
is given to the deepest frame of the project (module and function) or else to the library
of its deepest frame; a stage's share of the samples times the run's CPU per call (from
``/proc/<pid>/stat``) is its cost per call. py-spy's own overhead makes the totals higher
than an unprofiled run's; read a stage to about ±20 %.

    python -m bench.gateway_profile --rate 100 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from tests.gateway.processes import gateway, standin

from bench.gateway_overhead import _cpu_seconds, _load, budgets_policy, gateway_env
from distillguard.gateway.keys import KeyStore

_FRAME = re.compile(r"^(?P<function>.*) \((?P<path>.*?):\d+\)$")


def _library(path: str) -> str:
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0]
    return Path(path).parent.name + "/" + Path(path).name


def stage(stack: str) -> str | None:
    """The stage one collapsed stack's sample is given to: the deepest frame of the project,
    and the library the sample was in below it; None for a worker thread's sample (py-spy
    cannot tell their waits from work; the call log's fsync thread is the only one that
    works, a sample in a few thousand)."""
    if "threading.py" in stack:
        return None
    frames = [_FRAME.match(frame) for frame in stack.split(";")]
    found = [frame for frame in frames if frame is not None]
    if not found:
        return "(unknown)"
    leaf = found[-1]["path"]
    for frame in reversed(found):
        path = frame["path"]
        if "distillguard/" in path and "site-packages" not in path:
            module = path.split("distillguard/", 1)[1].removesuffix(".py").replace("/", ".")
            where = f"{module}.{frame['function']}"
            return where if frame["path"] == leaf else f"{where} → {_library(leaf)}"
    return _library(leaf)


def profile(
    base: str,
    key: str,
    pid: int,
    streamed: bool,
    rate: float,
    seconds: float,
    keep: Path | None = None,
) -> dict:
    """Stage → µs of CPU per call, for one kind of call."""
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        raise SystemExit("py-spy is not installed (pip install py-spy)")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "samples.txt"
        sampler = subprocess.Popen(
            [
                spy,
                "record",
                "-p",
                str(pid),
                "-r",
                "250",
                "--full-filenames",
                "-f",
                "raw",
                "-o",
                str(out),
            ],
            stdout=subprocess.DEVNULL,
        )
        before = _cpu_seconds(pid)
        found = asyncio.run(_load(base, key, rate, seconds, None, streamed=streamed))
        calls = len(found["whole"]) + len(found["stream"]) + len(found["errors"])
        cpu = (_cpu_seconds(pid) - before) / max(1, calls)
        sampler.send_signal(signal.SIGINT)  # py-spy writes its samples on an interrupt
        sampler.wait(30)
        if keep is not None:
            shutil.copy(out, keep)
        counts: Counter[str] = Counter()
        for line in out.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            where = stage(stack) if stack and count.isdigit() else None
            if where is not None:
                counts[where] += int(count)
    total = sum(counts.values()) or 1
    return {
        "cpu_us_per_call": round(cpu * 1e6),
        "stages_us": {name: round(cpu * 1e6 * n / total) for name, n in counts.most_common(60)},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--keep",
        type=Path,
        help="Keep py-spy's raw samples as KEEP-unstreamed.txt, KEEP-streamed.txt",
    )
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="gw-profile-"))
    policy = root / "policy.toml"
    policy.write_text(budgets_policy())
    env = gateway_env(policy)
    with ExitStack() as stack:
        upstream = stack.enter_context(standin())
        key = KeyStore(root / "ws").create("acct_profile")[1]
        base, process = stack.enter_context(gateway(root / "ws", upstream, root / "log", env))
        for streamed in (False, True):
            kind = "streamed" if streamed else "unstreamed"
            keep = None if args.keep is None else Path(f"{args.keep}-{kind}.txt")
            result = profile(base, key, process.pid, streamed, args.rate, args.seconds, keep)
            print(kind, result["cpu_us_per_call"], "µs/call")
            for name, us in result["stages_us"].items():
                print(f"  {us:6d}  {name}")


if __name__ == "__main__":
    main()
