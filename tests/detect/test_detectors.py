"""One suite for every detector: each registered feature, link kind and request signal goes
through the same checks, and the whole scan meets a quality floor on the seeded smoke data.

A new feature, link kind or signal is picked up here by registering it: it must be
documented, run on the smoke scan, point the right way, and either occur on the smoke data
or be listed (with the reason) and shown on data made for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import hypothesis
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from distillguard.detect.baselines import compare
from distillguard.detect.calls import call_rows
from distillguard.detect.evaluate import evaluate
from distillguard.detect.features import CONTENT_FAMILIES, FEATURES, Feature, accounts_table
from distillguard.detect.flags import PREFIX, interactions, to_sql
from distillguard.detect.links import (
    LINK_KINDS,
    LinkKind,
    in_graph,
    memberships,
    network_prefixes,
    prefixes_table,
    shared,
)
from distillguard.detect.neardup import costly_links
from distillguard.detect.scoring import FAMILY_WEIGHTS, feature_evidence
from distillguard.detect.signals import (
    CAPABILITY_SIGNALS,
    FAMILIES,
    PARAM_SIGNALS,
    SIGNAL_NAMES,
    TEXT_SIGNALS,
    ParamSignal,
    TextSignal,
)
from distillguard.detect.specificity import with_specificity
from distillguard.detect.ties import TIE_COUNTS
from distillguard.settings import Settings
from tests.conftest import Scanned
from tests.detect.conftest import (
    account_rows,
    at,
    calls_expr,
    calls_of,
    run,
    settings,
)

SETTINGS = settings()
SIGNALS: tuple[TextSignal | ParamSignal, ...] = (
    *TEXT_SIGNALS,
    *CAPABILITY_SIGNALS,
    *PARAM_SIGNALS,
)
RELATIVE = tuple(f for f in FEATURES if f.compare == "relative")
ABSOLUTE = tuple(f for f in FEATURES if f.compare == "absolute")


def ids(items: tuple[Feature, ...] | tuple[LinkKind, ...]) -> list[str]:
    return [item.name for item in items]


# -- features: the catalogue ------------------------------------------------------------------


def test_feature_names_are_unique() -> None:
    names = [f.name for f in FEATURES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("feature", FEATURES, ids=ids(FEATURES))
def test_feature_is_documented(feature: Feature) -> None:
    assert feature.family in FAMILY_WEIGHTS
    assert feature.catches.strip()
    assert feature.confusable.strip()
    assert feature.spread >= 0.0
    if feature.compare == "absolute":
        assert feature.higher  # a share of calls carrying a content signal
    else:
        assert feature.spread > 0.0  # else identical peers turn noise into huge z-scores


@pytest.fixture(scope="module")
def smoke_features(scanned: Scanned) -> pa.Table:
    return scanned.table("SELECT * FROM account_features")


@pytest.mark.parametrize("feature", FEATURES, ids=ids(FEATURES))
def test_feature_on_the_smoke_scan(feature: Feature, smoke_features: pa.Table) -> None:
    assert feature.name in smoke_features.column_names
    column = smoke_features.column(feature.name)
    assert column.null_count == 0
    assert np.isfinite(column.to_numpy(zero_copy_only=False).astype(np.float64)).all()
    if feature.signal:  # the calls that show it: an example column
        assert f"ex_{feature.signal}" in smoke_features.column_names


# -- features: direction ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A peer group of ordinary values, a suspicious value and an ordinary extreme."""

    center: float
    sd: float
    suspicious: float
    benign: float
    floor: float = 0.0  # the lowest value the feature takes


