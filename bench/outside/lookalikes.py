"""Legitimate customers that look like campaigns on purpose (all benign).

Each shares something with a campaign: the same cloud egress pools, the same residential
exits, benchmark prompts at temperature 0 with logprobs, reasoning requests, sign-up bursts,
shared cards, stripped metadata, volume with no ramp-up, n>1 with long outputs.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from bench.outside import clock, content, identity, traffic, wording
from bench.outside.benign import APPS, app_turn
from bench.outside.clock import FLAT, NIGHTLY, OFFICE, PERSON
from bench.outside.corpora import Bench
from bench.outside.model import CHAT, COMPLETIONS, MESSAGES, RESPONSES, Exchange
from bench.outside.traffic import NEW_MODEL, make_call, maybe_error
from bench.outside.world import Actor, World


def ci_review_bots(world: World) -> None:
    """PR-review loops on GitHub-hosted runners: a fresh runner address for every job."""
    rng = world.rng("ci_review_bot")
    runners = world.pools["runners"]
    agents = (
        "OpenAI/Python 3.57.0",
        "OpenAI/JS 6.9.1",
        "Anthropic/Python 2.16.0",
        "python-httpx/0.28.1",
        "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
        "reviewdog-llm/0.4.2",
        "ai-pr-reviewer/1.16.2 (github-actions)",
    )
    for _ in range(world.count(32)):
        domain = identity.company_domain(rng)
        account = world.open_account(
            rng,
            "ci_review_bot",
            created_at=identity.created_before(rng, 20, 600),
            email_domain=domain,
            payment_fingerprint=identity.card(rng),
            billing_country=rng.choice(("US", "US", "DE", "GB", "CA", "NL")),
            tier=rng.choice(("build", "scale")),
            verified=rng.random() < 0.8,
        )
        endpoint, model = traffic.endpoint_model(rng, 0.4)
        actor = world.actor(rng, account, rng.choice(agents), endpoint, model)
        system = rng.choice(wording.REVIEW_SYSTEM)
        repo = f"{domain.split('.')[0]}/{rng.choice(('api', 'web', 'core', 'infra', 'sdk'))}"
        prs_per_day = rng.lognormvariate(2.3, 0.6) * world.scale
        tz = rng.choice((-8, -5, 0, 1))
        for day in range(clock.DAYS):
            scale = 0.15 if clock.is_weekend(day) else 1.0
            for _ in range(clock.poisson(rng, prs_per_day * scale)):
                ts = clock.at(rng, day, OFFICE, tz)
                pr = rng.randint(100, 9000)
                runner = rng.choice(runners).ip
                for _file in range(rng.randint(1, 5)):
                    pair = content.pick(rng, world.corpora.code)
                    diff = "\n".join("+" + line for line in pair.answer.splitlines()[:60])
                    prompt = (
                        f"Repository: {repo}\nPR #{pr}: {pair.prompt.splitlines()[0][:90]}"
                        f"\n\n```diff\n{diff}\n```"
                    )
                    ex = Exchange(
                        endpoint=endpoint,
                        model=model,
                        user_text=prompt,
                        answer=content.borrowed_answer(rng, world.corpora, "code"),
                        system=system,
                        temperature=rng.choice((0.0, 0.1, 0.2)),
                        max_tokens=2048,
                        response_format="json_object" if endpoint != MESSAGES else None,
                    )
                    world.emit(rng, maybe_error(rng, make_call(actor, ts, runner, ex)))
                    ts += timedelta(seconds=rng.uniform(2, 25))


def _bench_items(world: World, rng: random.Random) -> list[Bench]:
    corpora = world.corpora
    suites = rng.sample(("mt", "arena", "gsm8k", "vicuna", "wizard"), rng.randint(1, 2))
    items: list[Bench] = []
    if "mt" in suites:
        items += corpora.mt_bench
    if "arena" in suites:
        items += rng.sample(corpora.arena_hard, 150)
    if "gsm8k" in suites:
        items += [
            Bench("gsm8k", str(i), "math", (p.prompt,))
            for i, p in enumerate(corpora.gsm8k_test[: rng.choice((150, 250))])
        ]
    if "vicuna" in suites:
        items += corpora.vicuna
    if "wizard" in suites:
        items += corpora.wizardlm
    return items


def _bench_prompt(head: str, item: Bench) -> str:
    return head + item.turns[0] if item.suite == "gsm8k" else item.turns[0]


def _bench_answer(world: World, rng: random.Random, item: Bench) -> str:
    if item.suite == "gsm8k":
        match = next((p for p in world.corpora.gsm8k_test if p.prompt == item.turns[0]), None)
        if match:
            return content.clean_math(match.answer)
    return content.borrowed_answer(rng, world.corpora, content.kind_of(item.turns[0]))


def _run_bench(
    world: World,
    rng: random.Random,
    actor: Actor,
    items: list[Bench],
    start: datetime,
    ips: list[str],
    model: str,
    spacing: float,
    logprobs: bool,
    head: str,
) -> None:
    ts = start
    answers: dict[str, str] = {}
    for item in items:
        key = f"{item.suite}:{item.item_id}"
        answer = answers.get(key) or _bench_answer(world, rng, item)
        answers[key] = answer
        ex = Exchange(
            endpoint=actor.endpoint,
            model=model,
            user_text=_bench_prompt(head, item),
            answer=answer,
            temperature=0.0,
            max_tokens=2048,
            logprobs=logprobs and actor.endpoint != MESSAGES,
            top_logprobs=5 if logprobs and actor.endpoint != MESSAGES else None,
        )
        world.emit(rng, maybe_error(rng, make_call(actor, ts, rng.choice(ips), ex)))
        if len(item.turns) > 1:
            follow = replace(
                ex,
                user_text=item.turns[1],
                history=[(ex.user_text, answer)],
                answer=content.borrowed_answer(rng, world.corpora, "general"),
            )
            ts += timedelta(seconds=rng.uniform(1, 4) * spacing)
            world.emit(rng, make_call(actor, ts, rng.choice(ips), follow))
        ts += timedelta(seconds=rng.uniform(0.5, 1.5) * spacing)


def eval_suites(world: World) -> None:
    """Nightly regression evals: the same public benchmark prompts every night, temperature 0."""
    rng = world.rng("eval_suite")
    agents = (
        "lm-eval-harness/0.4.9 OpenAI/Python 2.8.0",
        "inspect_ai/0.3.140",
        "openai-evals/3.0.1",
        "Anthropic/Python 2.16.0",
        "promptfoo/0.118.4",
    )
    for _ in range(world.count(7)):
        provider = rng.choice(("Google Cloud", "Amazon AWS", "Microsoft Azure"))
        ips = [a.ip for a in world.atlas.cloud(provider, rng.randint(1, 4), "US")]
        account = world.open_account(
            rng,
            "eval_suite",
            created_at=identity.created_before(rng, 90, 800),
            email_domain=identity.company_domain(rng),
            payment_fingerprint=identity.card(rng),
            billing_country="US",
            tier=rng.choice(("scale", "enterprise")),
            verified=True,
        )
        endpoint = rng.choice((CHAT, CHAT, RESPONSES, MESSAGES, COMPLETIONS))
        model = {
            CHAT: "gpt-5.1-mini",
            RESPONSES: "gpt-5.1",
            MESSAGES: "claude-haiku-4-5",
            COMPLETIONS: "gpt-3.5-turbo-instruct",
        }[endpoint]
        actor = world.actor(rng, account, rng.choice(agents), endpoint, model)
        items = _bench_items(world, rng)
        keep = max(20, round(len(items) * min(1.0, world.scale)))
        items = items[:keep]
        logprobs = rng.random() < 0.6
        head = rng.choice(wording.EVAL_GSM8K_HEAD)
        hour = rng.uniform(0, 4)
        for day in range(clock.DAYS):
            start = clock.day_start(day) + timedelta(hours=hour, minutes=rng.uniform(0, 8))
            _run_bench(world, rng, actor, items, start, ips, model, 4.0, logprobs, head)
            if start > clock.RELEASE - timedelta(days=1) and endpoint != COMPLETIONS:
                _run_bench(
                    world,
                    rng,
                    actor,
                    items,
                    start + timedelta(minutes=40),
                    ips,
                    NEW_MODEL[endpoint],
                    4.0,
                    logprobs,
                    head,
                )


def release_day(world: World) -> None:
    """Labs, reviewers and startups benchmarking the new model the hour it ships."""
    rng = world.rng("release_day_bench")
    for i in range(world.count(12)):
        fresh = i % 3 == 0  # an account opened for the launch
        c = rng.choice(("US", "US", "GB", "DE", "FR", "KR", "JP"))
        account = world.open_account(
            rng,
            "release_day_bench",
            created_at=clock.RELEASE + timedelta(minutes=rng.uniform(5, 90))
            if fresh
            else identity.created_before(rng, 30, 500),
            email_domain=identity.company_domain(rng)
            if rng.random() < 0.7
            else identity.webmail(rng, c),
            payment_fingerprint=identity.card(rng),
            billing_country=c,
            tier=rng.choice(("build", "scale")),
            verified=rng.random() < 0.7,
            program=rng.choice(("none", "none", "research", "startup")),
        )
        endpoint, _ = traffic.endpoint_model(rng, 0.5)
        actor = world.actor(
            rng, account, rng.choice(identity.SDK_AGENTS), endpoint, NEW_MODEL[endpoint]
        )
        if rng.random() < 0.6:
            ips = [a.ip for a in world.atlas.cloud(rng.choice(("Amazon AWS", "Google Cloud")), 2)]
        else:
            ips = [a.ip for a in world.atlas.residential(c, 1)]
        items = _bench_items(world, rng)
        items = items[: max(20, round(len(items) * min(1.0, world.scale)))]
        start = clock.RELEASE + timedelta(minutes=rng.uniform(10, 240))
        _run_bench(
            world, rng, actor, items, start, ips, NEW_MODEL[endpoint], 1.5, rng.random() < 0.5, ""
        )
        for day in range(4, clock.DAYS):
            for _ in range(clock.poisson(rng, 6)):
                prompt, answer = traffic.human_exchange_source(rng, world.corpora)[0]
                ex = Exchange(
                    endpoint=endpoint, model=NEW_MODEL[endpoint], user_text=prompt, answer=answer
                )
                world.emit(
                    rng,
                    make_call(actor, clock.at(rng, day, OFFICE, clock.UTC_OFFSET[c]), ips[0], ex),
                )


def campus(world: World) -> None:
    """One course's students: one campus NAT, one academic domain, signed up the same week."""
    rng = world.rng("campus")
    nat = [a.ip for a in world.atlas.campus("UCSD", 2)]
    homework = rng.sample(world.corpora.gsm8k_test, 18)
    code_hw = rng.sample(world.corpora.code, 10)
    for _ in range(world.count(150)):
        account = world.open_account(
            rng,
            "campus_student",
            created_at=clock.START - timedelta(days=rng.uniform(6, 9), hours=rng.uniform(0, 8)),
            email_domain="ucsd.edu",
            payment_fingerprint=None,
            billing_country="US",
            tier="free",
            program="education",
            verified=rng.random() < 0.2,
        )
        endpoint, model = traffic.endpoint_model(rng, 0.3)
        actor = world.actor(
            rng,
            account,
            rng.choice(identity.SDK_AGENTS[:8] + identity.CHAT_APP_AGENTS),
            endpoint,
            model,
        )
        home = world.atlas.residential("US", 1)[0].ip
        for day in range(clock.DAYS):
            if rng.random() < 0.4:
                continue
            for _ in range(clock.poisson(rng, 3)):
                ts = clock.at(rng, day, OFFICE if not clock.is_weekend(day) else PERSON, -8)
                on_campus = 15 <= ts.hour <= 23 and not clock.is_weekend(day)
                roll = rng.random()
                if roll < 0.35:
                    pair = rng.choice(homework)
                    prompt = (
                        rng.choice(
                            ("", "hw3 q: ", "can you help me with this? ", "Explain how to solve: ")
                        )
                        + pair.prompt
                    )
                    turns = [(prompt, content.clean_math(pair.answer))]
                elif roll < 0.55:
                    pair = rng.choice(code_hw)
                    turns = [
                        (rng.choice(("", "For my CSE 11 assignment: ")) + pair.prompt, pair.answer)
                    ]
                else:
                    turns = traffic.human_exchange_source(rng, world.corpora)
                tpl = Exchange(endpoint=endpoint, model=model, user_text="", answer="", stream=True)
                traffic.session(
                    world, rng, actor, ts, rng.choice(nat) if on_campus else home, turns, tpl
                )


