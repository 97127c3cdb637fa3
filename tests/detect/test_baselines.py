"""Peer baselines: the peer level each account is compared at, the reference set, sigma."""

from __future__ import annotations

import numpy as np
import pytest

from distillguard.detect.baselines import LEVELS, compare
from distillguard.detect.features import FEATURE_NAMES, FEATURES

MIN_PEERS = 30
CHAT = "/v1/chat/completions"
MESSAGES = "/v1/messages"


def column(name: str) -> int:
    return FEATURE_NAMES.index(name)


def peer_values(n: int, seed: int = 0) -> np.ndarray:
    """``n`` ordinary accounts: shares near 0.1, counts near 5, with a little noise."""
    rng = np.random.default_rng(seed)
    values = np.empty((n, len(FEATURES)))
    for j, feature in enumerate(FEATURES):
        center = 5.0 if feature.log else 0.1
        values[:, j] = np.abs(rng.normal(center, center * 0.05, n))
    return values


def test_levels_fall_back_from_finest_to_all() -> None:
    peers = (
        [f"free/none/{CHAT}"] * 40  # a full group of its own
        + [f"free/none/{MESSAGES}"] * 5  # too few: tier/programme (45 accounts)
        + [f"free/research/{CHAT}"] * 5  # too few, and so is free/research: tier (50)
        + [f"enterprise/none/{CHAT}"] * 3  # too few at every level: all accounts
    )
    result = compare(peer_values(len(peers)), peers, np.ones(len(peers), bool), MIN_PEERS)
    assert result.level[:40] == ("tier/program/endpoint",) * 40
    assert result.group[0] == f"free/none/{CHAT}"
    assert result.level[40:45] == ("tier/program",) * 5
    assert result.group[40] == "free/none"
    assert result.level[45:50] == ("tier",) * 5
    assert result.group[45] == "free"
    assert result.level[50:] == ("all",) * 3
    assert result.group[50] == "all"
    assert set(result.level) <= set(LEVELS)


def test_only_reference_accounts_count_towards_min_peers() -> None:
    peers = [f"free/none/{CHAT}"] * 40 + [f"free/none/{MESSAGES}"] * 40
    reference = np.ones(80, bool)
    reference[40:] = False  # the messages group is all content-carrying accounts
    reference[40:45] = True  # ... but five
    result = compare(peer_values(80), peers, reference, MIN_PEERS)
    assert result.level[40:] == ("tier/program",) * 40


def test_accounts_with_content_evidence_are_left_out_of_the_reference() -> None:
    j = column("hosting_share")
    values = peer_values(60)
    values[40:, j] = 1.0  # a third of the group: a campaign from cloud addresses
    peers = [f"build/none/{CHAT}"] * 60
    clean = np.ones(60, bool)
    clean[40:] = False
    separated = compare(values, peers, clean, MIN_PEERS)
    assert separated.median[45, j] == pytest.approx(0.1, abs=0.02)
    assert separated.z[45, j] > 8
    # were the campaign part of its own baseline, it would be far less anomalous
    mixed = compare(values, peers, np.ones(60, bool), MIN_PEERS)
    assert mixed.z[45, j] < 3


def test_a_minority_at_the_extreme_does_not_make_the_extreme_anomalous() -> None:
    j = column("hosting_share")
    values = peer_values(100)
    values[:95, j] = 0.0  # people: never from hosting addresses
    values[95:, j] = 1.0  # 5% server-side workloads among them
    peers = [f"free/none/{CHAT}"] * 100
    result = compare(values, peers, np.ones(100, bool), MIN_PEERS)
    assert result.median[0, j] == 0.0
    assert result.z[99, j] < 3  # at the peers' own 99th percentile: not anomalous


def test_a_lone_account_at_the_extreme_is_anomalous() -> None:
    j = column("hosting_share")
    values = peer_values(200)
    values[:, j] = 0.0
    values[199, j] = 1.0  # 0.5%: beyond the peers' 99th percentile
    peers = [f"free/none/{CHAT}"] * 200
    result = compare(values, peers, np.ones(200, bool), MIN_PEERS)
    assert result.z[199, j] > 8


def test_sign_follows_the_suspicious_direction_and_log_features_report_raw_medians() -> None:
    values = peer_values(50)
    low, log_feature = column("interarrival_cv"), column("calls_per_day")
    assert not FEATURES[low].higher
    assert FEATURES[log_feature].log
    values[0, low] = 0.0  # machine-regular: low is suspicious
    values[1, low] = 5.0
    values[2, log_feature] = 5000.0
    result = compare(values, [f"free/none/{CHAT}"] * 50, np.ones(50, bool), MIN_PEERS)
    assert result.z[0, low] > 0
    assert result.z[1, low] < 0
    assert result.z[2, log_feature] > 3
    assert result.median[0, log_feature] == pytest.approx(5.0, rel=0.05)  # not log1p(5)


def test_missing_values_compare_as_zero() -> None:
    values = peer_values(40)
    values[0, :] = np.nan
    result = compare(values, [f"free/none/{CHAT}"] * 40, np.ones(40, bool), MIN_PEERS)
    assert np.isfinite(result.z).all()
    assert (result.values[0] == 0.0).all()
