"""The plan: accounts, windows, infrastructure and session counts, drawn once per run."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from distillguard.simulate.plan import Plan, build
from distillguard.simulate.scenario import load


@pytest.fixture(scope="module")
def plan() -> Plan:
    return build(load("smoke").scaled(20_000))


def group(plan: Plan, name: str):  # type: ignore[no-untyped-def]
    return next(g for g in plan.groups if g.population.name == name)


def test_deterministic() -> None:
    scenario = load("smoke").scaled(3000)
    a, b = build(scenario), build(scenario)
    for x, y in zip(a.groups, b.groups, strict=True):
        assert x.ids == y.ids
        assert x.ips == y.ips
        assert x.records == y.records
        assert np.array_equal(x.sessions, y.sessions)


def test_ids_are_unique_and_opaque(plan: Plan) -> None:
    ids = [i for g in plan.groups for i in g.ids]
    assert len(ids) == len(set(ids))
    assert all(len(i) == len("acct_") + 16 for i in ids)


def test_sessions_match_the_shares(plan: Plan) -> None:
    total = sum(g.sessions.sum() * g.profile.turns for g in plan.groups)
    assert 0.9 * 20_000 < total < 1.1 * 20_000


def test_shared_pool_addresses_overlap(plan: Plan) -> None:
    hydra = group(plan, "hydra-cot")
    uses = Counter(ip for ips in hydra.ips for ip in ips)
    assert max(uses.values()) > 1


def test_lifetimes_replace_accounts(plan: Plan) -> None:
    hydra = group(plan, "hydra-cot")
    spans = hydra.active_to - hydra.active_from
    assert np.median(spans) < 0.9 * plan.scenario.hours
    assert hydra.active_from.max() > 0.3 * plan.scenario.hours  # replacements appear later


def test_migration_accounts_are_created_when_they_start(plan: Plan) -> None:
    migrations = group(plan, "migrations")
    assert migrations.active_from.min() >= 0.3 * plan.scenario.hours


def test_campaign_cards_are_shared_benign_cards_are_not(plan: Plan) -> None:
    def per_card(name: str) -> float:
        cards = Counter(r["payment_fingerprint"] for r in group(plan, name).records)
        return len(group(plan, name).records) / len(cards)

    assert per_card("hydra-cot") > 1.5
    assert per_card("casual") == 1.0
