"""The plan of a scenario: every account, its infrastructure, and how many sessions each hour.

Building a plan draws everything that must stay the same for the whole run — accounts and
their sign-up records, addresses, user agents, keys, activity weights, active windows — and
the number of sessions each population starts in each hour of the period. Hours are then
generated independently (``traffic.py``), in any order or process, from the plan and the
hour's own seed, so the output does not depend on how the work is spread.

Activity is modelled per account and hour as ``weight * shape(local hour, weekday) * active``
(``timing.py``); a population's sessions are spread over its hours in proportion to the sum of
that rate, and each hour's count is a Poisson draw around its share.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from distillguard.simulate.addresses import RESIDENTIAL, AddressPlan
from distillguard.simulate.identity import (
    AGENTS,
    COUNTRIES,
    choose,
    email_domain,
    hex_id,
)
from distillguard.simulate.populations import Profile
from distillguard.simulate.scenario import Pool, Population, Scenario
from distillguard.simulate.timing import account_rates

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

_PAST_DAYS: Final = 400.0
_WAVE_HOURS: Final = 6.0  # replacement accounts are created in batches this far apart
_MAX_WEIGHT: Final = 400.0  # cap on one account's activity relative to the smallest
_IPV6_SHARE: Final = 0.15  # residential addresses drawn as IPv6
_COHORT_HOURS: Final = 2.0  # a cohort's sign-ups all fall within this long
_HOME_ADDRESSES: Final = 2  # addresses of a pool an account living on it uses

#: A pool's addresses with the country each looks up to.
PoolAddresses = tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class Group:
    """One population's accounts, as parallel arrays / lists (index = account within group)."""

    population: Population
    ids: tuple[str, ...]
    records: tuple[dict[str, Any], ...]  # sign-up records (accounts file rows)
    weight: Floats
    tz: Ints  # UTC offset in hours
    active_from: Floats  # hours since the period's start
    active_to: Floats
    languages: tuple[str, ...]
    endpoints: tuple[str, ...]
    temperatures: tuple[float | None, ...]
    apps: Ints  # app / benchmark-suite number of the account
    ips: tuple[tuple[str, ...], ...]
    agents: tuple[tuple[str, ...], ...]
    keys: tuple[tuple[str, ...], ...]
    orgs: tuple[str, ...]
    sessions: Ints  # sessions started in each hour of the period
    # Shared pools the population sends calls from: (cumulative share of calls, addresses).
    egress: tuple[tuple[float, tuple[str, ...]], ...] = ()

    @property
    def profile(self) -> Profile:
        return self.population.profile


@dataclass(frozen=True)
class Plan:
    scenario: Scenario
    groups: tuple[Group, ...]

    def accounts(self) -> int:
        return sum(len(g.ids) for g in self.groups)


def _weights_array(profile: Profile, n: int, rng: np.random.Generator) -> Floats:
    if profile.tail <= 0:
        return np.ones(n)
    raw = rng.pareto(profile.tail, n) + 1.0
    return np.minimum(raw, _MAX_WEIGHT)


def _windows(
    profile: Profile, n: int, hours: int, rng: random.Random
) -> tuple[list[float], list[float], list[float]]:
    """Per account: created (hours since start, may be negative), active from, active to."""
    first, last = profile.start * hours, profile.end * hours
    created: list[float] = []
    starts: list[float] = []
    ends: list[float] = []
    if profile.lifetime_days > 0:
        life = profile.lifetime_days * 24
        slots = max(1, math.ceil(n / (1 + (last - first) / life)))
        chains = [first - rng.uniform(0, life) for _ in range(slots)]
        slot = 0
        while len(starts) < n:
            begin = chains[slot]
            if begin >= last:  # every chain ran to the end: add a slot
                chains.append(first + rng.uniform(0, last - first))
                slot = len(chains) - 1
                continue
            span = life * rng.uniform(0.5, 1.5)
            on = max(begin, first)
            starts.append(on)
            ends.append(min(begin + span, last))
            batch = math.floor(on / _WAVE_HOURS) * _WAVE_HOURS
            created.append(min(on, batch + rng.uniform(0, 1.0)) - rng.uniform(0.05, 0.5))
            chains[slot] = begin + span + rng.uniform(0.02, 1.0)
            slot = (slot + 1) % len(chains)
        return created, starts, ends
    cohort = first + rng.uniform(0, 0.5 * (last - first)) if profile.created == "cohort" else 0.0
    for _ in range(n):
        if profile.created == "cohort":  # the class signs up together, then starts at once
            when = cohort + rng.uniform(0, _COHORT_HOURS)
        elif profile.created == "waves":
            wave = rng.choice((-72.0, -48.0, -24.0, first, first + 0.25 * (last - first)))
            when = wave + rng.uniform(0, 1.5)
        elif profile.created == "fresh":
            when = first + rng.uniform(0, 0.3 * (last - first)) - rng.uniform(0.1, 6.0)
        else:
            when = -rng.uniform(24.0, _PAST_DAYS * 24)
        created.append(when)
        starts.append(max(first, when + 0.05))
        ends.append(last)
    return created, starts, ends


