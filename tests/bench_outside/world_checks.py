"""Checks every labelled test world must pass (``bench.outside``, ``bench.redteam``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.outside.build import Summary

from distillguard.ingest.pipeline import ingest
from distillguard.settings import Settings
from distillguard.workspace import Workspace


def same_bytes_for_a_seed(build: Callable[..., Summary], tmp_path: Path) -> None:
    """Two builds with one seed write the same files, byte for byte."""
    digests = []
    for name in ("a", "b"):
        out = tmp_path / name
        build(out, seed=5, scale=0.01)
        digests.append([(p.name, p.read_bytes()) for p in sorted(out.rglob("*")) if p.is_file()])
    assert digests[0] == digests[1]


def ingests_cleanly(out: Path, summary: Summary, tmp_path: Path) -> dict[str, object]:
    """The world's log and accounts ingest with nothing quarantined; the ingest's enrichment."""
    report = ingest(
        Workspace(tmp_path / "ws"),
        [out / "log"],
        Settings.load(environ={}),
        accounts=[out / "accounts.jsonl"],
    )
    assert report.quarantined == 0
    assert report.ingested == summary.calls
    return dict(report.enrichment)