def team_shared_card(world: World) -> None:
    """Small companies paying several team members' accounts with one card."""
    rng = world.rng("team_shared_card")
    for _ in range(world.count(6)):
        domain = identity.company_domain(rng)
        fingerprint = identity.card(rng)
        c = rng.choice(("US", "DE", "GB", "IN", "BR", "FR"))
        office = world.atlas.residential(c, 1)[0].ip
        for _member in range(rng.randint(3, 6)):
            account = world.open_account(
                rng,
                "team_shared_card",
                created_at=identity.created_before(rng, 10, 400),
                email_domain=domain,
                payment_fingerprint=fingerprint,
                billing_country=c,
                tier="build",
                verified=rng.random() < 0.6,
            )
            endpoint, model = traffic.endpoint_model(rng, 0.5)
            actor = world.actor(rng, account, rng.choice(identity.SDK_AGENTS), endpoint, model)
            home = world.atlas.residential(c, 1)[0].ip
            for day in range(clock.DAYS):
                if clock.is_weekend(day) and rng.random() < 0.8:
                    continue
                for _ in range(clock.poisson(rng, 12)):
                    ts = clock.at(rng, day, OFFICE, clock.UTC_OFFSET[c])
                    pair = content.pick(
                        rng, world.corpora.code if rng.random() < 0.6 else world.corpora.general
                    )
                    ex = Exchange(
                        endpoint=endpoint,
                        model=model,
                        user_text=pair.prompt,
                        answer=pair.answer,
                        temperature=rng.choice((None, 0.2)),
                    )
                    world.emit(
                        rng, make_call(actor, ts, office if rng.random() < 0.7 else home, ex)
                    )


