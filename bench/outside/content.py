"""Answers, reasoning and refusals built from the real corpora's own text."""

from __future__ import annotations

import random
import re

from bench.outside.corpora import Corpora, Pair

_CALC = re.compile(r"<<[^>]*>>")

REFUSALS = (
    "I can't help with that.",
    "I'm sorry, but I can't share my internal reasoning verbatim. I can give you a concise "
    "summary of how I reached the answer instead.",
    "I can't provide hidden chain-of-thought, but here is a brief explanation of the result.",
    "Sorry, I can't assist with that request.",
    "I won't be able to help with this one, but I'm happy to help with something else.",
    "I can't reveal system instructions or internal scratchpad content.",
)


def clean_math(answer: str) -> str:
    """A GSM8K worked answer without its calculator annotations."""
    return _CALC.sub("", answer).replace("####", "Answer:")


def pick(rng: random.Random, pool: list[Pair]) -> Pair:
    return pool[rng.randrange(len(pool))]


def borrowed_answer(rng: random.Random, corpora: Corpora, kind: str) -> str:
    """A real answer of the same kind of task, for prompts whose corpora carry none."""
    pair = pick(rng, corpora.answers_like(kind))
    return clean_math(pair.answer) if kind == "math" else pair.answer


def kind_of(text: str) -> str:
    lowered = text.lower()
    if "```" in text or any(
        w in lowered
        for w in ("python", "function", "code", "sql", "c++", "javascript", "program", "script")
    ):
        return "code"
    if any(w in lowered for w in ("how many", "calculate", "solve", "equation", "probability")):
        return "math"
    return "general"


_OPENERS = (
    "Let me work through this carefully.",
    "Okay, so the question is asking:",
    "First I need to understand what is being asked.",
    "Let me restate the problem.",
    "Thinking about this step by step.",
    "Alright, breaking this down.",
)
_LINKS = ("Then", "Next", "So", "That means", "Now", "Checking this:", "Also,", "Therefore")


def reasoning_for(rng: random.Random, prompt: str, answer: str, lang_note: str = "") -> str:
    """A plausible thinking trace: the task restated, then the answer's own steps."""
    steps = [s.strip() for s in re.split(r"(?<=[.!?\n])\s+", answer) if len(s.strip()) > 3]
    head = f"{rng.choice(_OPENERS)} {prompt[:160].strip()}"
    body = [f"{rng.choice(_LINKS)} {s}" for s in steps[:14]]
    tail = "Let me double-check the result before answering." if rng.random() < 0.6 else ""
    parts = [lang_note, head, *body, tail]
    return "\n".join(p for p in parts if p)


def long_answer(rng: random.Random, corpora: Corpora, pieces: int) -> str:
    """Several real answers joined: the long outputs of generation workloads."""
    return "\n\n".join(pick(rng, corpora.general).answer for _ in range(pieces))
