"""Population profiles: every kind is valid, overrides are checked."""

from __future__ import annotations

import pickle

import pytest

from distillguard.simulate.populations import (
    BENIGN_KINDS,
    CAMPAIGN_KINDS,
    KINDS,
    ProfileError,
    profile,
)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_is_a_valid_profile(kind: str) -> None:
    result = profile(kind)
    assert result.campaign == (kind in CAMPAIGN_KINDS)
    pickle.loads(pickle.dumps(result))  # plans travel to worker processes


def test_kinds_cover_the_issue() -> None:
    assert len(BENIGN_KINDS) >= 5
    assert len(CAMPAIGN_KINDS) >= 5
    assert {"eval_suite", "ci_bot", "migration", "gateway", "synthetic_data"} <= set(BENIGN_KINDS)


def test_overrides_apply() -> None:
    result = profile("casual", {"turns": 5, "billing": {"JP": 1}, "timing": "flat"})
    assert result.turns == 5.0
    assert dict(result.billing) == {"JP": 1.0}
    assert result.timing == "flat"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"turnz": 2}, "unknown knob 'turnz'"),
        ({"turns": "many"}, "turns must be a number"),
        ({"turns": 0.5}, "turns must be at least 1"),
        ({"timing": "sometimes"}, "timing must be one of"),
        ({"billing": {}}, "billing must be a non-empty table"),
        ({"billing": {"US": -1}}, "billing.US must be a weight"),
        ({"verified": 1.5}, "verified must lie in"),
        ({"start": 0.6, "end": 0.5}, "start must come before end"),
        ({"endpoints": {"/v1/embeddings": 1}}, "unknown endpoints"),
        ({"networks": {"satellite": 1}}, "unknown networks"),
        ({"n": 0}, "n must be at least 1"),
        ({"ips_per_account": 0}, "ips_per_account must be at least 1"),
        ({"agents_per_account": 0}, "agents_per_account must be at least 1"),
        ({"gap_s": 0}, "gap_s must be more than 0"),
        ({"campaign": "yes"}, "campaign must be true or false"),
    ],
)
def test_bad_overrides_are_named(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        profile("casual", overrides)


def test_unknown_kind() -> None:
    with pytest.raises(ProfileError, match="unknown kind 'hackers'"):
        profile("hackers")