def llm_gateways(world: World) -> None:
    """Self-hosted LLM gateways: many internal users' prompts, metadata stripped at the proxy."""
    rng = world.rng("llm_gateway")
    for _ in range(world.count(4)):
        provider = rng.choice(("Amazon AWS", "Google Cloud", "Microsoft Azure"))
        ips = [a.ip for a in world.atlas.clustered_cloud(provider, 4, "US", 2)]
        account = world.open_account(
            rng,
            "llm_gateway",
            created_at=identity.created_before(rng, 200, 900),
            email_domain=identity.company_domain(rng),
            payment_fingerprint=identity.card(rng),
            billing_country=rng.choice(("US", "GB", "DE")),
            tier="enterprise",
            verified=True,
        )
        endpoint, model = traffic.endpoint_model(rng, 0.4)
        actor = world.actor(
            rng,
            account,
            rng.choice((None, None, "litellm/1.79.3", "python-httpx/0.28.1")),
            endpoint,
            model,
        )
        per_day = rng.uniform(300, 600) * world.scale
        for day in range(clock.DAYS):
            for _ in range(clock.poisson(rng, per_day * (0.5 if clock.is_weekend(day) else 1))):
                ts = clock.at(rng, day, OFFICE, rng.choice((-8, -5, 0, 1, 5.5)))
                turns = traffic.human_exchange_source(rng, world.corpora)
                if rng.random() < 0.3:
                    pair = content.pick(rng, world.corpora.code)
                    turns = [(pair.prompt, pair.answer)]
                tpl = Exchange(
                    endpoint=endpoint,
                    model=model,
                    user_text="",
                    answer="",
                    temperature=rng.choice((None, 0.7)),
                    max_tokens=4096,
                )
                traffic.session(world, rng, actor, ts, rng.choice(ips), turns, tpl, gap=(15, 200))


