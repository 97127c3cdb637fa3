"""Deciding, apart from scoring: thresholds from the settings turn scores into verdicts.

- A cluster is flagged when its score reaches ``detect.cluster_threshold``.
- A member of a flagged cluster is flagged with it (verdict ``campaign``) when its own score
  reaches ``detect.member_floor``: an ordinary account that only shares, say, a carrier's NAT
  address with a pool is not swept in.
- An account is flagged on its own (verdict ``suspicious``) when its score reaches
  ``detect.account_threshold``.
- Everything else is ``clear``.

Changing a threshold changes verdicts without re-running the scan's costly stages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from distillguard.settings import Settings


@dataclass(frozen=True)
class Thresholds:
    account: float
    cluster: float
    member_floor: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        return cls(
            settings.number("detect.account_threshold"),
            settings.number("detect.cluster_threshold"),
            settings.number("detect.member_floor"),
        )


@dataclass(frozen=True)
class Decisions:
    flagged: npt.NDArray[np.bool_]
    verdict: list[str]
    cluster_flagged: npt.NDArray[np.bool_]


def decide(
    account_scores: npt.NDArray[np.float64],
    cluster_scores: npt.NDArray[np.float64],
    cluster_of: npt.NDArray[np.int64],
    thresholds: Thresholds,
) -> Decisions:
    """Verdicts for every account; ``cluster_of`` is each account's cluster index or -1."""
    cluster_flagged = cluster_scores >= thresholds.cluster
    in_flagged = np.zeros(len(account_scores), dtype=bool)
    linked = cluster_of >= 0
    if len(cluster_scores):
        in_flagged[linked] = cluster_flagged[cluster_of[linked]]
    campaign = in_flagged & (account_scores >= thresholds.member_floor)
    alone = account_scores >= thresholds.account
    verdict = [
        "campaign" if c else "suspicious" if a else "clear"
        for c, a in zip(campaign.tolist(), alone.tolist(), strict=True)
    ]
    return Decisions(campaign | alone, verdict, cluster_flagged)
