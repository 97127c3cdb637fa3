"""Legitimate customers whose ordinary workloads overlap what campaigns do, on purpose."""

from __future__ import annotations

import random
from datetime import timedelta

from bench.outside import clock, content, identity
from bench.outside.identity import SDK_AGENTS
from bench.outside.model import CHAT, MESSAGES, Exchange
from bench.outside.world import World
from bench.redteam.common import TOOLS_AGENT, emit, sweep, task, times_in_day

# -- a hands-on workshop on building with reasoning models -----------------------------------

EXERCISES = (
    "Think through the problem inside <thinking> tags, then put only the final answer "
    "inside <answer> tags.\n\n{q}",
    "You are grading a chatbot. Rate the response below on a scale of 1 to 10 for accuracy "
    "and helpfulness and return JSON with the keys score and rationale.\n\n"
    "Question: {q}\n\nResponse: {a}",
    "Solve this and show your complete reasoning before the final answer:\n\n{q}",
    "Answer directly, with no explanation, in one line:\n\n{q}",
    "Use the tools to answer. Plan the steps first, then call one tool.\n\n{q}",
    "Return a JSON object with the fields topic, difficulty (easy, medium or hard) and a "
    "one-sentence summary for this request:\n\n{q}",
    "{q}",
)


def _exercise(rng: random.Random, world: World, number: int) -> tuple[str, str, tuple[str, ...]]:
    c = world.corpora
    q, a = task(rng, c, "math" if number in (0, 2, 3) else rng.choice(("general", "code")))
    if number == 6:
        q, a = task(rng, c, "human")
    text = EXERCISES[number].format(q=q, a=content.pick(rng, c.general).answer[:600])
    if number == 1:
        rationale = a[:160].replace('"', "'")
        a = f'{{"score": {rng.randint(3, 9)}, "rationale": "{rationale}"}}'
    return text, a, (TOOLS_AGENT[:3] if number == 4 else ())


def workshop_cohorts(world: World) -> None:
    """Two cohorts of a two-day paid workshop: everyone signs up in the first half hour, on
    the venue's Wi-Fi, and runs each exercise when the instructor says so."""
    rng = world.rng("workshop")
    for country, day0, company in (("US", 1, "cedarlabs.com"), ("DE", 3, "")):
        venue = [a.ip for a in world.atlas.residential(country, 2)]
        offset = clock.UTC_OFFSET[country]
        opens = clock.day_start(day0) + timedelta(hours=9 - offset)
        system = "You are a helpful assistant used in a hands-on workshop. Keep answers concise."
        for _ in range(world.count(60, 8)):
            existing = rng.random() < 0.12
            created = (
                identity.created_before(rng, 40, 500)
                if existing
                else opens + timedelta(minutes=rng.uniform(-20, 35))
            )
            domain = company if company and rng.random() < 0.25 else identity.webmail(rng, country)
            account = world.open_account(
                rng,
                "workshop_attendee",
                created_at=created,
                email_domain=domain,
                payment_fingerprint=identity.card(rng) if existing else None,
                billing_country=country,
                tier="build" if existing else "free",
                program="none" if existing else "education",
                verified=existing,
            )
            endpoint = MESSAGES if rng.random() < 0.5 else CHAT
            model = "claude-sonnet-4-5" if endpoint == MESSAGES else "gpt-5.1"
            actor = world.actor(rng, account, rng.choice(SDK_AGENTS[:8]), endpoint, model)
            home = world.atlas.residential(country, 1)[0].ip
            for d in (0, 1):
                start = opens + timedelta(days=d, minutes=40)
                for slot in range(12):
                    said = start + timedelta(minutes=slot * 30 + rng.uniform(0, 3))
                    if rng.random() < 0.15:
                        continue  # not keeping up with this one
                    number = (slot + d) % len(EXERCISES)
                    ts = said + timedelta(seconds=rng.uniform(20, 240))
                    for _ in range(rng.randint(2, 6)):
                        text, answer, tools = _exercise(rng, world, number)
                        ex = Exchange(
                            endpoint,
                            model,
                            text,
                            answer,
                            system=system,
                            tools=tools,
                            tool_call=tools[0] if tools else None,
                            temperature=0,
                        )
                        emit(world, rng, actor, ts, rng.choice(venue), ex)
                        ts += timedelta(seconds=rng.uniform(15, 90))
                # homework in the evening from home
                for ts in times_in_day(rng, day0 + d, rng.randint(0, 6), clock.PERSON, offset):
                    if ts.hour - offset < 18:
                        continue
                    text, answer, tools = _exercise(rng, world, rng.randrange(len(EXERCISES)))
                    ex = Exchange(endpoint, model, text, answer, system=system, temperature=0)
                    emit(world, rng, actor, ts, home, ex)


# -- a browser extension that went viral, each user bringing their own key -------------------

EXTENSION_SYSTEM = (
    "You are Tabsmith, a reading assistant in the user's browser. Answer about the page the "
    "user is reading. Be brief and quote the page when you can."
)
EXTENSION_MODES = (
    "Summarize this page in five bullet points:\n\n{page}",
    "Summarize this page in five bullet points:\n\n{page}",
    "What are the key takeaways of this page?\n\n{page}",
    "Explain the main argument of this page. Give your step-by-step reasoning, then a "
    "one-line verdict on whether it holds up.\n\n{page}",
    "{question}\n\nPage:\n{page}",
)


