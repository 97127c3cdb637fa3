"""Scenario files: built-ins load, mistakes are reported with their place, rescaling."""

from __future__ import annotations

from pathlib import Path

import pytest

from distillguard.simulate.populations import BENIGN_KINDS, CAMPAIGN_KINDS
from distillguard.simulate.scenario import BUILT_IN, ScenarioError, load

MINIMAL = """
name = "tiny"
start = 2026-05-04T00:00:00Z
days = 2
interactions = 1000

[[model]]
name = "m1"
released = 2026-01-01T00:00:00Z

[[population]]
name = "people"
kind = "casual"
accounts = 10
share = 1
"""


@pytest.mark.parametrize("name", BUILT_IN)
def test_built_ins_load_with_every_kind(name: str) -> None:
    scenario = load(name)
    kinds = {p.kind for p in scenario.populations}
    assert kinds == set(BENIGN_KINDS) | set(CAMPAIGN_KINDS)
    assert scenario.describe()["name"] == name


def test_scale16m_has_about_24000_campaign_accounts() -> None:
    scenario = load("scale16m")
    assert scenario.interactions == 16_000_000
    campaign = sum(p.accounts for p in scenario.populations if p.campaign_id)
    assert 23_000 <= campaign <= 25_000


def test_file_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(MINIMAL)
    scenario = load(str(path))
    assert scenario.hours == 48
    assert scenario.populations[0].campaign_id == ""


def test_campaign_id_defaults_to_the_population_name(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        MINIMAL + '\n[[population]]\nname = "pool"\nkind = "hydra_cot"\naccounts = 9\nshare = 1\n'
    )
    pool = load(str(path)).populations[1]
    assert pool.campaign_id == "pool"
    assert pool.profile.campaign


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("days = 2", "days = 0"), "days must be a whole number >= 1"),
        (('kind = "casual"', 'kind = "nobody"'), "population 'people': unknown kind"),
        (("share = 1", "share = 1\nturns = -2"), "turns must be a number >= 0"),
        (("share = 1", "share = 1\ncampaign = 'x'"), "is not a campaign"),
        (("start = 2026-05-04T00:00:00Z", 'start = "May"'), "start must be a TOML date-time"),
        (("released = 2026-01-01T00:00:00Z", "released = 2026-06-01T00:00:00Z"), "released"),
        (('name = "tiny"', 'name = "tiny"\nflavour = 1'), "unknown keys"),
        (("share = 1", "share = 1\nbilling = { XX = 1 }"), "billing has unknown countries"),
        (("share = 1", "share = 1\nlanguages = { tlh = 1 }"), "unknown languages"),
    ],
)
def test_mistakes_are_reported(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(MINIMAL.replace(*change, 1))
    with pytest.raises(ScenarioError, match=message):
        load(str(path))


def test_not_toml_or_missing(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("name = [")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load(str(path))
    with pytest.raises(ScenarioError, match="not a built-in"):
        load(str(tmp_path / "absent.toml"))


def test_scaled_keeps_shares_and_scales_accounts() -> None:
    demo = load("demo")
    small = demo.scaled(100_000)
    assert small.interactions == 100_000
    for before, after in zip(demo.populations, small.populations, strict=True):
        assert after.share == before.share
        assert after.accounts <= before.accounts
        assert after.accounts >= (8 if before.campaign_id else 2)
    with pytest.raises(ScenarioError):
        demo.scaled(0)


def test_the_documented_example_loads(tmp_path: Path) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "simulator.md"
    example = docs.read_text().split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "my.toml"
    path.write_text(example)
    scenario = load(str(path))
    assert [p.campaign_id for p in scenario.populations] == ["", "op-1"]
    assert scenario.populations[1].profile.lifetime_days == 3.0
    broken = example.replace("lifetime_days", "lifetme_days")
    path.write_text(broken)
    with pytest.raises(ScenarioError, match="population 'pool-a': unknown knob 'lifetme_days'"):
        load(str(path))