def key_migration(world: World) -> None:
    """A workload moved to a new account and key mid-week, at full volume from the first hour."""
    rng = world.rng("key_migration")
    for i in range(world.count(3)):
        system, source, tool = APPS[(i + 3) % len(APPS)]
        domain = identity.company_domain(rng)
        c = rng.choice(("US", "DE", "GB"))
        ips = [a.ip for a in world.atlas.clustered_cloud("Amazon AWS", 3, "US", 3)]
        cut = clock.START + timedelta(days=rng.uniform(2, 4))
        old = world.open_account(
            rng,
            "key_migration",
            created_at=identity.created_before(rng, 200, 700),
            email_domain=domain,
            payment_fingerprint=identity.card(rng),
            billing_country=c,
            tier="scale",
            verified=True,
        )
        new = world.open_account(
            rng,
            "key_migration",
            created_at=cut - timedelta(hours=rng.uniform(1, 20)),
            email_domain=domain,
            payment_fingerprint=identity.card(rng),
            billing_country=c,
            tier="scale",
            verified=True,
        )
        endpoint, model = traffic.endpoint_model(rng, 0.4)
        ua = rng.choice(identity.SDK_AGENTS[:9])
        actors = (
            world.actor(rng, old, ua, endpoint, model),
            world.actor(rng, new, ua, endpoint, model),
        )
        per_day = rng.uniform(300, 500) * world.scale
        users = [f"u{rng.randint(10**6, 10**7)}" for _ in range(1500)]
        for day in range(clock.DAYS):
            for _ in range(clock.poisson(rng, per_day)):
                ts = clock.at(rng, day, PERSON, clock.UTC_OFFSET[c])
                actor = actors[1] if ts >= cut else actors[0]
                tpl = Exchange(
                    endpoint=endpoint,
                    model=model,
                    user_text="",
                    answer="",
                    system=system,
                    temperature=0.5,
                    max_tokens=1024,
                    tools=(tool,) if tool else (),
                    end_user=rng.choice(users),
                    cached_share=0.8,
                )
                traffic.session(
                    world, rng, actor, ts, rng.choice(ips), app_turn(rng, world, source), tpl
                )


