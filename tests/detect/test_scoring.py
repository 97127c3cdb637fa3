"""Scoring: evidence ramps, the noisy-OR of families, the anomaly family, reasons."""

from __future__ import annotations

import numpy as np
import pytest

from distillguard.detect.baselines import Comparison
from distillguard.detect.core import Reason
from distillguard.detect.features import FEATURE_NAMES, FEATURES
from distillguard.detect.scoring import (
    FAMILY_WEIGHTS,
    Scores,
    account_reasons,
    anomaly_evidence,
    combine,
    feature_evidence,
    score_accounts,
)
from tests.detect.conftest import settings

N_FEATURES = len(FEATURES)


def comparison(z: np.ndarray, values: np.ndarray | None = None) -> Comparison:
    n = z.shape[0]
    return Comparison(
        values=np.zeros_like(z) if values is None else values,
        median=np.zeros_like(z),
        z=z,
        level=("tier",) * n,
        group=("free",) * n,
    )


def test_combine_is_a_weighted_noisy_or() -> None:
    result = combine(
        {
            "content": np.array([1.0, 0.5, 0.0]),
            "clock": np.array([1.0, 0.0, 0.0]),
            "identity": np.array([0.5, 0.0, 0.0]),
        }
    )
    expected_first = 1 - (1 - 0.9) * (1 - 0.2) * (1 - 0.3 * 0.5)
    assert result == pytest.approx([expected_first, 0.45, 0.0])


def test_only_content_reaches_a_high_score_alone() -> None:
    alone = {f: np.array([1.0]) for f in FAMILY_WEIGHTS}
    for family in FAMILY_WEIGHTS:
        score = combine({family: alone[family]})[0]
        assert score == pytest.approx(FAMILY_WEIGHTS[family])
        assert (score >= 0.8) == (family == "content")


def test_relative_evidence_ramps_between_z_start_and_z_full() -> None:
    s = settings()
    start, full = float(s["detect.z_start"]), float(s["detect.z_full"])
    j = FEATURE_NAMES.index("calls_per_day")
    z = np.zeros((5, N_FEATURES))
    z[:, j] = [-10.0, start, (start + full) / 2, full, 100.0]
    evidence = feature_evidence(comparison(z), np.full(5, 100.0), s)
    assert evidence[:, j] == pytest.approx([0.0, 0.0, 0.5, 1.0, 1.0])


def test_absolute_evidence_ramps_by_share_once_enough_calls_carry_it() -> None:
    s = settings()
    low, high = float(s["detect.content_min_share"]), float(s["detect.content_full_share"])
    j = FEATURE_NAMES.index("elicitation_share")
    values = np.zeros((4, N_FEATURES))
    values[:, j] = [low / 2, (low + high) / 2, high, 0.5]
    z = np.full((4, N_FEATURES), 1e6)  # ignored for absolute features
    evidence = feature_evidence(comparison(z, values), np.array([1000.0, 1000, 1000, 4]), s)
    assert evidence[:3, j] == pytest.approx([0.0, 0.5, 1.0])
    assert evidence[3, j] == 0.0  # 2 calls carry it: fewer than detect.content_min_calls


def test_anomaly_evidence_is_bounded_seeded_and_finds_the_outlier() -> None:
    rng = np.random.default_rng(1)
    z = rng.normal(0.0, 1.0, (300, N_FEATURES))
    z[0] = 15.0  # unusual in every way at once
    first = anomaly_evidence(comparison(z), seed=7)
    again = anomaly_evidence(comparison(z), seed=7)
    assert first.shape == (300,)
    assert ((first >= 0.0) & (first <= 1.0)).all()
    np.testing.assert_array_equal(first, again)
    assert first[0] == first.max()
    assert first[0] > 0.5
    assert np.median(first) == 0.0


def test_anomaly_evidence_with_fewer_than_two_accounts_is_zero() -> None:
    assert anomaly_evidence(comparison(np.full((1, N_FEATURES), 50.0)), seed=0).tolist() == [0.0]


def test_scores_have_every_family_and_stay_in_range() -> None:
    rng = np.random.default_rng(2)
    z = rng.normal(0.0, 3.0, (100, N_FEATURES))
    values = rng.uniform(0.0, 1.0, (100, N_FEATURES))
    scores = score_accounts(comparison(z, values), np.full(100, 50.0), settings())
    assert set(scores.families) == set(FAMILY_WEIGHTS)
    assert ((scores.score >= 0.0) & (scores.score <= 1.0)).all()
    assert ((scores.evidence >= 0.0) & (scores.evidence <= 1.0)).all()
    for family, values_ in scores.families.items():
        members = [j for j, f in enumerate(FEATURES) if f.family == family]
        if members:  # a family's score is its strongest feature's evidence
            np.testing.assert_array_equal(values_, scores.evidence[:, members].max(axis=1))


def scores_with(evidence: dict[str, float], anomaly: float = 0.0) -> Scores:
    matrix = np.zeros((1, N_FEATURES))
    for name, value in evidence.items():
        matrix[0, FEATURE_NAMES.index(name)] = value
    return Scores(matrix, {}, np.array([anomaly]), np.array([0.0]))


def test_reasons_are_sorted_by_weighted_evidence_and_capped() -> None:
    evidence = {
        "elicitation_share": 0.5,  # 0.45 after the content weight
        "hour_entropy": 1.0,  # 0.2
        "refusal_share": 0.9,  # 0.315
        "n_ips": 0.1,  # 0.03
        "foreign_share": 0.0,  # no evidence: never a reason
    }
    examples = {"ex_elicitation": ["req_e"], "ex_refusal": ["req_r"]}
    scores = scores_with(evidence, anomaly=0.4)  # 0.1
    comp = comparison(np.zeros((1, N_FEATURES)))
    reasons = account_reasons(0, comp, scores, examples, limit=10)
    assert all(isinstance(r, Reason) for r in reasons)
    assert [r.name for r in reasons] == [
        "elicitation_share",
        "refusal_share",
        "hour_entropy",
        "isolation_forest",
        "n_ips",
    ]
    strengths = [r.evidence or 0.0 for r in reasons]
    assert strengths == sorted(strengths, reverse=True)
    assert reasons[0].evidence == pytest.approx(0.45)
    assert reasons[0].kind == "signal"
    assert reasons[0].family == "content"
    assert reasons[0].z is None  # an absolute feature has no z-score
    assert reasons[0].peer == "free"
    assert reasons[0].examples == ("req_e",)
    assert reasons[1].examples == ("req_r",)
    assert reasons[2].examples == ()  # a clock feature has no example call
    assert reasons[2].kind == "feature"
    assert reasons[2].z == 0.0
    assert reasons[3].kind == "anomaly"
    assert reasons[3].evidence == pytest.approx(0.1)
    assert all(r.detail for r in reasons)
    assert all(r.specificity is None for r in reasons)  # for ties and links only
    capped = account_reasons(0, comp, scores, examples, limit=2)
    assert [r.name for r in capped] == ["elicitation_share", "refusal_share"]


def test_no_evidence_no_reasons() -> None:
    comp = comparison(np.zeros((1, N_FEATURES)))
    assert account_reasons(0, comp, scores_with({}), {}, limit=8) == []
