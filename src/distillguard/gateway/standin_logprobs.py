"""The stand-in's logprobs, in each API's own type: deterministic per token.

A token's logprob is a CRC of it (the same token always scores the same, in every process),
and the alternatives offered are common words, the chosen token first, each less likely than
the one before.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Final

from openai.types.chat.chat_completion_token_logprob import ChatCompletionTokenLogprob, TopLogprob
from openai.types.completion_choice import Logprobs as CompletionLogprobs
from openai.types.responses import response_output_text as rot
from openai.types.responses import response_text_delta_event as rtd

_ALTERNATES: Final = (" the", " a", " and", " of", " to", " in", " is", " that", " it", " for")
_ALTERNATES_MORE: Final = (
    " was",
    " on",
    " with",
    " as",
    " be",
    " this",
    " are",
    " by",
    " or",
    " at",
)


def _logprob(token: str) -> float:
    return -(zlib.crc32(token.encode()) % 2000) / 1000


def _top(token: str, k: int) -> list[tuple[str, float]]:
    """The ``k`` likeliest tokens at this place: the chosen one, then common words."""
    first = _logprob(token)
    others = [a for a in (*_ALTERNATES, *_ALTERNATES_MORE) if a != token][: max(k - 1, 0)]
    return [(token, first)][:k] + [(a, first - 0.5 * (i + 1)) for i, a in enumerate(others)]


def chat_logprobs(tokens_: Sequence[str], k: int) -> list[ChatCompletionTokenLogprob]:
    return [
        ChatCompletionTokenLogprob(
            token=t,
            bytes=list(t.encode()),
            logprob=_logprob(t),
            top_logprobs=[
                TopLogprob(token=a, bytes=list(a.encode()), logprob=p) for a, p in _top(t, k)
            ],
        )
        for t in tokens_
    ]


def completion_logprobs(tokens_: Sequence[str], k: int, offset: int) -> CompletionLogprobs:
    offsets = []
    for t in tokens_:
        offsets.append(offset)
        offset += len(t)
    return CompletionLogprobs(
        tokens=list(tokens_),
        token_logprobs=[_logprob(t) for t in tokens_],
        top_logprobs=[dict(_top(t, k)) for t in tokens_],
        text_offset=offsets,
    )


def output_logprobs(tokens_: Sequence[str], k: int) -> list[rot.Logprob]:
    return [
        rot.Logprob(
            token=t,
            bytes=list(t.encode()),
            logprob=_logprob(t),
            top_logprobs=[
                rot.LogprobTopLogprob(token=a, bytes=list(a.encode()), logprob=p)
                for a, p in _top(t, k)
            ],
        )
        for t in tokens_
    ]


def delta_logprobs(tokens_: Sequence[str], k: int) -> list[rtd.Logprob]:
    return [
        rtd.Logprob(
            token=t,
            logprob=_logprob(t),
            top_logprobs=[rtd.LogprobTopLogprob(token=a, logprob=p) for a, p in _top(t, k)],
        )
        for t in tokens_
    ]
