"""Harvesting campaigns designed by attackers who have read docs/detection.md."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

from bench.outside import clock, content, identity
from bench.outside.identity import CHAT_APP_AGENTS, SDK_AGENTS
from bench.outside.model import CHAT, MESSAGES, RESPONSES, Exchange
from bench.outside.traffic import endpoint_model
from bench.outside.world import Actor, World
from bench.redteam.common import TOOLS_AGENT, emit, sweep, times_in_day

# What a distiller wants: every capability area, hard items, reasoning where available.
COVERAGE = {"code": 3, "math": 3, "bench": 2, "general": 1.5, "human": 2, "user": 1}


def _reasoned(rng: random.Random, actor: Actor, prompt: str, answer: str) -> Exchange:
    """The same request shape a person's client sends, with reasoning turned up (below the
    documented large-budget and maximal-output thresholds)."""
    ex = Exchange(actor.endpoint, actor.model, prompt, answer)
    if actor.endpoint == MESSAGES:
        ex.thinking_budget = rng.choice((4096, 6000, 8000))
        ex.max_tokens = 8000
    else:
        ex.reasoning_effort = "high"
        ex.max_tokens = rng.choice((None, 6000, 8000))
    ex.reasoning = content.reasoning_for(rng, prompt, answer)
    if rng.random() < 0.08:
        ex.tools = TOOLS_AGENT
        ex.tool_call = rng.choice(TOOLS_AGENT)
    return ex


def orchard(world: World) -> None:
    """Aged, verified accounts, one card each, through a residential proxy network whose exits
    are real customers' home lines; each account keeps a person's local clock and talks in
    conversations whose follow-ups are real people's follow-ups."""
    rng = world.rng("orchard")
    exits = world.pools["resi_shared"]
    by_country: dict[str, list[str]] = {}
    for a in exits:
        by_country.setdefault(a.country, []).append(a.ip)
    for _ in range(world.count(220, 6)):
        country = rng.choice(sorted(by_country))
        account = world.open_account(
            rng,
            "orchard",
            created_at=identity.created_before(rng, 45, 400),
            email_domain=identity.webmail(rng, country),
            payment_fingerprint=identity.card(rng),
            billing_country=country,
            tier="build",
            verified=True,
            campaign_id="orchard",
        )
        endpoint, model = endpoint_model(rng)
        agent = rng.choice(CHAT_APP_AGENTS + SDK_AGENTS[:6])
        actor = world.actor(rng, account, agent, endpoint, model)
        offset = clock.UTC_OFFSET.get(country, 0)
        for day in range(clock.DAYS):
            if rng.random() < 0.15:
                continue  # a day off, as people have
            ips = rng.sample(by_country[country], min(2, len(by_country[country])))
            for start in times_in_day(rng, day, rng.randint(4, 8), clock.PERSON, offset):
                ts, ip = start, rng.choice(ips)
                history: list[tuple[str, str]] = []
                for turn in range(rng.choice((1, 2, 3, 4, 5))):
                    if turn == 0:
                        prompt, answer = sweep(rng, world.corpora, COVERAGE)
                    else:
                        prompt, answer = rng.choice(world.corpora.dialogues).turns[0]
                    ex = replace(_reasoned(rng, actor, prompt, answer), history=history[-6:])
                    emit(world, rng, actor, ts, ip, ex)
                    history.append((prompt, answer))
                    ts += timedelta(seconds=rng.uniform(30, 400) + len(answer) / 20)


PRODUCTS = (
    "You are Quillbyte, a homework helper for university students. Explain clearly.",
    "You are DevPal, a coding assistant inside our IDE plugin. Prefer working code.",
    "You are Ledgerly's assistant for small-business bookkeeping and spreadsheets.",
    "You are Mindmap, a research assistant that answers questions for curious readers.",
    "You are Stackwise, an assistant for data teams: SQL, pandas and dashboards.",
    "You are Tutorly, a maths and science tutor for high-school and college students.",
    "You are Plannr, an assistant that breaks goals into step-by-step plans and tasks.",
    "You are Wordsmith, a writing assistant for essays, e-mails and reports.",
)


