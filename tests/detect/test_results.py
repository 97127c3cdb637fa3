"""``results.apply``: verdicts and decision reasons from the stored result tables."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pyarrow as pa
import pytest

from distillguard.detect.core import Reason, reasons_array, reasons_of
from distillguard.detect.decide import Policy
from distillguard.detect.results import CORE_REASON, DECISION_KINDS, apply, labelled, nonempty
from distillguard.schema.labels import EFFECTIVE_LABELS
from distillguard.schema.results import CLUSTERS, SCORED_ACCOUNTS
from tests.detect.conftest import settings

POLICY = Policy.from_settings(settings())
LIMIT = 4
TIE = Reason("tie", "payment", "shares payment pm_1 ...", value=1.0, evidence=1.0, specificity=1.0)
FEATURE = Reason("signal", "elicitation_share", "asks for traces", value=0.8, evidence=0.72)
LINK = Reason("link", "payment", "3 of 3 accounts linked by payment", value=1.0, evidence=1.0)


def account(account_id: str, **fields: Any) -> dict[str, Any]:
    """An account_scores row as the scan writes it before deciding."""
    return {
        "account_id": account_id,
        "peer": "free/none//v1/chat/completions",
        "n_interactions": 10,
        "score": 0.0,
        "flagged": False,
        "verdict": "clear",
        "cluster_id": None,
        "reasons": [],
        "content": False,
        "unverified": 0.0,
        "fresh": False,
        "reference": False,
        "tie": 0.0,
        "operator_ties": 0.0,
        "operator_links": 0,
        "sync_observed": 0.0,
        "sync_expected": 0.0,
        "label": None,
        "model_verdict": "clear",
        **fields,
    }


def core(account_id: str, cluster_id: str = "c00001") -> dict[str, Any]:
    return account(
        account_id,
        score=0.9,
        content=True,
        tie=0.9,
        operator_ties=2.0,
        cluster_id=cluster_id,
        reasons=[TIE, FEATURE],
    )


def cluster(cluster_id: str, n_accounts: int, coordination: float = 0.9) -> dict[str, Any]:
    return {
        "cluster_id": cluster_id,
        "n_accounts": n_accounts,
        "n_interactions": 10 * n_accounts,
        "score": 0.0,
        "flagged": False,
        "link_kinds": ["payment"],
        "reasons": [LINK],
        "coordination": coordination,
        "operator_coordination": coordination,
        "behaviour": 0.0,
        "operator": 0.0,
        "content_share": 0.0,
        "together": 0.0,
        "sync_lift": 0.0,
        "n_core": 0,
        "n_flagged": 0,
        "n_left_out": 0,
    }


def table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    columns = {f.name: [r[f.name] for r in rows] for f in schema}
    columns["reasons"] = reasons_array([r["reasons"] for r in rows])
    return pa.table(columns, schema=schema)


ACCOUNTS = table(
    [
        core("a1"),
        core("a2"),
        core("a3"),
        account("bystander", score=0.1, tie=0.08, cluster_id="c00001", reasons=[FEATURE]),
        account("weak", score=0.2, tie=0.9, cluster_id="c00002"),
        account("weak2", score=0.2, tie=0.9, cluster_id="c00002"),
        account("alone", score=0.95, reasons=[FEATURE]),
        account("plain"),
    ],
    SCORED_ACCOUNTS,
)
CLUSTER_TABLE = table([cluster("c00001", 4), cluster("c00002", 2, 0.3)], CLUSTERS)


def decided(
    labels: dict[str, tuple[str, str | None]] | None = None,
    accounts: pa.Table = ACCOUNTS,
    clusters: pa.Table = CLUSTER_TABLE,
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    rows, cluster_rows = apply(accounts, clusters, labels or {}, POLICY, LIMIT)
    assert rows.schema == SCORED_ACCOUNTS
    assert cluster_rows.schema == CLUSTERS
    return (
        {r["account_id"]: r for r in rows.to_pylist()},
        {c["cluster_id"]: c for c in cluster_rows.to_pylist()},
    )


def names(row: dict[str, Any]) -> list[str]:
    return [r.name for r in reasons_of(row["reasons"])]


def test_verdicts() -> None:
    rows, clusters = decided()
    verdicts = {a: r["verdict"] for a, r in rows.items()}
    assert verdicts == {
        "a1": "campaign",
        "a2": "campaign",
        "a3": "campaign",
        "bystander": "clear",
        "weak": "clear",
        "weak2": "clear",
        "alone": "suspicious",
        "plain": "clear",
    }
    assert all(r["model_verdict"] == r["verdict"] for r in rows.values())
    assert all(r["flagged"] == (r["verdict"] != "clear") for r in rows.values())
    assert all(r["label"] is None for r in rows.values())
    assert clusters["c00001"]["flagged"] is True
    assert clusters["c00002"]["flagged"] is False
    first = clusters["c00001"]
    assert (first["n_core"], first["n_flagged"], first["n_left_out"]) == (3, 3, 1)
    assert first["score"] >= POLICY.cluster
    assert first["content_share"] == 1.0
    assert 0 < first["behaviour"] <= 1
    assert 0 < first["operator"] <= 1


def test_a_core_member_says_which_cluster_carried_it() -> None:
    rows, _ = decided()
    reasons = reasons_of(rows["a1"]["reasons"])
    assert [r.name for r in reasons] == [
        "member_of_flagged_cluster",
        "payment",
        "elicitation_share",
    ]
    membership = reasons[0]
    assert membership.kind == "cluster"
    assert "c00001" in membership.detail
    assert "specific operator ties" in membership.detail  # 2: a card
    assert reasons[1:] == [TIE, FEATURE]  # the scan's reasons, kept as found


def test_a_core_member_carried_by_its_behaviour_says_so() -> None:
    no_card = ACCOUNTS.set_column(
        ACCOUNTS.schema.get_field_index("operator_ties"),
        "operator_ties",
        pa.array([0.0] * ACCOUNTS.num_rows),
    )
    rows, _ = decided(accounts=no_card)
    membership = reasons_of(rows["a1"]["reasons"])[0]
    assert membership.name == "member_of_flagged_cluster"
    assert "its own score and its tie to the cluster (0.90)" in membership.detail
    assert membership.value == membership.evidence == 0.9


def test_a_bystander_in_a_flagged_cluster_is_left_out_with_a_reason() -> None:
    rows, _ = decided()
    bystander = rows["bystander"]
    assert bystander["verdict"] == bystander["model_verdict"] == "clear"
    assert not bystander["flagged"]
    reason, *rest = reasons_of(bystander["reasons"])
    assert reason.kind == "cluster"
    assert reason.name == "left_out_of_flagged_cluster"
    assert "c00001" in reason.detail
    assert "0.08" in reason.detail  # its tie
    assert rest == [FEATURE]


def test_members_of_an_unflagged_cluster_get_no_membership_reason() -> None:
    rows, _ = decided()
    assert names(rows["weak"]) == []
    assert names(rows["alone"]) == ["elicitation_share"]


def test_the_core_reason_of_a_cluster_comes_first() -> None:
    _, clusters = decided()
    reasons = reasons_of(clusters["c00001"]["reasons"])
    assert [r.name for r in reasons] == [CORE_REASON, "payment"]
    assert reasons[0].kind == "members"
    assert (reasons[0].value, reasons[0].baseline) == (3.0, 4.0)
    assert "3 of 4 members" in reasons[0].detail
    assert "1 are left out" in reasons[0].detail
    assert reasons[1] == LINK


def test_labels_win_and_keep_the_model_verdict() -> None:
    labels = {
        "a1": ("benign", "our own load test"),
        "plain": ("campaign", None),
        "alone": ("benign", None),
    }
    rows, clusters = decided(labels)
    a1 = rows["a1"]
    assert (a1["verdict"], a1["model_verdict"], a1["label"], a1["flagged"]) == (
        "clear",
        "campaign",
        "benign",
        False,
    )
    label, membership, *_ = reasons_of(a1["reasons"])
    assert label.kind == "label"
    assert label.name == "labelled_benign"
    assert "our own load test" in label.detail
    assert "without the label the verdict would be campaign" in label.detail
    assert membership.name == "member_of_flagged_cluster"
    plain = rows["plain"]
    assert (plain["verdict"], plain["model_verdict"], plain["label"]) == (
        "campaign",
        "clear",
        "campaign",
    )
    assert names(plain) == ["labelled_campaign"]
    assert rows["alone"]["verdict"] == "clear"
    assert rows["alone"]["model_verdict"] == "suspicious"
    # the labelled member is still part of the core the cluster is judged on
    assert clusters["c00001"]["flagged"] is True
    assert (clusters["c00001"]["n_core"], clusters["c00001"]["n_flagged"]) == (3, 2)


def test_apply_is_idempotent() -> None:
    labels = {"a2": ("benign", "known")}
    once = apply(ACCOUNTS, CLUSTER_TABLE, labels, POLICY, LIMIT)
    twice = apply(*once, labels, POLICY, LIMIT)
    assert twice[0].equals(once[0])
    assert twice[1].equals(once[1])


def test_decision_reasons_are_replaced_not_duplicated() -> None:
    labelled_once = apply(ACCOUNTS, CLUSTER_TABLE, {"a1": ("benign", None)}, POLICY, LIMIT)
    again = apply(*labelled_once, {"a1": ("campaign", "confirmed")}, POLICY, LIMIT)
    withdrawn = apply(*again, {}, POLICY, LIMIT)
    rows = {r["account_id"]: r for r in again[0].to_pylist()}
    assert names(rows["a1"]) == [
        "labelled_campaign",
        "member_of_flagged_cluster",
        "payment",
        "elicitation_share",
    ]
    plain = apply(ACCOUNTS, CLUSTER_TABLE, {}, POLICY, LIMIT)
    assert withdrawn[0].equals(plain[0])
    assert withdrawn[1].equals(plain[1])
    for cell in withdrawn[1].column("reasons").to_pylist():
        assert [r.name for r in reasons_of(cell)].count(CORE_REASON) == 1


def test_a_stricter_policy_changes_verdicts_from_the_same_tables() -> None:
    first = apply(ACCOUNTS, CLUSTER_TABLE, {}, POLICY, LIMIT)
    strict = replace(POLICY, member_tie=0.95)
    rows, clusters = apply(*first, {}, strict, LIMIT)
    verdicts = dict(zip(rows["account_id"].to_pylist(), rows["verdict"].to_pylist(), strict=True))
    # no longer tied enough by behaviour, but still carried by a card each
    assert verdicts["a1"] == "campaign"
    no_card = ACCOUNTS.set_column(
        ACCOUNTS.schema.get_field_index("operator_ties"),
        "operator_ties",
        pa.array([0.0] * ACCOUNTS.num_rows),
    )
    rows, clusters = apply(no_card, CLUSTER_TABLE, {}, strict, LIMIT)
    assert rows["verdict"].to_pylist()[:3] == ["suspicious"] * 3
    assert clusters["n_core"].to_pylist() == [0, 0]
    assert nonempty(clusters["flagged"]) == 0


def test_reasons_are_capped_but_decision_reasons_stay() -> None:
    many = [Reason("feature", f"f{k}", "x", evidence=1 - k / 10) for k in range(8)]
    accounts = table(
        [
            {**core("a1"), "reasons": many},
            core("a2"),
            account("b", score=0.0, cluster_id="c00001", reasons=many),
        ],
        SCORED_ACCOUNTS,
    )
    clusters = table([cluster("c00001", 3)], CLUSTERS)
    rows, _ = decided({"a1": ("campaign", None)}, accounts, clusters)
    assert len(names(rows["a1"])) == LIMIT
    assert names(rows["a1"])[:2] == ["labelled_campaign", "member_of_flagged_cluster"]
    assert names(rows["b"]) == ["left_out_of_flagged_cluster", "f0", "f1", "f2"]
    rows, _ = apply(accounts, clusters, {"a1": ("campaign", None)}, POLICY, 1)
    assert [len(c) for c in rows["reasons"].to_pylist()] == [2, 1, 1]


def test_decision_kinds() -> None:
    assert set(DECISION_KINDS) == {"cluster", "label"}


def test_labelled_reads_effective_labels() -> None:
    rows: list[dict[str, Any]] = [
        {"account_id": "a", "label": "benign", "source": "analyst", "note": "ok"},
        {"account_id": "b", "label": "campaign", "source": "trusted", "note": None},
    ]
    effective = pa.Table.from_pylist(
        [{"analyst": None, "labelled_at": None, **r} for r in rows], schema=EFFECTIVE_LABELS
    )
    assert labelled(effective) == {"a": ("benign", "ok"), "b": ("campaign", None)}
    assert labelled(effective.drop_columns(["note"])) == {
        "a": ("benign", None),
        "b": ("campaign", None),
    }
    assert labelled(EFFECTIVE_LABELS.empty_table()) == {}


@pytest.mark.parametrize("values", [[True, False, True], [False], []])
def test_nonempty(values: list[bool]) -> None:
    assert nonempty(pa.chunked_array([pa.array(values, pa.bool_())])) == sum(values)


def test_a_pool_in_step_says_what_it_did_together() -> None:
    """Members carried by their own synchrony beside the pool's addresses say so, the cluster
    says how far its core acted in step, and a member in chance's minutes is left out."""
    in_step = {
        "tie": 0.36,
        "operator_links": 1,
        "fresh": True,
        "sync_observed": 60.0,
        "sync_expected": 12.0,
        "cluster_id": "c00001",
    }
    pool = [account(f"p{i}", **in_step) for i in range(12)]
    home = account("home", **{**in_step, "fresh": False, "sync_observed": 12.0})
    rows, clusters = decided(
        accounts=table([*pool, home], SCORED_ACCOUNTS),
        clusters=table([cluster("c00001", 13)], CLUSTERS),
    )
    assert [rows[f"p{i}"]["verdict"] for i in range(12)] == ["campaign"] * 12
    carried = reasons_of(rows["p0"]["reasons"])[0]
    assert carried.name == "member_of_flagged_cluster"
    assert "own synchrony" in carried.detail
    assert "lift 5.0" in carried.detail
    assert rows["home"]["verdict"] == "clear"
    assert names(rows["home"])[0] == "left_out_of_flagged_cluster"
    found = clusters["c00001"]
    assert found["together"] == 1.0
    assert found["sync_lift"] == pytest.approx(5.0)  # over its core: the household is out
    assert [r.name for r in reasons_of(found["reasons"])][:2] == [CORE_REASON, "synchrony"]
