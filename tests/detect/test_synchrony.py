"""Synchrony: a pool acting in step is one operator; groups active in the same hours are not."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from distillguard.detect.decide import Policy, decide
from distillguard.detect.synchrony import (
    SyncPolicy,
    co_activity,
    lift_of,
    panels,
    significance,
    synchrony_evidence,
)
from tests.detect.conftest import settings
from tests.detect.test_decide import accounts, clusters

P = Policy.from_settings(settings())
S = P.sync
DAY = 24 * 60


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        yield connection


def calls(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, int]]) -> None:
    """A ``calls`` table of ``(account, epoch minute)`` rows, as the scan's has."""
    table = pa.table(
        {
            "account_id": [a for a, _ in rows],
            "minute": pa.array([m for _, m in rows], pa.int64()),
        }
    )
    con.register("calls_in", table)
    con.execute("CREATE OR REPLACE TABLE calls AS SELECT * FROM calls_in")
    con.unregister("calls_in")


def in_step(n_accounts: int, rng: random.Random) -> list[tuple[str, int]]:
    """One scheduler behind ``n_accounts``: each burst fires every account in one minute,
    round the clock; each account sends its own prompts (the work is split, not repeated)."""
    bursts = sorted(rng.sample(range(4 * DAY), 120))
    return [(f"pool{i}", minute) for minute in bursts for i in range(n_accounts)]


def same_hours(n_accounts: int, rng: random.Random, prefix: str) -> list[tuple[str, int]]:
    """Colleagues, a team or evaluation suites: busy in the same office hours (09:00-17:00)
    on the same days, each in minutes of its own."""
    rows = []
    for i in range(n_accounts):
        for day in range(4):
            start = day * DAY + 9 * 60
            rows.extend((f"{prefix}{i}", start + m) for m in rng.sample(range(8 * 60), 30))
    return rows


def measure(
    con: duckdb.DuckDBPyConnection,
    rows: Sequence[tuple[str, int]],
    groups: dict[str, int],
    panel: int = 0,
) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    calls(con, rows)
    index = {a: i for i, a in enumerate(sorted({a for a, _ in rows}))}
    cluster_of = np.array([groups.get(a[:4], -1) for a in index], dtype=np.int64)
    found = co_activity(con, index, cluster_of, panel)
    return index, found.observed, found.expected


def group_lift(index: dict[str, int], o: np.ndarray, e: np.ndarray, prefix: str) -> float:
    rows = [i for a, i in index.items() if a.startswith(prefix)]
    return lift_of(float(o[rows].sum()), float(e[rows].sum()))


