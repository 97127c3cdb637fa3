"""The red-team world: files in the contracts, honest labels, deterministic for a seed, and a
clean ingest. Skips when the shared corpora are absent."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from bench.outside import corpora, validate
from bench.outside.sink import read_log
from bench.redteam import build as world_build

from tests.bench_outside.world_checks import ingests_cleanly, same_bytes_for_a_seed

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


def test_files_follow_the_contracts(world: tuple[Path, world_build.Summary]) -> None:
    out, summary = world
    records = read_log(out)
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
    calls = Counter(str(r["account_id"]) for r in read_log(out))
    assert {row["account_id"] for row in labels} == set(calls)
    assert {row["campaign_id"] for row in labels} - {""} == set(world_build.CAMPAIGNS)
    populations = {row["population"]: row["campaign_id"] for row in labels}
    assert set(populations) >= BENIGN
    assert all(populations[p] == "" for p in BENIGN)


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    same_bytes_for_a_seed(world_build.build, tmp_path)


def test_output_ingests_without_quarantine(
    world: tuple[Path, world_build.Summary], tmp_path: Path
) -> None:
    out, summary = world
    ingests_cleanly(out, summary, tmp_path)
