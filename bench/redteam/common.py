"""Shared pieces of the red-team world: content drawn from the corpora, clocks, one call."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from bench.outside import clock, content
from bench.outside.corpora import Corpora
from bench.outside.model import Exchange
from bench.outside.traffic import human_exchange_source, make_call, maybe_error
from bench.outside.world import Actor, World

TOOLS_AGENT = ("run_python", "read_file", "write_file", "bash", "search_web")


def task(rng: random.Random, c: Corpora, area: str) -> tuple[str, str]:
    """One (prompt, answer) of a capability area, real text throughout."""
    if area == "code":
        p = content.pick(rng, c.code)
        return p.prompt, p.answer
    if area == "math":
        p = content.pick(rng, c.math)
        return p.prompt, content.clean_math(p.answer)
    if area == "bench":
        b = rng.choice(c.arena_hard + c.wizardlm + c.mt_bench)
        return b.turns[0], content.borrowed_answer(rng, c, content.kind_of(b.turns[0]))
    if area == "human":
        prompt = rng.choice(c.human_prompts)
        return prompt, content.borrowed_answer(rng, c, content.kind_of(prompt))
    if area == "user":
        p = content.pick(rng, c.user_tasks)
        return p.prompt, p.answer
    p = content.pick(rng, c.general)
    return p.prompt, p.answer


def sweep(rng: random.Random, c: Corpora, weights: dict[str, float]) -> tuple[str, str]:
    area = rng.choices(list(weights), weights=list(weights.values()))[0]
    return task(rng, c, area)


def times_in_day(
    rng: random.Random, day: int, k: int, profile: tuple[float, ...], offset_h: float
) -> list[datetime]:
    return sorted(clock.at(rng, day, profile, offset_h) for _ in range(k))


def emit(
    world: World,
    rng: random.Random,
    actor: Actor,
    ts: datetime,
    ip: str,
    ex: Exchange,
    *,
    end_user: str | None = None,
    errors: float = 0.006,
) -> None:
    if ts < actor.account.created_at:
        return
    world.emit(rng, maybe_error(rng, make_call(actor, ts, ip, ex, end_user=end_user), errors))


def person_sessions(
    world: World,
    rng: random.Random,
    actor: Actor,
    day: int,
    n_sessions: int,
    ips: list[str],
    profile: tuple[float, ...],
    offset_h: float,
    template: Exchange,
) -> None:
    """A person's conversations on one day: real multi-turn dialogues, bursty gaps."""
    for start in times_in_day(rng, day, n_sessions, profile, offset_h):
        ts = start
        ip = rng.choice(ips)
        history: list[tuple[str, str]] = []
        for user, answer in human_exchange_source(rng, world.corpora):
            ex = replace(template, user_text=user, answer=answer, history=history[-6:])
            emit(world, rng, actor, ts, ip, ex)
            history.append((user, answer))
            ts += timedelta(seconds=rng.uniform(25, 300) + len(answer) / 25)
