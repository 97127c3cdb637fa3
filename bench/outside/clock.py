"""Time: the world's week, and when people and machines are active."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

START = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday
DAYS = 7
RELEASE = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)  # the provider's new model goes live

# Relative activity by local hour for people, office workers and night batches.
PERSON = (2, 1, 0.6, 0.4, 0.3, 0.4, 1, 2, 3, 4, 4.5, 5, 5.5, 5, 5, 5, 5, 5.5, 6, 7, 8, 8, 6, 4)
OFFICE = (
    0.2,
    0.1,
    0.1,
    0.1,
    0.1,
    0.2,
    0.5,
    2,
    6,
    9,
    10,
    9,
    6,
    8,
    10,
    10,
    9,
    7,
    4,
    2,
    1,
    0.8,
    0.5,
    0.3,
)
NIGHTLY = (4, 10, 10, 8, 5, 2, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, 2)
FLAT = (1.0,) * 24

# Typical UTC offset (hours) of each country the world uses.
UTC_OFFSET: dict[str, float] = {
    "US": -6,
    "CA": -5,
    "MX": -6,
    "BR": -3,
    "AR": -3,
    "GB": 0,
    "IE": 0,
    "DE": 1,
    "FR": 1,
    "IT": 1,
    "ES": 1,
    "NL": 1,
    "BE": 1,
    "CH": 1,
    "SE": 1,
    "PL": 1,
    "TR": 3,
    "EG": 2,
    "KE": 3,
    "IN": 5.5,
    "VN": 7,
    "ID": 7,
    "CN": 8,
    "TW": 8,
    "HK": 8,
    "SG": 8,
    "KR": 9,
    "JP": 9,
    "AU": 10,
}


def day_start(day: int) -> datetime:
    return START + timedelta(days=day)


def is_weekend(day: int) -> bool:
    return day_start(day).weekday() >= 5


def at(rng: random.Random, day: int, profile: tuple[float, ...], offset_h: float) -> datetime:
    """One moment of UTC day ``day`` drawn from a local-time activity ``profile``."""
    hour = rng.choices(range(24), weights=profile)[0]
    local = day_start(day) + timedelta(hours=hour, seconds=rng.uniform(0, 3600))
    moment = local - timedelta(hours=offset_h)
    # keep the draw inside the world's week by wrapping onto the same UTC day
    shift = (moment - day_start(day)).total_seconds() % 86_400
    return day_start(day) + timedelta(seconds=shift)


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth for small means, normal approximation for large ones)."""
    if mean <= 0:
        return 0
    if mean > 60:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def in_world(ts: datetime) -> bool:
    return START <= ts < START + timedelta(days=DAYS)
