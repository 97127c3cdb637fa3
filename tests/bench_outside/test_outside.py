"""The outside world: files in the contracts, bodies the SDKs accept, honest labels, real IPs,
and a clean ingest. Skips when the shared corpora are absent."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from bench.outside import build as world_build
from bench.outside import corpora, validate
from bench.outside.network import Atlas
from bench.outside.sink import read_log

from tests.bench_outside.world_checks import ingests_cleanly, same_bytes_for_a_seed

pytestmark = pytest.mark.skipif(
    not corpora.DEFAULT_DIR.is_dir(), reason=f"corpora folder {corpora.DEFAULT_DIR} is absent"
)
CAMPAIGNS = {
    "hydra-transfer-station",
    "cot-harvest",
    "relay-harbor",
    "patient-scribe",
    "quiet-harness",
    "logit-siphon",
}
ACCOUNT_FIELDS = [
    "account_id",
    "created_at",
    "email_domain",
    "payment_fingerprint",
    "billing_country",
    "tier",
    "program",
    "verified",
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, world_build.Summary]:
    out = tmp_path_factory.mktemp("outside")
    return out, world_build.build(out, seed=11, scale=0.04)


def test_files_follow_the_contracts(world: tuple[Path, world_build.Summary]) -> None:
    out, summary = world
    records = read_log(out)
    assert len(records) == summary.calls > 1000
    assert len({r["request_id"] for r in records}) == len(records)
    for rec in records[:3000]:
        validate.record(rec)
    stamps = [str(r["ts"]) for r in records]
    assert stamps == sorted(stamps)
    accounts = [
        json.loads(line) for line in (out / "accounts.jsonl").read_bytes().split(b"\n") if line
    ]
    assert all(list(a) == ACCOUNT_FIELDS for a in accounts)
    assert {a["program"] for a in accounts} <= {"none", "education", "research", "startup"}


def test_labels_are_honest(world: tuple[Path, world_build.Summary]) -> None:
    out, _ = world
    with (out / "labels.csv").open(encoding="utf-8") as handle:
        labels = list(csv.DictReader(handle))
    calls = Counter(str(r["account_id"]) for r in read_log(out))
    assert {row["account_id"] for row in labels} == set(calls)
    assert {row["campaign_id"] for row in labels} - {""} == CAMPAIGNS
    populations = {row["population"]: row["campaign_id"] for row in labels}
    for benign in (
        "consumer",
        "ci_review_bot",
        "eval_suite",
        "proxy_exit_household",
        "campus_student",
        "llm_gateway",
    ):
        assert populations[benign] == ""


def test_addresses_look_up_as_designed(world: tuple[Path, world_build.Summary]) -> None:
    out, _ = world
    atlas = Atlas(0, samples=1)
    with (out / "labels.csv").open(encoding="utf-8") as handle:
        population = {row["account_id"]: row["population"] for row in csv.DictReader(handle)}
    kinds: dict[str, set[str]] = {}
    for rec in read_log(out):
        country, _asn, kind, _provider = atlas.check(str(rec["client_ip"]))
        assert country, rec["client_ip"]
        kinds.setdefault(population[str(rec["account_id"])], set()).add(kind)
    assert kinds["consumer"] == {"unknown"}
    assert kinds["relay"] == {"unknown"}
    assert kinds["ci_review_bot"] == {"hosting"}
    assert kinds["hydra_reseller"] == {"hosting"}


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    same_bytes_for_a_seed(world_build.build, tmp_path)


def test_output_ingests_without_quarantine(
    world: tuple[Path, world_build.Summary], tmp_path: Path
) -> None:
    out, summary = world
    enrichment = ingests_cleanly(out, summary, tmp_path)
    assert enrichment.get("not_verified") == {}
