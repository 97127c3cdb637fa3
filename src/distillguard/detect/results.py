"""The scan's result tables, and the one step that turns their evidence into verdicts.

The scan writes ``account_scores`` and ``clusters`` with every piece of evidence a verdict
needs (:mod:`decide`), then calls :func:`apply`; ``distillguard decide`` reads the stored
tables and calls :func:`apply` again with the current policy and labels. Decision reasons
(kind ``cluster`` or ``label``, and a cluster's ``core`` reason) are the only reasons
:func:`apply` writes; it replaces its own earlier ones and keeps every other reason as the
scan found it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from distillguard.detect.core import Reason, reasons_array, reasons_of, rounded
from distillguard.detect.decide import AccountEvidence, ClusterEvidence, Decisions, Policy, decide
from distillguard.detect.synchrony import lift_of
from distillguard.detect.ties import OPERATOR_TIES
from distillguard.schema.results import CLUSTERS, SCORED_ACCOUNTS

DECISION_KINDS = ("cluster", "label")
CORE_REASON = "core"
SYNC_REASON = "synchrony"
DECIDED_CLUSTER_REASONS = (CORE_REASON, SYNC_REASON)


def _floats(table: pa.Table, name: str) -> npt.NDArray[np.float64]:
    values: npt.NDArray[np.float64] = table.column(name).to_numpy(zero_copy_only=False)
    return values.astype(np.float64)


@dataclass(frozen=True)
class Member:
    """One member's evidence for its cluster, as a membership reason tells it."""

    score: float
    tie: float
    operator_ties: float
    sync: float  # its own synchrony evidence
    observed: float  # its coincident minutes with the other members
    expected: float  # and those expected by chance


def _carried(member: Member, policy: Policy) -> str:
    if member.operator_ties >= OPERATOR_TIES:
        return f"its specific operator ties ({member.operator_ties:g}: 2 per card, 1 per address)"
    if member.score >= policy.member_floor:
        return f"its own score and its tie to the cluster ({member.tie:.2f})"
    return (
        f"its own synchrony with the other members ({member.observed:g} coincident minutes "
        f"where independent accounts active in the same hours would share "
        f"{member.expected:.1f}: lift {lift_of(member.observed, member.expected):.1f}, "
        f"evidence {member.sync:.2f}) beside the pool's specific cards or addresses, and its "
        f"tie to the cluster ({member.tie:.2f})"
    )


def _membership(
    cluster_id: str, flagged: bool, core: bool, member: Member, policy: Policy
) -> Reason | None:
    """Why a member of a cluster was, or was not, given the cluster's verdict."""
    if not flagged:
        return None
    tie, operator_ties = member.tie, member.operator_ties
    if core:
        carried = _carried(member, policy)
        return Reason(
            "cluster",
            "member_of_flagged_cluster",
            f"member of flagged cluster {cluster_id}, carried by {carried}; its ties follow",
            value=rounded(tie),
            evidence=rounded(tie),
        )
    return Reason(
        "cluster",
        "left_out_of_flagged_cluster",
        f"in flagged cluster {cluster_id} but left out of its verdict: own score and own "
        f"synchrony ({member.sync:.2f}) below {policy.member_floor} or tie {tie:.2f} below "
        f"{policy.member_tie}, and fewer than "
        f"{OPERATOR_TIES:g} specific operator ties ({operator_ties:g})",
        value=rounded(tie),
    )


def _label_reason(label: str | None, note: str | None, model: str) -> Reason | None:
    if label is None:
        return None
    return Reason(
        "label",
        f"labelled_{label}",
        f"labelled {label} by an analyst or the trust settings"
        + (f" ({note})" if note else "")
        + f"; without the label the verdict would be {model}",
    )


def apply(
    accounts: pa.Table,
    clusters: pa.Table,
    labels: Mapping[str, tuple[str, str | None]],
    policy: Policy,
    limit: int,
) -> tuple[pa.Table, pa.Table]:
    """Verdicts and decision reasons for stored result tables (module doc).

    ``labels`` maps an account id to its effective label and note.
    """
    ids = accounts.column("account_id").to_pylist()
    cluster_ids = clusters.column("cluster_id").to_pylist()
    position = {c: k for k, c in enumerate(cluster_ids)}
    cluster_of = np.array(
        [position.get(c, -1) if c is not None else -1 for c in accounts["cluster_id"].to_pylist()],
        dtype=np.int64,
    )
    label = [labels[a][0] if a in labels else None for a in ids]
    evidence = AccountEvidence(
        _floats(accounts, "score"),
        accounts.column("content").to_numpy(zero_copy_only=False).astype(bool),
        _floats(accounts, "unverified"),
        _floats(accounts, "tie"),
        _floats(accounts, "operator_ties"),
        cluster_of,
        label,
        accounts.column("fresh").to_numpy(zero_copy_only=False).astype(bool),
        accounts.column("operator_links").to_numpy(zero_copy_only=False).astype(np.int64),
        _floats(accounts, "sync_observed"),
        _floats(accounts, "sync_expected"),
    )
    coordination = ClusterEvidence(
        _floats(clusters, "coordination"), _floats(clusters, "operator_coordination")
    )
    decisions = decide(evidence, coordination, policy)
    reasons = _account_reasons(accounts, decisions, evidence, cluster_ids, labels, policy, limit)
    updated = accounts
    for name, values in (
        ("flagged", pa.array(decisions.flagged, pa.bool_())),
        ("verdict", pa.array(decisions.verdict, pa.string())),
        ("model_verdict", pa.array(decisions.model_verdict, pa.string())),
        ("label", pa.array(label, pa.string())),
        ("reasons", reasons),
    ):
        updated = updated.set_column(updated.schema.get_field_index(name), name, values)
    return updated.cast(SCORED_ACCOUNTS), _cluster_columns(clusters, decisions, evidence)


