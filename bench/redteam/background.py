"""The ordinary benign background: people, mobile users, households, developers, small apps."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from bench.outside import clock, identity
from bench.outside.identity import CHAT_APP_AGENTS, SDK_AGENTS
from bench.outside.model import Exchange
from bench.outside.traffic import endpoint_model
from bench.outside.world import World
from bench.redteam.common import emit, person_sessions, sweep, times_in_day

COUNTRIES = ["US"] * 6 + ["GB", "GB", "DE", "DE", "FR", "CA", "IN", "IN", "BR", "JP", "KR", "AU"]
MOBILE_COUNTRIES = ["US", "US", "US", "IN", "IN", "ID"]


def _signup(rng: random.Random) -> tuple[datetime, bool]:
    """When a person signed up (most long ago, a few this week) and whether verified."""
    if rng.random() < 0.06:
        return clock.START + timedelta(days=rng.uniform(0, 5)), rng.random() < 0.3
    return identity.created_before(rng, 20, 720), rng.random() < 0.75


def _person(
    world: World,
    rng: random.Random,
    population: str,
    country: str,
    ips_for: Callable[[int], list[str]],
) -> None:
    created, verified = _signup(rng)
    tier = "free" if rng.random() < 0.6 else "build"
    account = world.open_account(
        rng,
        population,
        created_at=created,
        email_domain=identity.webmail(rng, country),
        payment_fingerprint=identity.card(rng) if tier != "free" else None,
        billing_country=country,
        tier=tier,
        verified=verified,
    )
    endpoint, model = endpoint_model(rng)
    agent = rng.choice(CHAT_APP_AGENTS + SDK_AGENTS[:6])
    actor = world.actor(rng, account, agent, endpoint, model)
    offset = clock.UTC_OFFSET.get(country, 0)
    activity = rng.uniform(0.2, 0.8)
    first = max(0, (created - clock.START).days)
    template = Exchange(endpoint, model, "", "", temperature=rng.choice((None, 0.7, 1.0)))
    if rng.random() < 0.2:
        template.reasoning_effort = rng.choice(("low", "medium", "high"))
    for day in range(first, clock.DAYS):
        if rng.random() > activity:
            continue
        ips = ips_for(day)
        person_sessions(
            world, rng, actor, day, rng.randint(1, 3), ips, clock.PERSON, offset, template
        )


def consumers(world: World) -> None:
    rng = world.rng("consumers")
    for _ in range(world.count(1800, 30)):
        country = rng.choice(COUNTRIES)
        home = world.atlas.residential(country, 1)[0].ip
        phone = world.atlas.residential(country, 1)[0].ip if rng.random() < 0.3 else None

        def ips(_day: int, home: str = home, phone: str | None = phone) -> list[str]:
            return [home, phone] if phone else [home]

        _person(world, rng, "consumer", country, ips)


def mobile_consumers(world: World) -> None:
    """People on their phones: carrier-grade NAT hands them addresses from a shared pool."""
    rng = world.rng("mobile")
    pool = world.pools["cgnat"]
    for _ in range(world.count(700, 20)):
        country = rng.choice(MOBILE_COUNTRIES)
        local = [a.ip for a in pool if a.country == country] or [a.ip for a in pool]

        def ips(_day: int, local: list[str] = local) -> list[str]:
            return rng.sample(local, min(len(local), rng.randint(1, 3)))

        _person(world, rng, "mobile_consumer", country, ips)


def _fixed(ip: str) -> Callable[[int], list[str]]:
    return lambda _day: [ip]


def households(world: World) -> None:
    """Real households whose home lines are also exits of a residential proxy network."""
    rng = world.rng("households")
    for address in world.pools["resi_shared"]:
        for _ in range(rng.choice((1, 1, 1, 2))):
            _person(world, rng, "proxy_exit_household", address.country, _fixed(address.ip))


def developers(world: World) -> None:
    rng = world.rng("developers")
    boxes = [a.ip for a in world.pools["dev_boxes"]]
    for _ in range(world.count(350, 10)):
        country = rng.choice(COUNTRIES)
        account = world.open_account(
            rng,
            "developer",
            created_at=identity.created_before(rng, 10, 900),
            email_domain=identity.company_domain(rng)
            if rng.random() < 0.5
            else identity.webmail(rng, country),
            payment_fingerprint=identity.card(rng),
            billing_country=country,
            tier=rng.choice(("build", "build", "scale")),
            verified=rng.random() < 0.85,
        )
        endpoint, model = endpoint_model(rng, 0.5)
        actor = world.actor(rng, account, rng.choice(SDK_AGENTS), endpoint, model)
        home = world.atlas.residential(country, 1)[0].ip
        ips = [home] + ([rng.choice(boxes)] if rng.random() < 0.4 else [])
        offset = clock.UTC_OFFSET.get(country, 0)
        rate = rng.uniform(3, 30)
        weights = {"code": 6, "human": 2, "general": 1, "math": 0.5}
        for day in range(clock.DAYS):
            k = clock.poisson(rng, rate * (0.2 if clock.is_weekend(day) else 1.0))
            for ts in times_in_day(rng, day, k, clock.OFFICE, offset):
                prompt, answer = sweep(rng, world.corpora, weights)
                ex = Exchange(
                    endpoint,
                    model,
                    prompt,
                    answer,
                    temperature=rng.choice((None, 0, 0.2, 0.7)),
                    max_tokens=rng.choice((None, 1024, 2048, 4096)),
                    stream=rng.random() < 0.5,
                )
                emit(world, rng, actor, ts, rng.choice(ips), ex)


SMALL_APPS = (
    "You are the assistant inside a recipe app. Suggest recipes and substitutions.",
    "You help small-business owners draft friendly customer e-mails.",
    "You are a study buddy for high-school students. Be encouraging and clear.",
    "You answer questions about our hotel's amenities and local attractions.",
    "You rewrite product descriptions for an online store in a warm, concise voice.",
    "You are a writing assistant for bloggers: outline, draft, and polish posts.",
    "You summarise meeting notes into decisions and action items.",
    "You help job seekers improve their CVs and cover letters.",
)


def small_apps(world: World) -> None:
    """Small businesses' app backends on cloud hosts: one system prompt, many end users."""
    rng = world.rng("small_apps")
    for i in range(world.count(30, 3)):
        country = rng.choice(("US", "US", "GB", "DE", "CA"))
        provider = rng.choice(("Amazon AWS", "Amazon AWS", "Google Cloud", "Vercel"))
        egress = [a.ip for a in world.atlas.cloud(provider, rng.randint(1, 4))]
        account = world.open_account(
            rng,
            "small_app_backend",
            created_at=identity.created_before(rng, 40, 600),
            email_domain=identity.company_domain(rng),
            payment_fingerprint=identity.card(rng),
            billing_country=country,
            tier=rng.choice(("build", "scale")),
            program=rng.choice(("none", "none", "startup")),
            verified=True,
        )
        endpoint, model = endpoint_model(rng, 0.4)
        actor = world.actor(rng, account, rng.choice(SDK_AGENTS[:9]), endpoint, model)
        system = SMALL_APPS[i % len(SMALL_APPS)] + f" Brand: {identity.company_domain(rng)}."
        offset = clock.UTC_OFFSET.get(country, 0)
        rate = rng.uniform(30, 220)
        users = [f"user_{identity.alnum(rng, 8)}" for _ in range(rng.randint(50, 800))]
        for day in range(clock.DAYS):
            for ts in times_in_day(rng, day, clock.poisson(rng, rate), clock.PERSON, offset):
                prompt, answer = sweep(rng, world.corpora, {"user": 3, "general": 3, "human": 2})
                ex = Exchange(endpoint, model, prompt, answer, system=system, temperature=0.7)
                ex.end_user = rng.choice(users)
                emit(world, rng, actor, ts, rng.choice(egress), ex, end_user=ex.end_user)