SHARE_FROM_NONE = Scenario(0.0, 0.0, 1.0, 0.0)
SCENARIOS: dict[str, Scenario] = {
    "calls_per_day": Scenario(40.0, 10.0, 3000.0, 2.0),
    "ramp_up": Scenario(1.0, 0.2, 30.0, 0.0),
    "hour_entropy": Scenario(0.6, 0.05, 1.0, 0.2),
    "longest_idle_h": Scenario(14.0, 2.0, 0.1, 60.0),
    "interarrival_cv": Scenario(2.0, 0.3, 0.05, 6.0),
    "template_share": Scenario(0.3, 0.05, 1.0, 0.05),
    "capability_share": Scenario(0.3, 0.05, 1.0, 0.0),
    "capability_breadth": Scenario(0.3, 0.05, 1.0, 0.0),
    "single_turn_share": Scenario(0.5, 0.05, 1.0, 0.1),
    "output_input_ratio": Scenario(2.0, 0.3, 100.0, 0.1),
    "logprobs_share": SHARE_FROM_NONE,
    "top_logprobs_wide_share": SHARE_FROM_NONE,
    "many_samples_share": SHARE_FROM_NONE,
    "maximal_output_share": Scenario(0.02, 0.01, 1.0, 0.0),
    "large_thinking_budget_share": Scenario(0.02, 0.01, 1.0, 0.0),
    "refusal_share": Scenario(0.01, 0.005, 0.5, 0.0),
    "refusal_then_persist": Scenario(0.0, 0.02, 0.8, -0.5, floor=-1.0),
    "fast_adoption": Scenario(0.1, 0.03, 1.0, 0.0),
    "hosting_share": Scenario(0.05, 0.02, 1.0, 0.0),
    "anonymizer_share": Scenario(0.05, 0.02, 1.0, 0.0),
    "foreign_share": Scenario(0.1, 0.03, 1.0, 0.0),
    "restricted_share": SHARE_FROM_NONE,
    "n_ips": Scenario(3.0, 1.0, 300.0, 1.0),
    "n_user_agents": Scenario(1.0, 0.0, 20.0, 1.0),  # 20 clients where peers use one
    "card_accounts": Scenario(1.0, 0.0, 20.0, 1.0),  # 20 accounts on one card
    "unverified": Scenario(0.0, 0.0, 1.0, 0.0),  # unverified where every peer verified
}
LOG_FLOOR = (
    "bug: baselines.compare applies Feature.spread after log1p, so a floor meant in the "
    "value's units becomes a factor: spread 1.0 needs about 39 against a median of 1 before "
    "detect.z_start (3) and about 5,900 for full evidence; spread 2.0 for longest_idle_h "
    "needs the peers' median idle above e**6 - 1 = 402 h before even an idle time of 0 counts"
)
DIRECTION_BUGS: dict[str, str] = {}


def test_every_relative_feature_has_a_scenario() -> None:
    assert set(SCENARIOS) == {f.name for f in RELATIVE}
    assert set(DIRECTION_BUGS) <= set(SCENARIOS)


PEERS = 60


def peer_group(seed: int = 0) -> np.ndarray:
    """``PEERS`` ordinary accounts, every feature drawn around its scenario's center."""
    rng = np.random.default_rng(seed)
    values = np.zeros((PEERS, len(FEATURES)))
    for j, feature in enumerate(FEATURES):
        scenario = SCENARIOS.get(feature.name, SHARE_FROM_NONE)
        drawn = rng.normal(scenario.center, scenario.sd, PEERS)
        values[:, j] = np.maximum(drawn, scenario.floor)
    return values