def synthetic_data(world: World) -> None:
    """Licensed synthetic-data generation: n>1, long outputs, batch jobs around the clock."""
    rng = world.rng("synthetic_data_licensed")
    topics = [t.prompt.splitlines()[0][:120] for t in world.corpora.general[:600]]
    for _ in range(world.count(3)):
        ips = [a.ip for a in world.atlas.cloud("Google Cloud", 3, "US")]
        account = world.open_account(
            rng,
            "synthetic_data_licensed",
            created_at=identity.created_before(rng, 100, 500),
            email_domain=identity.company_domain(rng),
            payment_fingerprint=identity.card(rng),
            billing_country="US",
            tier="enterprise",
            verified=True,
            program=rng.choice(("none", "startup")),
        )
        endpoint = rng.choice((CHAT, CHAT, COMPLETIONS))
        model = "gpt-5.1" if endpoint == CHAT else "gpt-3.5-turbo-instruct"
        actor = world.actor(rng, account, "OpenAI/Python 3.57.0", endpoint, model)
        template = rng.choice(wording.SYNTH_TEMPLATE)
        per_day = rng.uniform(250, 420) * world.scale
        for day in range(clock.DAYS):
            for _ in range(clock.poisson(rng, per_day)):
                k = rng.choice((5, 8, 10))
                prompt = template.format(k=k, topic=rng.choice(topics))
                ex = Exchange(
                    endpoint=endpoint,
                    model=model,
                    user_text=prompt,
                    answer=content.long_answer(rng, world.corpora, rng.randint(3, 6)),
                    temperature=1.0,
                    top_p=0.95,
                    n=rng.choice((2, 4, 4, 8)),
                    max_tokens=8192,
                    system="You generate training data." if endpoint == CHAT else None,
                )
                world.emit(rng, make_call(actor, clock.at(rng, day, FLAT, 0), rng.choice(ips), ex))


