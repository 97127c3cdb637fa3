"""The red-team world: files in the contracts, honest labels, deterministic for a seed, and a
clean ingest. Skips when the shared corpora are absent."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from bench.outside import corpora, validate
from bench.redteam import build as world_build

from distillguard.ingest.pipeline import ingest
from distillguard.settings import Settings
from distillguard.workspace import Workspace

pytestmark = pytest.mark.skipif(
    not corpora.DEFAULT_DIR.is_dir(),
    reason=f"corpora folder {corpora.DEFAULT_DIR} is absent: the red-team world reads its text",
)
BENIGN = {
    "consumer",
    "mobile_consumer",
    "proxy_exit_household",
    "developer",
    "small_app_backend",
    "workshop_attendee",
    "byok_extension_user",
    "agency_contractor",
    "calibration_lab",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, world_build.Summary]:
    out = tmp_path_factory.mktemp("redteam")
    return out, world_build.build(out, seed=11, scale=0.02)


def _records(out: Path) -> list[dict[str, object]]:
    return [
        json.loads(line)
        for f in sorted((out / "log").glob("*.jsonl"))
        for line in f.read_bytes().split(b"\n")
        if line
    ]


def test_files_follow_the_contracts(world: tuple[Path, world_build.Summary]) -> None:
    out, summary = world
    records = _records(out)
    assert len(records) == summary.calls > 1000
    assert len({r["request_id"] for r in records}) == len(records)
    assert len(summary.files) == 7
    for rec in records[::7]:
        validate.record(rec)
    stamps = [str(r["ts"]) for r in records]
    assert stamps == sorted(stamps)


def test_labels_are_honest(world: tuple[Path, world_build.Summary]) -> None:
    out, _ = world
    with (out / "labels.csv").open(encoding="utf-8") as handle:
        labels = list(csv.DictReader(handle))
    calls = Counter(str(r["account_id"]) for r in _records(out))
    assert {row["account_id"] for row in labels} == set(calls)
    assert {row["campaign_id"] for row in labels} - {""} == set(world_build.CAMPAIGNS)
    populations = {row["population"]: row["campaign_id"] for row in labels}
    assert set(populations) >= BENIGN
    assert all(populations[p] == "" for p in BENIGN)


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    digests = []
    for name in ("a", "b"):
        out = tmp_path / name
        world_build.build(out, seed=5, scale=0.01)
        digests.append([(p.name, p.read_bytes()) for p in sorted(out.rglob("*")) if p.is_file()])
    assert digests[0] == digests[1]


def test_output_ingests_without_quarantine(
    world: tuple[Path, world_build.Summary], tmp_path: Path
) -> None:
    out, summary = world
    report = ingest(
        Workspace(tmp_path / "ws"),
        [out / "log"],
        Settings.load(environ={}),
        accounts=[out / "accounts.jsonl"],
    )
    assert report.quarantined == 0
    assert report.ingested == summary.calls
