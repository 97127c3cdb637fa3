"""Deciding: every verdict path, with the default thresholds."""

from __future__ import annotations

import numpy as np
import pytest

from distillguard.detect.decide import ClusterEvidence, Decisions, Thresholds, decide
from tests.detect.conftest import settings

T = Thresholds.from_settings(settings())


def test_thresholds_come_from_the_settings() -> None:
    custom = Thresholds.from_settings(settings(**{"detect.account_threshold": 0.5}))
    assert custom.account == 0.5
    assert custom.cluster == T.cluster
    assert 0 < T.member_floor < T.account


# clusters: 0 flagged on content, 1 flagged on its operator side, 2 high score without
# decisive evidence, 3 decisive evidence below the cluster threshold
CLUSTERS = ClusterEvidence(
    score=np.array([T.cluster + 0.1, T.cluster, 0.99, T.cluster - 0.01]),
    operator=np.array([0.0, T.operator, T.operator - 0.01, 0.9]),
    content_share=np.array([T.content_share, 0.0, T.content_share - 0.01, 1.0]),
)


def run(scores: list[float], linked: list[bool], cluster_of: list[int]) -> Decisions:
    return decide(
        np.array(scores),
        np.array(linked),
        CLUSTERS,
        np.array(cluster_of, dtype=np.int64),
        T,
    )


def test_cluster_verdicts() -> None:
    result = run([0.0] * 4, [False] * 4, [0, 1, 2, 3])
    assert result.cluster_flagged.tolist() == [True, True, False, False]


def test_members_of_a_flagged_cluster() -> None:
    result = run(
        [T.member_floor, T.member_floor - 0.01, T.member_floor - 0.01, T.account + 0.1],
        [False, True, False, False],
        [0, 0, 0, 0],
    )
    assert result.verdict == [
        "campaign",  # its own score reaches the member floor
        "campaign",  # below the floor, but an operator link ties it to the cluster
        "clear",  # only sends the pool's popular prompt: not swept in
        "campaign",  # suspicious on its own too; the campaign verdict wins
    ]
    assert result.flagged.tolist() == [True, True, False, True]


def test_members_of_a_cluster_without_decisive_evidence_are_not_flagged() -> None:
    result = run([0.5, 0.5, 0.5], [True, True, True], [2, 3, 2])
    assert result.verdict == ["clear"] * 3
    assert not result.flagged.any()


def test_accounts_on_their_own() -> None:
    result = run([T.account, T.account - 0.01, 1.0, 0.0], [False, True, False, False], [-1] * 4)
    assert result.verdict == ["suspicious", "clear", "suspicious", "clear"]
    assert result.flagged.tolist() == [True, False, True, False]


def test_suspicious_inside_an_unflagged_cluster() -> None:
    result = run([0.95], [False], [2])
    assert result.verdict == ["suspicious"]


def test_no_clusters() -> None:
    empty = ClusterEvidence(np.zeros(0), np.zeros(0), np.zeros(0))
    result = decide(np.array([0.9, 0.1]), np.array([False, False]), empty, np.array([-1, -1]), T)
    assert result.verdict == ["suspicious", "clear"]
    assert result.cluster_flagged.shape == (0,)


@pytest.mark.parametrize(("threshold", "expected"), [(0.5, [True, True]), (0.95, [False, False])])
def test_changing_a_threshold_changes_verdicts(threshold: float, expected: list[bool]) -> None:
    custom = Thresholds(threshold, T.cluster, T.member_floor, T.content_share, T.operator)
    empty = ClusterEvidence(np.zeros(0), np.zeros(0), np.zeros(0))
    result = decide(
        np.array([0.6, 0.9]), np.array([False, False]), empty, np.array([-1, -1]), custom
    )
    assert result.flagged.tolist() == expected
