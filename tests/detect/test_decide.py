"""Deciding: own evidence, a cluster's two sides over its core, every verdict path, labels."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from distillguard.detect.decide import (
    VERIFIED_OPERATOR,
    AccountEvidence,
    ClusterEvidence,
    Decisions,
    Policy,
    cluster_sides,
    decide,
    own_evidence,
)
from distillguard.detect.ties import OPERATOR_TIES
from tests.detect.conftest import settings

P = Policy.from_settings(settings())


def test_policy_comes_from_the_settings() -> None:
    custom = Policy.from_settings(
        settings(**{"detect.account_threshold": 0.5, "detect.member_tie": 0.6})
    )
    assert custom.account == 0.5
    assert custom.member_tie == 0.6
    assert custom.cluster == P.cluster
    assert 0 < P.member_floor < P.account
    assert 0 < P.member_tie <= 1
    assert 0 < P.content_share <= 1
    assert 0 < P.operator <= 1


def accounts(*rows: dict[str, Any]) -> AccountEvidence:
    """Per-account evidence; each row gives what differs from an ordinary, unlinked account."""
    full = [
        {
            "score": 0.0,
            "content": False,
            "unverified": 0.0,
            "tie": 0.0,
            "operator_ties": 0.0,
            "cluster": -1,
            "label": None,
            "fresh": False,
            "operator_links": 0,
            "sync_observed": 0.0,
            "sync_expected": 0.0,
            **row,
        }
        for row in rows
    ]
    return AccountEvidence(
        np.array([r["score"] for r in full], dtype=np.float64),
        np.array([r["content"] for r in full], dtype=bool),
        np.array([r["unverified"] for r in full], dtype=np.float64),
        np.array([r["tie"] for r in full], dtype=np.float64),
        np.array([r["operator_ties"] for r in full], dtype=np.float64),
        np.array([r["cluster"] for r in full], dtype=np.int64),
        [r["label"] for r in full],
        np.array([r["fresh"] for r in full], dtype=bool),
        np.array([r["operator_links"] for r in full], dtype=np.int64),
        np.array([r["sync_observed"] for r in full], dtype=np.float64),
        np.array([r["sync_expected"] for r in full], dtype=np.float64),
    )


def clusters(*coordination: tuple[float, float]) -> ClusterEvidence:
    """``(coordination, operator coordination)`` per cluster."""
    return ClusterEvidence(
        np.array([c for c, _ in coordination], dtype=np.float64),
        np.array([o for _, o in coordination], dtype=np.float64),
    )


NONE = clusters()
STRONG = {"score": 0.9, "tie": 0.9, "content": True}  # a core member with content signals


# -- own evidence -----------------------------------------------------------------------------


def test_own_evidence_needs_a_score_and_a_tie_or_specific_operator_ties() -> None:
    found = own_evidence(
        accounts(
            {"score": P.member_floor, "tie": P.member_tie, "cluster": 0},  # both reach: in
            {"score": P.member_floor, "tie": P.member_tie - 0.01, "cluster": 0},  # weak tie
            {"score": P.member_floor - 0.01, "tie": 1.0, "cluster": 0},  # ordinary behaviour
            {"score": 0.0, "operator_ties": OPERATOR_TIES, "cluster": 0},  # a card: in
            {"score": 0.0, "operator_ties": OPERATOR_TIES - 1, "cluster": 0},  # one address
            {"score": 1.0, "tie": 1.0, "operator_ties": 5.0, "cluster": -1},  # in no cluster
        ),
        P,
    )
    assert found.tolist() == [True, False, False, True, False, False]


# -- a cluster's two sides --------------------------------------------------------------------


def test_sides_of_an_empty_core_are_zero() -> None:
    assert cluster_sides(1.0, 1.0, np.zeros(0), np.zeros(0)) == (0.0, 0.0, 0.0)


def test_behaviour_rises_with_the_core_scores() -> None:
    results = [cluster_sides(0.8, 0.0, np.full(10, m), np.zeros(10))[2] for m in (0, 0.2, 0.5)]
    assert results[0] == 0.0
    assert results[0] < results[1] < results[2] < 1.0


def test_behaviour_rises_with_size_when_coordinated() -> None:
    sizes = (2, 4, 16, 128)
    coordinated = [cluster_sides(0.8, 0.0, np.full(n, 0.2), np.zeros(n))[0] for n in sizes]
    assert all(x < y for x, y in itertools.pairwise(coordinated))
    assert coordinated[0] > 0.2  # coordinated evidence adds up beyond the members' own
    assert coordinated[0] == pytest.approx(1 - 0.8 ** (1 + 0.8 * math.log2(2) / 2))
    loose = [cluster_sides(0.0, 0.0, np.full(n, 0.2), np.zeros(n))[0] for n in sizes]
    assert loose == pytest.approx([0.2] * len(sizes))  # not coordinated: size adds nothing


def test_operator_side_needs_operator_links_and_is_lower_for_verified_members() -> None:
    ordinary = np.zeros(10)
    b_u, o_u, s_u = cluster_sides(1.0, 1.0, ordinary, np.ones(10))
    _, o_v, s_v = cluster_sides(1.0, 1.0, ordinary, np.zeros(10))
    assert o_u == pytest.approx(1.0)  # log10(10) = 1, every member unverified
    assert o_v == pytest.approx(VERIFIED_OPERATOR)
    assert s_v < s_u
    assert b_u == 0.0  # members that look ordinary: all of it is operator
    assert s_u == pytest.approx(o_u)
    template_only = cluster_sides(0.8, 0.0, ordinary, np.ones(10))
    assert template_only[1] == 0.0
    half = cluster_sides(1.0, 1.0, ordinary, np.array([1.0] * 5 + [0.0] * 5))[1]
    assert half == pytest.approx(VERIFIED_OPERATOR + (1 - VERIFIED_OPERATOR) * 0.5)


def test_fresh_accounts_count_as_disposable_identities_on_the_operator_side() -> None:
    """A pool can pass verification on accounts it just bought: fresh counts as unverified."""
    pool = [{"operator_ties": OPERATOR_TIES, "cluster": 0} for _ in range(10)]
    verified = run(accounts(*pool), clusters((1.0, 1.0)))
    fresh = run(accounts(*({**m, "fresh": True} for m in pool)), clusters((1.0, 1.0)))
    unverified = run(accounts(*({**m, "unverified": 1.0} for m in pool)), clusters((1.0, 1.0)))
    both = run(
        accounts(*({**m, "unverified": 1.0, "fresh": True} for m in pool)), clusters((1.0, 1.0))
    )
    assert verified.cluster_operator[0] == pytest.approx(VERIFIED_OPERATOR)
    assert fresh.cluster_operator[0] == pytest.approx(1.0)
    assert unverified.cluster_operator[0] == both.cluster_operator[0] == pytest.approx(1.0)
    assert not verified.cluster_flagged[0]  # one verified operator's team: not on its own
    assert fresh.cluster_flagged[0]


def test_operator_side_grows_with_size_up_to_ten_accounts() -> None:
    small, large, larger = (
        cluster_sides(0.0, 1.0, np.zeros(n), np.ones(n))[1] for n in (2, 10, 100)
    )
    assert small == pytest.approx(math.log10(2))
    assert small < large == larger


# -- verdicts ---------------------------------------------------------------------------------


def run(evidence: AccountEvidence, found: ClusterEvidence, policy: Policy = P) -> Decisions:
    return decide(evidence, found, policy)


def test_a_cluster_is_flagged_on_content_or_on_its_operator_side() -> None:
    pool = {"operator_ties": OPERATOR_TIES, "unverified": 1.0}  # ordinary calls, one card
    members = [
        *({**STRONG, "cluster": 0} for _ in range(2)),  # 0: content, coordinated
        *({**pool, "cluster": 1} for _ in range(10)),  # 1: a relay pool behind one card
        *({"score": 0.9, "tie": 0.9, "cluster": 2} for _ in range(4)),  # 2: no decisive evidence
        *({**STRONG, "score": 0.35, "cluster": 3} for _ in range(2)),  # 3: content, low score
    ]
    result = run(accounts(*members), clusters((0.8, 0.0), (1.0, 1.0), (0.8, 0.3), (0.3, 0.0)))
    assert result.cluster_flagged.tolist() == [True, True, False, False]
    assert result.cluster_core.tolist() == [2, 10, 4, 2]
    assert result.cluster_content_share.tolist() == [1.0, 0.0, 0.0, 1.0]
    assert result.cluster_operator[1] >= P.operator
    assert result.cluster_score[2] >= P.cluster  # high score, yet neither content nor operator
    assert result.cluster_score[3] < P.cluster
    assert result.verdict == ["campaign"] * 12 + ["suspicious"] * 4 + ["clear"] * 2
    assert result.cluster_flagged_members.tolist() == [2, 10, 0, 0]


def test_a_cluster_needs_a_core_of_two() -> None:
    lone = accounts({**STRONG, "score": 0.79, "cluster": 0}, {"score": 0.0, "cluster": 0})
    result = run(lone, clusters((1.0, 1.0)))
    assert result.cluster_core.tolist() == [1]
    assert not result.cluster_flagged.any()
    assert result.verdict == ["clear", "clear"]


def test_a_cluster_is_judged_on_its_core_not_its_bystanders() -> None:
    core = [{**STRONG, "cluster": 0} for _ in range(3)]
    # bystanders: a CI bot on the pool's cloud egress, an evaluator sending its benchmark
    # prompt, a person whose home line is a proxy exit, one with a decent score but weak ties
    bystanders = [
        {"score": 0.0, "tie": 0.08, "cluster": 0},
        {"score": 0.1, "tie": 0.4, "cluster": 0},
        {"score": 0.2, "operator_ties": 1.0, "tie": 0.6, "cluster": 0},
        {"score": 0.5, "tie": 0.2, "cluster": 0},
    ]
    few = run(accounts(*core), clusters((0.8, 0.0)))
    many = run(accounts(*core, *(bystanders * 10)), clusters((0.8, 0.0)))
    assert few.cluster_score[0] == pytest.approx(many.cluster_score[0])
    assert many.cluster_flagged.tolist() == [True]
    assert many.cluster_core.tolist() == [3]
    assert many.core.tolist() == [True] * 3 + [False] * 40
    assert many.verdict == ["campaign"] * 3 + ["clear"] * 40
    assert many.cluster_flagged_members.tolist() == [3]


def test_members_of_a_flagged_cluster() -> None:
    result = run(
        accounts(
            {**STRONG, "cluster": 0},
            {**STRONG, "cluster": 0},
            {"score": P.member_floor, "tie": P.member_tie, "cluster": 0},  # own evidence
            {"score": 0.0, "operator_ties": OPERATOR_TIES, "cluster": 0},  # a card
            {"score": P.member_floor - 0.01, "tie": 1.0, "cluster": 0},  # popular prompt only
            {"score": P.account, "tie": 0.0, "cluster": 0},  # suspicious alone, not tied
        ),
        clusters((0.8, 0.3)),
    )
    assert result.cluster_flagged.tolist() == [True]
    assert result.verdict == ["campaign"] * 4 + ["clear", "suspicious"]
    assert result.flagged.tolist() == [True] * 4 + [False, True]


def test_accounts_on_their_own() -> None:
    result = run(
        accounts(
            {"score": P.account},
            {"score": P.account - 0.01, "operator_ties": 5.0},
            {"score": 1.0},
            {"score": 0.0},
        ),
        NONE,
    )
    assert result.verdict == ["suspicious", "clear", "suspicious", "clear"]
    assert result.flagged.tolist() == [True, False, True, False]
    assert result.cluster_flagged.shape == (0,)
    assert result.model_verdict == result.verdict


def test_suspicious_inside_an_unflagged_cluster() -> None:
    result = run(accounts({"score": 0.95, "cluster": 0}), clusters((0.0, 0.0)))
    assert result.verdict == ["suspicious"]


def test_labels_win_and_the_model_verdict_is_kept() -> None:
    result = run(
        accounts(
            {**STRONG, "cluster": 0, "label": "benign"},
            {**STRONG, "cluster": 0},
            {**STRONG, "cluster": 0},
            {"score": 0.95, "label": "benign"},
            {"score": 0.0, "label": "campaign"},  # an analyst's decision, evidence or not
            {"score": 0.0, "cluster": 0, "label": "campaign"},
        ),
        clusters((0.8, 0.0)),
    )
    assert result.model_verdict == ["campaign"] * 3 + ["suspicious", "clear", "clear"]
    assert result.verdict == ["clear", "campaign", "campaign", "clear", "campaign", "campaign"]
    assert result.flagged.tolist() == [False, True, True, False, True, True]
    # a benign member still counts towards its cluster's core (the evidence is what it is)
    assert result.cluster_core.tolist() == [3]
    assert result.cluster_flagged_members.tolist() == [3]  # members whose verdict is campaign


@pytest.mark.parametrize(("threshold", "expected"), [(0.5, [True, True]), (0.95, [False, False])])
def test_changing_a_threshold_changes_verdicts(threshold: float, expected: list[bool]) -> None:
    result = run(accounts({"score": 0.6}, {"score": 0.9}), NONE, replace(P, account=threshold))
    assert result.flagged.tolist() == expected


def test_a_higher_member_tie_leaves_weakly_tied_members_out() -> None:
    members = accounts(*({**STRONG, "tie": 0.5, "cluster": 0} for _ in range(3)))
    assert run(members, clusters((0.8, 0.0))).verdict == ["campaign"] * 3
    stricter = run(members, clusters((0.8, 0.0)), replace(P, member_tie=0.6))
    assert stricter.cluster_core.tolist() == [0]
    assert stricter.verdict == ["suspicious"] * 3  # flagged on their own scores still
