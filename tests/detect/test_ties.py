"""Member ties: what ties each member to its cluster, and the specific operator ties."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pytest

from distillguard.detect.links import OPERATOR_KINDS, WEIGHTS
from distillguard.detect.ties import OPERATOR_TIES, TIE_COUNTS, TOP_TIES, Ties, member_ties
from distillguard.schema.results import LINKS
from tests.detect.conftest import settings

SPECIFIC = settings().number("detect.specific")


def links(rows: Sequence[tuple[str, str, str, float]]) -> pa.Table:
    """``(account, kind, entity, specificity)`` per membership."""
    counts: dict[tuple[str, str], int] = {}
    for _, kind, entity, _ in rows:
        counts[(kind, entity)] = counts.get((kind, entity), 0) + 1
    return pa.table(
        {
            "account_id": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "entity": [r[2] for r in rows],
            "n_accounts": [counts[(r[1], r[2])] for r in rows],
            "example_request_id": [f"req_{r[0]}_{r[2]}" for r in rows],
            "specificity": [r[3] for r in rows],
        },
        schema=LINKS,
    )


def ties(
    rows: Sequence[tuple[str, str, str, float]],
    clusters: dict[str, int],
    fresh: Sequence[str] = (),
) -> tuple[Ties, dict[str, int]]:
    """The ties of the accounts of ``clusters`` (account -> cluster index, -1 for none)."""
    index = {a: i for i, a in enumerate(clusters)}
    cluster_of = np.array(list(clusters.values()), dtype=np.int64)
    is_fresh = np.array([a in fresh for a in clusters], dtype=bool)
    return member_ties(links(rows), index, cluster_of, is_fresh, SPECIFIC), index


def test_constants() -> None:
    assert OPERATOR_TIES == 2.0  # a card, or two addresses
    assert TIE_COUNTS["payment"] == 2.0
    assert TIE_COUNTS["ip"] == 1.0
    assert set(TIE_COUNTS) <= set(OPERATOR_KINDS)
    assert TIE_COUNTS["hosting_ip"] == 1.0  # once specific: the pool's own rented servers
    assert 0.0 < SPECIFIC <= 1.0


def test_only_the_strongest_tie_of_a_kind_counts() -> None:
    rows = [(a, "hosting_ip", f"203.0.113.{k}", 0.7) for a in ("a", "b") for k in range(20)]
    rows += [(a, "ip", "198.51.100.1", 0.75) for a in ("c", "d")]
    rows += [(a, "ip", "198.51.100.2", 1.0) for a in ("c", "d")]
    found, index = ties(rows, {"a": 0, "b": 0, "c": 1, "d": 1})
    # a bot sharing twenty cloud addresses with a pool is tied no more than by one of them
    assert found.tie[index["a"]] == pytest.approx(WEIGHTS["hosting_ip"] * 0.7)
    assert found.tie[index["c"]] == pytest.approx(WEIGHTS["ip"] * 1.0)


def test_kinds_combine_as_a_noisy_or() -> None:
    rows = [(a, "ip", "198.51.100.1", 1.0) for a in ("a", "b")]
    rows += [(a, "skeleton", "harness", 0.75) for a in ("a", "b", "c")]
    found, index = ties(rows, {"a": 0, "b": 0, "c": 0})
    expected = 1 - (1 - WEIGHTS["ip"]) * (1 - WEIGHTS["skeleton"] * 0.75)
    assert found.tie[index["a"]] == pytest.approx(expected)
    assert found.tie[index["c"]] == pytest.approx(WEIGHTS["skeleton"] * 0.75)
    assert ((found.tie >= 0) & (found.tie <= 1)).all()


def test_an_entity_clean_accounts_also_use_ties_no_one() -> None:
    """Below ``detect.specific`` (one clean, unrelated group also uses it) nothing counts:
    this is why a reference account, its own witness, is never carried by its links."""
    rows = [(a, "payment", "pm_company", SPECIFIC - 0.01) for a in ("a", "b")]
    rows += [(a, "skeleton", "benchmark", 0.5) for a in ("a", "b")]
    rows += [(a, "ip", "203.0.113.1", 0.5) for a in ("a", "b")]
    rows += [(a, "skeleton", "harness", SPECIFIC) for a in ("c", "d")]  # exactly: counts
    found, index = ties(rows, dict.fromkeys("abcd", 0), fresh=["a", "b"])
    assert found.tie[index["a"]] == 0.0
    assert found.operator[index["a"]] == 0.0
    assert found.reasons[index["a"]] == []
    assert found.tie[index["c"]] == pytest.approx(WEIGHTS["skeleton"] * SPECIFIC)


def test_a_tie_is_an_entity_shared_with_another_member_of_the_same_cluster() -> None:
    rows = [(a, "payment", "pm_1", 1.0) for a in ("a", "b", "outside", "other")]
    rows += [("a", "skeleton", "own", 1.0)]  # held by no one else
    found, index = ties(rows, {"a": 0, "outside": -1, "other": 1, "b": 0, "alone": -1})
    assert found.tie[index["a"]] == pytest.approx(WEIGHTS["payment"])
    assert found.tie[index["b"]] == pytest.approx(WEIGHTS["payment"])
    assert found.operator[index["a"]] == 2.0
    for account in ("outside", "other", "alone"):  # unclustered, or alone in its cluster
        assert found.tie[index[account]] == 0.0
        assert found.operator[index[account]] == 0.0
        assert found.reasons[index[account]] == []
    assert [r.name for r in found.reasons[index["a"]]] == ["payment"]


def test_accounts_not_scanned_are_ignored() -> None:
    rows = [(a, "payment", "pm_1", 1.0) for a in ("a", "ghost")]
    found, _ = ties(rows, {"a": 0, "b": 0})
    assert found.tie.tolist() == [0.0, 0.0]


def test_a_specific_card_counts_two_for_any_account() -> None:
    rows = [(a, "payment", "pm_1", 1.0) for a in ("old", "fresh")]
    rows += [(a, "payment", "pm_2", SPECIFIC - 0.01) for a in ("company", "colleague")]
    members = ("old", "fresh", "company", "colleague")
    found, index = ties(rows, dict.fromkeys(members, 0), fresh=["fresh"])
    assert found.operator[index["old"]] == OPERATOR_TIES  # a card carries on its own
    assert found.operator[index["fresh"]] == OPERATOR_TIES  # nothing added for being fresh
    assert found.operator[index["company"]] == 0.0  # a card clean accounts also use
    assert found.tie[index["company"]] == 0.0


def test_addresses_count_only_for_a_fresh_account_and_one_line_carries_no_one() -> None:
    pool = ("fresh", "fresh_two", "old_two", "fresh_weak", "fresh_cloud", "fresh_ci")
    rows = [(a, "ip", "198.51.100.1", 1.0) for a in ("fresh", "peer")]
    rows += [(a, "ip", f"198.51.100.{k}", 1.0) for a in ("fresh_two", "peer") for k in (2, 3)]
    rows += [(a, "ip", f"198.51.100.{k}", 1.0) for a in ("old_two", "peer") for k in (4, 5)]
    rows += [
        (a, "ip", f"203.0.113.{k}", SPECIFIC - 0.01) for a in ("fresh_weak", "peer") for k in (1, 2)
    ]
    # cloud addresses: ten suspects and no clean group (1 - 0.8 ** 10 = 0.89) ...
    rows += [
        (a, "hosting_ip", f"192.0.2.{k}", 0.89) for a in ("fresh_cloud", "peer") for k in (1, 2)
    ]
    # ... or a pool that CI runners of unrelated companies also use
    rows += [(a, "hosting_ip", f"192.0.3.{k}", 0.3) for a in ("fresh_ci", "peer") for k in (1, 2)]
    fresh = ["fresh", "fresh_two", "fresh_weak", "fresh_cloud", "fresh_ci"]
    found, index = ties(rows, {**dict.fromkeys(pool, 0), "peer": 0}, fresh=fresh)
    got = {a: float(found.operator[index[a]]) for a in pool}
    assert got == {
        "fresh": 1.0,  # one shared line never carries anyone
        "fresh_two": 2.0,  # rotating through two of the pool's addresses: carried
        "old_two": 0.0,  # an established account: its home line may be a proxy's exit
        "fresh_weak": 0.0,  # addresses clean accounts also use
        "fresh_cloud": 2.0,  # two of the pool's own rented servers: carried
        "fresh_ci": 0.0,  # cloud addresses shared by design: nothing
    }
    assert got["fresh_two"] >= OPERATOR_TIES > got["fresh"]
    assert found.operator[index["peer"]] == 0.0  # many specific addresses, but established
    assert found.tie[index["old_two"]] == pytest.approx(WEIGHTS["ip"])  # still tied
    assert found.tie[index["fresh_cloud"]] == pytest.approx(WEIGHTS["hosting_ip"] * 0.89)
    assert found.tie[index["fresh_ci"]] == 0.0


def test_reasons_name_the_entity_and_its_specificity() -> None:
    rows = [(a, "ip", "198.51.100.7", 0.75) for a in ("a", "b", "c")]
    rows += [(a, "payment", "pm_1", 1.0) for a in ("a", "b")]
    rows += [(a, "skeleton", "harness", 0.25) for a in ("a", "b")]  # unspecific: no tie
    rows += [(a, "network", "198.51.100.0/24", 1.0) for a in ("a", "b")]
    rows += [(a, "user_agent", "h/0.1", 1.0) for a in ("a", "b")]
    found, index = ties(rows, {"a": 0, "b": 0, "c": 0})
    reasons = found.reasons[index["a"]]
    assert len(reasons) == TOP_TIES
    assert [r.name for r in reasons] == ["payment", "ip", "network"]  # strongest first
    payment, ip, _ = reasons
    assert all(r.kind == "tie" for r in reasons)
    assert payment.evidence == payment.value == pytest.approx(WEIGHTS["payment"])
    assert ip.evidence == pytest.approx(WEIGHTS["ip"] * 0.75)
    assert ip.specificity == 0.75
    assert "198.51.100.7" in ip.detail
    assert "with 2 other member(s)" in ip.detail
    assert "specificity 0.75" in ip.detail
    assert "pm_1" in payment.detail
    assert "specificity 1.00" in payment.detail
    assert ip.examples == ("req_a_198.51.100.7",)
    (only,) = found.reasons[index["c"]]
    assert only.name == "ip"
    assert "with 2 other member(s)" in only.detail


def test_no_links() -> None:
    found, _ = ties([], {"a": 0, "b": -1})
    assert found.tie.tolist() == [0.0, 0.0]
    assert found.operator.tolist() == [0.0, 0.0]
    assert found.reasons == [[], []]
