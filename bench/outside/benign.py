"""Ordinary customers: people, developers and application backends."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from bench.outside import clock, content, identity, traffic
from bench.outside.clock import OFFICE, PERSON
from bench.outside.model import MESSAGES, Exchange
from bench.outside.network import Address
from bench.outside.traffic import NEW_MODEL, make_call, maybe_error
from bench.outside.world import World

COUNTRIES = {
    "US": 33,
    "GB": 7,
    "DE": 7,
    "FR": 5,
    "JP": 5,
    "KR": 4,
    "BR": 6,
    "IN": 8,
    "CA": 4,
    "IT": 3,
    "ES": 3,
    "NL": 2,
    "AU": 3,
    "MX": 3,
    "TR": 2,
    "TW": 1,
    "PL": 1,
    "SE": 1,
    "CH": 1,
    "AR": 1,
}


def country(rng: random.Random) -> str:
    return rng.choices(list(COUNTRIES), weights=list(COUNTRIES.values()))[0]


def person_template(rng: random.Random, endpoint: str, model: str) -> Exchange:
    return Exchange(
        endpoint=endpoint,
        model=model,
        user_text="",
        answer="",
        temperature=rng.choice((None, None, None, 0.7, 1.0, 0.5)),
        max_tokens=rng.choice((None, 1024, 2048, 4096))
        if endpoint != MESSAGES
        else rng.choice((1024, 2048, 4096, 8192)),
        stream=rng.random() < 0.6,
        system=rng.choice(
            (
                None,
                None,
                None,
                "You are a helpful assistant.",
                "Answer concisely.",
                "You are ChatGPT, a helpful assistant.",
            )
        ),
    )


@dataclass
class Person:
    """A human customer: home line, an occasional second line, habits."""

    home: Address
    other: list[Address]
    tz: float
    activity: float  # sessions per active day
    active_share: float  # share of days with any use


def people(
    world: World,
    population: str,
    n: int,
    home_for: Callable[[random.Random, str], Address],
    other_for: Callable[[random.Random, str], list[Address]] | None = None,
    roaming: bool = False,
) -> None:
    """Many ordinary people chatting through the API from their own connections."""
    rng = world.rng(population)
    for _ in range(n):
        c = country(rng)
        paid = rng.random() < 0.45
        account = world.open_account(
            rng,
            population,
            created_at=identity.created_before(rng, 3, 720),
            email_domain=identity.webmail(rng, c),
            payment_fingerprint=identity.card(rng) if paid else None,
            billing_country=c,
            tier="build" if paid else "free",
            verified=rng.random() < 0.4,
        )
        endpoint, model = traffic.endpoint_model(rng)
        ua = rng.choice(identity.CHAT_APP_AGENTS + identity.SDK_AGENTS[:8])
        actor = world.actor(rng, account, ua, endpoint, model)
        person = Person(
            home_for(rng, c),
            other_for(rng, c) if other_for else [],
            clock.UTC_OFFSET.get(c, 0) + rng.choice((-1, 0, 0, 1)),
            rng.lognormvariate(0.1, 0.6),
            rng.uniform(0.25, 0.9),
        )
        template = person_template(rng, endpoint, model)
        upgrade = rng.random() < 0.3
        for day in range(clock.DAYS):
            if rng.random() > person.active_share:
                continue
            for _ in range(max(1, clock.poisson(rng, person.activity))):
                start = clock.at(rng, day, PERSON, person.tz)
                if roaming and person.other:
                    ip = rng.choice(person.other).ip
                else:
                    ip = (
                        person.home.ip
                        if not person.other or rng.random() < 0.8
                        else rng.choice(person.other).ip
                    )
                tpl = template
                if upgrade and start >= clock.RELEASE + timedelta(hours=rng.uniform(2, 48)):
                    tpl = replace(template, model=NEW_MODEL[endpoint])
                turns = traffic.human_exchange_source(rng, world.corpora)
                traffic.session(world, rng, actor, start, ip, turns, tpl)


def consumers(world: World) -> None:
    atlas = world.atlas

    def home(rng: random.Random, c: str) -> Address:
        return atlas.residential(c, 1)[0]

    def mobile(rng: random.Random, c: str) -> list[Address]:
        return atlas.residential(c, 1) if rng.random() < 0.35 else []

    people(world, "consumer", world.count(2300), home, mobile)


def proxy_exit_households(world: World) -> None:
    """People whose home line is also an exit node of the residential proxy network."""
    exits = world.pools["resi_proxy"]
    rng = world.rng("proxy_exit_household:lines")
    chosen = rng.sample(exits, min(len(exits), world.count(80)))
    lines = iter(chosen)

    def home(_rng: random.Random, _c: str) -> Address:
        return next(lines)

    people(world, "proxy_exit_household", len(chosen), home)


def vpn_users(world: World) -> None:
    """Privacy-minded people on commercial VPNs and Private Relay: a new exit most sessions."""
    exits = world.pools["vpn"]

    def home(rng: random.Random, _c: str) -> Address:
        return rng.choice(exits)

    def others(rng: random.Random, _c: str) -> list[Address]:
        return rng.sample(exits, 6)

    people(world, "vpn_user", world.count(110), home, others, roaming=True)


def developers(world: World) -> None:
    """Developers and power users: coding, tools, weekday bursts, a home line and a dev box."""
    rng = world.rng("developer")
    atlas = world.atlas
    dev_boxes = world.pools["dev_boxes"]
    corpora = world.corpora
    for _ in range(world.count(420)):
        c = country(rng)
        company = rng.random() < 0.5
        account = world.open_account(
            rng,
            "developer",
            created_at=identity.created_before(rng, 10, 900),
            email_domain=identity.company_domain(rng) if company else identity.webmail(rng, c),
            payment_fingerprint=identity.card(rng),
            billing_country=c,
            tier=rng.choice(("build", "build", "scale")),
            verified=rng.random() < 0.7,
            program=rng.choice(("none",) * 9 + ("startup",)),
        )
        endpoint, model = traffic.endpoint_model(rng, 0.5)
        actor = world.actor(rng, account, rng.choice(identity.SDK_AGENTS), endpoint, model)
        home = atlas.residential(c, 1)[0]
        box = rng.choice(dev_boxes) if rng.random() < 0.25 else None
        tz = clock.UTC_OFFSET.get(c, 0)
        per_day = rng.lognormvariate(2.4, 0.7)
        tools = rng.choice(
            (
                (),
                (),
                ("read_file", "write_file", "bash"),
                ("run_python",),
                ("search_web", "run_python"),
            )
        )
        for day in range(clock.DAYS):
            weekend = clock.is_weekend(day)
            if rng.random() > (0.3 if weekend else 0.8):
                continue
            for _ in range(clock.poisson(rng, per_day * (0.4 if weekend else 1.0))):
                ts = clock.at(rng, day, OFFICE if not weekend else PERSON, tz)
                roll = rng.random()
                if roll < 0.55:
                    pair = content.pick(rng, corpora.code)
                    prompt, answer = pair.prompt, pair.answer
                elif roll < 0.7:
                    bench = rng.choice(corpora.arena_hard)
                    prompt = bench.turns[0]
                    answer = content.borrowed_answer(rng, corpora, content.kind_of(prompt))
                else:
                    prompt, answer = traffic.human_exchange_source(rng, corpora)[0]
                call_tool = bool(tools) and rng.random() < 0.3
                ex = Exchange(
                    endpoint=endpoint,
                    model=NEW_MODEL[endpoint]
                    if ts > clock.RELEASE and rng.random() < 0.4
                    else model,
                    user_text=prompt,
                    answer=answer,
                    temperature=rng.choice((None, 0.0, 0.2, 0.7)),
                    max_tokens=rng.choice((None, 2048, 4096, 8192))
                    if endpoint != MESSAGES
                    else rng.choice((4096, 8192, 16000)),
                    tools=tools,
                    tool_call=rng.choice(tools) if call_tool else None,
                    stream=rng.random() < 0.5,
                    reasoning_effort=rng.choice((None, None, "low", "medium", "high")),
                    response_format=rng.choice((None,) * 8 + ("json_object",)),
                )
                if ex.reasoning_effort:
                    ex.reasoning = content.reasoning_for(rng, prompt, answer)
                ip = box.ip if box and rng.random() < 0.4 else home.ip
                world.emit(rng, maybe_error(rng, make_call(actor, ts, ip, ex)))


APPS: tuple[tuple[str, str, str], ...] = (
    (
        "You are Sunny, the support assistant for BrightSole shoes. Answer questions about orders, "
        "sizing and returns. Be friendly and brief.",
        "human",
        "get_order_status",
    ),
    (
        "You are a writing assistant inside a note-taking app. Improve, rewrite or continue the "
        "user's text as asked.",
        "general",
        "",
    ),
    (
        "You are StudyBuddy, a homework helper for high-school students. Explain clearly and "
        "encourage the student.",
        "math",
        "",
    ),
    (
        "You are an AI pair programmer embedded in an IDE. Answer with code first, then a short "
        "explanation.",
        "code",
        "read_file",
    ),
    (
        "Summarize the user's document in five bullet points and a one-sentence TL;DR.",
        "summarize",
        "",
    ),
    (
        "You are Mika, a friendly companion chatbot. Keep replies warm and conversational.",
        "dialogue",
        "",
    ),
    ("You draft professional e-mails from short notes. Output only the e-mail.", "general", ""),
    (
        "You are a travel-planning assistant for a booking site. Suggest itineraries and ask "
        "follow-up questions.",
        "human",
        "",
    ),
    (
        "You are the in-app help of a spreadsheet product. Explain formulas and write them for "
        "the user.",
        "code",
        "",
    ),
    (
        "You are a language-learning partner. Reply in simple sentences and correct mistakes "
        "gently.",
        "dialogue",
        "",
    ),
    (
        "Eres el asistente virtual de una tienda online. Responde en español, de forma breve y "
        "amable.",
        "human",
        "get_order_status",
    ),
    (
        "あなたはカスタマーサポートのアシスタントです。丁寧に日本語で回答してください。",
        "human",
        "lookup_customer",
    ),
)


def app_turn(rng: random.Random, world: World, source: str) -> list[tuple[str, str]]:
    corpora = world.corpora
    if source == "dialogue":
        turns = list(rng.choice(corpora.dialogues).turns)
        return turns[: rng.randint(1, min(4, len(turns)))]
    if source == "summarize":
        text = rng.choice(corpora.human_prompts)
        return [(f"Summarize this:\n\n{text}", content.borrowed_answer(rng, corpora, "general"))]
    if source == "human":
        return traffic.human_exchange_source(rng, corpora)[:2]
    pair = content.pick(rng, corpora.answers_like(source))
    answer = content.clean_math(pair.answer) if source == "math" else pair.answer
    return [(pair.prompt, answer)]


def app_backends(world: World) -> None:
    """One key serving thousands of end users through one system prompt, from cloud egress."""
    rng = world.rng("app_backend")
    providers = (
        ("Amazon AWS", "US"),
        ("Google Cloud", "US"),
        ("Microsoft Azure", "US"),
        ("Amazon AWS", "DE"),
        ("Google Cloud", "JP"),
        ("Hetzner", "DE"),
    )
    for i in range(world.count(18)):
        system, source, tool = APPS[i % len(APPS)]
        provider, region = rng.choice(providers)
        egress = world.atlas.clustered_cloud(provider, rng.randint(2, 6), region, 3)
        market = (
            {"US": "US", "DE": "DE", "JP": "JP"}[region]
            if i % len(APPS) < 10
            else ("MX" if "español" in system else "JP")
        )
        account = world.open_account(
            rng,
            "app_backend",
            created_at=identity.created_before(rng, 60, 900),
            email_domain=identity.company_domain(rng),
            payment_fingerprint=identity.card(rng),
            billing_country=region,
            tier=rng.choice(("scale", "enterprise")),
            verified=True,
        )
        endpoint, model = traffic.endpoint_model(rng, 0.4)
        actor = world.actor(
            rng,
            account,
            rng.choice(identity.SDK_AGENTS[:9]),
            endpoint,
            model,
            org_id=identity.org_id(rng),
        )
        users = [f"user_{identity.alnum(rng, 10)}" for _ in range(rng.randint(300, 4000))]
        per_day = rng.lognormvariate(5.0, 0.6) * world.scale
        tz = clock.UTC_OFFSET.get(market, 0)
        temperature = rng.choice((0.3, 0.5, 0.7, 1.0))
        for day in range(clock.DAYS):
            for _ in range(clock.poisson(rng, per_day * (0.8 if clock.is_weekend(day) else 1))):
                ts = clock.at(rng, day, PERSON, tz)
                user = rng.choice(users)
                turns = app_turn(rng, world, source)
                template = Exchange(
                    endpoint=endpoint,
                    model=model,
                    user_text="",
                    answer="",
                    system=system,
                    temperature=temperature,
                    max_tokens=1024 if endpoint != MESSAGES else 2048,
                    tools=(tool,) if tool else (),
                    end_user=user,
                    cached_share=0.7,
                    stream=True,
                )
                traffic.session(
                    world, rng, actor, ts, rng.choice(egress).ip, turns, template, gap=(10, 120)
                )
