"""Writing the world: the raw log by UTC day (time-ordered), accounts and labels."""

from __future__ import annotations

import csv
import random
import shutil
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import orjson

from bench.outside import bodies, validate
from bench.outside.clock import in_world
from bench.outside.model import Account, Call


class Sink:
    """Renders calls to records, validates them, spools them by day, then sorts each day."""

    def __init__(self, out: Path, validate_every: int = 1) -> None:
        self.out = out
        self.log = out / "log"
        self.spool = out / ".spool"
        for folder in (self.log, self.spool):
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
        self._files: dict[str, IO[bytes]] = {}
        self._validate_every = validate_every
        self.calls: Counter[str] = Counter()
        self.validated = 0
        self._seen = 0

    def write(self, rng: random.Random, call: Call) -> None:
        if not in_world(call.ts):
            return
        rec = bodies.record(rng, call)
        self._seen += 1
        if self._seen % self._validate_every == 0:
            validate.record(rec)
            self.validated += 1
        day = rec["ts"][:10]
        handle = self._files.get(day)
        if handle is None:
            handle = self._files[day] = (self.spool / f"{day}.tsv").open("ab")
        key = int(call.ts.timestamp() * 1_000_000)
        handle.write(b"%d\t%s\n" % (key, orjson.dumps(rec)))
        self.calls[call.account.account_id] += 1

    def finish(self) -> list[Path]:
        """Sort each day's spool by time into ``log/<day>.jsonl``."""
        for handle in self._files.values():
            handle.close()
        written: list[Path] = []
        for spool in sorted(self.spool.glob("*.tsv")):
            lines = spool.read_bytes().splitlines()
            lines.sort(key=lambda line: int(line.split(b"\t", 1)[0]))
            target = self.log / f"{spool.stem}.jsonl"
            with target.open("wb") as handle:
                for line in lines:
                    handle.write(line.split(b"\t", 1)[1] + b"\n")
            written.append(target)
            spool.unlink()
        self.spool.rmdir()
        return written


def write_accounts(path: Path, accounts: Iterable[Account]) -> None:
    with path.open("wb") as handle:
        for a in accounts:
            handle.write(
                orjson.dumps(
                    {
                        "account_id": a.account_id,
                        "created_at": a.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "email_domain": a.email_domain,
                        "payment_fingerprint": a.payment_fingerprint,
                        "billing_country": a.billing_country,
                        "tier": a.tier,
                        "program": a.program,
                        "verified": a.verified,
                    }
                )
                + b"\n"
            )


def write_labels(path: Path, accounts: Iterable[Account], calls: Counter[str]) -> None:
    """Labels for the accounts that made at least one call in the week (the others are
    sign-ups whose traffic, if any, falls outside the log: nothing to judge them by)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account_id", "campaign_id", "population"])
        for a in accounts:
            if calls[a.account_id]:
                writer.writerow([a.account_id, a.campaign_id or "", a.population])


def read_log(out: Path) -> list[dict[str, object]]:
    """Every record a world wrote to ``out/log``, day files in order."""
    return [
        orjson.loads(line)
        for day in sorted((out / "log").glob("*.jsonl"))
        for line in day.read_bytes().split(b"\n")
        if line
    ]