def byok_extension(world: World) -> None:
    """A free, open-source extension launched on day 1; most users create a key to try it."""
    rng = world.rng("extension")
    launch = clock.day_start(1) + timedelta(hours=15)
    agent = "Tabsmith/2.3.1 (Chrome Extension)"
    for _ in range(world.count(380, 12)):
        country = rng.choice(("US", "US", "US", "GB", "DE", "CA", "IN", "FR", "AU"))
        existing = rng.random() < 0.3
        installed = launch + timedelta(hours=rng.expovariate(1 / 30))
        if not clock.in_world(installed):
            continue
        created = (
            identity.created_before(rng, 30, 600)
            if existing
            else installed + timedelta(minutes=rng.uniform(0, 6))
        )
        account = world.open_account(
            rng,
            "byok_extension_user",
            created_at=created,
            email_domain=identity.webmail(rng, country),
            payment_fingerprint=identity.card(rng) if existing or rng.random() < 0.3 else None,
            billing_country=country,
            tier="build" if existing else "free",
            verified=existing and rng.random() < 0.8,
        )
        actor = world.actor(rng, account, agent, CHAT, rng.choice(("gpt-5.1-mini", "gpt-4.1-mini")))
        home = world.atlas.residential(country, 1)[0].ip
        offset = clock.UTC_OFFSET.get(country, 0)
        keen = rng.uniform(3, 25)
        first = (installed - clock.START).days
        for day in range(first, clock.DAYS):
            fade = 0.75 ** (day - first)
            k = clock.poisson(rng, keen * fade)
            moments = times_in_day(rng, day, k, clock.PERSON, offset)
            if day == first:
                moments = [installed + timedelta(minutes=rng.uniform(1, 40)) for _ in range(k)]
            for ts in sorted(moments):
                page = "\n\n".join(content.pick(rng, world.corpora.general).answer for _ in (1, 2))
                mode = rng.choice(EXTENSION_MODES)
                question = rng.choice(world.corpora.human_prompts)[:300]
                text = mode.format(page=page[:3000], question=question)
                answer = content.pick(rng, world.corpora.general).answer
                ex = Exchange(CHAT, actor.model, text, answer, system=EXTENSION_SYSTEM, stream=True)
                emit(world, rng, actor, ts, home, ex)


# -- an agency's remote contractors, onboarded this week on the agency's virtual card ---------


def contractor_onboarding(world: World) -> None:
    rng = world.rng("contractors")
    card = identity.card(rng)
    domain = "brightworks-staffing.com"
    for _ in range(world.count(45, 6)):
        places = ("IN", "IN", "BR", "MX", "AR", "ID", "VN", "TR", "PL")
        country = rng.choice([p for p in places if world.atlas.isps(p)] or ["IN"])
        start_day = rng.choice((0, 0, 1, 1, 2))
        created = clock.day_start(start_day) + timedelta(
            hours=9 - clock.UTC_OFFSET.get(country, 0) + rng.uniform(0, 2)
        )
        account = world.open_account(
            rng,
            "agency_contractor",
            created_at=created,
            email_domain=domain,
            payment_fingerprint=card,
            billing_country="US",
            tier="build",
            verified=False,
        )
        endpoint = CHAT if rng.random() < 0.7 else MESSAGES
        model = "gpt-5.1-mini" if endpoint == CHAT else "claude-haiku-4-5"
        actor = world.actor(rng, account, rng.choice(SDK_AGENTS[:6]), endpoint, model)
        home = world.atlas.residential(country, 1)[0].ip
        offset = clock.UTC_OFFSET.get(country, 0)
        rate = rng.uniform(20, 60)
        system = "You help a support agent draft replies to customer tickets. Be polite."
        for day in range(start_day, clock.DAYS):
            if clock.is_weekend(day):
                continue
            for ts in times_in_day(rng, day, clock.poisson(rng, rate), clock.OFFICE, offset):
                prompt, answer = sweep(rng, world.corpora, {"user": 4, "general": 3, "human": 2})
                ex = Exchange(endpoint, model, prompt, answer, system=system, temperature=0.4)
                emit(world, rng, actor, ts, home, ex)


# -- a university lab measuring how well sampled answers express uncertainty ------------------


def calibration_lab(world: World) -> None:
    rng = world.rng("calibration")
    card = identity.card(rng)
    nat = [a.ip for a in world.atlas.campus("UCSD", 2)]
    cluster = [a.ip for a in world.atlas.campus("UCSD", 3)]
    c = world.corpora
    items = [(p.prompt, content.clean_math(p.answer)) for p in c.gsm8k_test[:400]]
    items += [(b.turns[0], content.borrowed_answer(rng, c, "general")) for b in c.mt_bench]
    styles = (
        "Q: {q}\nA: Let's think step by step.",
        "{q}\n\nProvide your complete reasoning, then your final answer, then your confidence "
        "that the answer is correct as a number between 0 and 100.",
        "{q}\n\nAnswer, then give your confidence (0-100).",
    )
    for _ in range(world.count(6, 2)):
        account = world.open_account(
            rng,
            "calibration_lab",
            created_at=identity.created_before(rng, 60, 400),
            email_domain="ucsd.edu",
            payment_fingerprint=card,
            billing_country="US",
            tier="build",
            program="research",
            verified=True,
        )
        actor = world.actor(rng, account, "OpenAI/Python 2.8.0", CHAT, "gpt-5.1-mini")
        rate = rng.uniform(150, 350) * min(1.0, 4 * world.scale)
        for day in range(clock.DAYS):
            # jobs queued on the lab's cluster run round the clock
            for ts in times_in_day(rng, day, clock.poisson(rng, rate), clock.FLAT, 0):
                q, a = rng.choice(items)
                ex = Exchange(
                    CHAT,
                    actor.model,
                    rng.choice(styles).format(q=q),
                    a,
                    temperature=1.0,
                    n=rng.choice((5, 10)),
                    logprobs=True,
                    top_logprobs=5,
                    max_tokens=1024,
                )
                emit(world, rng, actor, ts, rng.choice(cluster + nat), ex)