def test_a_pool_in_step_has_a_high_lift_and_a_group_busy_in_the_same_hours_does_not(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rng = random.Random(7)
    rows = [*in_step(8, rng), *same_hours(8, rng, "offi")]
    index, o, e = measure(con, rows, {"pool": 0, "offi": 1})
    pool = group_lift(index, o, e, "pool")
    office = group_lift(index, o, e, "offi")
    assert pool > 4 * S.full  # every minute of every account shared: far above chance
    assert 0.7 < office < S.start  # office hours are the same, the minutes are chance
    pool_rows = [i for a, i in index.items() if a.startswith("pool")]
    assert (o[pool_rows] == 120).all()  # each of its 120 minutes shared with the others
    assert (synchrony_evidence(o[pool_rows], e[pool_rows], S) == 1.0).all()
    office_rows = [i for a, i in index.items() if a.startswith("offi")]
    assert (synchrony_evidence(o[office_rows], e[office_rows], S) == 0.0).all()


def test_a_call_inside_a_busy_pool_s_minutes_counts_once(con: duckdb.DuckDBPyConnection) -> None:
    """A household whose few calls land in a pool's bursts is not in step with it: each of
    its minutes counts once, against the pool's share of that hour's minutes."""
    rng = random.Random(3)
    rows = in_step(40, rng)
    bursts = sorted({m for _, m in rows})
    rows.extend(("home0", m) for m in (bursts[5], bursts[60]))
    index, o, e = measure(con, rows, {"pool": 0, "home": 0})
    home = index["home0"]
    assert o[home] == 2  # two minutes, not 2 x 40 coincidences
    assert synchrony_evidence(o[home], e[home], S) == 0.0  # too few to be significant


def test_accounts_in_no_cluster_are_not_measured(con: duckdb.DuckDBPyConnection) -> None:
    rng = random.Random(1)
    index, o, e = measure(con, in_step(4, rng), {})
    assert len(index) == 4
    assert not o.any()
    assert not e.any()


def test_clusters_are_measured_apart(con: duckdb.DuckDBPyConnection) -> None:
    """Two pools, each in step with itself: each is measured against its own members only."""
    rng = random.Random(5)
    rows = [*in_step(3, rng), *((a.replace("pool", "twin"), m) for a, m in in_step(3, rng))]
    index, o, e = measure(con, rows, {"pool": 0, "twin": 1})
    assert o[index["pool0"]] == o[index["twin0"]] == 120
    merged_index, _, merged_e = measure(con, rows, {"pool": 0, "twin": 0})
    assert merged_e[merged_index["pool0"]] > e[index["pool0"]]  # the twins' minutes count too


def busy_cluster(rng: random.Random) -> list[tuple[str, int]]:
    """A cluster of 600: a pool of 200 on one scheduler (60 bursts a day in 08:00-20:00, each
    firing every pool account) and 400 accounts of its own kind in minutes of their own
    (15 each over the same hours), who between them are active in nearly every minute."""
    busy = [m for day in range(2) for m in range(day * DAY + 8 * 60, day * DAY + 20 * 60)]
    bursts = [m for day in range(2) for m in rng.sample(busy[day * 720 : (day + 1) * 720], 60)]
    rows = [(f"pool{i}", minute) for minute in bursts for i in range(200)]
    rows.extend((f"offi{i}", m) for i in range(400) for m in rng.sample(busy, 15))
    return rows


def test_a_large_cluster_is_measured_within_panels(con: duckdb.DuckDBPyConnection) -> None:
    """Against the whole of a large cluster every lift tends to 1 (the others are active in
    nearly every minute, so coincidence is near certain); against a panel of 40 the pool acts
    in step again, while the accounts in minutes of their own stay at chance."""
    rows = busy_cluster(random.Random(11))
    groups = {"pool": 0, "offi": 0}
    index, o, e = measure(con, rows, groups)
    assert group_lift(index, o, e, "pool") < 1.1  # saturated: nothing to see
    index, o, e = measure(con, rows, groups, panel=40)
    assert group_lift(index, o, e, "pool") > S.full
    assert 0.7 < group_lift(index, o, e, "offi") < S.start


def test_panels_are_stable_and_a_small_cluster_is_one_panel() -> None:
    ids = [f"acct{i}" for i in range(130)]
    cluster_of = np.array([0] * 100 + [1] * 20 + [-1] * 10, dtype=np.int64)
    found = panels(ids, cluster_of, 40)
    assert (found == panels(ids, cluster_of, 40)).all()  # a stable hash, not Python's
    assert len(set(found[:100].tolist())) == 2  # round(100 / 40) panels
    assert len(set(found[100:120].tolist())) == 1
    assert set(found[:100].tolist()).isdisjoint(found[100:120].tolist())
    assert (found[120:] == -1).all()
    assert len(set(panels(ids, cluster_of, 0)[:100].tolist())) == 1  # 0: the whole cluster


def test_a_member_s_test_is_one_of_its_cluster_s() -> None:
    """Among 2,000 households on a pool's exits a few reach z = 3 by chance: each member's
    test is one of its cluster's, and the excess it needs grows with their number."""
    assert float(significance(3.0, 1.0)) == 3.0
    needed = significance(3.0, np.array([1.0, 20.0, 2000.0]))
    assert needed[0] == 3.0 < needed[1] < needed[2]
    assert needed[2] == pytest.approx(4.83, abs=0.01)
    household = (10.0, 2.9)  # 10 minutes in step where 2.9 were expected: z 4.2
    assert synchrony_evidence(*household, S) == 1.0  # alone, or in a small cluster
    assert synchrony_evidence(*household, S, tests=2000.0) == 0.0  # one of 2,000
    pool = (400.0, 100.0)  # a pool's member: z 30
    assert synchrony_evidence(*pool, S, tests=2000.0) == 1.0


def test_evidence_needs_both_lift_and_significance() -> None:
    policy = SyncPolicy(start=1.5, full=2.5, z=3.0)
    assert synchrony_evidence(2.0, 0.1, policy) == 0.0  # lift 20, two minutes: chance
    assert synchrony_evidence(30.0, 15.0, policy) == pytest.approx(0.5)  # lift 2, z 3.9
    assert synchrony_evidence(60.0, 20.0, policy) == 1.0
    assert synchrony_evidence(1200.0, 1000.0, policy) == 0.0  # significant, lift only 1.2
    assert synchrony_evidence(5.0, 0.0, policy) == 0.0  # nothing expected: nothing to say


# -- deciding with synchrony ------------------------------------------------------------------

IN_STEP = {"sync_observed": 60.0, "sync_expected": 12.0}  # lift 5, far beyond chance
ADDRESS = {"tie": 0.36, "operator_links": 1}  # one specific address of the pool (0.6 x 0.6)


def test_a_verified_pool_in_step_behind_its_addresses_is_flagged() -> None:
    """Ordinary-looking accounts (score 0, verified, no card, one address of the pool's each)
    that fire in the same minutes: carried by their own synchrony, a campaign."""
    pool = [{**ADDRESS, **IN_STEP, "fresh": True, "cluster": 0} for _ in range(20)]
    result = decide(accounts(*pool), clusters((0.9, 0.9)), P)
    assert result.core.all()
    assert result.cluster_together[0] == 1.0
    assert result.cluster_lift[0] == pytest.approx(5.0)
    assert result.cluster_flagged[0]
    assert result.verdict == ["campaign"] * 20
    quiet = [{**m, "sync_observed": 13.0} for m in pool]  # the same pool, minutes by chance
    found = decide(accounts(*quiet), clusters((0.9, 0.9)), P)
    assert not found.core.any()
    assert not found.cluster_flagged[0]


def test_evaluators_sending_the_same_public_prompts_in_the_same_minutes_are_not_carried() -> None:
    """Evaluation suites of different companies run the same public benchmark from the same
    cron minute: in step, but tied only by prompts many clean accounts send, never by a card
    or an address of their own; synchrony carries no one without one."""
    suites = [{**IN_STEP, "tie": 0.4, "operator_links": 0, "cluster": 0} for _ in range(6)]
    result = decide(accounts(*suites), clusters((0.8, 0.0)), P)
    assert not result.core.any()
    assert not result.cluster_flagged[0]
    assert result.verdict == ["clear"] * 6


def test_a_household_on_a_pool_s_exit_is_left_out_of_the_pool_s_verdict() -> None:
    """The same address as the pool, but its own minutes fall where chance puts them."""
    pool = [{**ADDRESS, **IN_STEP, "fresh": True, "cluster": 0} for _ in range(20)]
    home = {**ADDRESS, "sync_observed": 3.0, "sync_expected": 2.5, "cluster": 0}
    result = decide(accounts(*pool, home), clusters((0.9, 0.9)), P)
    assert result.cluster_flagged[0]
    assert result.verdict[-1] == "clear"
    assert not result.core[-1]


def test_synchrony_alone_is_not_decisive() -> None:
    """In step behind specific addresses, but verified and established accounts without
    content: one operator is a fact to explain, not a verdict."""
    pool = [{**ADDRESS, **IN_STEP, "cluster": 0} for _ in range(20)]
    result = decide(accounts(*pool), clusters((0.9, 0.9)), P)
    assert result.core.all()
    assert result.cluster_score[0] >= P.cluster
    assert result.cluster_operator[0] < P.operator
    assert not result.cluster_flagged[0]