def _account_reasons(
    accounts: pa.Table,
    decisions: Decisions,
    evidence: AccountEvidence,
    cluster_ids: Sequence[str],
    labels: Mapping[str, tuple[str, str | None]],
    policy: Policy,
    limit: int,
) -> pa.Array:
    ids = accounts.column("account_id").to_pylist()
    rows: list[list[Reason]] = []
    for i, cell in enumerate(accounts.column("reasons").to_pylist()):
        kept = [r for r in reasons_of(cell) if r.kind not in DECISION_KINDS]
        k = int(evidence.cluster[i])
        first: list[Reason] = []
        note = labels.get(ids[i], (None, None))[1]
        for reason in (
            _label_reason(evidence.label[i], note, decisions.model_verdict[i]),
            _membership(
                cluster_ids[k],
                bool(decisions.cluster_flagged[k]),
                bool(decisions.core[i]),
                Member(
                    float(evidence.score[i]),
                    float(evidence.tie[i]),
                    float(evidence.operator_ties[i]),
                    float(decisions.member_sync[i]),
                    float(evidence.sync_observed[i]),
                    float(evidence.sync_expected[i]),
                ),
                policy,
            )
            if k >= 0
            else None,
        ):
            if reason is not None:
                first.append(reason)
        rows.append([*first, *kept][: max(limit, len(first))])
    return reasons_array(rows)


def _synchrony_reason(decisions: Decisions, k: int) -> list[Reason]:
    """What the core did together: its minutes in step, against chance (none when nothing)."""
    together = float(decisions.cluster_together[k])
    if together <= 0:
        return []
    lift = float(decisions.cluster_lift[k])
    return [
        Reason(
            "members",
            SYNC_REASON,
            f"its core's accounts were active in the same minutes {lift:.1f} times as often "
            "as independent accounts active in the same hours would be: one scheduler "
            "spreading load over many accounts",
            value=rounded(lift),
            baseline=1.0,
            evidence=rounded(together),
        )
    ]


def _cluster_columns(
    clusters: pa.Table, decisions: Decisions, evidence: AccountEvidence
) -> pa.Table:
    n = clusters.num_rows
    sizes = clusters.column("n_accounts").to_numpy(zero_copy_only=False).astype(np.int64)
    left_low = np.zeros(n, dtype=np.int64)  # left out: own score below the floor
    linked = evidence.cluster >= 0
    outside = linked & ~decisions.core
    np.add.at(left_low, evidence.cluster[outside], 1)
    reasons: list[list[Reason]] = []
    for k, cell in enumerate(clusters.column("reasons").to_pylist()):
        kept = [r for r in reasons_of(cell) if r.name not in DECIDED_CLUSTER_REASONS]
        core = int(decisions.cluster_core[k])
        reasons.append(
            [
                Reason(
                    "members",
                    CORE_REASON,
                    f"{core} of {sizes[k]} members have their own evidence for this cluster "
                    f"(their score and a specific tie, or a card / two addresses used almost "
                    f"only by the pool); {int(left_low[k])} are left out of its verdict: they "
                    "are linked only through entities that clean accounts also use, or behave "
                    f"ordinarily; {int(decisions.cluster_flagged_members[k])} members have the "
                    "verdict campaign",
                    value=float(core),
                    baseline=float(sizes[k]),
                ),
                *_synchrony_reason(decisions, k),
                *kept,
            ]
        )
    columns = {
        "score": pa.array(np.round(decisions.cluster_score, 6), pa.float64()),
        "flagged": pa.array(decisions.cluster_flagged, pa.bool_()),
        "behaviour": pa.array(np.round(decisions.cluster_behaviour, 6), pa.float64()),
        "operator": pa.array(np.round(decisions.cluster_operator, 6), pa.float64()),
        "content_share": pa.array(np.round(decisions.cluster_content_share, 6), pa.float64()),
        "together": pa.array(np.round(decisions.cluster_together, 6), pa.float64()),
        "sync_lift": pa.array(np.round(decisions.cluster_lift, 6), pa.float64()),
        "n_core": pa.array(decisions.cluster_core, pa.int64()),
        "n_flagged": pa.array(decisions.cluster_flagged_members, pa.int64()),
        "n_left_out": pa.array(left_low, pa.int64()),
        "reasons": reasons_array(reasons),
    }
    updated = clusters
    for name, values in columns.items():
        updated = updated.set_column(updated.schema.get_field_index(name), name, values)
    return updated.cast(CLUSTERS)


def labelled(table: pa.Table) -> dict[str, tuple[str, str | None]]:
    """``effective_labels`` rows as the mapping :func:`apply` takes."""
    if table.num_rows == 0:
        return {}
    notes = table.column("note") if "note" in table.column_names else pa.nulls(table.num_rows)
    return dict(
        zip(
            table.column("account_id").to_pylist(),
            zip(table.column("label").to_pylist(), notes.to_pylist(), strict=True),
            strict=True,
        )
    )


def nonempty(values: pa.ChunkedArray) -> int:
    """How many values are true."""
    return int(pc.sum(values).as_py() or 0)
