"""Timing shapes: when accounts are active, release days, adoption and retargeting."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from distillguard.simulate.plan import Group, Plan, build
from distillguard.simulate.scenario import load
from distillguard.simulate.timing import (
    DIURNAL,
    OFFICE,
    RETARGET_HOURS,
    account_rates,
    in_probe_phase,
    new_model_share,
    release_hour,
)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return build(load("smoke").scaled(5000))


def group(plan: Plan, name: str) -> Group:
    return next(g for g in plan.groups if g.population.name == name)


def test_shapes_are_relative_and_peak_in_the_day() -> None:
    assert DIURNAL.max() == OFFICE.max() == 1.0
    assert DIURNAL[3] < 0.2 * DIURNAL[11]
    assert OFFICE[3] < 0.05 * OFFICE[10]


def test_release_hour(plan: Plan) -> None:
    assert release_hour(plan.scenario) == pytest.approx(24 + 17)


def test_nightly_suites_run_only_at_night_except_release_day(plan: Plan) -> None:
    suites = replace(
        group(plan, "eval-suites"), tz=np.zeros(len(group(plan, "eval-suites").ids), dtype=np.int64)
    )
    scenario = plan.scenario
    assert account_rates(scenario, suites, 3).sum() > 0  # 03:00 on the first day
    assert account_rates(scenario, suites, 12).sum() == 0  # noon on the first day
    assert account_rates(scenario, suites, 24 + 20).sum() > 0  # evening of release day


def test_inactive_accounts_have_no_rate(plan: Plan) -> None:
    migrations = group(plan, "migrations")
    first = int(migrations.active_from.min())
    assert account_rates(plan.scenario, migrations, max(0, first - 2)).sum() == 0


def test_probe_phase_is_quiet_then_scales(plan: Plan) -> None:
    probe = group(plan, "probe-then-scale")
    hours = plan.scenario.hours
    assert in_probe_phase(plan.scenario, probe, 1.0)
    assert not in_probe_phase(plan.scenario, probe, hours - 1.0)
    early = np.mean([account_rates(plan.scenario, probe, h).sum() for h in range(0, 10)])
    late = np.mean([account_rates(plan.scenario, probe, h).sum() for h in range(hours - 10, hours)])
    assert early < 0.3 * late


def test_adoption_retargeting_and_release_day_eval(plan: Plan) -> None:
    release = release_hour(plan.scenario)
    assert release is not None
    casual = group(plan, "casual")
    hydra = group(plan, "hydra-cot")
    suites = group(plan, "eval-suites")
    assert new_model_share(casual, release - 1, release) == 0.0
    assert new_model_share(hydra, release + RETARGET_HOURS, release) == pytest.approx(0.5)
    assert new_model_share(casual, release + RETARGET_HOURS, release) < 0.05
    assert new_model_share(suites, release + 1, release) == 0.8
    assert new_model_share(casual, release + 24 * 30, release) == pytest.approx(0.5)
    assert new_model_share(casual, release, None) == 0.0


def test_weekends_are_quieter_for_people_and_offices(plan: Plan) -> None:
    scenario = plan.scenario  # starts on a Monday at 00:00 UTC
    assert scenario.start.weekday() == 0
    for name, factor in (("casual", 0.7), ("ci-bots", 0.15)):
        people = group(plan, name)
        n = len(people.ids)
        always = replace(
            people,
            tz=np.zeros(n, dtype=np.int64),
            active_from=np.zeros(n),
            active_to=np.full(n, 1e9),
        )
        wednesday = account_rates(scenario, always, 2 * 24 + 11).sum()
        saturday = account_rates(scenario, always, 5 * 24 + 11).sum()
        assert saturday / wednesday == pytest.approx(factor)
