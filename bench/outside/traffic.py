"""Building blocks shared by populations: picking real text, sessions, one call."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from bench.outside import content
from bench.outside.corpora import Corpora
from bench.outside.model import CHAT, COMPLETIONS, MESSAGES, RESPONSES, Call, Exchange
from bench.outside.world import Actor, World

OPENAI_MODELS = (
    (CHAT, "gpt-5.1"),
    (CHAT, "gpt-5.1"),
    (CHAT, "gpt-5.1-mini"),
    (CHAT, "gpt-4.1-mini"),
    (RESPONSES, "gpt-5.1"),
    (RESPONSES, "gpt-5.1-mini"),
)
ANTHROPIC_MODELS = (
    (MESSAGES, "claude-sonnet-4-5"),
    (MESSAGES, "claude-sonnet-4-5"),
    (MESSAGES, "claude-haiku-4-5"),
)
NEW_MODEL = {
    CHAT: "gpt-5.2",
    RESPONSES: "gpt-5.2",
    MESSAGES: "claude-opus-4-6",
    COMPLETIONS: "gpt-3.5-turbo-instruct",
}


def endpoint_model(rng: random.Random, anthropic_share: float = 0.4) -> tuple[str, str]:
    bank = ANTHROPIC_MODELS if rng.random() < anthropic_share else OPENAI_MODELS
    return rng.choice(bank)


def human_exchange_source(rng: random.Random, corpora: Corpora) -> list[tuple[str, str]]:
    """A conversation a person might have: (user, assistant) turns, real text throughout."""
    roll = rng.random()
    if roll < 0.45:
        turns = list(rng.choice(corpora.dialogues).turns)
        return turns[: rng.randint(1, min(len(turns), 5))]
    if roll < 0.8:
        prompt = rng.choice(corpora.human_prompts)
        first = (prompt, content.borrowed_answer(rng, corpora, content.kind_of(prompt)))
        out = [first]
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            follow = rng.choice(corpora.dialogues).turns[0]
            out.append(follow)
        return out
    pair = content.pick(rng, corpora.user_tasks if rng.random() < 0.3 else corpora.general)
    return [(pair.prompt, pair.answer)]


def make_call(
    actor: Actor,
    ts: datetime,
    ip: str,
    ex: Exchange,
    *,
    status: int = 200,
    error: str | None = None,
    end_user: str | None = None,
) -> Call:
    return Call(
        ts=ts,
        account=actor.account,
        key_id=actor.key_id,
        ip=ip,
        user_agent=actor.user_agent,
        exchange=ex,
        org_id=actor.org_id,
        end_user=end_user,
        status=status,
        error=error,
    )


def session(
    world: World,
    rng: random.Random,
    actor: Actor,
    start: datetime,
    ip: str,
    turns: list[tuple[str, str]],
    template: Exchange,
    gap: tuple[float, float] = (20, 240),
    keep: int = 6,
) -> datetime:
    """Emit one multi-turn conversation; returns when it ended."""
    ts = start
    history: list[tuple[str, str]] = []
    for user, assistant in turns:
        ex = replace(template, user_text=user, answer=assistant, history=history[-keep:])
        world.emit(rng, make_call(actor, ts, ip, ex))
        history.append((user, assistant))
        ts += timedelta(seconds=rng.uniform(*gap) + len(assistant) / 30)
    return ts


def maybe_error(rng: random.Random, call: Call, rate: float = 0.006) -> Call:
    """Ordinary background failures: rate limits, server errors, over-long contexts."""
    if rng.random() < rate:
        call.status, call.error = rng.choice(
            ((429, "rate_limit_exceeded"), (500, "server_error"), (400, "context_length_exceeded"))
        )
    return call
