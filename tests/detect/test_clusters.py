"""Clusters: Leiden over the account-entity graph, coordination, cluster scores, reasons."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pyarrow as pa
import pytest

from distillguard.detect.clusters import (
    VERIFIED_OPERATOR,
    Cluster,
    cluster_score,
    coordination,
    link_reasons,
    partition,
)
from distillguard.detect.links import OPERATOR_KINDS, WEIGHTS
from distillguard.detect.neardup import LINK_SCHEMA
from tests.detect.conftest import settings

ACCOUNTS = ("a", "b", "c", "d", "e", "f", "g")
RESOLUTION = float(settings()["detect.leiden_resolution"])
INDEX = {a: i for i, a in enumerate(ACCOUNTS)}


def links(rows: list[tuple[str, str, str]], example: bool = True) -> pa.Table:
    return pa.table(
        {
            "account_id": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "entity": [r[2] for r in rows],
            "n_accounts": [2] * len(rows),
            "example_request_id": [f"req_{r[0]}_{r[2]}" if example else None for r in rows],
        },
        schema=LINK_SCHEMA,
    )


TWO_GROUPS = links(
    [
        ("a", "payment", "pm_1"),
        ("b", "payment", "pm_1"),
        ("c", "payment", "pm_1"),
        ("a", "skeleton", "s1"),
        ("b", "skeleton", "s1"),
        ("d", "ip", "192.0.2.1"),
        ("e", "ip", "192.0.2.1"),
        ("g", "user_agent", "ua"),  # an entity of its own: g is a singleton
        ("zz", "payment", "pm_1"),  # not a scored account: left out
    ]
)


def test_partition_two_disconnected_groups() -> None:
    clusters = partition(TWO_GROUPS, INDEX, seed=0, resolution=RESOLUTION)
    assert [c.cluster_id for c in clusters] == ["c00001", "c00002"]  # larger first
    assert [sorted(c.members) for c in clusters] == [[0, 1, 2], [3, 4]]
    first, second = clusters
    assert first.kinds == Counter({"payment": 3, "skeleton": 2})
    assert second.kinds == Counter({"ip": 2})
    assert first.entities["payment"] == Counter({"pm_1": 3})
    assert first.examples["skeleton"] == ["req_a_s1", "req_b_s1"]


def test_partition_is_seeded() -> None:
    rows = [(a, "skeleton", "s1") for a in ACCOUNTS[:4]] + [(a, "ip", "x") for a in ACCOUNTS[3:]]
    first = partition(links(rows), INDEX, seed=5, resolution=RESOLUTION)
    again = partition(links(rows), INDEX, seed=5, resolution=RESOLUTION)
    assert [c.members for c in first] == [c.members for c in again]


def test_partition_of_no_links() -> None:
    assert partition(links([]), INDEX, seed=0, resolution=RESOLUTION) == []


def test_partition_keeps_at_most_three_examples_per_kind() -> None:
    rows = [(a, "skeleton", "s1") for a in ACCOUNTS]
    (cluster,) = partition(links(rows), INDEX, seed=0, resolution=RESOLUTION)
    assert len(cluster.members) == len(ACCOUNTS)
    assert len(cluster.examples["skeleton"]) == 3


def test_partition_counts_every_entity_a_member_shares() -> None:
    rows = [("a", "skeleton", "s1"), ("b", "skeleton", "s1")]
    rows += [("a", "skeleton", "s2"), ("b", "skeleton", "s2")]
    (cluster,) = partition(links(rows), INDEX, seed=0, resolution=RESOLUTION)
    assert cluster.kinds == Counter({"skeleton": 2})  # members with a link of the kind
    assert cluster.entities["skeleton"] == Counter({"s1": 2, "s2": 2})


def test_partition_does_not_depend_on_the_order_of_the_links() -> None:
    rng = np.random.default_rng(3)
    rows = [
        (f"a{a:03d}", kind, f"{kind}{rng.integers(size)}")
        for a in range(60)
        for kind, size in (("payment", 12), ("ip", 20), ("skeleton", 6))
        if rng.random() < 0.5
    ]
    index = {f"a{a:03d}": a for a in range(60)}
    found = set()
    for seed in range(8):
        order = np.random.default_rng(seed).permutation(len(rows))
        clusters = partition(links([rows[i] for i in order]), index, 0, RESOLUTION)
        found.add(frozenset(frozenset(c.members) for c in clusters))
    assert len(found) == 1


def cluster_of(size: int, kinds: dict[str, int]) -> Cluster:
    return Cluster("c1", list(range(size)), Counter(kinds))


def test_coordination_is_a_noisy_or_of_weight_times_share() -> None:
    cluster = cluster_of(4, {"skeleton": 2, "ip": 4})
    expected = 1 - (1 - WEIGHTS["skeleton"] * 0.5) * (1 - WEIGHTS["ip"] * 1.0)
    assert coordination(cluster) == pytest.approx(expected)
    assert coordination(cluster, OPERATOR_KINDS) == pytest.approx(WEIGHTS["ip"])
    assert coordination(cluster_of(4, {})) == 0.0
    assert coordination(cluster_of(2, {"skeleton": 5})) == pytest.approx(WEIGHTS["skeleton"])


def test_cluster_score_rises_with_member_scores() -> None:
    cluster = cluster_of(10, {"skeleton": 10})
    results = [cluster_score(cluster, np.full(10, m), unverified=0.0).score for m in (0, 0.2, 0.5)]
    assert results[0] == 0.0
    assert results[0] < results[1] < results[2] < 1.0


def test_cluster_score_rises_with_size_when_coordinated() -> None:
    sizes = (2, 4, 16, 128)
    coordinated = [
        cluster_score(cluster_of(n, {"skeleton": n}), np.full(n, 0.2), 0.0).behaviour for n in sizes
    ]
    assert all(x < y for x, y in itertools.pairwise(coordinated))
    assert coordinated[0] > 0.2  # coordinated evidence adds up beyond the members' own
    loose = [cluster_score(cluster_of(n, {}), np.full(n, 0.2), 0.0).behaviour for n in sizes]
    assert loose == pytest.approx([0.2] * len(sizes))  # not coordinated: size adds nothing


def test_operator_side_needs_operator_links_and_is_lower_for_verified_members() -> None:
    ordinary = np.zeros(10)
    shared_card = cluster_of(10, {"payment": 10})
    unverified = cluster_score(shared_card, ordinary, unverified=1.0)
    verified = cluster_score(shared_card, ordinary, unverified=0.0)
    assert unverified.operator == pytest.approx(WEIGHTS["payment"])  # log10(10) = 1
    assert verified.operator == pytest.approx(WEIGHTS["payment"] * VERIFIED_OPERATOR)
    assert verified.score < unverified.score
    assert unverified.behaviour == 0.0  # members that look ordinary: all of it is operator
    assert unverified.score == pytest.approx(unverified.operator)
    template_only = cluster_score(cluster_of(10, {"skeleton": 10}), ordinary, 1.0)
    assert template_only.operator == 0.0


def test_operator_side_grows_with_size_up_to_ten_accounts() -> None:
    small = cluster_score(cluster_of(2, {"payment": 2}), np.zeros(2), 1.0).operator
    large = cluster_score(cluster_of(10, {"payment": 10}), np.zeros(10), 1.0).operator
    larger = cluster_score(cluster_of(100, {"payment": 100}), np.zeros(100), 1.0).operator
    assert small < large == larger


def test_link_reasons_one_per_kind_most_common_first() -> None:
    (cluster, _) = partition(TWO_GROUPS, INDEX, seed=0, resolution=RESOLUTION)
    reasons = link_reasons(cluster)
    assert [r["name"] for r in reasons] == ["payment", "skeleton"]
    payment, skeleton = reasons
    assert payment["kind"] == "link"
    assert payment["value"] == 1.0
    assert payment["evidence"] == pytest.approx(WEIGHTS["payment"])
    assert skeleton["value"] == pytest.approx(2 / 3, abs=1e-4)
    assert skeleton["evidence"] == pytest.approx(WEIGHTS["skeleton"] * 2 / 3, abs=1e-4)
    assert "pm_1 (3 accounts)" in payment["detail"]
    assert skeleton["examples"] == ["req_a_s1", "req_b_s1"]