def audit_reasoning(world: World) -> None:
    """Regulated businesses asking for the model's reasoning to keep in their audit trail."""
    rng = world.rng("audit_reasoning")
    for _ in range(world.count(15)):
        c = rng.choice(("US", "GB", "DE", "CH", "NL", "SG"))
        provider = rng.choice(("Amazon AWS", "Microsoft Azure", "Google Cloud"))
        try:
            ips = [a.ip for a in world.atlas.cloud(provider, 2, c)]
        except RuntimeError:
            ips = [a.ip for a in world.atlas.cloud(provider, 2, "US")]
        account = world.open_account(
            rng,
            "audit_reasoning",
            created_at=identity.created_before(rng, 60, 700),
            email_domain=identity.company_domain(rng),
            payment_fingerprint=identity.card(rng),
            billing_country=c,
            tier=rng.choice(("scale", "enterprise")),
            verified=True,
        )
        endpoint = rng.choice((RESPONSES, MESSAGES, CHAT))
        model = {RESPONSES: "gpt-5.1", MESSAGES: "claude-sonnet-4-5", CHAT: "o4-mini"}[endpoint]
        actor = world.actor(rng, account, rng.choice(identity.SDK_AGENTS[:9]), endpoint, model)
        system = rng.choice(wording.AUDIT_SYSTEM)
        per_day = rng.uniform(30, 90) * world.scale
        for day in range(clock.DAYS):
            if clock.is_weekend(day):
                continue
            for _ in range(clock.poisson(rng, per_day)):
                pair = content.pick(rng, world.corpora.general)
                case = f"Case {rng.randint(10**5, 10**6)}: {pair.prompt}"
                ex = Exchange(
                    endpoint=endpoint,
                    model=model,
                    user_text=case,
                    answer=pair.answer,
                    system=system,
                    reasoning_effort="high" if endpoint != MESSAGES else None,
                    thinking_budget=rng.choice((4000, 8000)) if endpoint == MESSAGES else None,
                    reasoning=content.reasoning_for(rng, pair.prompt, pair.answer),
                    max_tokens=16000 if endpoint == MESSAGES else None,
                )
                world.emit(
                    rng,
                    make_call(
                        actor, clock.at(rng, day, OFFICE, clock.UTC_OFFSET[c]), rng.choice(ips), ex
                    ),
                )


def tutoring_platform(world: World) -> None:
    """An ed-tech backend asking for every step of the working in the student's language."""
    rng = world.rng("tutoring_platform")
    languages = (
        "Spanish",
        "Portuguese",
        "Indonesian",
        "Vietnamese",
        "Turkish",
        "English",
        "Hindi",
        "Arabic",
        "French",
    )
    for _ in range(world.count(2)):
        ips = [a.ip for a in world.atlas.clustered_cloud("Amazon AWS", 3, "US", 3)]
        account = world.open_account(
            rng,
            "tutoring_platform",
            created_at=identity.created_before(rng, 120, 600),
            email_domain=identity.company_domain(rng),
            payment_fingerprint=identity.card(rng),
            billing_country=rng.choice(("BR", "MX", "ID", "US")),
            tier="scale",
            verified=True,
            program="education",
        )
        actor = world.actor(rng, account, "OpenAI/JS 6.9.1", CHAT, "gpt-5.1-mini")
        students = [f"stu_{identity.alnum(rng, 8)}" for _ in range(2500)]
        per_day = rng.uniform(300, 500) * world.scale
        for day in range(clock.DAYS):
            for _ in range(clock.poisson(rng, per_day * (0.4 if clock.is_weekend(day) else 1))):
                lang = rng.choice(languages)
                pair = content.pick(rng, world.corpora.math)
                ex = Exchange(
                    endpoint=CHAT,
                    model="gpt-5.1-mini",
                    user_text=pair.prompt,
                    answer=content.clean_math(pair.answer),
                    system=rng.choice(wording.TUTOR_SYSTEM).format(lang=lang),
                    reasoning_effort="medium",
                    end_user=rng.choice(students),
                    reasoning=content.reasoning_for(rng, pair.prompt, pair.answer),
                    max_tokens=2048,
                    cached_share=0.5,
                )
                world.emit(
                    rng, make_call(actor, clock.at(rng, day, OFFICE, -4), rng.choice(ips), ex)
                )


