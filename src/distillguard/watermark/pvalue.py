"""The upper tail of a sum of independent Bernoulli trials (a Poisson-binomial).

Under the null hypothesis every tested occurrence matches the key's choice independently,
with the natural share of the variant it shows; the number of matches is then
Poisson-binomial, and the p-value is ``P(M >= matches)``.

The shares take few distinct values (one per variant of the table), so the distribution is a
convolution of binomials, computed exactly in floating point up to ``EXACT_LIMIT`` trials.
Beyond it, or where the exact tail underflows, the Chernoff bound is used: it is never
smaller than the true tail, so the p-value stays valid (only conservative).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Final

import numpy as np

EXACT_LIMIT: Final = 20_000
_TINY: Final = 1e-300


def _binomial_pmf(n: int, p: float) -> np.ndarray:
    k = np.arange(n + 1, dtype=np.float64)
    log_choose = np.concatenate(([0.0], np.cumsum(np.log(n - k[1:] + 1) - np.log(k[1:]))))
    with np.errstate(divide="ignore"):
        logs = log_choose + k * math.log(p) + (n - k) * math.log1p(-p)
    return np.exp(logs)


def _exact_tail(groups: Counter[float], matches: int) -> float:
    pmf = np.ones(1)
    for p, n in sorted(groups.items()):
        pmf = np.convolve(pmf, _binomial_pmf(n, p))
    return float(min(1.0, pmf[matches:].sum()))


def _log_chernoff(groups: Counter[float], matches: int) -> float:
    """Natural log of the Chernoff bound on ``P(M >= matches)`` (for matches above the mean)."""
    probs = np.array(list(groups.keys()))
    counts = np.array(list(groups.values()), dtype=np.float64)
    if matches >= counts.sum():  # every trial succeeds: the tail is exactly the product
        return float((counts * np.log(probs)).sum())

    def mean_at(t: float) -> float:
        tilted = probs * math.exp(t)
        return float((counts * tilted / (1 - probs + tilted)).sum())

    low, high = 0.0, 1.0
    while mean_at(high) < matches and high < 512:
        high *= 2
    for _ in range(100):
        middle = (low + high) / 2
        if mean_at(middle) < matches:
            low = middle
        else:
            high = middle
    t = high
    log_mgf = float((counts * np.log1p(probs * math.expm1(t))).sum())
    return min(0.0, log_mgf - t * matches)


def upper_tail(probabilities: Iterable[float], matches: int) -> tuple[float, float]:
    """``(p_value, log10_p_value)`` of at least ``matches`` successes among the trials."""
    groups = Counter(probabilities)
    total = sum(groups.values())
    if matches <= 0:
        return 1.0, 0.0
    if matches > total:
        raise ValueError(f"{matches} matches among {total} trials")
    if any(not 0.0 < p < 1.0 for p in groups):
        raise ValueError("every null probability must lie strictly between 0 and 1")
    mean = sum(p * n for p, n in groups.items())
    if total <= EXACT_LIMIT:
        tail = _exact_tail(groups, matches)
        if tail > _TINY:
            return tail, math.log10(tail)
    if matches <= mean:
        return 1.0, 0.0
    log10 = _log_chernoff(groups, matches) / math.log(10)
    return 10.0**log10, log10