def storefront(world: World) -> None:
    """A lab relays its own users' requests, plus its capability sweep, through a handful of
    'startup' app accounts: each a product with its own brand, card, domain, system prompt,
    cloud egress and end-user ids, at the volume of an app backend of its tier."""
    rng = world.rng("storefront")
    for i in range(world.count(8, 3)):
        provider = ("Amazon AWS", "Google Cloud", "Microsoft Azure", "Vercel")[i % 4]
        egress = [a.ip for a in world.atlas.cloud(provider, rng.randint(2, 4))]
        account = world.open_account(
            rng,
            "storefront",
            created_at=identity.created_before(rng, 60, 240),
            email_domain=identity.company_domain(rng),
            payment_fingerprint=identity.card(rng),
            billing_country=rng.choice(("US", "US", "SG", "GB", "CA")),
            tier="scale",
            program="startup",
            verified=True,
            campaign_id="storefront",
        )
        endpoint = (CHAT, RESPONSES, MESSAGES)[i % 3]
        model = {CHAT: "gpt-5.1", RESPONSES: "gpt-5.1", MESSAGES: "claude-sonnet-4-5"}[endpoint]
        actor = world.actor(rng, account, rng.choice(SDK_AGENTS[:9]), endpoint, model)
        system = PRODUCTS[i % len(PRODUCTS)]
        users = [f"u_{identity.alnum(rng, 10)}" for _ in range(rng.randint(800, 3000))]
        rate = rng.uniform(400, 700) * min(1.0, 4 * world.scale)
        offset = rng.choice((-6, -5, 0, 8))
        for day in range(clock.DAYS):
            for ts in times_in_day(rng, day, clock.poisson(rng, rate), clock.PERSON, offset):
                prompt, answer = sweep(rng, world.corpora, COVERAGE)
                ex = replace(_reasoned(rng, actor, prompt, answer), system=system)
                user = rng.choice(users)
                ex.end_user = user
                emit(world, rng, actor, ts, rng.choice(egress), ex, end_user=user)


def swarm(world: World) -> None:
    """A phone farm: SIM-verified free accounts made over months, on the carriers' shared
    NAT addresses, each sending a person's handful of requests a day on its own clock."""
    rng = world.rng("swarm")
    pool = world.pools["cgnat"]
    for _ in range(world.count(450, 10)):
        phone = rng.choice(pool)
        country = phone.country
        local = [a.ip for a in pool if a.country == country]
        account = world.open_account(
            rng,
            "swarm",
            created_at=identity.created_before(rng, 8, 120),
            email_domain=identity.webmail(rng, country),
            payment_fingerprint=None,
            billing_country=country,
            tier="free",
            verified=True,
            campaign_id="swarm",
        )
        endpoint, model = endpoint_model(rng)
        actor = world.actor(rng, account, rng.choice(CHAT_APP_AGENTS), endpoint, model)
        offset = clock.UTC_OFFSET.get(country, 0)
        for day in range(clock.DAYS):
            if rng.random() < 0.25:
                continue
            ips = rng.sample(local, min(len(local), rng.randint(1, 3)))
            for start in times_in_day(rng, day, rng.randint(2, 4), clock.PERSON, offset):
                ts, history = start, list[tuple[str, str]]()
                for _turn in range(rng.choice((1, 1, 2, 3))):
                    prompt, answer = sweep(rng, world.corpora, COVERAGE)
                    ex = Exchange(endpoint, model, prompt, answer, history=history[-4:])
                    if endpoint == MESSAGES:
                        ex.thinking_budget = 4096
                    else:
                        ex.reasoning_effort = "high"
                    emit(world, rng, actor, ts, rng.choice(ips), ex)
                    history.append((prompt, answer))
                    ts += timedelta(seconds=rng.uniform(40, 300))


def split_sampler(world: World) -> None:
    """Soft labels without ever asking logprobs and n > 1 together: every prompt is sent
    several times at temperature 1 with top-5 logprobs and n = 1, each time by a different
    research-programme account, hours apart."""
    rng = world.rng("split_sampler")
    accounts: list[tuple[Actor, list[str], float]] = []
    for _ in range(world.count(24, 4)):
        country = rng.choice(("US", "US", "GB", "DE", "CA", "SG"))
        account = world.open_account(
            rng,
            "split_sampler",
            created_at=identity.created_before(rng, 35, 300),
            email_domain=rng.choice(("gmail.com", "outlook.com", identity.company_domain(rng))),
            payment_fingerprint=identity.card(rng),
            billing_country=country,
            tier="build",
            program="research",
            verified=True,
            campaign_id="split_sampler",
        )
        actor = world.actor(rng, account, rng.choice(SDK_AGENTS[:4]), CHAT, "gpt-5.1-mini")
        provider = rng.choice(("Google Cloud", "Amazon AWS", "Hetzner", "OVHcloud"))
        egress = [a.ip for a in world.atlas.cloud(provider, rng.randint(1, 3))]
        accounts.append((actor, egress, clock.UTC_OFFSET.get(country, 0)))
    per_day = world.count(1300, 40)
    for day in range(clock.DAYS):
        for _ in range(per_day):
            prompt, answer = sweep(rng, world.corpora, COVERAGE)
            for actor, egress, offset in rng.sample(accounts, min(len(accounts), 4)):
                ts = times_in_day(rng, day, 1, clock.OFFICE, offset)[0]
                ex = Exchange(
                    CHAT,
                    actor.model,
                    prompt,
                    answer,
                    temperature=1.0,
                    logprobs=True,
                    top_logprobs=5,
                    max_tokens=2048,
                )
                emit(world, rng, actor, ts, rng.choice(egress), ex)
