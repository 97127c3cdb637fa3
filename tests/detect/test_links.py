"""Cross-account links: prefixes, the cheap membership kinds, rarity cuts, the cascade cut."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import ibis
import pyarrow as pa
import pytest

from distillguard.detect.features import SIGNAL_SHARE, accounts_table
from distillguard.detect.links import (
    LINK_KINDS,
    MEMBERSHIP,
    OPERATOR_KINDS,
    PRIORS,
    WEIGHTS,
    in_graph,
    memberships,
    network_prefixes,
    prefixes_table,
    shared,
    signal_profiles,
)
from distillguard.schema.results import LINKS
from tests.detect.conftest import T0, account_rows, at, calls_expr, calls_of, run

TEMPLATE = (
    "You are an expert assistant. Think through the problem carefully and write the answer "
    "with every step: "
)


def test_network_prefixes() -> None:
    table = network_prefixes(["203.0.113.7", "2001:db8:1:2:3::9", "not an ip", "10.0.0.300", ""])
    assert table.column_names == ["ip", "prefix"]
    assert table.column("prefix").to_pylist() == [
        "203.0.113.0/24",
        "2001:db8:1:2::/64",
        None,
        None,
        None,
    ]


def call(account: str, hours: float, **fields: Any) -> dict[str, Any]:
    return {"account_id": account, "ts": at(hours), "network_kind": "other", **fields}


CALLS = [
    # one address on one day: an ip link (and a network link through its /24)
    call("a", 1, client_ip="198.51.100.7"),
    call("b", 2, client_ip="198.51.100.7"),
    call("c", 30, client_ip="198.51.100.7"),  # the same address, the next day: no link
    # a VPN exit shared by two accounts links nothing
    call("d", 1, client_ip="192.0.2.50", network_kind="vpn"),
    call("e", 1, client_ip="192.0.2.50", network_kind="vpn"),
    # neighbours in one residential /24
    call("f", 3, client_ip="203.0.113.20"),
    call("g", 4, client_ip="203.0.113.21"),
    # neighbours in one hosting /24: not a network link
    call("h", 3, client_ip="100.64.7.1", network_kind="hosting"),
    call("i", 4, client_ip="100.64.7.2", network_kind="hosting"),
    # one cloud address on one day: a hosting_ip link, not an ip link; the next day: none
    call("j", 3, client_ip="100.64.9.9", network_kind="hosting"),
    call("k", 5, client_ip="100.64.9.9", network_kind="hosting"),
    call("l", 30, client_ip="100.64.9.9", network_kind="hosting"),
    # a long template sent repeatedly by two accounts, once by a third, in a conversation by
    # a fourth; a short prompt repeated by two
    *(call(x, 5 + k, user_text=TEMPLATE + f"task {k}") for x in ("t1", "t2") for k in range(2)),
    call("t3", 5, user_text=TEMPLATE + "task 1"),
    *(call("t4", 5 + k, user_text=TEMPLATE + "task", n_user_turns=3) for k in range(2)),
    *(call(x, 5 + k, user_text="hi") for x in ("s1", "s2") for k in range(2)),
    # one system prompt, repeated by two accounts
    *(
        call(x, 6 + k, system_prompt=TEMPLATE * 2, user_text=f"q{k}")
        for x in ("p1", "p2")
        for k in range(2)
    ),
    # accounts with only account-level links
    *(call(f"burst{k}", 7) for k in range(6)),
    call("card1", 8),
    call("card2", 8),
]

ACCOUNTS: list[dict[str, Any]] = [
    {"account_id": "card1", "payment_fingerprint": "pm_1", "email_domain": "mailbox.example"},
    {"account_id": "card2", "payment_fingerprint": "pm_1", "email_domain": "mailbox.example"},
    {"account_id": "idle", "payment_fingerprint": "pm_1"},  # made no calls: never linked
    *({"account_id": f"burst{k}", "created_at": T0 + timedelta(minutes=k)} for k in range(6)),
    *(
        {"account_id": x, "created_at": T0 - timedelta(days=10 * k)}
        for k, x in enumerate(("a", "b", "c", "d", "e", "f", "g"), start=1)
    ),
]


@pytest.fixture(scope="module")
def members() -> set[tuple[str, str, str]]:
    calls = calls_of(CALLS)
    ips = sorted({ip for ip in calls.column("client_ip").to_pylist() if ip})
    expr = memberships(calls_expr(), accounts_table(), prefixes_table(), 64, 5)
    table = run(
        expr,
        calls=calls,
        accounts=account_rows(ACCOUNTS),
        prefixes=network_prefixes(ips),
    )
    return {(r["kind"], r["entity"], r["account_id"]) for r in table.to_pylist()}


def linked(members: set[tuple[str, str, str]], kind: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for k, entity, account in members:
        if k == kind:
            found.setdefault(entity, set()).add(account)
    return found


def test_ip_links_accounts_on_one_address_on_one_day(members: set[tuple[str, str, str]]) -> None:
    assert linked(members, "ip") == {"198.51.100.7": {"a", "b"}}


def test_hosting_ip_links_accounts_on_one_cloud_address_on_one_day(
    members: set[tuple[str, str, str]],
) -> None:
    assert linked(members, "hosting_ip") == {"100.64.9.9": {"j", "k"}}


def test_network_links_residential_neighbours_only(members: set[tuple[str, str, str]]) -> None:
    assert linked(members, "network") == {
        "198.51.100.0/24": {"a", "b"},
        "203.0.113.0/24": {"f", "g"},
    }


def test_skeleton_links_long_single_turn_prompts_sent_repeatedly(
    members: set[tuple[str, str, str]],
) -> None:
    groups = sorted(sorted(g) for g in linked(members, "skeleton").values())
    # not t3 (once), t4 (conversation), s1/s2 (short); p1/p2 share a long system prompt
    assert groups == [["p1", "p2"], ["t1", "t2"]]


def test_system_prompt_links(members: set[tuple[str, str, str]]) -> None:
    assert list(linked(members, "system_prompt").values()) == [{"p1", "p2"}]


def test_account_level_links(members: set[tuple[str, str, str]]) -> None:
    assert linked(members, "payment") == {"pm_1": {"card1", "card2"}}  # idle made no calls
    assert linked(members, "email_domain") == {"mailbox.example": {"card1", "card2"}}
    bursts = linked(members, "creation_burst")
    assert list(bursts.values()) == [{f"burst{k}" for k in range(6)}]


def membership(rows: list[tuple[str, str, str]]) -> pa.Table:
    return pa.table(
        {
            "account_id": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "entity": [r[2] for r in rows],
            "example_request_id": [None] * len(rows),
        },
        schema=MEMBERSHIP.to_pyarrow(),
    )


def test_shared_drops_common_public_entities_but_keeps_a_card_shared_by_many() -> None:
    rows = [
        *((f"m{k}", "email_domain", "webmail.example") for k in range(5)),  # 5 of 100: public
        *((f"m{k}", "payment", "pm_many") for k in range(5)),  # 5 on one card: telling
        ("m0", "user_agent", "NicheClient/1.0"),
        ("m1", "user_agent", "NicheClient/1.0"),  # 2 of 100: uncommon enough
        ("m0", "payment", "pm_own"),  # one account only: no link
        ("m0", "ip", "192.0.2.1"),
        ("m0", "ip", "192.0.2.1"),  # the same account twice still counts once
    ]
    expr = shared(ibis.table(MEMBERSHIP, name="members"), 100, 0.02)
    result = run(expr, members=membership(rows)).to_pylist()
    kept = {(r["kind"], r["entity"]): r["n_accounts"] for r in result}
    assert kept == {("payment", "pm_many"): 5, ("user_agent", "NicheClient/1.0"): 2}
    assert len(result) == 7


Row = tuple[str, str, str] | tuple[str, str, str, float]
SPECIFIC = 0.5
MIN_WEIGHT = 0.1


def links(rows: list[Row]) -> pa.Table:
    """A links table; a row's fourth field is the entity's specificity (default 1)."""
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        counts[(row[1], row[2])] = counts.get((row[1], row[2]), 0) + 1
    return pa.table(
        {
            "account_id": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "entity": [r[2] for r in rows],
            "n_accounts": [counts[(r[1], r[2])] for r in rows],
            "example_request_id": [None] * len(rows),
            "specificity": [float(r[3]) if len(r) > 3 else 1.0 for r in rows],
        },
        schema=LINKS,
    )


def test_in_graph_keeps_candidates_and_operator_links() -> None:
    table = links(
        [
            ("cand1", "skeleton", "s1"),
            ("cand2", "skeleton", "s1"),
            ("plain", "skeleton", "s1"),  # shares a popular prompt only: out
            ("cand1", "user_agent", "ua"),
            ("plain", "user_agent", "ua"),  # ua left with one participant: dropped
            ("op1", "payment", "pm"),
            ("op2", "payment", "pm"),  # operator links bring accounts in
            ("op1", "skeleton", "s2"),
            ("plain", "skeleton", "s2"),
        ]
    )
    kept = in_graph(table, {"cand1", "cand2"}, SPECIFIC, MIN_WEIGHT)
    rows = {(r["account_id"], r["kind"], r["entity"]): r["n_accounts"] for r in kept.to_pylist()}
    assert rows == {
        ("cand1", "skeleton", "s1"): 2,  # recounted without "plain"
        ("cand2", "skeleton", "s1"): 2,
        ("op1", "payment", "pm"): 2,
        ("op2", "payment", "pm"): 2,
    }
    assert kept.column_names == table.column_names


def test_in_graph_needs_specific_operator_links() -> None:
    table = links(
        [
            # an address clean accounts also use brings no one in
            ("home1", "ip", "203.0.113.1", SPECIFIC - 0.01),
            ("home2", "ip", "203.0.113.1", SPECIFIC - 0.01),
            # a cloud address only four suspects use does (1 - 0.8 ** 4 = 0.59)
            ("vm1", "hosting_ip", "192.0.2.1", 0.5904),
            ("vm2", "hosting_ip", "192.0.2.1", 0.5904),
            ("cand", "hosting_ip", "192.0.2.1", 0.5904),
        ]
    )
    kept = in_graph(table, {"cand"}, SPECIFIC, MIN_WEIGHT)
    assert sorted(kept.column("account_id").to_pylist()) == ["cand", "vm1", "vm2"]
    assert set(kept.column("n_accounts").to_pylist()) == {3}
    assert kept.column("specificity").to_pylist() == [0.5904] * 3  # carried through


def test_in_graph_drops_memberships_below_the_minimum_weight() -> None:
    weak = MIN_WEIGHT / WEIGHTS["hosting_ip"]  # exactly at the minimum: kept
    table = links(
        [
            ("cand1", "hosting_ip", "egress", weak - 0.01),  # a cloud egress many clean use
            ("cand2", "hosting_ip", "egress", weak - 0.01),
            ("cand1", "hosting_ip", "rented", weak),
            ("cand2", "hosting_ip", "rented", weak),
            ("cand1", "skeleton", "benchmark", 0.1),  # 0.8 x 0.1: below
            ("cand2", "skeleton", "benchmark", 0.1),
            ("cand1", "skeleton", "harness", 0.5),
            ("cand2", "skeleton", "harness", 0.5),
        ]
    )
    kept = in_graph(table, {"cand1", "cand2"}, SPECIFIC, MIN_WEIGHT)
    assert sorted(set(kept.column("entity").to_pylist())) == ["harness", "rented"]
    assert in_graph(table, {"cand1", "cand2"}, SPECIFIC, 0.0).num_rows == table.num_rows


def test_in_graph_of_nothing() -> None:
    table = links([("plain", "skeleton", "s1"), ("other", "skeleton", "s1")])
    assert in_graph(table, set(), SPECIFIC, MIN_WEIGHT).num_rows == 0
    assert in_graph(links([]), {"a"}, SPECIFIC, MIN_WEIGHT).num_rows == 0


def test_operator_kinds_are_flagged_in_the_catalogue() -> None:
    assert set(OPERATOR_KINDS) == {k.name for k in LINK_KINDS if k.operator}
    assert {"payment", "ip", "hosting_ip"} <= set(OPERATOR_KINDS)


def test_priors_and_weights_come_from_the_catalogue() -> None:
    assert {k.name: k.prior for k in LINK_KINDS} == PRIORS
    assert {k.name: k.weight for k in LINK_KINDS} == WEIGHTS
    assert PRIORS["hosting_ip"] == 0.2  # cloud pools are shared by design
    assert {k for k, p in PRIORS.items() if p < 1.0} == {"hosting_ip"}


def test_signal_profiles_group_candidates_by_their_set_of_signals() -> None:
    a, b = SIGNAL_SHARE + "cot_full_reasoning", SIGNAL_SHARE + "thinking_language"
    features = pa.table(
        {
            "account_id": ["x1", "x2", "x3", "y1", "y2", "z1", "low", "few", "other"],
            "n_calls": [100, 100, 50, 100, 100, 100, 100, 10, 100],
            a: [0.9, 0.5, 0.4, 0.9, 0.8, 0.0, 0.05, 0.2, 0.9],
            b: [0.0, 0.05, 0.0, 0.5, 0.3, 0.6, 0.0, 0.0, 0.0],
        }
    )
    candidates = {"x1", "x2", "x3", "y1", "y2", "z1", "low", "few"}  # not "other"
    result = signal_profiles(features, candidates, min_calls=3)
    rows = {r["account_id"]: (r["entity"], r["n_accounts"]) for r in result.to_pylist()}
    assert rows == {
        "x1": ("cot_full_reasoning", 3),
        "x2": ("cot_full_reasoning", 3),  # 5% thinking_language: below the profile share
        "x3": ("cot_full_reasoning", 3),
        "y1": ("cot_full_reasoning+thinking_language", 2),
        "y2": ("cot_full_reasoning+thinking_language", 2),
        # z1: a profile of its own; low: below the share; few: 2 calls carry it
    }
    assert set(result.column("kind").to_pylist()) == {"signal_profile"}
