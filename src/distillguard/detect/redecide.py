"""``distillguard decide``: re-apply the policy and the labels to the latest scan's evidence.

The scan persists everything a verdict needs (``decide.py``), so changing a threshold or
labelling accounts does not mean re-running the costly stages: this reads the latest
``account_scores`` and ``clusters``, applies :func:`results.apply` with today's settings and
labels, and commits the result as a new scan run (``decided_from`` names the scan whose
evidence it used) with the same links and features. Labels change verdicts here at once;
that a benign label also moves an account into the clean reference population (and so
changes entity specificity) takes effect at the next full scan.
"""

from __future__ import annotations

import secrets
import shutil
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from distillguard.detect.decide import Policy
from distillguard.detect.labels import effective_labels
from distillguard.detect.results import apply, labelled, nonempty
from distillguard.schema.results import CLUSTERS, SCORED_ACCOUNTS
from distillguard.settings import Settings
from distillguard.workspace import Workspace, WorkspaceError


@dataclass
class DecideReport:
    scan_id: str
    decided_from: str
    workspace: str
    accounts: int = 0
    flagged_accounts: int = 0
    flagged_clusters: int = 0
    labelled: int = 0
    changed: dict[str, int] = field(default_factory=dict)  # "before->after": accounts
    verdicts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _read(ws: Workspace, table: str) -> pa.Table:
    files = ws.files(table)
    if not files:
        raise WorkspaceError(f"the latest scan has no {table} table; run `distillguard scan`")
    return pa.concat_tables([pq.read_table(f) for f in files])


def _current(table: pa.Table, schema: pa.Schema, name: str) -> pa.Table:
    """``table`` as stored, refused when a scan of an earlier version left out evidence."""
    missing = [n for n in schema.names if n not in table.column_names]
    if missing:
        raise WorkspaceError(
            f"the latest scan's {name} table has no {', '.join(missing)} (written by an earlier "
            "version); run `distillguard scan`"
        )
    return table


def redecide(ws: Workspace, settings: Settings) -> DecideReport:
    """Apply the current policy and labels to the latest scan; commit it as a new run."""
    ws.require()
    previous = ws.latest_scan()
    if previous is None:
        raise WorkspaceError(f"{ws.root} has not been scanned yet; run `distillguard scan`")
    clock = time.perf_counter()
    started = datetime.now(UTC)
    scan_id = started.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
    report = DecideReport(scan_id, str(previous["scan_id"]), str(ws.root))
    with ws.writer():
        accounts = _current(_read(ws, "account_scores"), SCORED_ACCOUNTS, "account_scores")
        clusters = _current(_read(ws, "clusters"), CLUSTERS, "clusters")
        with ws.connect() as con:
            labels = labelled(effective_labels(con, settings))
        decided, decided_clusters = apply(
            accounts,
            clusters,
            labels,
            Policy.from_settings(settings),
            settings.integer("detect.reasons"),
        )
        before = accounts.column("verdict").to_pylist()
        after = decided.column("verdict").to_pylist()
        report.changed = dict(
            Counter(f"{b}->{a}" for b, a in zip(before, after, strict=True) if a != b)
        )
        report.accounts = decided.num_rows
        report.labelled = len(labels)
        report.flagged_accounts = nonempty(decided.column("flagged"))
        report.flagged_clusters = nonempty(decided_clusters.column("flagged"))
        report.verdicts = dict(Counter(after))
        staging = ws.staging(scan_id)
        staged = {}
        for name, table in (("account_scores", decided), ("clusters", decided_clusters)):
            staged[name] = staging / f"{name}.parquet"
            pq.write_table(table, staged[name])
        for name in ("links", "account_features"):
            files = ws.files(name)
            staged[name] = staging / f"{name}.parquet"
            if len(files) == 1:
                shutil.copyfile(files[0], staged[name])
            else:
                pq.write_table(_read(ws, name), staged[name])
        report.seconds = round(time.perf_counter() - clock, 3)
        ws.commit_scan(scan_id, started, datetime.now(UTC), report.to_dict(), staged)
    return report