def _address(
    addresses: AddressPlan,
    profile: Profile,
    country: str,
    rng: random.Random,
) -> str:
    kind = choose(profile.networks, rng)
    where = choose(profile.ip_countries, rng) if profile.ip_countries else country
    provider = rng.choice(profile.providers) if profile.providers and kind == "hosting" else None
    version = 6 if kind == RESIDENTIAL and rng.random() < _IPV6_SHARE else 4
    for c, p, v in ((where, provider, version), (where, None, 4), (None, provider, 4)):
        if addresses.capacity(kind, c, p, version=v) > 0:
            return addresses.draw(kind, c, p, rng=rng, version=v)
    return addresses.draw(kind, None, None, rng=rng)


def pool_addresses(scenario: Scenario, pool: Pool, addresses: AddressPlan) -> PoolAddresses:
    """The addresses of a scenario-level pool, drawn from its own seed.

    A pool draws from the same offline data as every other address, so a cloud pool holds real
    ranges of its providers and a residential pool consumer-ISP lines.
    """
    rng = random.Random(f"{scenario.seed}:pool:{pool.name}")
    found: dict[str, str | None] = {}
    for _ in range(20 * pool.size + 100):
        if len(found) == pool.size:
            break
        country = choose(pool.countries, rng) if pool.countries else None
        provider = rng.choice(pool.providers) if pool.providers else None
        if addresses.capacity(pool.kind, country, provider) == 0:
            country = None
        found.setdefault(addresses.draw(pool.kind, country, provider, rng=rng), country)
    return tuple(found.items())


def _homes(
    profile: Profile,
    ips: tuple[tuple[str, ...], ...],
    countries: list[str],
    pools: dict[str, PoolAddresses],
    rng: random.Random,
) -> tuple[tuple[str, ...], ...]:
    """``ips`` with the accounts that live on a shared pool moved onto it.

    An account on a pool keeps to a couple of its addresses, in its own billing country when
    the pool has any there (a home line behind a proxy network, an office's NAT).
    """
    out = list(ips)
    order = list(range(len(ips)))
    rng.shuffle(order)
    taken = 0
    for name, share in profile.homes.items():
        pool = pools[name]
        count = round(share * len(ips))
        for account in order[taken : taken + count]:
            local = [ip for ip, c in pool if c == countries[account]] or [ip for ip, _ in pool]
            out[account] = tuple(rng.sample(local, min(_HOME_ADDRESSES, len(local))))
        taken += count
    return tuple(out)


