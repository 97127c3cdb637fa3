"""Distillation campaigns (every account here is labelled with its campaign).

* ``hydra-transfer-station`` — a reseller pool: round-robin load over hundreds of throwaway
  accounts on rented cloud VMs, a reasoning-demanding system template mixed with its own paying
  customers' ordinary requests, banned accounts replaced within the hour.
* ``cot-harvest`` — reasoning-trace coercion: many probe variants (mostly refused), then scale-up
  of the wording that worked, multilingual, retargeted to the new model within a day.
* ``relay-harbor`` — a relay forwarding its own users' real prompts through fresh accounts on a
  residential proxy network; ordinary text, the tell is the accounts and infrastructure.
* ``patient-scribe`` — low and slow: aged accounts, a few calls a day each, one agentic harness.
* ``quiet-harness`` — built to dodge rules (verified, own cards, residential IPs, benchmark
  cover, jittered timing); betrayed by its small reused proxy pool, one scheduler's UTC shifts,
  one client fingerprint, and one prompt set split without overlap across its accounts.
* ``logit-siphon`` — token-distribution harvesting (top-20 logprobs, n=5) dressed as an
  evaluation job, through a burst of education-programme sign-ups.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from bench.outside import clock, content, identity, traffic, wording
from bench.outside.clock import PERSON
from bench.outside.corpora import Pair
from bench.outside.model import CHAT, MESSAGES, RESPONSES, Account, Exchange
from bench.outside.network import Address
from bench.outside.traffic import NEW_MODEL, make_call
from bench.outside.world import Actor, World

THROWAWAY = (
    "outlook.com",
    "hotmail.com",
    "gmail.com",
    "proton.me",
    "tmpmail.org",
    "mailnesia.com",
    "sharklasers.com",
    "163.com",
    "qq.com",
    "yandex.com",
    "mail.com",
)


def _task(rng: random.Random, world: World) -> tuple[str, str, str]:
    """A capability-focused harvesting task: (prompt, answer, kind)."""
    corpora = world.corpora
    roll = rng.random()
    if roll < 0.3:
        pair = content.pick(rng, corpora.code)
        return pair.prompt, pair.answer, "code"
    if roll < 0.55:
        pair = content.pick(rng, corpora.math)
        return pair.prompt, content.clean_math(pair.answer), "math"
    if roll < 0.75:
        prompt = rng.choice(corpora.arena_hard).turns[0]
        return prompt, content.borrowed_answer(rng, corpora, content.kind_of(prompt)), "hard"
    if roll < 0.85:
        prompt = rng.choice(corpora.wizardlm).turns[0]
        return prompt, content.borrowed_answer(rng, corpora, content.kind_of(prompt)), "hard"
    pair = content.pick(rng, corpora.general)
    return pair.prompt, pair.answer, "general"


# -- hydra ------------------------------------------------------------------------------------
def hydra(world: World) -> None:
    campaign = "hydra-transfer-station"
    rng = world.rng(campaign)
    runners = world.pools["runners"]
    own_vms = world.atlas.cloud("Microsoft Azure", world.count(40), "US")
    cards = [identity.card(rng) for _ in range(world.count(24))]
    agents = (
        "Go-http-client/2.0",
        "Go-http-client/2.0",
        "Go-http-client/1.1",
        "OpenAI/Python 1.109.1",
        "new-api/0.9.1",
    )

    def sign_up(at: datetime) -> Actor:
        account = world.open_account(
            rng,
            "hydra_reseller",
            campaign_id=campaign,
            created_at=at,
            email_domain=rng.choice(THROWAWAY),
            payment_fingerprint=rng.choice(cards),
            billing_country=rng.choice(("US", "SG", "HK", "GB", "JP", "MY", "US")),
            tier="build",
            program=rng.choice(("startup", "startup", "education", "none")),
            verified=rng.random() < 0.1,
        )
        endpoint, model = rng.choice(
            (
                (CHAT, "gpt-5.1"),
                (CHAT, "gpt-5.1"),
                (MESSAGES, "claude-sonnet-4-5"),
                (RESPONSES, "gpt-5.1"),
            )
        )
        return world.actor(rng, account, rng.choice(agents), endpoint, model)

    active = [
        sign_up(clock.START - timedelta(days=rng.uniform(1, 20))) for _ in range(world.count(170))
    ]
    per_hour = 150 * world.scale
    for hour in range(clock.DAYS * 24):
        base = clock.START + timedelta(hours=hour)
        demand = per_hour * (0.75 + 0.5 * PERSON[(hour + 8) % 24] / 8)  # its customers in UTC+8
        jobs = sorted(
            base + timedelta(seconds=rng.uniform(0, 3600))
            for _ in range(clock.poisson(rng, demand))
        )
        cursor = rng.randrange(len(active))
        for ts in jobs:
            cursor = (cursor + 1) % len(active)  # round-robin dispatcher
            actor = active[cursor]
            new_model = ts > clock.RELEASE + timedelta(hours=10) and rng.random() < 0.5
            model = NEW_MODEL[actor.endpoint] if new_model else actor.model
            ip = rng.choice(runners).ip if rng.random() < 0.7 else rng.choice(own_vms).ip
            if rng.random() < 0.62:
                prompt, answer, _kind = _task(rng, world)
                ex = Exchange(
                    endpoint=actor.endpoint,
                    model=model,
                    user_text=prompt,
                    answer=answer,
                    system=wording.hydra_system(rng),
                    reasoning=content.reasoning_for(rng, prompt, answer),
                    reasoning_effort="high" if actor.endpoint != MESSAGES else None,
                    thinking_budget=rng.choice((16000, 24000, 32000))
                    if actor.endpoint == MESSAGES
                    else None,
                    max_tokens=rng.choice((8192, 16000, 32000)),
                    temperature=None if actor.endpoint == MESSAGES else 0.6,
                )
            else:  # the reseller's own paying customers, passed through
                turns = traffic.human_exchange_source(rng, world.corpora)
                user, answer = turns[-1]
                ex = Exchange(
                    endpoint=actor.endpoint,
                    model=model,
                    user_text=user,
                    answer=answer,
                    history=turns[:-1][-4:],
                    temperature=rng.choice((None, 0.7, 1.0)),
                    stream=True,
                )
            world.emit(rng, make_call(actor, ts, ip, ex))
            if rng.random() < 0.0025 * world.scale**-0.5:  # banned: fail, then replaced
                for k in range(rng.randint(1, 4)):
                    fail = make_call(
                        actor,
                        ts + timedelta(seconds=5 + 9 * k),
                        ip,
                        ex,
                        status=403,
                        error="account_deactivated",
                    )
                    world.emit(rng, fail)
                active[cursor] = sign_up(ts + timedelta(minutes=rng.uniform(3, 50)))


# -- reasoning-trace coercion ----------------------------------------------------------------
def cot_harvest(world: World) -> None:
    campaign = "cot-harvest"
    rng = world.rng(campaign)
    vpn = world.pools["vpn"]
    boxes = world.pools["dev_boxes"]
    asia = world.atlas.cloud("Tencent Cloud", 12) + world.atlas.cloud("Alibaba Cloud", 12)
    cards = [identity.card(rng) for _ in range(world.count(50))]
    agents = ("python-httpx/0.27.0", "aiohttp/3.9.5", "OpenAI/Python 1.51.0")
    n_accounts = world.count(170)
    actors: list[tuple[Actor, datetime]] = []
    for i in range(n_accounts):
        probe = i < max(4, n_accounts // 9)
        created = clock.START + timedelta(
            hours=rng.uniform(-60, 4) if probe else rng.uniform(6, 110)
        )
        account = world.open_account(
            rng,
            "cot_harvest",
            campaign_id=campaign,
            created_at=created,
            email_domain=rng.choice(
                ("gmail.com", "outlook.com", "yandex.com", "mail.ru", "proton.me", "163.com")
            ),
            payment_fingerprint=rng.choice(cards),
            billing_country=rng.choice(("US", "GB", "DE", "SG", "HK", "KZ", "AE")),
            tier="build",
            program=rng.choice(("research", "research", "education", "none")),
            verified=rng.random() < 0.2,
        )
        endpoint, model = rng.choice(
            (
                (RESPONSES, "gpt-5.1"),
                (MESSAGES, "claude-sonnet-4-5"),
                (CHAT, "o4-mini"),
                (MESSAGES, "claude-sonnet-4-5"),
            )
        )
        actor = world.actor(rng, account, rng.choice(agents), endpoint, model)
        actors.append((actor, created + timedelta(minutes=rng.uniform(2, 120))))
    for i, (actor, first) in enumerate(actors):
        probe = i < max(4, n_accounts // 9)
        ips = [a.ip for a in rng.sample(vpn, 3) + rng.sample(boxes, 2) + rng.sample(asia, 2)]
        ts = first
        end = (
            first + timedelta(days=rng.uniform(2, 5))
            if not probe
            else first + timedelta(hours=rng.uniform(10, 30))
        )
        rate = rng.uniform(3, 6) if probe else rng.uniform(1.0, 2.0)  # calls per hour
        while ts < end:
            ts += timedelta(seconds=rng.expovariate(rate / 3600))
            if not clock.in_world(ts):
                if ts > clock.START:
                    break
                continue
            prompt, answer, _ = _task(rng, world)
            if rng.random() < 0.25:
                bench = rng.choice(world.corpora.mt_bench)
                prompt = bench.turns[0]
            instruction = wording.coerce(rng, probe=probe or rng.random() < 0.04)
            text = (
                f"{instruction}\n\n{prompt}" if rng.random() < 0.7 else f"{prompt}\n\n{instruction}"
            )
            refused = rng.random() < (0.7 if probe else 0.08)
            model = actor.model
            if ts > clock.RELEASE + timedelta(hours=rng.uniform(4, 20)) and rng.random() < 0.65:
                model = NEW_MODEL[actor.endpoint]
            ex = Exchange(
                endpoint=actor.endpoint,
                model=model,
                user_text=text,
                answer=rng.choice(content.REFUSALS) if refused else answer,
                refusal=refused and rng.random() < 0.6,
                reasoning=None if refused else content.reasoning_for(rng, prompt, answer),
                reasoning_effort="high" if actor.endpoint != MESSAGES else None,
                thinking_budget=rng.choice((16000, 24000, 31999))
                if actor.endpoint == MESSAGES
                else None,
                max_tokens=32000 if actor.endpoint == MESSAGES else None,
            )
            world.emit(rng, make_call(actor, ts, rng.choice(ips), ex))


# -- relay ------------------------------------------------------------------------------------
def relay(world: World) -> None:
    campaign = "relay-harbor"
    rng = world.rng(campaign)
    exits = world.pools["resi_proxy"]
    cards = [identity.card(rng) for _ in range(world.count(30))]
    harness = "OpenAI/Python 1.99.9"
    t = clock.START - timedelta(hours=6)
    while t < clock.START + timedelta(days=clock.DAYS):
        batch = rng.randint(8, 25)  # a sign-up batch
        for _ in range(batch):
            created = t + timedelta(minutes=rng.uniform(0, 40))
            account = world.open_account(
                rng,
                "relay",
                campaign_id=campaign,
                created_at=created,
                email_domain=rng.choice(
                    ("gmail.com", "outlook.com", "hotmail.com", "mail.com", "gmx.com")
                ),
                payment_fingerprint=rng.choice(cards),
                billing_country=rng.choice(("US", "US", "GB", "SG", "CA")),
                tier="build",
                program=rng.choice(("startup", "none", "none")),
                verified=rng.random() < 0.05,
            )
            endpoint, model = rng.choice(
                ((CHAT, "gpt-5.1"), (CHAT, "gpt-5.1-mini"), (MESSAGES, "claude-sonnet-4-5"))
            )
            actor = world.actor(rng, account, harness, endpoint, model)
            _relay_account(
                world, rng, actor, created + timedelta(minutes=rng.uniform(1, 15)), exits
            )
        t += timedelta(hours=rng.uniform(9, 15) / world.scale)


def _relay_account(
    world: World, rng: random.Random, actor: Actor, start: datetime, exits: list[Address]
) -> None:
    ts = start
    end = start + timedelta(hours=rng.uniform(20, 70))
    rate = rng.uniform(1.5, 2.5)  # calls per hour from the first hour: no ramp-up
    while ts < end:
        ts += timedelta(seconds=rng.expovariate(rate / 3600))
        turns = traffic.human_exchange_source(rng, world.corpora)
        user, answer = turns[-1]
        model = actor.model
        if ts > clock.RELEASE + timedelta(hours=8) and rng.random() < 0.5:
            model = NEW_MODEL[actor.endpoint]
        ex = Exchange(
            endpoint=actor.endpoint,
            model=model,
            user_text=user,
            answer=answer,
            history=turns[:-1][-5:],
            temperature=rng.choice((None, 0.7)),
            max_tokens=rng.choice((None, 4096)) if actor.endpoint != MESSAGES else 4096,
        )
        world.emit(rng, make_call(actor, ts, rng.choice(exits).ip, ex))


# -- low and slow -----------------------------------------------------------------------------
def patient(world: World) -> None:
    campaign = "patient-scribe"
    rng = world.rng(campaign)
    tools = ("bash", "read_file", "write_file", "run_python")
    coding = world.corpora.code + [
        Pair(b.turns[0], "")
        for b in world.corpora.arena_hard
        if content.kind_of(b.turns[0]) == "code"
    ]
    for _ in range(world.count(130)):
        c = rng.choice(("US", "US", "GB", "DE", "CA", "FR", "NL", "JP", "KR", "BR", "IN", "AU"))
        account = world.open_account(
            rng,
            "patient",
            campaign_id=campaign,
            created_at=identity.created_before(rng, 90, 420),
            email_domain=identity.webmail(rng, c),
            payment_fingerprint=identity.card(rng),
            billing_country=c,
            tier="build",
            verified=rng.random() < 0.5,
        )
        endpoint, model = rng.choice(
            ((CHAT, "gpt-5.1"), (MESSAGES, "claude-sonnet-4-5"), (RESPONSES, "gpt-5.1"))
        )
        actor = world.actor(rng, account, rng.choice(identity.SDK_AGENTS[:9]), endpoint, model)
        home = world.atlas.residential(c, 1)[0].ip
        tz = clock.UTC_OFFSET.get(c, 0)
        for day in range(clock.DAYS):
            for _ in range(clock.poisson(rng, rng.uniform(6, 12))):
                pair = rng.choice(coding)
                answer = pair.answer or content.borrowed_answer(rng, world.corpora, "code")
                step = rng.random() < 0.55
                ex = Exchange(
                    endpoint=endpoint,
                    model=model,
                    user_text=pair.prompt,
                    answer=answer,
                    system=wording.PATIENT_SYSTEM,
                    tools=tools,
                    tool_call=rng.choice(tools) if step else None,
                    reasoning_effort="medium" if endpoint != MESSAGES else None,
                    thinking_budget=8000 if endpoint == MESSAGES else None,
                    reasoning=content.reasoning_for(rng, pair.prompt, answer),
                    max_tokens=16000,
                    temperature=None,
                )
                world.emit(rng, make_call(actor, clock.at(rng, day, PERSON, tz), home, ex))


# -- quiet harness ------------------------------------------------------------------------------
SHIFTS = ((6.0, 11.5), (13.0, 20.5))  # the operator's scheduler, in UTC


def quiet_harness(world: World) -> None:
    campaign = "quiet-harness"
    rng = world.rng(campaign)
    pool = world.pools["quiet_proxy"]
    corpora = world.corpora
    work: list[tuple[str, str]] = []
    for b in corpora.wizardlm + corpora.arena_hard:
        work.append(
            (b.turns[0], content.borrowed_answer(rng, corpora, content.kind_of(b.turns[0])))
        )
    work += [(p.prompt, p.answer) for p in corpora.code[2017:]]
    work += [(p.prompt, content.clean_math(p.answer)) for p in corpora.math[:5000]]
    rng.shuffle(work)
    cover = [
        (b.turns[0], content.borrowed_answer(rng, corpora, "general"))
        for b in corpora.mt_bench + corpora.vicuna
    ]
    cover += [d.turns[0] for d in corpora.dialogues[:300]]
    accounts: list[tuple[Actor, list[Address]]] = []
    for _ in range(world.count(110)):
        exits = rng.sample(pool, 3)
        c = exits[0].country
        account: Account = world.open_account(
            rng,
            "quiet_harness",
            campaign_id=campaign,
            created_at=identity.created_before(rng, 60, 300),
            email_domain=identity.webmail(rng, c),
            payment_fingerprint=identity.card(rng),
            billing_country=c,
            tier="build",
            verified=True,
        )
        accounts.append((world.actor(rng, account, "python-httpx/0.27.2", CHAT, "gpt-5.1"), exits))
    switch = clock.RELEASE + timedelta(hours=rng.uniform(2, 5))
    index = 0
    for day in range(clock.DAYS):
        for actor, exits in accounts:
            for _session in range(clock.poisson(rng, 2.2)):
                lo, hi = rng.choice(SHIFTS)
                ts = clock.day_start(day) + timedelta(hours=rng.uniform(lo, hi))
                ip = rng.choice(exits).ip
                for _ in range(rng.randint(3, 12)):
                    if rng.random() < 0.25:
                        prompt, answer = rng.choice(cover)
                    else:
                        prompt, answer = work[index % len(work)]
                        index += 1
                    prefix = rng.choice(("", "", "", "Task: ", "Question: ", "Please help: "))
                    model = NEW_MODEL[CHAT] if ts > switch and rng.random() < 0.7 else "gpt-5.1"
                    ex = Exchange(
                        endpoint=CHAT,
                        model=model,
                        user_text=prefix + prompt,
                        answer=answer,
                        temperature=0.7,
                        top_p=0.95,
                        max_tokens=4096,
                        stream=True,
                    )
                    world.emit(rng, make_call(actor, ts, ip, ex))
                    ts += timedelta(seconds=rng.lognormvariate(4.2, 0.8))


# -- token-distribution harvesting --------------------------------------------------------------
ACADEMIC = (
    "stu.example-univ.edu.cn",
    "mail.ustc.edu.cn",
    "student.uitm.edu.my",
    "ui.ac.id",
    "alumni.nus.edu.sg",
    "student.hcmus.edu.vn",
    "iitb.ac.in",
    "edu.hse.ru",
)


def logprob_sampler(world: World) -> None:
    """Education-programme accounts pulling top-20 logprobs and n=5 samples per prompt.

    It reads like an evaluation job (instruction prompts, batch hours, logprobs) but its accounts
    were opened in a few hours at unrelated academic domains, pay with a handful of cards, send
    one harness's exact parameters, and walk one instruction set without repeating a prompt.
    """
    campaign = "logit-siphon"
    rng = world.rng(campaign)
    hosts = world.atlas.cloud("OVHcloud", 6) + world.atlas.cloud("Hetzner", 6)
    cards = [identity.card(rng) for _ in range(world.count(8, 2))]
    prompts = [p.prompt for p in world.corpora.general] + [
        p.prompt for p in world.corpora.user_tasks
    ]
    rng.shuffle(prompts)
    wave = clock.START + timedelta(days=rng.uniform(0.5, 1.5))
    actors: list[Actor] = []
    for _ in range(world.count(45)):
        account = world.open_account(
            rng,
            "logprob_sampler",
            campaign_id=campaign,
            created_at=wave + timedelta(minutes=rng.uniform(0, 300)),
            email_domain=rng.choice(ACADEMIC),
            payment_fingerprint=rng.choice(cards),
            billing_country=rng.choice(("CN", "MY", "ID", "SG", "VN", "IN")),
            tier="free",
            program="education",
            verified=False,
        )
        actors.append(
            world.actor(
                rng, account, "OpenAI/Python 1.35.7", "/v1/completions", "gpt-3.5-turbo-instruct"
            )
        )
    index = 0
    for day in range(clock.DAYS):
        for actor in actors:
            if clock.day_start(day) + timedelta(hours=20) < actor.account.created_at:
                continue
            ts = clock.day_start(day) + timedelta(hours=rng.uniform(15, 19))
            for _ in range(clock.poisson(rng, 14)):
                prompt = prompts[index % len(prompts)]
                index += 1
                ex = Exchange(
                    endpoint=actor.endpoint,
                    model=actor.model,
                    user_text=prompt,
                    answer=content.borrowed_answer(rng, world.corpora, "general"),
                    temperature=1.0,
                    n=5,
                    logprobs=True,
                    top_logprobs=20,
                    max_tokens=512,
                )
                world.emit(rng, make_call(actor, ts, rng.choice(hosts).ip, ex))
                ts += timedelta(seconds=rng.uniform(2, 9))