def localization_vendor(world: World) -> None:
    """A translation vendor pushing one English source set through a dozen target languages."""
    rng = world.rng("localization_vendor")
    sources = [p.answer for p in world.corpora.general[1000:1600] if len(p.answer) > 40]
    for _ in range(world.count(2)):
        ips = [a.ip for a in world.atlas.cloud("Hetzner", 2)]
        account = world.open_account(
            rng,
            "localization_vendor",
            created_at=identity.created_before(rng, 300, 900),
            email_domain=identity.company_domain(rng),
            payment_fingerprint=identity.card(rng),
            billing_country="DE",
            tier="scale",
            verified=True,
        )
        endpoint = rng.choice((CHAT, MESSAGES))
        model = "gpt-5.1-mini" if endpoint == CHAT else "claude-haiku-4-5"
        actor = world.actor(rng, account, "python-requests/2.32.5", endpoint, model)
        template = rng.choice(wording.LOCALIZE)
        per_day = rng.uniform(200, 320) * world.scale
        for day in range(clock.DAYS):
            for _ in range(clock.poisson(rng, per_day)):
                text = rng.choice(sources)
                lang = rng.choice(wording.LANGUAGES[1:])
                ex = Exchange(
                    endpoint=endpoint,
                    model=model,
                    user_text=f"{template.format(lang=lang)}\n\n{text}",
                    answer=text,
                    temperature=0.0 if endpoint == CHAT else None,
                    max_tokens=2048,
                )
                world.emit(
                    rng, make_call(actor, clock.at(rng, day, NIGHTLY, 1), rng.choice(ips), ex)
                )


def red_team_researchers(world: World) -> None:
    """Safety researchers probing refusals with red-team dialogues: many refusals, by hand."""
    rng = world.rng("red_team_research")
    campuses = (
        "SURF B.V.",
        "Jisc Services Limited",
        "Verein zur Foerderung eines Deutschen Forschungsnetzes e.V.",
        "MERIT-AS-14",
    )
    for _ in range(world.count(10)):
        net = rng.choice(campuses)
        lab = world.atlas.campus(net, 1)[0]
        account = world.open_account(
            rng,
            "red_team_research",
            created_at=identity.created_before(rng, 30, 400),
            email_domain=rng.choice(("uva.nl", "ox.ac.uk", "tum.de", "umich.edu", "ed.ac.uk")),
            payment_fingerprint=identity.card(rng),
            billing_country=lab.country,
            tier="build",
            program="research",
            verified=True,
        )
        endpoint, model = traffic.endpoint_model(rng, 0.5)
        actor = world.actor(rng, account, rng.choice(identity.SDK_AGENTS), endpoint, model)
        for day in range(clock.DAYS):
            if clock.is_weekend(day):
                continue
            for _ in range(clock.poisson(rng, 25 * world.scale)):
                dialogue = rng.choice(world.corpora.red_team).turns
                user, assistant = dialogue[0]
                refused = rng.random() < 0.45
                ex = Exchange(
                    endpoint=endpoint,
                    model=model,
                    user_text=user,
                    answer=rng.choice(content.REFUSALS) if refused else assistant,
                    refusal=refused,
                    temperature=rng.choice((0.0, 1.0)),
                )
                world.emit(
                    rng,
                    make_call(
                        actor, clock.at(rng, day, OFFICE, clock.UTC_OFFSET[lab.country]), lab.ip, ex
                    ),
                )
