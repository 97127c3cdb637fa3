"""The Poisson-binomial upper tail: exact where it can be, a conservative bound beyond."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from scipy.stats import binom

from distillguard.watermark.pvalue import EXACT_LIMIT, upper_tail


def brute_force(probabilities: list[float], matches: int) -> float:
    """P(at least ``matches`` successes), summed over every outcome."""
    total = 0.0
    for outcome in itertools.product((0, 1), repeat=len(probabilities)):
        if sum(outcome) >= matches:
            total += math.prod(
                p if hit else 1 - p for p, hit in zip(probabilities, outcome, strict=True)
            )
    return total


def log10_binomial_tail(n: int, p: float, matches: int) -> float:
    """log10 P(Bin(n, p) >= matches), summed in log space (exact where the tail underflows)."""
    logs = [
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
        for k in range(matches, n + 1)
    ]
    top = max(logs)
    return (top + math.log(sum(math.exp(x - top) for x in logs))) / math.log(10)


@pytest.mark.parametrize("seed", range(6))
def test_exact_against_brute_force_enumeration(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 11)
    probabilities = [rng.choice([0.05, 0.17, 0.3, 0.5, 0.83, 0.95, rng.random()]) for _ in range(n)]
    for matches in range(n + 1):
        p_value, log10 = upper_tail(probabilities, matches)
        assert p_value == pytest.approx(brute_force(probabilities, matches), rel=1e-9, abs=1e-15)
        assert log10 == pytest.approx(math.log10(p_value), abs=1e-9)


@pytest.mark.parametrize(("n", "p"), [(1, 0.5), (40, 0.3), (500, 0.83), (5000, 0.07)])
def test_equal_probabilities_match_the_binomial(n: int, p: float) -> None:
    for matches in sorted({1, n // 4, int(n * p), int(n * p) + max(1, n // 50), n // 2, n}):
        if matches == 0:
            continue
        expected = binom.sf(matches - 1, n, p)
        if expected < 1e-290:
            continue
        assert upper_tail([p] * n, matches)[0] == pytest.approx(expected, rel=1e-6, abs=1e-300)


def test_a_mix_of_two_binomials_is_their_convolution() -> None:
    a, b = binom(30, 0.2), binom(20, 0.7)
    for matches in (5, 15, 20, 30, 40):
        expected = sum(a.pmf(i) * b.sf(matches - i - 1) for i in range(31))
        got = upper_tail([0.2] * 30 + [0.7] * 20, matches)[0]
        assert got == pytest.approx(expected, rel=1e-9)


def test_the_order_of_the_probabilities_does_not_matter() -> None:
    probabilities = [0.83, 0.17, 0.5, 0.5, 0.3, 0.7, 0.95] * 5
    shuffled = probabilities[:]
    random.Random(1).shuffle(shuffled)
    assert upper_tail(probabilities, 25) == upper_tail(shuffled, 25)


def test_no_matches_or_no_trials_give_one() -> None:
    assert upper_tail([], 0) == (1.0, 0.0)
    assert upper_tail([0.3, 0.4], 0) == (1.0, 0.0)


@pytest.mark.parametrize(
    ("probabilities", "matches", "message"),
    [
        ([0.5, 0.5], 3, "3 matches among 2 trials"),
        ([], 1, "1 matches among 0 trials"),
        ([0.5, 1.0], 1, "strictly between"),
        ([0.0, 0.5], 1, "strictly between"),
        ([0.5, -0.1], 1, "strictly between"),
        ([0.5, 1.5], 2, "strictly between"),
    ],
)
def test_invalid_input_is_refused(probabilities: list[float], matches: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        upper_tail(probabilities, matches)


def test_every_trial_matching_is_the_product_of_the_probabilities() -> None:
    probabilities = [0.83, 0.5, 0.17, 0.95]
    assert upper_tail(probabilities, 4)[0] == pytest.approx(math.prod(probabilities), rel=1e-12)
    # beyond the exact limit, and where the product underflows, the log is still exact
    many = [0.5] * (EXACT_LIMIT + 1000)
    p_value, log10 = upper_tail(many, len(many))
    assert log10 == pytest.approx(len(many) * math.log10(0.5), rel=1e-12)
    assert p_value == 0.0
    underflowing = [0.3] * 900
    assert upper_tail(underflowing, 900)[1] == pytest.approx(900 * math.log10(0.3), rel=1e-12)


@pytest.mark.parametrize("n", [EXACT_LIMIT + 1, 30_000])
def test_the_bound_beyond_the_exact_limit_is_conservative(n: int) -> None:
    p = 0.4
    mean = n * p
    for excess in (0.005, 0.01, 0.02, 0.05):
        matches = int(mean + excess * n)
        p_value, log10 = upper_tail([p] * n, matches)
        true = binom.sf(matches - 1, n, p)
        assert p_value >= true
        assert p_value <= 1.0
        assert log10 <= 0.0
        # a Chernoff bound is within a few orders of magnitude here, not a vacuous 1
        if true < 1e-10:
            assert log10 < math.log10(true) / 2
    assert upper_tail([p] * n, int(mean))[0] == 1.0
    assert upper_tail([p] * n, int(mean) - 100)[0] == 1.0


def test_the_bound_where_the_exact_tail_underflows_is_conservative() -> None:
    n, p = 4000, 0.5
    assert upper_tail([p] * n, 3000)[1] == pytest.approx(log10_binomial_tail(n, p, 3000))
    for matches in (3300, 3500, 3999):
        p_value, log10 = upper_tail([p] * n, matches)
        true = log10_binomial_tail(n, p, matches)
        assert true < -300  # the exact computation underflows here
        assert p_value < 1e-300
        assert log10 >= true
        assert log10 < true * 0.9  # and the bound is close in log


def test_the_bound_is_monotone_in_the_number_of_matches() -> None:
    probabilities = [0.83] * 12_000 + [0.17] * 6_000 + [0.5] * 4_000
    assert len(probabilities) > EXACT_LIMIT
    mean = 0.83 * 12_000 + 0.17 * 6_000 + 0.5 * 4_000
    logs = [upper_tail(probabilities, m)[1] for m in range(int(mean) - 50, len(probabilities), 97)]
    logs.append(upper_tail(probabilities, len(probabilities))[1])
    assert all(a >= b for a, b in itertools.pairwise(logs))
    assert logs[0] == 0.0
    assert logs[-1] < -1000


def test_the_exact_tail_is_monotone_and_at_most_one() -> None:
    probabilities = [0.88, 0.12, 0.5, 0.57, 0.43] * 40
    values = [upper_tail(probabilities, m)[0] for m in range(len(probabilities) + 1)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(a >= b for a, b in itertools.pairwise(values))
