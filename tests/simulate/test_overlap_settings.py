"""The overlap settings: pools, knobs, tags, one overlap at a time, and off by default."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from distillguard.simulate.corpus import BENCHMARK_ITEMS, Corpus
from distillguard.simulate.overlaps import KNOB_OVERLAPS, OVERLAPS
from distillguard.simulate.phrases.public import PUBLIC_SYSTEM_PROMPTS
from distillguard.simulate.populations import Profile, ProfileError, profile
from distillguard.simulate.scenario import BUILT_IN, ScenarioError, load, parse
from distillguard.simulate.text import TextBank

HEAD = {
    "name": "t",
    "start": datetime(2026, 5, 4, tzinfo=UTC),
    "days": 1,
    "interactions": 100,
    "model": [{"name": "m", "released": datetime(2026, 1, 1, tzinfo=UTC)}],
}
CLOUD = {"name": "cloud", "kind": "hosting", "providers": ["GitHub"], "size": 5}


def test_every_overlap_knob_is_off_by_default() -> None:
    default = Profile()
    assert (default.pools, default.homes) == ({}, {})
    assert (default.benchmarks, default.public_system) == (0.0, 0.0)
    assert not default.org_cards
    assert not default.org_domains
    assert not default.failover


def test_pools_are_parsed_and_named_by_populations() -> None:
    people = {"name": "ci", "kind": "ci_bot", "accounts": 2, "share": 1, "pools": {"cloud": 0.5}}
    parsed = parse({**HEAD, "population": [people], "pool": [CLOUD]})
    assert parsed.pools[0].providers == ("GitHub",)
    assert parsed.populations[0].profile.pools == {"cloud": 0.5}
    assert parsed.describe()["pools"][0]["name"] == "cloud"


@pytest.mark.parametrize(
    ("pool", "message"),
    [
        ({**CLOUD, "kind": "cable"}, "kind must be one of"),
        ({**CLOUD, "kind": "residential"}, "only hosting pools take providers"),
        ({**CLOUD, "size": 0}, "size must be"),
        ({**CLOUD, "countries": {"XX": 1}}, "unknown countries"),
        ({**CLOUD, "overlap": "made-up"}, "unknown overlap"),
        ({**CLOUD, "colour": "red"}, "unknown keys"),
    ],
)
def test_pool_mistakes_are_named(pool: dict[str, object], message: str) -> None:
    people = {"name": "p", "kind": "casual", "accounts": 2, "share": 1}
    with pytest.raises(ScenarioError, match=message):
        parse({**HEAD, "population": [people], "pool": [pool]})


def test_a_population_naming_an_unknown_pool_is_refused() -> None:
    people = {"name": "p", "kind": "casual", "accounts": 2, "share": 1, "homes": {"nope": 1}}
    with pytest.raises(ScenarioError, match="unknown pools"):
        parse({**HEAD, "population": [people]})


@pytest.mark.parametrize(
    "knobs",
    [{"pools": {"a": 0.7, "b": 0.6}}, {"homes": {"a": 2}}, {"benchmarks": 1.5}, {"pools": 1}],
)
def test_overlap_knobs_are_checked(knobs: dict[str, object]) -> None:
    with pytest.raises(ProfileError):
        profile("casual", knobs)


def test_without_pools_a_scenario_describes_as_before() -> None:
    described = load("overlap-none").describe()
    assert "pools" not in described
    assert all("overlap" not in p for p in described["populations"])


@pytest.mark.parametrize("name", [*OVERLAPS, "none"])
def test_one_overlap_at_a_time(name: str) -> None:
    cut = load(f"overlap-{name}")
    assert cut.name == f"overlap-{name}"
    assert {p.overlap for p in cut.populations} <= {"", name}
    assert {p.overlap for p in cut.pools} <= {"", name}
    kept = {p.name for p in cut.pools}
    for population in cut.populations:
        assert set(population.profile.pools) | set(population.profile.homes) <= kept
        for knob, overlap in KNOB_OVERLAPS.items():
            if name not in (overlap, population.overlap):
                assert getattr(population.profile, knob) == 0.0
    if name != "none":
        assert any(p.overlap == name for p in (*cut.populations, *cut.pools))


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_built_in_scenario_has_every_overlap_on(name: str) -> None:
    scenario = load(name)
    tags = {p.overlap for p in (*scenario.populations, *scenario.pools)} - {""}
    assert tags == set(OVERLAPS)


def test_unknown_overlap_is_refused() -> None:
    with pytest.raises(ScenarioError, match="unknown overlap"):
        load("overlap-made-up")


def test_public_system_prompts_depend_on_the_account_only() -> None:
    bank = TextBank()
    assert all(bank.public_system(app, 0.0) is None for app in range(200))
    chosen = [bank.public_system(app, 1.0) for app in range(200)]
    assert set(chosen) == set(PUBLIC_SYSTEM_PROMPTS)
    assert chosen == [bank.public_system(app, 1.0) for app in range(200)]
    some = sum(bank.public_system(app, 0.3) is not None for app in range(2000))
    assert 450 < some < 750


def test_built_in_benchmark_items_are_a_fixed_shared_set() -> None:
    bank = TextBank()
    a = {bank.benchmark_item(random.Random(i)) for i in range(3000)}
    b = {TextBank().benchmark_item(random.Random(i)) for i in range(3000)}
    assert a == b
    assert 100 < len(a) <= 400


def test_real_benchmark_items_come_from_the_corpus(tmp_path: Path) -> None:
    mt = [{"question_id": i, "category": "writing", "turns": [f"q{i}", f"f{i}"]} for i in range(3)]
    (tmp_path / "mt_bench_question.jsonl").write_bytes(
        b"\n".join(orjson.dumps(r) for r in mt) + b"\n"
    )
    (tmp_path / "gsm8k_test.jsonl").write_bytes(
        orjson.dumps({"question": "What is 5 + 5?", "answer": "10"}) + b"\n"
    )
    corpus = Corpus.load(tmp_path)
    assert corpus.benchmarks == ("What is 5 + 5?", "q0", "q1", "q2")  # in turn, files in order
    bank = TextBank(corpus)
    assert {bank.benchmark_item(random.Random(i)) for i in range(100)} == set(corpus.benchmarks)
    assert len(corpus.benchmarks) <= BENCHMARK_ITEMS
