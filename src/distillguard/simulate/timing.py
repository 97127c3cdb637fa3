"""When accounts call: daily and weekly shapes, nightly runs, release days, probe phases.

``account_rates`` gives, for one hour of the period, each account's relative activity:
its weight, times the shape of its population's timing at the account's local hour and
weekday, times whether the account is active then. Shapes are relative (the plan normalises
them into session counts). Release hours and model choice over time live here too, since
they are timing: who moves to a new model, and how fast.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from distillguard.simulate.plan import Group
    from distillguard.simulate.scenario import Scenario

Floats = npt.NDArray[np.float64]

#: People's activity by local hour (0-23): low at night, peaks late morning and evening.
DIURNAL: Final = np.array(
    [0.25, 0.15, 0.1, 0.07, 0.06, 0.08, 0.18, 0.35, 0.6, 0.85, 1.0, 1.0,
     0.95, 0.95, 1.0, 1.0, 0.95, 0.9, 0.85, 0.85, 0.8, 0.7, 0.55, 0.4]
)  # fmt: skip
#: Working hours on working days.
OFFICE: Final = np.array(
    [0.03, 0.02, 0.02, 0.02, 0.02, 0.03, 0.08, 0.3, 0.75, 1.0, 1.0, 0.95,
     0.8, 0.95, 1.0, 1.0, 0.9, 0.7, 0.4, 0.2, 0.12, 0.08, 0.05, 0.04]
)  # fmt: skip
NIGHTLY_HOURS: Final = (1, 6)  # local hours a nightly suite runs in, end exclusive
PROBE_VOLUME: Final = 0.12  # probe-phase volume relative to the scale-up
RETARGET_HOURS: Final = 12.0  # a retargeting campaign moves within this long of a release
OUTAGE_HOURS: Final = (1.0, 4.0)  # how long another provider's outage lasts
OUTAGE_EVERY_DAYS: Final = 2  # one outage of another provider per this many days
FAILOVER_IDLE: Final = 0.002  # a fallback's health checks outside outages, relative to them


def outages(scenario: Scenario) -> tuple[tuple[float, float], ...]:
    """Hours (from, to) when another provider is down, the same for all its customers."""
    rng = random.Random(f"{scenario.seed}:outages")
    count = max(1, scenario.days // OUTAGE_EVERY_DAYS)
    starts = sorted(rng.uniform(0, scenario.hours - OUTAGE_HOURS[1]) for _ in range(count))
    return tuple((start, start + rng.uniform(*OUTAGE_HOURS)) for start in starts)


def release_hour(scenario: Scenario) -> float | None:
    """Hours from the period's start to the first model released during it."""
    for model in scenario.models:
        if scenario.start < model.released < scenario.end:
            return (model.released - scenario.start).total_seconds() / 3600
    return None


def _local(scenario: Scenario, hour: int, tz: npt.NDArray[np.int64]) -> tuple[Floats, Floats]:
    """Local hour of day and weekday (Monday 0) of each account for period hour ``hour``."""
    utc = scenario.start.hour + hour + tz
    weekday = (scenario.start.weekday() + np.floor_divide(utc, 24)) % 7
    return np.mod(utc, 24).astype(np.float64), weekday.astype(np.float64)


def account_rates(scenario: Scenario, group: Group, hour: int) -> Floats:
    """Relative activity of each of ``group``'s accounts during period hour ``hour``."""
    profile = group.profile
    mid = hour + 0.5
    active = (group.active_from <= mid) & (mid < group.active_to)
    rates = group.weight * active
    timing = profile.timing
    if timing in ("diurnal", "office"):
        local, weekday = _local(scenario, hour, group.tz)
        shape = (DIURNAL if timing == "diurnal" else OFFICE)[local.astype(np.int64)]
        rates = rates * shape * np.where(weekday >= 5, profile.weekend, 1.0)
    elif timing == "nightly":
        local, _ = _local(scenario, hour, group.tz)
        night = (local >= NIGHTLY_HOURS[0]) & (local < NIGHTLY_HOURS[1])
        release = release_hour(scenario)
        release_day = release is not None and release <= mid < release + 24
        rates = rates * (1.0 if release_day else night.astype(np.float64))
    if profile.failover:  # all its fallback customers at once, whenever that provider is down
        down = any(start <= mid < end for start, end in outages(scenario))
        rates = rates * (1.0 if down else FAILOVER_IDLE)
    if profile.text == "probe":
        span = profile.end - profile.start
        if mid < (profile.start + profile.probe_share * span) * scenario.hours:
            rates = rates * PROBE_VOLUME
    return np.asarray(rates, dtype=np.float64)


def in_probe_phase(scenario: Scenario, group: Group, at_hour: float) -> bool:
    """Whether a probe-then-scale population is still probing at ``at_hour``."""
    profile = group.profile
    span = profile.end - profile.start
    return at_hour < (profile.start + profile.probe_share * span) * scenario.hours


def new_model_share(group: Group, at_hour: float, release: float | None) -> float:
    """Share of ``group``'s calls at ``at_hour`` that go to a model released at ``release``."""
    if release is None or at_hour < release:
        return 0.0
    since = at_hour - release
    profile = group.profile
    if profile.retarget > 0:
        return profile.retarget * min(1.0, since / RETARGET_HOURS)
    if profile.adoption_days <= 0:
        return 0.8 if since < 24 else 0.5
    return min(0.9, 1.0 - math.pow(2.0, -since / 24 / profile.adoption_days))
