"""What the stand-in upstream answers, before it takes an API's shape: a request's :class:`Draft`.

A request becomes a draft: its prompt's size, one answer per choice with its reasoning, and
whether logprobs were asked. The modules of each API's shape (``standin_choices`` for Chat
Completions and legacy Completions, ``standin_responses``, ``standin_messages``) put it in
the shape of the API that was called, as a whole object or as the provider's stream events,
each an ``openai`` or ``anthropic`` SDK model, so that a field of the wrong name or type fails
in the stand-in, not in a client.

Decisions:

* **Text** is ordinary English prose from the simulator's :class:`~distillguard.simulate.
  responses.ResponseBank` (common words, so that a text watermark has room to work), drawn
  by a generator seeded with a SHA-256 of the request's prompt fields: the same prompt always
  gets the same answer, in every process. Choice ``i`` of ``n`` uses seed + ``i``.
* **Tokens are whitespace words**: a token is a word with the whitespace before it, so the
  tokens of a text join back to it exactly. Usage counts these: input tokens are the words
  of every string in the prompt fields (message contents and text parts, system prompts,
  instructions), output tokens the words of the answers plus their reasoning.
* **Length**: about ``answer_words`` words, cut to the request's token cap (``max_tokens``,
  ``max_completion_tokens``, ``max_output_tokens``); a cut answer finishes with ``length``
  / ``max_tokens`` / an incomplete response, as the providers do. Anthropic thinking is cut
  to ``budget_tokens``.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

import orjson

from distillguard.gateway.core import Api
from distillguard.simulate.responses import ResponseBank

_PROMPT_FIELDS: Final[Mapping[Api, tuple[str, ...]]] = {
    "chat": ("messages",),
    "responses": ("instructions", "input"),
    "completions": ("prompt",),
    "messages": ("system", "messages"),
}
_CAP_FIELDS: Final[Mapping[Api, tuple[str, ...]]] = {
    "chat": ("max_completion_tokens", "max_tokens"),
    "responses": ("max_output_tokens",),
    "completions": ("max_tokens",),
    "messages": ("max_tokens",),
}
_AREAS: Final = ("everyday", "science", "business", "writing")  # prose areas of the bank
_MAX_CHOICES: Final = 128
_TOKEN: Final = re.compile(r"\s*\S+")
LOGPROBS_INCLUDE: Final = "message.output_text.logprobs"


@dataclass(frozen=True)
class Text:
    """A text as tokens (each word with the whitespace before it), and whether it was cut."""

    tokens: tuple[str, ...]
    cut: bool = False

    @property
    def text(self) -> str:
        return "".join(self.tokens)

    def chunks(self, size: int) -> Iterator[tuple[str, ...]]:
        for start in range(0, len(self.tokens), size):
            yield self.tokens[start : start + size]


@dataclass(frozen=True)
class Choice:
    answer: Text
    reasoning: Text | None


@dataclass(frozen=True)
class Draft:
    """One request's answer before it takes an API's shape."""

    model: str
    ident: str  # the random part of every id of the answer
    created: int
    prompt_tokens: int
    choices: tuple[Choice, ...]
    top_logprobs: int | None  # None: no logprobs asked

    @property
    def output_tokens(self) -> int:
        return sum(len(c.answer.tokens) + self.reasoning_of(c) for c in self.choices)

    @property
    def reasoning_tokens(self) -> int:
        return sum(self.reasoning_of(c) for c in self.choices)

    @staticmethod
    def reasoning_of(choice: Choice) -> int:
        return len(choice.reasoning.tokens) if choice.reasoning is not None else 0


def tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text))


def _strings(value: object) -> Iterator[str]:
    """The prompt's own text: strings, and the ``content`` / ``text`` of parts and messages."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key in ("content", "text"):
            yield from _strings(value.get(key))


def integer(value: object) -> int | None:
    """A request field that is an int (not a bool, not a float), else None."""
    return value if type(value) is int else None


def _reasoning_asked(api: Api, body: Mapping[str, Any]) -> tuple[bool, int | None]:
    """Whether the request asks for reasoning, and its budget (Anthropic's ``budget_tokens``)."""
    if api == "chat":
        return body.get("reasoning_effort") not in (None, "none"), None
    if api == "responses":
        reasoning = body.get("reasoning")
        return isinstance(reasoning, dict) and reasoning.get("effort") != "none", None
    if api == "messages":
        thinking = body.get("thinking")
        if isinstance(thinking, dict) and thinking.get("type") == "enabled":
            return True, integer(thinking.get("budget_tokens"))
    return False, None


def _logprobs_asked(api: Api, body: Mapping[str, Any]) -> int | None:
    if api == "chat" and body.get("logprobs") is True:
        return integer(body.get("top_logprobs")) or 0
    if api == "completions":
        return integer(body.get("logprobs"))
    include = body.get("include")
    if api == "responses" and isinstance(include, list) and LOGPROBS_INCLUDE in include:
        return integer(body.get("top_logprobs")) or 0
    return None


def draft(
    api: Api,
    body: Mapping[str, Any],
    bank: ResponseBank,
    *,
    answer_words: int,
    reasoning_words: int,
    ident: str,
    created: int,
) -> Draft:
    """What ``body`` (a request to ``api``) is answered with: see the module doc."""
    prompt = [body.get(f) for f in _PROMPT_FIELDS[api]]
    digest = hashlib.sha256(orjson.dumps(prompt, option=orjson.OPT_SORT_KEYS)).digest()
    seed = int.from_bytes(digest[:8], "big")
    cap = next((v for f in _CAP_FIELDS[api] if (v := integer(body.get(f))) is not None), None)
    count = (integer(body.get("n")) or 1) if api in ("chat", "completions") else 1
    asked, budget = _reasoning_asked(api, body)
    choices = []
    for index in range(max(1, min(count, _MAX_CHOICES))):
        rng = random.Random(seed + index)
        area = rng.choice(_AREAS)
        reasoning = None
        if asked:
            words = tokens(bank.reasoning(reasoning_words * 3 // 2, rng))
            reasoning = _cut(words, budget)
        choices.append(
            Choice(_cut(tokens(bank.prose(area, answer_words * 6, rng)), cap), reasoning)
        )
    prompt_tokens = sum(len(s.split()) for s in _strings(prompt))
    model = body.get("model")
    return Draft(
        model=model if isinstance(model, str) else "",
        ident=ident,
        created=created,
        prompt_tokens=prompt_tokens,
        choices=tuple(choices),
        top_logprobs=_logprobs_asked(api, body),
    )


def _cut(words: tuple[str, ...], cap: int | None) -> Text:
    if cap is not None and len(words) > max(cap, 1):
        head = words[: max(cap, 1)]
        return Text((head[0].lstrip(), *head[1:]), cut=True)
    return Text((words[0].lstrip(), *words[1:]) if words else ())
