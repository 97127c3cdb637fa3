"""Baselines of an account's own kind: the median and spread of each feature among its peers.

An account is compared with accounts like it, not with one global threshold: a CI key is
compared with other accounts of its tier, programme and endpoint mix. The peer group is the
finest of these levels that holds at least ``min_peers`` *reference* accounts:

1. tier / programme / main endpoint  (``build/startup//v1/chat/completions``)
2. tier / programme
3. tier
4. every account

Reference accounts are those with no absolute evidence (no call carrying an elicitation,
coercion, grading, evasion or rewrite signal): a campaign that fills a peer group would
otherwise become that group's idea of normal.

The comparison is a robust z-score, ``(value - median) / sigma``, signed so that positive is
the suspicious direction, on ``log1p`` of heavy-tailed features. ``sigma`` is the largest of

- ``1.4826 * MAD`` (the usual robust estimate),
- the distance from the median to the peers' 99th percentile (1st for features where low is
  suspicious) divided by 2.326, so that a feature whose peers include a minority at the
  extreme (the few server-side workloads among people's accounts) does not make that
  extreme look anomalous, and
- the feature's floor ``spread`` (:mod:`features`), which keeps a peer group whose members
  all send exactly the same value from turning a tiny difference into a huge score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from distillguard.detect.features import FEATURES, Feature

Matrix = npt.NDArray[np.float64]
MAD_TO_SIGMA: Final = 1.4826
TAIL_QUANTILE: Final = 0.99
TAIL_TO_SIGMA: Final = 2.326  # standard normal quantile at 0.99
LEVELS: Final = ("tier/program/endpoint", "tier/program", "tier", "all")


@dataclass(frozen=True)
class Comparison:
    """Every account's values next to its peers' baselines (rows: accounts, columns: features)."""

    values: Matrix  # as measured
    median: Matrix  # the peer group's median, in the value's units
    z: Matrix  # robust z-score, positive = suspicious direction
    level: tuple[str, ...]  # which peer level each account was compared at
    group: tuple[str, ...]  # the peer group's name
    features: tuple[Feature, ...] = FEATURES  # the registry the columns follow, in order


def _peer_keys(peer: str) -> tuple[str, ...]:
    tier, program, endpoint = [*peer.split("/", 2), "", ""][:3]
    return (f"{tier}/{program}/{endpoint}", f"{tier}/{program}", tier, "all")


def _transform(values: Matrix, features: tuple[Feature, ...]) -> Matrix:
    out = values.copy()
    for j, feature in enumerate(features):
        if feature.log:
            out[:, j] = np.log1p(np.maximum(out[:, j], 0.0))
    return out


def compare(
    values: Matrix,
    peers: list[str],
    reference: npt.NDArray[np.bool_],
    min_peers: int,
    features: tuple[Feature, ...] = FEATURES,
) -> Comparison:
    """Compare every account (row of ``values``, a column per feature of ``features``, in
    order) with its peers."""
    n = values.shape[0]
    clean = np.nan_to_num(values, nan=0.0)
    scaled = _transform(clean, features)
    keys = [_peer_keys(p) for p in peers]
    median_t = np.zeros_like(scaled)
    spread_t = np.ones_like(scaled)
    assigned = np.zeros(n, dtype=bool)
    level = [LEVELS[-1]] * n
    group = ["all"] * n
    floors = np.array([f.spread for f in features])
    higher = np.array([f.higher for f in features])
    for depth, name in enumerate(LEVELS):
        labels = np.array([k[depth] for k in keys])
        for label in np.unique(labels[~assigned]) if (~assigned).any() else []:
            members = (labels == label) & ~assigned
            ref = (labels == label) & reference
            if ref.sum() < min_peers and name != "all":
                continue
            basis = scaled[ref] if ref.any() else scaled[labels == label]
            med = np.median(basis, axis=0)
            mad = np.median(np.abs(basis - med), axis=0) * MAD_TO_SIGMA
            upper = np.quantile(basis, TAIL_QUANTILE, axis=0) - med
            lower = med - np.quantile(basis, 1.0 - TAIL_QUANTILE, axis=0)
            tail = np.where(higher, upper, lower) / TAIL_TO_SIGMA
            median_t[members] = med
            spread_t[members] = np.maximum.reduce([mad, tail, floors, np.full_like(mad, 1e-6)])
            assigned |= members
            for i in np.flatnonzero(members):
                level[i] = name
                group[i] = str(label)
    direction = np.array([1.0 if f.higher else -1.0 for f in features])
    z = (scaled - median_t) / spread_t * direction
    median = median_t.copy()
    for j, feature in enumerate(features):
        if feature.log:
            median[:, j] = np.expm1(median_t[:, j])
    return Comparison(clean, median, z, tuple(level), tuple(group), features)
