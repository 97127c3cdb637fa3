"""Account features: exact values on hand-made accounts with known timestamps."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import pytest

from distillguard.detect.aggregates import ADOPTION_MIN_CALLS
from distillguard.detect.features import (
    FEATURE_NAMES,
    FEATURES,
    Feature,
    account_features,
    accounts_table,
)
from tests.detect.conftest import T0, account_rows, at, calls_expr, calls_of, run


def call(account: str, hours: float, **fields: Any) -> dict[str, Any]:
    return {"account_id": account, "ts": at(hours), **fields}


SKELETONS = ["alpha"] * 4 + ["beta"] * 2 + ["gamma"] * 2 + ["delta", "epsilon"]

ROWS = [
    *(call("night", 3 + 24 * d) for d in range(6)),  # always at 03:00
    *(call("flat", h + 0.5) for h in range(24)),  # once in every hour of one day
    *(call("idle", h) for h in (0, 1, 5, 5.5)),  # gaps 1, 4, 0.5 hours; hours 0, 1, 5, 5
    call("once", 7),
    *(call("tmpl", 100 + i, user_text=f"{t} task") for i, t in enumerate(SKELETONS)),
    call("turns", 0, n_user_turns=1),
    call("turns", 1, n_user_turns=1),
    call("turns", 2, n_user_turns=3),
    call("turns", 3, n_user_turns=None),  # unknown counts as single-turn
    call("travel", 0, country="DE"),
    call("travel", 1, country="FR"),
    call("travel", 2, country=None),
    call("travel", 3, country="RU"),
    call("abroad", 0, country="RU"),
    call("abroad", 1, country="US"),
    call("proxied", 0, network_kind="vpn", country="US"),
    call("proxied", 1, network_kind="hosting", country="US"),
    call("proxied", 2, network_kind="other", country="US"),
    call("proxied", 3, network_kind="tor", country="US"),
    call("unknown", 0, network_kind="vpn"),
    call("unknown", 1, network_kind="hosting"),
    call("unknown", 2),
    call("unknown", 3, country="RU"),
    # refusals in the first fifth of a 100-hour span (cut at 20 h), none after
    *(call("prober", h, refusal=True) for h in (0, 10, 20)),
    *(call("prober", h) for h in (30, 60, 100)),
    # refusals only late
    *(call("late", h) for h in (0, 50)),
    *(call("late", h, refusal=True) for h in (60, 100)),
    # "new" is first seen 50 h after the data starts (T0): a new model; six calls each in
    # the day after it appeared
    call("switcher", 10, model="old"),
    *(call("switcher", 50 + h, model="new") for h in range(6)),
    call("loyal", 10, model="old"),
    *(call("loyal", 51 + h, model="old") for h in range(6)),
    *(call("half", 52 + h, model="new" if h % 2 else "old") for h in range(6)),
    *(call("brief", 50 + h, model="new") for h in range(ADOPTION_MIN_CALLS - 1)),
    *(call("chatty", 51 + h, model="old") for h in range(6)),  # starts on the old model
    *(call("chatty", 51.5 + h, model="new", n_user_turns=3) for h in range(6)),
    call("early", 5, model="early"),  # first seen 5 h after the start: not new
    call("early", 6, model="early"),
    # 10 calls on the first day, 2 on each of the next two
    *(call(name, h) for name in ("young", "veteran") for h in (*range(10), 30, 31, 54, 55)),
    call("card1", 0),
    call("card2", 0),  # card3 shares the card but made no calls
    call("solo", 0),
    # logprobs alone (scoring), samples alone (synthetic data), and both on one call
    *(call("scorer", h, logprobs=True, n=1) for h in range(2)),
    *(call("sampler", h, n=4) for h in range(2)),
    call("harvester", 0, logprobs=True, n=8),
    call("harvester", 1, logprobs=True, n=1),
]

ACCOUNTS: list[dict[str, Any]] = [
    {"account_id": "night", "verified": True},
    {"account_id": "flat", "verified": False},
    {"account_id": "idle", "verified": None},
    {"account_id": "travel", "billing_country": "DE", "verified": True},
    {"account_id": "abroad", "billing_country": "US"},
    {"account_id": "proxied", "billing_country": "US"},
    {"account_id": "young", "created_at": T0 - timedelta(days=1)},
    {"account_id": "veteran", "created_at": T0 - timedelta(days=30)},
    {"account_id": "card1", "payment_fingerprint": "pm_1"},
    {"account_id": "card2", "payment_fingerprint": "pm_1"},
    {"account_id": "card3", "payment_fingerprint": "pm_1"},
    {"account_id": "solo", "payment_fingerprint": "pm_2"},
]


@pytest.fixture(scope="module")
def features() -> dict[str, dict[str, Any]]:
    expr = account_features(calls_expr(), accounts_table(), ("RU",))
    table = run(expr, calls=calls_of(ROWS), accounts=account_rows(ACCOUNTS))
    return {row["account_id"]: row for row in table.to_pylist()}


def value(features: dict[str, dict[str, Any]], account: str, name: str) -> Any:
    return features[account][name]


def test_one_row_per_account_with_calls(features: dict[str, dict[str, Any]]) -> None:
    assert "card3" not in features  # in the accounts table, no calls
    assert len(features) == len({r["account_id"] for r in ROWS})
    assert set(FEATURE_NAMES) <= set(next(iter(features.values())))


def test_hour_entropy(features: dict[str, dict[str, Any]]) -> None:
    assert value(features, "night", "hour_entropy") == pytest.approx(0.0)
    assert value(features, "flat", "hour_entropy") == pytest.approx(1.0)
    # hours 0, 1, 5, 5: p = 1/4, 1/4, 1/2
    expected = (0.5 * math.log(4) + 0.5 * math.log(2)) / math.log(24)
    assert value(features, "idle", "hour_entropy") == pytest.approx(expected)


def test_longest_idle(features: dict[str, dict[str, Any]]) -> None:
    assert value(features, "idle", "longest_idle_h") == pytest.approx(4.0)
    assert value(features, "night", "longest_idle_h") == pytest.approx(24.0)
    assert value(features, "flat", "longest_idle_h") == pytest.approx(1.0)
    assert value(features, "once", "longest_idle_h") == 0.0  # no gap at all


def test_interarrival_cv(features: dict[str, dict[str, Any]]) -> None:
    assert value(features, "night", "interarrival_cv") == pytest.approx(0.0)  # like a clock
    assert value(features, "idle", "interarrival_cv") > 0.5


def test_template_share(features: dict[str, dict[str, Any]]) -> None:
    # the three most used skeletons hold 4 + 2 + 2 of 10 calls
    assert value(features, "tmpl", "template_share") == pytest.approx(0.8)
    assert value(features, "once", "template_share") == pytest.approx(1.0)
    assert value(features, "tmpl", "ex_template") is not None


def test_single_turn_share(features: dict[str, dict[str, Any]]) -> None:
    assert value(features, "turns", "single_turn_share") == pytest.approx(0.75)
    assert value(features, "night", "single_turn_share") == pytest.approx(1.0)


def test_foreign_and_restricted_share(features: dict[str, dict[str, Any]]) -> None:
    # billed in DE; calls from DE, FR, unknown, RU: FR and RU are foreign
    assert value(features, "travel", "foreign_share") == pytest.approx(0.5)
    assert value(features, "night", "foreign_share") == 0.0  # country unknown throughout
    assert value(features, "abroad", "restricted_share") == pytest.approx(0.5)  # RU of RU, US
    assert value(features, "abroad", "foreign_share") == pytest.approx(0.5)


def test_network_shares(features: dict[str, dict[str, Any]]) -> None:
    assert value(features, "proxied", "anonymizer_share") == pytest.approx(0.5)  # vpn, tor
    assert value(features, "proxied", "hosting_share") == pytest.approx(0.25)


def test_shares_count_calls_of_unknown_origin(features: dict[str, dict[str, Any]]) -> None:
    # calls: vpn, hosting, unknown kind and country, RU with unknown kind
    assert value(features, "unknown", "restricted_share") == pytest.approx(0.25)
    assert value(features, "unknown", "anonymizer_share") == pytest.approx(0.25)
    assert value(features, "unknown", "hosting_share") == pytest.approx(0.25)


def test_card_accounts_counts_every_account_on_the_card(
    features: dict[str, dict[str, Any]],
) -> None:
    assert value(features, "card1", "card_accounts") == 3.0  # card3 made no calls
    assert value(features, "card2", "card_accounts") == 3.0
    assert value(features, "solo", "card_accounts") == 1.0
    assert value(features, "night", "card_accounts") == 1.0  # no card on file


def test_unverified(features: dict[str, dict[str, Any]]) -> None:
    assert value(features, "night", "unverified") == 0.0
    assert value(features, "flat", "unverified") == 1.0
    assert value(features, "idle", "unverified") == 1.0  # unknown: not verified
    assert value(features, "once", "unverified") == 1.0  # no accounts row


def test_refusal_then_persist(features: dict[str, dict[str, Any]]) -> None:
    assert value(features, "prober", "refusal_then_persist") == pytest.approx(1.0)
    assert value(features, "prober", "refusal_share") == pytest.approx(0.5)
    assert value(features, "late", "refusal_then_persist") == pytest.approx(-2 / 3)
    assert value(features, "night", "refusal_then_persist") == 0.0


def test_fast_adoption(features: dict[str, dict[str, Any]]) -> None:
    assert value(features, "switcher", "fast_adoption") == pytest.approx(1.0)
    assert value(features, "loyal", "fast_adoption") == 0.0
    assert value(features, "half", "fast_adoption") == pytest.approx(0.5)
    assert value(features, "brief", "fast_adoption") == 0.0  # too few calls in the window
    assert value(features, "chatty", "fast_adoption") == 0.0  # only conversation starts count
    assert value(features, "early", "fast_adoption") == 0.0  # its model is not new
    assert value(features, "night", "fast_adoption") == 0.0  # no model recorded


def test_ramp_up(features: dict[str, dict[str, Any]]) -> None:
    # first day 10 calls, median day 2 (days of 10, 2, 2)
    assert value(features, "young", "ramp_up") == pytest.approx(5.0)
    assert value(features, "veteran", "ramp_up") == 0.0  # created 30 days before its first call
    assert value(features, "night", "ramp_up") == 0.0  # creation unknown
    assert value(features, "young", "calls_per_day") == pytest.approx(14 / 3)


def test_distribution_harvest_needs_logprobs_and_samples_on_one_call(
    features: dict[str, dict[str, Any]],
) -> None:
    assert value(features, "scorer", "distribution_harvest_share") == 0.0
    assert value(features, "sampler", "distribution_harvest_share") == 0.0
    assert value(features, "harvester", "distribution_harvest_share") == pytest.approx(0.5)
    assert value(features, "scorer", "logprobs_share") == 1.0


def test_peer_group(features: dict[str, dict[str, Any]]) -> None:
    assert value(features, "night", "peer") == "unknown/none//v1/chat/completions"
    assert value(features, "young", "n_calls") == 14


def test_a_feature_carries_exactly_one_computation() -> None:
    assert all((f.share_of is None) != (f.derive is None) for f in FEATURES)
    with pytest.raises(ValueError, match="exactly one"):
        Feature(
            name="x",
            family="volume",
            compare="relative",
            higher=True,
            spread=0.1,
            log=False,
            catches="-",
            confusable="-",
        )


def test_the_registry_decides_which_features_are_computed() -> None:
    """A stage computes the registry it is given: a registry of one gives one column."""
    only = tuple(f for f in FEATURES if f.name == "single_turn_share")
    rows = [call("a", 0, n_user_turns=1), call("a", 1, n_user_turns=3)]
    expr = account_features(calls_expr(), accounts_table(), (), only)
    out = run(expr, calls=calls_of(rows), accounts=account_rows([{"account_id": "a"}]))
    row = out.to_pylist()[0]
    assert not (set(FEATURE_NAMES) - {"single_turn_share"}) & set(row)
    assert row["single_turn_share"] == pytest.approx(0.5)
