"""Deciding, apart from scoring: one :class:`Policy` turns stored evidence into verdicts.

Everything here reads evidence the scan persisted (``account_scores``: score, content, tie,
operator ties, cluster, label; ``clusters``: coordination), so ``distillguard decide``
re-applies changed thresholds or new analyst labels in seconds, without re-running the
costly stages.

- A member's **own evidence** for its cluster: its score, or its own synchrony with the
  other members (:mod:`synchrony`: the minutes it was active in step with them, against the
  chance of independent accounts active in the same hours) beside a specific card or
  address it shares with them, reaches ``detect.member_floor`` *and* its tie to the cluster
  (:mod:`ties`) reaches ``detect.member_tie``; or its strong,
  specific operator ties (a card, two addresses used almost only by the pool) reach
  :data:`~distillguard.detect.ties.OPERATOR_TIES`. Members with neither are *left out*: an
  ordinary account that shares a cloud egress address, a public benchmark prompt or one home
  line with a pool is never flagged for it.
- A cluster is judged on its **core** (the members with own evidence), never on bystanders:
  ``behaviour = 1 - (1 - m) ** (1 + c * log2(n) / 2)`` over the core's mean score ``m`` and
  size ``n``, with the cluster's specificity-weighted coordination ``c``; ``operator =
  c_op * min(1, log10(n)) * (0.25 + 0.75 * u)`` with ``u`` the core's share of disposable
  identities: unverified, or fresh (signed up just before first use; a pool can pass
  verification on fresh accounts as easily as it buys them);
  ``together`` is the synchrony of the core, what its accounts did *together*: acting in the
  same minutes far more often than accounts active in the same hours do by chance;
  ``score = 1 - (1 - behaviour) * (1 - operator) * (1 - together)``. It is flagged when the
  score reaches
  ``detect.cluster_threshold`` and it has decisive evidence: at least
  ``detect.cluster_content_share`` of its core carries content signals, or the operator side
  reaches ``detect.cluster_operator``. The operator side is there because a relay's tell is
  its accounts and infrastructure, not its text; but it means a core of disposable identities
  behind one specific card can be flagged with nothing its members did — the red-team world
  (``bench.redteam``, ``docs/detection.md``, "Quality") shows a legitimate team onboarded on
  one card flagged that way.
- Core members of a flagged cluster: verdict ``campaign``. An account is flagged on its own
  (``suspicious``) when its score reaches ``detect.account_threshold``.
- **Labels** win: an analyst's benign label (or a trusted org) makes the verdict ``clear``;
  a campaign label makes it ``campaign``. ``model_verdict`` keeps what the evidence alone
  said, so ``eval`` can report what the labels changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from distillguard.detect.synchrony import SyncPolicy, synchrony_evidence
from distillguard.detect.ties import OPERATOR_TIES
from distillguard.settings import Settings

VERIFIED_OPERATOR = 0.25  # how much of the operator side a fully verified core keeps

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Policy:
    """Every threshold a verdict depends on, from the settings (``detect.*``)."""

    account: float
    cluster: float
    member_floor: float
    member_tie: float
    content_share: float
    operator: float
    sync: SyncPolicy

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(
            settings.number("detect.account_threshold"),
            settings.number("detect.cluster_threshold"),
            settings.number("detect.member_floor"),
            settings.number("detect.member_tie"),
            settings.number("detect.cluster_content_share"),
            settings.number("detect.cluster_operator"),
            SyncPolicy.from_settings(settings),
        )


@dataclass(frozen=True)
class AccountEvidence:
    """Per account, as persisted in ``account_scores``; ``cluster`` is an index or -1."""

    score: Floats
    content: Bools
    unverified: Floats
    tie: Floats
    operator_ties: Floats
    cluster: npt.NDArray[np.int64]
    label: list[str | None]
    fresh: Bools  # signed up just before its first call (``detect.fresh_days``)
    operator_links: npt.NDArray[np.int64]  # specific cards and addresses shared (ties.py)
    sync_observed: Floats  # minutes shared with other members of its cluster (synchrony.py)
    sync_expected: Floats  # the same expected by chance


@dataclass(frozen=True)
class ClusterEvidence:
    """Per cluster, as persisted in ``clusters``: coordination over all and operator links."""

    coordination: Floats
    operator_coordination: Floats


@dataclass(frozen=True)
class Decisions:
    verdict: list[str]
    model_verdict: list[str]
    flagged: Bools
    core: Bools  # member with own evidence for its cluster
    cluster_score: Floats
    cluster_behaviour: Floats
    cluster_operator: Floats
    cluster_content_share: Floats
    cluster_together: Floats  # synchrony evidence of the core
    cluster_lift: Floats  # the core's coincident minutes over chance
    member_sync: Floats  # each account's own synchrony evidence with its cluster
    cluster_flagged: Bools
    cluster_core: npt.NDArray[np.int64]  # members with own evidence
    cluster_flagged_members: npt.NDArray[np.int64]


def member_synchrony(accounts: AccountEvidence, policy: Policy) -> Floats:
    """Per account: the evidence of its own minutes in step with its cluster's others."""
    clustered = accounts.cluster >= 0
    sizes = np.bincount(accounts.cluster[clustered], minlength=1)
    tests = np.where(clustered, sizes[np.where(clustered, accounts.cluster, 0)], 1)
    return synchrony_evidence(
        accounts.sync_observed, accounts.sync_expected, policy.sync, tests.astype(np.float64)
    )


