"""Account scores in [0, 1], with the reasons behind them; no decisions here.

Each feature becomes *evidence* in [0, 1]:

- a relative feature by how far its robust z-score against the peer baseline goes past
  ``detect.z_start`` (0 at ``z_start``, 1 at ``detect.z_full``);
- an absolute feature (a share of calls carrying a content signal) by its share between
  ``detect.content_min_share`` and ``detect.content_full_share``, once at least
  ``detect.content_min_calls`` calls carry it.

A family's score is its strongest feature's evidence. The account score combines the
families as independent pieces of evidence (a noisy-OR): ``1 - prod(1 - weight * family)``,
with the weights of :data:`FAMILY_WEIGHTS`. Only the content family can reach a high score
alone; the behavioural families (the ones legitimate look-alikes share) need each other, or
the cluster their account sits in (``clusters.py``), to add up.

An unsupervised anomaly model (scikit-learn's isolation forest over the peer-relative
z-scores) is one more family: it notices unusual *combinations* no single feature flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from sklearn.ensemble import IsolationForest

from distillguard.detect.baselines import Comparison, Matrix
from distillguard.detect.core import Reason, rounded
from distillguard.settings import Settings

FAMILY_WEIGHTS: Final = MappingProxyType(
    {
        "content": 0.9,
        "harvesting": 0.35,
        "lifecycle": 0.35,
        "infrastructure": 0.3,
        "identity": 0.3,
        "template": 0.25,
        "anomaly": 0.25,
        "capability": 0.2,
        "clock": 0.2,
        "volume": 0.2,
        "conversation": 0.15,
    }
)
"""How much each family's evidence counts in the account score (see the module doc)."""

ANOMALY_START: Final = 0.55  # isolation-forest score (0.5 = ordinary) where evidence begins
ANOMALY_FULL: Final = 0.75
ANOMALY_TREES: Final = 200
Z_CLIP: Final = 20.0


@dataclass(frozen=True)
class Scores:
    """Per account: evidence per feature, per family, the anomaly evidence and the score."""

    evidence: Matrix  # accounts x features
    families: dict[str, npt.NDArray[np.float64]]
    anomaly: npt.NDArray[np.float64]
    score: npt.NDArray[np.float64]


def feature_evidence(
    comparison: Comparison, n_calls: npt.NDArray[np.float64], settings: Settings
) -> Matrix:
    """Evidence in [0, 1] per account and feature (see the module doc)."""
    z_start = float(settings["detect.z_start"])
    z_full = float(settings["detect.z_full"])
    low = float(settings["detect.content_min_share"])
    high = float(settings["detect.content_full_share"])
    min_calls = float(settings["detect.content_min_calls"])
    evidence = np.zeros_like(comparison.z)
    for j, feature in enumerate(comparison.features):
        if feature.compare == "absolute":
            share = comparison.values[:, j]
            ramp = np.clip((share - low) / max(high - low, 1e-9), 0.0, 1.0)
            evidence[:, j] = np.where((share >= low) & (share * n_calls >= min_calls), ramp, 0.0)
        else:
            evidence[:, j] = np.clip(
                (comparison.z[:, j] - z_start) / max(z_full - z_start, 1e-9), 0.0, 1.0
            )
    return evidence


def anomaly_evidence(comparison: Comparison, seed: int) -> npt.NDArray[np.float64]:
    """Evidence in [0, 1] from an isolation forest over the peer-relative z-scores."""
    columns = [j for j, f in enumerate(comparison.features) if f.compare == "relative"]
    data = np.clip(comparison.z[:, columns], -Z_CLIP, Z_CLIP)
    if data.shape[0] < 2:
        return np.zeros(data.shape[0])
    forest = IsolationForest(n_estimators=ANOMALY_TREES, random_state=seed)
    forest.fit(data)
    raw = -forest.score_samples(data)
    result: npt.NDArray[np.float64] = np.clip(
        (raw - ANOMALY_START) / (ANOMALY_FULL - ANOMALY_START), 0.0, 1.0
    )
    return result


def combine(families: dict[str, npt.NDArray[np.float64]]) -> npt.NDArray[np.float64]:
    """Noisy-OR of the weighted family scores."""
    first = next(iter(families.values()))
    keep = np.ones_like(first)
    for family, values in families.items():
        keep *= 1.0 - FAMILY_WEIGHTS[family] * values
    result: npt.NDArray[np.float64] = 1.0 - keep
    return result


def score_accounts(
    comparison: Comparison, n_calls: npt.NDArray[np.float64], settings: Settings
) -> Scores:
    """Evidence, family scores and account scores for every compared account."""
    evidence = feature_evidence(comparison, n_calls, settings)
    families: dict[str, npt.NDArray[np.float64]] = {}
    for j, feature in enumerate(comparison.features):
        current = families.get(feature.family, np.zeros(evidence.shape[0]))
        families[feature.family] = np.maximum(current, evidence[:, j])
    anomaly = anomaly_evidence(comparison, settings.integer("detect.seed"))
    families["anomaly"] = anomaly
    return Scores(evidence, families, anomaly, combine(families))


def account_reasons(
    i: int,
    comparison: Comparison,
    scores: Scores,
    examples: dict[str, list[Any]],
    limit: int,
) -> list[Reason]:
    """The reasons behind account ``i``'s score, strongest first (at most ``limit``)."""
    reasons: list[Reason] = []
    for j, feature in enumerate(comparison.features):
        strength = float(scores.evidence[i, j])
        if strength <= 0.0:
            continue
        example = (
            examples[f"ex_{feature.signal}"][i] if f"ex_{feature.signal}" in examples else None
        )
        absolute = feature.compare == "absolute"
        reasons.append(
            Reason(
                "signal" if absolute else "feature",
                feature.name,
                feature.catches,
                value=rounded(comparison.values[i, j]),
                baseline=rounded(comparison.median[i, j]),
                evidence=rounded(strength * FAMILY_WEIGHTS[feature.family]),
                family=feature.family,
                peer=comparison.group[i],
                z=None if absolute else rounded(comparison.z[i, j], 2),
                examples=(example,) if example else (),
            )
        )
    if scores.anomaly[i] > 0:
        reasons.append(
            Reason(
                "anomaly",
                "isolation_forest",
                "Unusual combination of features for its peer group "
                "(isolation forest over the peer-relative z-scores).",
                value=rounded(scores.anomaly[i]),
                baseline=0.0,
                evidence=rounded(scores.anomaly[i] * FAMILY_WEIGHTS["anomaly"]),
                family="anomaly",
                peer=comparison.group[i],
            )
        )
    reasons.sort(key=lambda r: -(r.evidence or 0.0))
    return reasons[:limit]