def evidence(values: np.ndarray, n_calls: float = 500.0, config: Settings = SETTINGS) -> np.ndarray:
    peers = ["free/none//v1/chat/completions"] * values.shape[0]
    comparison = compare(values, peers, np.ones(values.shape[0], bool), PEERS // 2)
    return feature_evidence(comparison, np.full(values.shape[0], n_calls), config)


def direction_cases() -> list[object]:
    return [
        pytest.param(
            f,
            id=f.name,
            marks=[pytest.mark.xfail(strict=True, reason=DIRECTION_BUGS[f.name])]
            if f.name in DIRECTION_BUGS
            else [],
        )
        for f in RELATIVE
    ]


@pytest.mark.parametrize("feature", direction_cases())
def test_relative_feature_points_the_suspicious_way(feature: Feature) -> None:
    j = FEATURES.index(feature)
    scenario = SCENARIOS[feature.name]
    values = peer_group()
    assert (evidence(values)[:, j] == 0.0).all()  # ordinary peers raise nothing
    values[0, j] = scenario.suspicious
    assert evidence(values)[0, j] > 0.0
    values[0, j] = scenario.benign
    assert evidence(values)[0, j] == 0.0


@pytest.mark.parametrize("feature", ABSOLUTE, ids=ids(ABSOLUTE))
def test_absolute_feature_counts_its_share_of_calls(feature: Feature) -> None:
    # a content signal, or a share no ordinary workload has whose weight cannot decide alone
    assert feature.family == "content" or (
        FAMILY_WEIGHTS[feature.family] < SETTINGS.number("detect.account_threshold")
    )
    j = FEATURES.index(feature)
    low = SETTINGS.number("detect.content_min_share")
    high = SETTINGS.number("detect.content_full_share")
    min_calls = SETTINGS.integer("detect.content_min_calls")

    def at(share: float, n_calls: float = 1000.0) -> float:
        values = peer_group()
        values[:, j] = share  # whatever the peers do: absolute
        return float(evidence(values, n_calls)[0, j])

    assert at(low * 0.9) == 0.0
    assert at(high) == 1.0
    assert at(1.0) == 1.0
    assert 0.0 < at((low + high) / 2) < 1.0
    assert at(0.5, n_calls=2 * min_calls - 1) == 0.0  # fewer calls than content_min_calls
    assert at(0.5, n_calls=2 * min_calls) == 1.0


# -- link kinds -------------------------------------------------------------------------------


NOT_ON_SMOKE: dict[str, str] = {
    "synchronized": "the smoke hydra pool's accounts make about 25 calls each over 4 days, so "
    "no two share anywhere near SYNC_JACCARD of their active minutes",
    "user_agent": "on smoke only a few ordinary accounts share an uncommon client; they are "
    "neither candidates nor operator-linked, so the cascade cut (in_graph) leaves them out",
}


def synchronized_links() -> pa.Table:
    """Two accounts dispatched in the same 40 minutes, one in other minutes."""
    rows: dict[str, list[object]] = {"account_id": [], "minute": []}
    for account, first in (("s1", 0), ("s2", 0), ("s3", 10_000)):
        for m in range(first, first + 40):
            rows["account_id"].append(account)
            rows["minute"].append(m * 3)
    prompts = pa.table({"account_id": ["s1"], "request_id": ["r1"], "user_text": ["hello"]})
    with duckdb.connect() as con:
        con.register("calls", pa.table(rows))
        con.register("interactions", prompts)
        return costly_links(con, ["s1", "s2", "s3"], [40, 40, 40], SETTINGS)


def user_agent_links() -> pa.Table:
    """Two candidate accounts behind one uncommon client, among others on a common one."""
    rows: list[dict[str, Any]] = [
        {"account_id": f"u{k}", "ts": at(k), "user_agent": "OpenAI/Python 1.0"} for k in range(60)
    ]
    rows += [{"account_id": a, "ts": at(1), "user_agent": "harness/0.1"} for a in ("h1", "h2")]
    calls = calls_of(rows)
    members = memberships(calls_expr(), accounts_table(), prefixes_table(), 64, 5)
    expr = shared(members, 62, SETTINGS.number("detect.link_max_share"))
    found = run(
        expr,
        calls=calls,
        accounts=account_rows([]),
        prefixes=network_prefixes([]),
    )
    ids = sorted(set(found.column("account_id").to_pylist()))
    nobody = [False] * len(ids)
    with duckdb.connect() as con:
        found = with_specificity(
            con, found, pa.table({"account_id": ids, "reference": nobody, "campaign": nobody})
        )
    return in_graph(
        found,
        {"h1", "h2", "u1", "u2"},
        SETTINGS.number("detect.specific"),
        SETTINGS.number("detect.min_link_weight"),
    )


SYNTHETIC: dict[str, Callable[[], pa.Table]] = {
    "synchronized": synchronized_links,
    "user_agent": user_agent_links,
}


def test_link_kind_names_are_unique() -> None:
    names = [k.name for k in LINK_KINDS]
    assert len(names) == len(set(names))
    assert set(NOT_ON_SMOKE) <= set(names)
    assert set(SYNTHETIC) == set(NOT_ON_SMOKE)


@pytest.mark.parametrize("kind", LINK_KINDS, ids=ids(LINK_KINDS))
def test_link_kind_is_documented(kind: LinkKind) -> None:
    assert 0.0 < kind.weight <= 1.0
    assert 0.0 < kind.prior <= 1.0  # specificity before the data speaks
    assert kind.catches.strip()
    assert kind.confusable.strip()
    if kind.name in TIE_COUNTS:
        assert kind.operator  # only a card or an address is an operator tie
    if kind.prior < 1.0:
        assert str(kind.prior) in kind.catches  # a low prior says why


@pytest.mark.parametrize("kind", LINK_KINDS, ids=ids(LINK_KINDS))
def test_link_kind_specificity_on_the_smoke_scan(kind: LinkKind, scanned: Scanned) -> None:
    """Every committed link has a specificity in [0, 1], one per entity, and is strong
    enough to be an edge of the cluster graph (``in_graph``)."""
    ((rows, low, high, spread, weak),) = scanned.rows(
        "SELECT count(*), min(specificity), max(specificity), "
        "coalesce(max(n), 1), count(*) FILTER (WHERE ? * specificity < ?) FROM ("
        "SELECT *, count(DISTINCT specificity) OVER (PARTITION BY entity) AS n "
        "FROM links WHERE kind = ?)",
        kind.weight,
        SETTINGS.number("detect.min_link_weight") - 1e-9,
        kind.name,
    )
    if rows == 0:
        assert kind.name in NOT_ON_SMOKE
        return
    assert 0.0 <= low <= high <= 1.0
    assert spread == 1  # a property of the entity, the same for every member
    assert weak == 0


STATUS = ("suspect", "reference", "campaign")
KINDS = ("payment", "ip", "hosting_ip", "skeleton")
memberships_strategy = st.lists(
    st.tuples(st.integers(0, 5), st.sampled_from(KINDS), st.integers(0, 2)),
    min_size=1,
    max_size=14,
    unique=True,
)


def entity_specificity(
    rows: list[tuple[int, str, int]], status: list[str]
) -> dict[tuple[str, str], float]:
    names = [f"a{i}" for i in range(len(status))]
    links = pa.table(
        {
            "account_id": [names[a] for a, _, _ in rows],
            "kind": [k for _, k, _ in rows],
            "entity": [f"e{e}" for _, _, e in rows],
            "n_accounts": [2] * len(rows),
            "example_request_id": pa.nulls(len(rows), pa.string()),
        }
    )
    accounts = pa.table(
        {
            "account_id": names,
            "reference": [s == "reference" for s in status],
            "campaign": [s == "campaign" for s in status],
        }
    )
    with duckdb.connect() as con:
        table = with_specificity(con, links, accounts)
    return {
        (r["kind"], r["entity"]): r["specificity"]
        for r in table.select(["kind", "entity", "specificity"]).to_pylist()
    }


@hypothesis.settings(max_examples=60, deadline=None)
@given(
    rows=memberships_strategy,
    status=st.lists(st.sampled_from(STATUS), min_size=7, max_size=7),
    pick=st.integers(0, 100),
)
def test_a_clean_witness_never_makes_an_entity_more_specific(
    rows: list[tuple[int, str, int]], status: list[str], pick: int
) -> None:
    before = entity_specificity(rows, status)
    assert all(0.0 <= v <= 1.0 for v in before.values())
    kind, entity = sorted(before)[pick % len(before)]
    # a new clean account (index 6) that shares this one entity and nothing else
    with_witness = [*rows, (6, kind, int(entity[1:]))]
    after = entity_specificity(with_witness, [*status[:6], "reference"])
    assert after[(kind, entity)] <= before[(kind, entity)]
    assert {k: v for k, v in after.items() if k != (kind, entity)} == {
        k: v for k, v in before.items() if k != (kind, entity)
    }


@pytest.mark.parametrize("kind", LINK_KINDS, ids=ids(LINK_KINDS))
def test_link_kind_occurs_on_smoke_or_on_data_made_for_it(kind: LinkKind, scanned: Scanned) -> None:
    ((count,),) = scanned.rows("SELECT count(*) FROM links WHERE kind = ?", kind.name)
    if kind.name in NOT_ON_SMOKE:
        assert count == 0, f"{kind.name} occurs on smoke now: take it off NOT_ON_SMOKE"
        table = SYNTHETIC[kind.name]()
        assert set(table.column("kind").to_pylist()) == {kind.name}
    else:
        assert count > 0


def test_smoke_links_are_of_known_kinds(scanned: Scanned) -> None:
    kinds = {row[0] for row in scanned.rows("SELECT DISTINCT kind FROM links")}
    assert kinds <= {k.name for k in LINK_KINDS}


# -- request signals --------------------------------------------------------------------------


NOT_FIRING_ON_SMOKE: dict[str, str] = {}
"""Request signals that no smoke call carries, with the reason (none today)."""


@pytest.fixture(scope="module")
def smoke_signal_counts(scanned: Scanned) -> dict[str, int]:
    calls = call_rows(interactions())
    flags = [c for c in calls.columns if c.startswith(PREFIX)]
    sums = ", ".join(f'count(*) FILTER (WHERE "{c}")' for c in flags)
    (row,) = scanned.rows(f"SELECT {sums} FROM ({to_sql(calls)})")
    return dict(zip((c.removeprefix(PREFIX) for c in flags), row, strict=True))


def test_every_signal_has_a_flag_column(smoke_signal_counts: dict[str, int]) -> None:
    assert set(smoke_signal_counts) == set(SIGNAL_NAMES)
    assert len(SIGNAL_NAMES) == len(set(SIGNAL_NAMES))
    assert set(NOT_FIRING_ON_SMOKE) <= set(SIGNAL_NAMES)


@pytest.mark.parametrize("signal", SIGNALS, ids=[s.name for s in SIGNALS])
def test_signal_fires_on_smoke(
    signal: TextSignal | ParamSignal, smoke_signal_counts: dict[str, int]
) -> None:
    assert signal.family in FAMILIES
    if signal.name in NOT_FIRING_ON_SMOKE:
        assert smoke_signal_counts[signal.name] == 0, "fires now: take it off the list"
    else:
        assert smoke_signal_counts[signal.name] > 0


def test_every_content_family_has_signals_and_a_feature() -> None:
    for family in CONTENT_FAMILIES:
        assert any(s.family == family for s in TEXT_SIGNALS)
        assert any(f.name == f"{family}_share" for f in ABSOLUTE)


# -- quality floor ----------------------------------------------------------------------------


MIN_PRECISION = 0.99
MAX_BENIGN_FPR = 0.001
MIN_RECALL = 0.9
MAX_POPULATION_FLAGGED = 0.01
MIN_CAMPAIGN_RECALL = 0.75  # every campaign kind, however small, is mostly found
CAMPAIGN_RECALL: dict[str, tuple[float, str]] = {
    "relay": (
        21 / 33,
        "a relay forwards ordinary-looking calls, so its members have no content signal and "
        "low scores: only members tied by a specific card, or fresh members rotating through "
        "two or more of the pool's addresses (operator ties), are flagged. Members tied only "
        "by weak or unspecific ties (cloud addresses, one shared line, a creation burst) are "
        "left out by design, and a third of the pool shares nothing specific at all; 21 of "
        "33 on smoke",
    ),
}
"""Campaigns whose recall floor is lower than :data:`MIN_CAMPAIGN_RECALL`, and why."""


def test_quality_floor_on_smoke(scanned: Scanned) -> None:
    result = evaluate(scanned.workspace, scanned.labels)
    assert result.labelled_not_scanned <= 0.1 * result.labelled  # never-active accounts
    assert result.precision is not None
    assert result.precision >= MIN_PRECISION
    assert result.benign_fpr is not None
    assert result.benign_fpr <= MAX_BENIGN_FPR
    assert result.recall is not None
    assert result.recall >= MIN_RECALL
    benign = {name: p for name, p in result.by_population.items() if not p.campaign}
    assert len(benign) >= 5
    for name, population in benign.items():
        assert population.flagged_share is not None
        assert population.flagged_share <= MAX_POPULATION_FLAGGED, name
    assert len(result.by_campaign) >= 5
    assert set(CAMPAIGN_RECALL) <= set(result.by_campaign)
    for name, campaign in result.by_campaign.items():
        assert campaign.recall is not None
        floor = CAMPAIGN_RECALL.get(name, (MIN_CAMPAIGN_RECALL, ""))[0]
        assert campaign.recall >= floor, name
