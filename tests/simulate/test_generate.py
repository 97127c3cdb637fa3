"""Writing a scenario: the files, the labels, and the same bytes from the same seed."""

from __future__ import annotations

import csv
import gzip
import hashlib
import itertools
from pathlib import Path

import orjson
import pytest
import zstandard

from distillguard.simulate.corpus import Corpus
from distillguard.simulate.generate import simulate
from distillguard.simulate.scenario import load
from tests.conftest import Run

FILES = ("accounts.jsonl", "labels.csv", "scenario.json")


def digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def small_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    scenario = load("smoke").scaled(4000)
    runs = {}
    for name, workers, seed in (("inline", 1, 11), ("pool", 2, 11), ("other-seed", 2, 12)):
        out = tmp_path_factory.mktemp(name)
        simulate(scenario.reseeded(seed), out, workers=workers)
        runs[name] = out
    return runs


def test_same_seed_same_bytes_whatever_the_workers(small_runs: dict[str, Path]) -> None:
    assert digests(small_runs["inline"]) == digests(small_runs["pool"])


def test_another_seed_other_traffic(small_runs: dict[str, Path]) -> None:
    a, b = digests(small_runs["inline"]), digests(small_runs["other-seed"])
    assert a.keys() == b.keys()
    assert all(a[k] != b[k] for k in ("accounts.jsonl", "labels.csv", "log/2026-05-04.jsonl.gz"))


def test_output_layout(smoke: Run) -> None:
    for name in FILES:
        assert (smoke.out / name).is_file()
    days = sorted(p.name for p in (smoke.out / "log").iterdir())
    assert days == [f"2026-05-0{d}.jsonl.gz" for d in range(4, 8)]
    described = orjson.loads((smoke.out / "scenario.json").read_bytes())
    assert described["name"] == "smoke"
    assert described["generated"]["calls"] == smoke.report.calls
    assert {p["name"] for p in described["generated"]["by_population"]} == {
        p.name for p in smoke.scenario.populations
    }


def test_log_is_in_time_order_within_each_hour(smoke: Run) -> None:
    with gzip.open(smoke.out / "log" / "2026-05-05.jsonl.gz") as handle:
        stamps = [orjson.loads(line)["ts"] for line in handle]
    assert stamps[0].startswith("2026-05-05T00:")
    # sorted within each hour's block; a session running past its hour steps back once
    steps_back = sum(b < a for a, b in itertools.pairwise(stamps))
    assert steps_back <= 24


def test_labels_cover_every_account_once(smoke: Run) -> None:
    with (smoke.out / "labels.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["account_id", "campaign_id", "population"]
    ids = [r["account_id"] for r in rows]
    assert len(ids) == len(set(ids)) == smoke.report.accounts
    lines = (smoke.out / "accounts.jsonl").read_bytes().splitlines()
    accounts = [orjson.loads(x)["account_id"] for x in lines]
    assert sorted(accounts) == sorted(ids)
    campaign = [r for r in rows if r["campaign_id"]]
    assert len(campaign) == smoke.report.campaign_accounts
    benign_with_campaign = [
        r for r in rows if r["population"] == "casual" and r["campaign_id"] != ""
    ]
    assert not benign_with_campaign


def test_unreadable_corpus_fails_before_writing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"corpus|corpora|no known"):
        simulate(load("smoke").scaled(500), tmp_path / "out", corpus=tmp_path / "absent")
    assert not (tmp_path / "out").exists()


def test_corpus_prompts_are_mixed_in(tmp_path: Path) -> None:
    corpora = Path(__file__).resolve().parents[3] / "shared" / "corpora"
    if not corpora.is_dir():
        pytest.skip("../shared/corpora is absent: the corpus mix cannot be tested")
    corpus = Corpus.load(corpora)
    real = {p for prompts in corpus.prompts.values() for p in prompts}
    report = simulate(load("smoke").scaled(3000), tmp_path, corpus=corpora, workers=1)
    texts = []
    for path in sorted((tmp_path / "log").glob("*.jsonl.gz")):
        with gzip.open(path) as handle:
            for line in handle:
                request = orjson.loads(line)["request"]
                for message in request.get("messages", []):
                    if message["role"] == "user" and isinstance(message["content"], str):
                        texts.append(message["content"])
    assert report.calls > 2000
    assert sum(t in real for t in texts) > 0.1 * len(texts)
    described = orjson.loads((tmp_path / "scenario.json").read_bytes())
    assert described["corpus"] == "corpora"


def test_zstd_holds_the_same_lines_as_gzip(tmp_path: Path, small_runs: dict[str, Path]) -> None:
    out = tmp_path / "zstd"
    simulate(load("smoke").scaled(4000), out, workers=1, compression="zstd")
    gz = sorted((small_runs["inline"] / "log").iterdir())
    zst = sorted((out / "log").iterdir())
    assert [p.name.replace(".gz", ".zst") for p in gz] == [p.name for p in zst]
    for a, b in zip(gz, zst, strict=True):
        with gzip.open(a) as handle:
            plain = handle.read()
        with b.open("rb") as raw:
            reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
            assert reader.read() == plain
    with pytest.raises(ValueError, match="compression must be one of"):
        simulate(load("smoke").scaled(500), tmp_path / "x", compression="lz4")


def test_nothing_falls_outside_the_period(smoke: Run) -> None:
    first, last = smoke.rows("SELECT min(ts), max(ts) FROM interactions")[0]
    assert first >= smoke.scenario.start
    assert last < smoke.scenario.end
