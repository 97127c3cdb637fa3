"""Clusters: Leiden over the specificity-weighted account-entity graph, coordination, reasons."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pyarrow as pa
import pytest

from distillguard.detect.clusters import Cluster, coordination, link_reasons, partition
from distillguard.detect.core import Reason
from distillguard.detect.links import OPERATOR_KINDS, WEIGHTS
from distillguard.schema.results import LINKS
from tests.detect.conftest import settings

ACCOUNTS = ("a", "b", "c", "d", "e", "f", "g")
RESOLUTION = float(settings()["detect.leiden_resolution"])
INDEX = {a: i for i, a in enumerate(ACCOUNTS)}

Row = tuple[str, str, str] | tuple[str, str, str, float]


def links(rows: list[Row], example: bool = True) -> pa.Table:
    """A links table; a row's fourth field is the entity's specificity (default 1)."""
    return pa.table(
        {
            "account_id": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "entity": [r[2] for r in rows],
            "n_accounts": [2] * len(rows),
            "example_request_id": [f"req_{r[0]}_{r[2]}" if example else None for r in rows],
            "specificity": [float(r[3]) if len(r) > 3 else 1.0 for r in rows],
        },
        schema=LINKS,
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
    assert first.strength == {"payment": 3.0, "skeleton": 2.0}  # every entity fully specific


def test_partition_is_seeded() -> None:
    rows: list[Row] = [(a, "skeleton", "s1") for a in ACCOUNTS[:4]]
    rows += [(a, "ip", "x") for a in ACCOUNTS[3:]]
    first = partition(links(rows), INDEX, seed=5, resolution=RESOLUTION)
    again = partition(links(rows), INDEX, seed=5, resolution=RESOLUTION)
    assert [c.members for c in first] == [c.members for c in again]


def test_partition_of_no_links() -> None:
    assert partition(links([]), INDEX, seed=0, resolution=RESOLUTION) == []


def test_partition_keeps_at_most_three_examples_per_kind() -> None:
    rows: list[Row] = [(a, "skeleton", "s1") for a in ACCOUNTS]
    (cluster,) = partition(links(rows), INDEX, seed=0, resolution=RESOLUTION)
    assert len(cluster.members) == len(ACCOUNTS)
    assert len(cluster.examples["skeleton"]) == 3


def test_partition_counts_every_entity_a_member_shares() -> None:
    rows: list[Row] = [("a", "skeleton", "s1", 0.25), ("b", "skeleton", "s1", 0.25)]
    rows += [("a", "skeleton", "s2", 1.0), ("b", "skeleton", "s2", 1.0)]
    (cluster,) = partition(links(rows), INDEX, seed=0, resolution=RESOLUTION)
    assert cluster.kinds == Counter({"skeleton": 2})  # members with a link of the kind
    assert cluster.entities["skeleton"] == Counter({"s1": 2, "s2": 2})
    # each member counts by its most specific link of the kind, whatever the order
    assert cluster.strength == {"skeleton": 2.0}


def test_partition_does_not_depend_on_the_order_of_the_links() -> None:
    rng = np.random.default_rng(3)
    rows: list[Row] = [
        (f"a{a:03d}", kind, f"{kind}{rng.integers(size)}", float(rng.choice([0.2, 0.5, 1.0])))
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


def test_an_unspecific_entity_does_not_glue_bystanders_to_a_campaign() -> None:
    """Edges weigh weight x specificity: an address clean accounts also use barely counts."""
    pool = [f"p{k}" for k in range(6)]
    index = {a: i for i, a in enumerate([*pool, "ci1", "ci2"])}

    def groups(egress: float) -> list[list[int]]:
        rows: list[Row] = [(p, "skeleton", "harness", 1.0) for p in pool]
        # two CI bots share the pool's cloud egress address, and their own client
        rows += [(x, "hosting_ip", "203.0.113.9", egress) for x in (*pool, "ci1", "ci2")]
        rows += [(x, "user_agent", "ci-runner/2", 1.0) for x in ("ci1", "ci2")]
        clusters = partition(links(rows), index, seed=0, resolution=RESOLUTION)
        return sorted(sorted(c.members) for c in clusters)

    assert groups(1.0) == [list(range(8))]  # a specific address: one community
    assert groups(0.2) == [list(range(6)), [6, 7]]  # shared by design: the bots stay apart


def cluster_of(size: int, strength: dict[str, float]) -> Cluster:
    kinds = Counter({k: max(1, round(v)) for k, v in strength.items()})
    return Cluster("c1", list(range(size)), kinds, dict(strength))


def test_coordination_is_a_noisy_or_of_weight_times_share() -> None:
    cluster = cluster_of(4, {"skeleton": 2.0, "ip": 4.0})
    expected = 1 - (1 - WEIGHTS["skeleton"] * 0.5) * (1 - WEIGHTS["ip"] * 1.0)
    assert coordination(cluster) == pytest.approx(expected)
    assert coordination(cluster, OPERATOR_KINDS) == pytest.approx(WEIGHTS["ip"])
    assert coordination(cluster_of(4, {})) == 0.0
    assert coordination(cluster_of(2, {"skeleton": 5.0})) == pytest.approx(WEIGHTS["skeleton"])


def test_coordination_counts_members_by_the_specificity_of_their_links() -> None:
    specific = coordination(cluster_of(4, {"payment": 4.0}))
    half = coordination(cluster_of(4, {"payment": 2.0}))  # four members at specificity 0.5
    public = coordination(cluster_of(4, {"payment": 0.0}))  # only what clean accounts use
    assert specific == pytest.approx(WEIGHTS["payment"])
    assert half == pytest.approx(WEIGHTS["payment"] * 0.5)
    assert public == 0.0


def test_coordination_from_a_partition_follows_specificity() -> None:
    rows: list[Row] = [(a, "payment", "pm", 0.5) for a in ("a", "b", "c", "d")]
    (cluster,) = partition(links(rows), INDEX, seed=0, resolution=RESOLUTION)
    assert cluster.strength == {"payment": 2.0}
    assert coordination(cluster) == pytest.approx(WEIGHTS["payment"] * 0.5)
    assert coordination(cluster, ("skeleton",)) == 0.0


def test_link_reasons_one_per_kind_most_common_first() -> None:
    (cluster, _) = partition(TWO_GROUPS, INDEX, seed=0, resolution=RESOLUTION)
    reasons = link_reasons(cluster)
    assert all(isinstance(r, Reason) for r in reasons)
    assert [r.name for r in reasons] == ["payment", "skeleton"]
    payment, skeleton = reasons
    assert payment.kind == "link"
    assert payment.value == 1.0
    assert payment.evidence == pytest.approx(WEIGHTS["payment"])
    assert payment.specificity == 1.0
    assert skeleton.value == pytest.approx(2 / 3, abs=1e-4)
    assert skeleton.evidence == pytest.approx(WEIGHTS["skeleton"] * 2 / 3, abs=1e-4)
    assert "pm_1 (3 accounts)" in payment.detail
    assert "mean specificity 1.00" in payment.detail
    assert skeleton.examples == ("req_a_s1", "req_b_s1")


def test_link_reasons_weigh_evidence_by_specificity() -> None:
    rows: list[Row] = [(a, "payment", "pm", 0.5) for a in ("a", "b", "c", "d")]
    (cluster,) = partition(links(rows), INDEX, seed=0, resolution=RESOLUTION)
    (reason,) = link_reasons(cluster)
    assert reason.value == 1.0  # every member is linked ...
    assert reason.specificity == 0.5  # ... by an entity one clean account also uses
    assert reason.evidence == pytest.approx(WEIGHTS["payment"] * 0.5)
    assert "mean specificity 0.50" in reason.detail