def own_evidence(accounts: AccountEvidence, policy: Policy) -> Bools:
    """Per account: whether its own behaviour or specific ties support its cluster's verdict."""
    # in step with the pool counts as own evidence only beside a card or address of the pool
    in_step = (member_synchrony(accounts, policy) >= policy.member_floor) & (
        accounts.operator_links >= 1
    )
    own = (accounts.score >= policy.member_floor) | in_step
    behaviour = own & (accounts.tie >= policy.member_tie)
    result: Bools = (accounts.cluster >= 0) & (
        behaviour | (accounts.operator_ties >= OPERATOR_TIES)
    )
    return result


def cluster_sides(
    coordination: float,
    operator_coordination: float,
    scores: Floats,
    disposable: Floats,
    together: float = 0.0,
) -> tuple[float, float, float]:
    """Behaviour side, operator side and score of one cluster's core (module doc);
    ``together`` is the core's synchrony evidence."""
    n = len(scores)
    if n == 0:
        return 0.0, 0.0, 0.0
    m = float(np.mean(scores))
    behaviour = 1.0 - (1.0 - m) ** (1.0 + coordination * math.log2(max(n, 1)) / 2.0)
    trust = VERIFIED_OPERATOR + (1.0 - VERIFIED_OPERATOR) * float(np.mean(disposable))
    operator = operator_coordination * min(1.0, math.log10(max(n, 1))) * trust
    score = 1.0 - (1.0 - behaviour) * (1.0 - operator) * (1.0 - together)
    return behaviour, operator, score


def decide(accounts: AccountEvidence, clusters: ClusterEvidence, policy: Policy) -> Decisions:
    """Verdicts for every account and cluster (module doc)."""
    n_clusters = len(clusters.coordination)
    core = own_evidence(accounts, policy)
    behaviour = np.zeros(n_clusters)
    operator = np.zeros(n_clusters)
    score = np.zeros(n_clusters)
    content_share = np.zeros(n_clusters)
    together = np.zeros(n_clusters)
    lift = np.zeros(n_clusters)
    core_size = np.zeros(n_clusters, dtype=np.int64)
    core_index = np.flatnonzero(core)
    order = core_index[np.argsort(accounts.cluster[core_index], kind="stable")]
    groups = np.split(order, np.flatnonzero(np.diff(accounts.cluster[order])) + 1)
    for members in groups:
        if len(members) == 0:
            continue
        k = int(accounts.cluster[members[0]])
        # a shared minute shows in two members' counts or more: halved, it counts about once
        observed = float(accounts.sync_observed[members].sum()) / 2.0
        expected = float(accounts.sync_expected[members].sum()) / 2.0
        together[k] = float(synchrony_evidence(observed, expected, policy.sync))
        lift[k] = observed / expected if expected > 0 else 0.0
        behaviour[k], operator[k], score[k] = cluster_sides(
            float(clusters.coordination[k]),
            float(clusters.operator_coordination[k]),
            accounts.score[members],
            np.maximum(accounts.unverified[members], accounts.fresh[members]),
            together[k],
        )
        content_share[k] = float(accounts.content[members].mean())
        core_size[k] = len(members)
    decisive = (content_share >= policy.content_share) | (operator >= policy.operator)
    cluster_flagged = (score >= policy.cluster) & decisive & (core_size >= 2)
    in_flagged = np.zeros(len(accounts.score), dtype=bool)
    linked = accounts.cluster >= 0
    if n_clusters:
        in_flagged[linked] = cluster_flagged[accounts.cluster[linked]]
    campaign = in_flagged & core
    alone = accounts.score >= policy.account
    model = [
        "campaign" if c else "suspicious" if a else "clear"
        for c, a in zip(campaign.tolist(), alone.tolist(), strict=True)
    ]
    verdict = [
        "clear" if label == "benign" else "campaign" if label == "campaign" else m
        for m, label in zip(model, accounts.label, strict=True)
    ]
    flagged = np.array([v != "clear" for v in verdict], dtype=bool)
    flagged_members = np.zeros(n_clusters, dtype=np.int64)
    is_campaign = np.array([v == "campaign" for v in verdict], dtype=bool)
    if n_clusters:
        np.add.at(flagged_members, accounts.cluster[linked & is_campaign], 1)
    return Decisions(
        verdict,
        model,
        flagged,
        core,
        score,
        behaviour,
        operator,
        content_share,
        together,
        lift,
        member_synchrony(accounts, policy),
        cluster_flagged,
        core_size,
        flagged_members,
    )
