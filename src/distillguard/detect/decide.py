"""Deciding, apart from scoring: thresholds from the settings turn scores into verdicts.

- A cluster is flagged when its score reaches ``detect.cluster_threshold`` *and* it has
  decisive evidence: at least ``detect.cluster_content_share`` of its members carry content
  signals (elicitation, coercion, grading, evasion, rewriting), or its operator side reaches
  ``detect.cluster_operator`` (many unverified accounts behind shared cards or addresses).
- A member of a flagged cluster is flagged with it (verdict ``campaign``) when its own score
  reaches ``detect.member_floor`` or it is *tied to the operator*: its ties reach
  :data:`OPERATOR_TIES`, counting 2 for a shared card, 1 per address shared on a day others
  used it, and 1 each for a shared uncommon e-mail domain and a creation burst. An ordinary
  account that only sends the pool's popular prompt, or whose home address was once a
  residential proxy's exit, is not swept in.
- An account is flagged on its own (verdict ``suspicious``) when its score reaches
  ``detect.account_threshold``.
- Everything else is ``clear``.

Changing a threshold changes verdicts without re-running the scan's costly stages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from distillguard.settings import Settings


@dataclass(frozen=True)
class Thresholds:
    account: float
    cluster: float
    member_floor: float
    content_share: float
    operator: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        return cls(
            settings.number("detect.account_threshold"),
            settings.number("detect.cluster_threshold"),
            settings.number("detect.member_floor"),
            settings.number("detect.cluster_content_share"),
            settings.number("detect.cluster_operator"),
        )


OPERATOR_TIES = 2
TIE_WEIGHTS = {"payment": 2, "ip": 1}  # per shared entity
SUPPORTING_TIES = ("email_domain", "creation_burst")  # 1 each, once


def tied_by_operator(links: pa.Table, index: dict[str, int]) -> npt.NDArray[np.bool_]:
    """Per account: whether its ties to an operator reach :data:`OPERATOR_TIES` (see above)."""
    ties = np.zeros(len(index), dtype=np.int64)
    supporting: set[tuple[int, str]] = set()
    accounts = links.column("account_id").to_pylist()
    for account, kind in zip(accounts, links.column("kind").to_pylist(), strict=True):
        i = index[account]
        if kind in TIE_WEIGHTS:
            ties[i] += TIE_WEIGHTS[kind]
        elif kind in SUPPORTING_TIES and (i, kind) not in supporting:
            supporting.add((i, kind))
            ties[i] += 1
    result: npt.NDArray[np.bool_] = ties >= OPERATOR_TIES
    return result


@dataclass(frozen=True)
class ClusterEvidence:
    """Per cluster: its score, operator side and share of members with content signals."""

    score: npt.NDArray[np.float64]
    operator: npt.NDArray[np.float64]
    content_share: npt.NDArray[np.float64]


@dataclass(frozen=True)
class Decisions:
    flagged: npt.NDArray[np.bool_]
    verdict: list[str]
    cluster_flagged: npt.NDArray[np.bool_]


def decide(
    account_scores: npt.NDArray[np.float64],
    tied: npt.NDArray[np.bool_],
    clusters: ClusterEvidence,
    cluster_of: npt.NDArray[np.int64],
    thresholds: Thresholds,
) -> Decisions:
    """Verdicts for every account; ``cluster_of`` is each account's cluster index or -1."""
    decisive = (clusters.content_share >= thresholds.content_share) | (
        clusters.operator >= thresholds.operator
    )
    cluster_flagged = (clusters.score >= thresholds.cluster) & decisive
    in_flagged = np.zeros(len(account_scores), dtype=bool)
    linked = cluster_of >= 0
    if len(clusters.score):
        in_flagged[linked] = cluster_flagged[cluster_of[linked]]
    eligible = (account_scores >= thresholds.member_floor) | tied
    campaign = in_flagged & eligible
    alone = account_scores >= thresholds.account
    verdict = [
        "campaign" if c else "suspicious" if a else "clear"
        for c, a in zip(campaign.tolist(), alone.tolist(), strict=True)
    ]
    return Decisions(campaign | alone, verdict, cluster_flagged)