def _group(
    scenario: Scenario,
    population: Population,
    addresses: AddressPlan,
    seed: int,
    pools: dict[str, PoolAddresses] | None = None,
) -> Group:
    profile = population.profile
    n = population.accounts
    rng = random.Random(f"{scenario.seed}:accounts:{seed}")
    nrng = np.random.default_rng([scenario.seed, 1, seed])
    created, starts, ends = _windows(profile, n, scenario.hours, rng)
    ids = tuple(hex_id(rng, "acct_") for _ in range(n))
    countries = [choose(profile.billing, rng) for _ in range(n)]
    programs = [choose(profile.programs, rng) for _ in range(n)]

    cards: list[str] = []
    card = hex_id(rng, "pm_")
    for i in range(n):
        if rng.random() < profile.virtual_cards or profile.accounts_per_card <= 1:
            cards.append(hex_id(rng, "pm_"))
            continue
        if i % profile.accounts_per_card == 0:
            card = hex_id(rng, "pm_")
        cards.append(card)
    if profile.accounts_per_card > 1:  # shared cards are not used by neighbouring accounts only
        rng.shuffle(cards)

    shared_org = hex_id(rng, "org_", 48)
    orgs: list[str] = []
    for i in range(n):
        if profile.accounts_per_org == 0:
            orgs.append(shared_org)
        elif i % profile.accounts_per_org == 0:
            orgs.append(hex_id(rng, "org_", 48))
        else:
            orgs.append(orgs[-1])

    start = scenario.start
    records = tuple(
        {
            "account_id": ids[i],
            "created_at": (start + timedelta(hours=created[i]))
            .isoformat(timespec="seconds")
            .replace("+00:00", "Z"),
            "email_domain": email_domain(profile, programs[i], countries[i], rng),
            "payment_fingerprint": cards[i],
            "billing_country": countries[i],
            "tier": choose(profile.tiers, rng),
            "program": programs[i],
            "verified": rng.random() < profile.verified,
        }
        for i in range(n)
    )

    if profile.shared_pool > 0:
        size = max(8, min(profile.shared_pool, n * profile.ips_per_account))
        pool = [_address(addresses, profile, countries[0], rng) for _ in range(size)]
        ips = tuple(
            tuple(rng.sample(pool, min(profile.ips_per_account, len(pool)))) for _ in range(n)
        )
    else:
        ips = tuple(
            tuple(
                _address(addresses, profile, countries[i], rng)
                for _ in range(profile.ips_per_account)
            )
            for i in range(n)
        )
    agent_family = AGENTS[profile.agents]
    agents = tuple(
        tuple(rng.sample(agent_family, min(profile.agents_per_account, len(agent_family))))
        for _ in range(n)
    )
    keys = tuple(
        tuple(hex_id(rng, "key_", 48) for _ in range(max(1, profile.keys_per_account)))
        for _ in range(n)
    )
    languages = tuple(
        choose(profile.languages, rng) if profile.languages else COUNTRIES[c][1] for c in countries
    )
    endpoints = tuple(choose(profile.endpoints, rng) for _ in range(n))
    temperatures = tuple(
        profile.temperature if profile.temperature is not None else round(rng.uniform(0.2, 1.2), 1)
        for _ in range(n)
    )
    pools = pools or {}
    # The overlap knobs draw from a stream of their own, after every other draw, so that a
    # population without them is drawn exactly as before they existed.
    extra = random.Random(f"{scenario.seed}:overlaps:{seed}")
    if profile.homes:
        ips = _homes(profile, ips, countries, pools, extra)
    if profile.org_cards or profile.org_domains:
        records = _org_identity(profile, records, orgs)
    egress: list[tuple[float, tuple[str, ...]]] = []
    for name, share in profile.pools.items():
        reached = (egress[-1][0] if egress else 0.0) + share
        egress.append((reached, tuple(ip for ip, _ in pools[name])))
    tz = np.array([COUNTRIES[c][0] for c in countries], dtype=np.int64)
    weight = _weights_array(profile, n, nrng)
    apps = nrng.integers(0, 1_000_000, n)
    active_from = np.array(starts)
    active_to = np.array(ends)
    return Group(
        population=population,
        ids=ids,
        records=records,
        weight=weight,
        tz=tz,
        active_from=active_from,
        active_to=active_to,
        languages=languages,
        endpoints=endpoints,
        temperatures=temperatures,
        apps=apps,
        ips=ips,
        agents=agents,
        keys=keys,
        orgs=tuple(orgs),
        sessions=np.zeros(scenario.hours, dtype=np.int64),
        egress=tuple(egress),
    )


def _org_identity(
    profile: Profile,
    records: tuple[dict[str, Any], ...],
    orgs: list[str],
) -> tuple[dict[str, Any], ...]:
    """Records where an organisation's accounts share its card and / or e-mail domain."""
    cards: dict[str, str] = {}
    domains: dict[str, str] = {}
    out = []
    for record, org in zip(records, orgs, strict=True):
        changed = dict(record)
        if profile.org_cards:
            changed["payment_fingerprint"] = cards.setdefault(org, record["payment_fingerprint"])
        if profile.org_domains:
            changed["email_domain"] = domains.setdefault(org, record["email_domain"])
        out.append(changed)
    return tuple(out)


def _sessions(scenario: Scenario, group: Group, total_share: float, seed: int) -> Ints:
    """Sessions started in each hour: the population's calls spread by its rate."""
    population = group.population
    calls = scenario.interactions * population.share / total_share
    sessions = calls / population.profile.turns
    rates = np.array([account_rates(scenario, group, hour).sum() for hour in range(scenario.hours)])
    if rates.sum() <= 0:
        return np.zeros(scenario.hours, dtype=np.int64)
    expected = sessions * rates / rates.sum()
    counts: Ints = np.random.default_rng([scenario.seed, 2, seed]).poisson(expected)
    return counts.astype(np.int64)


def build(scenario: Scenario, addresses: AddressPlan | None = None) -> Plan:
    """Draw the plan of ``scenario`` (deterministic in its seed)."""
    addresses = addresses if addresses is not None else AddressPlan()
    pools = {pool.name: pool_addresses(scenario, pool, addresses) for pool in scenario.pools}
    total_share = sum(p.share for p in scenario.populations)
    groups = []
    for i, population in enumerate(scenario.populations):
        group = _group(scenario, population, addresses, i, pools)
        sessions = _sessions(scenario, group, total_share, i)
        groups.append(replace(group, sessions=sessions))
    return Plan(scenario, tuple(groups))
