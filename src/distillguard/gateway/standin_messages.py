"""The stand-in's Anthropic Messages answers: the ``Message``, and its stream of events.

Only the first choice is answered. When thinking was asked, a ``thinking`` block with a
signature (here a hash of the thinking, opaque as Anthropic's) comes before the text block;
a cut answer stops with ``max_tokens``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import Any, Literal

import anthropic.types as at
from anthropic.types.raw_message_delta_event import Delta as MessageDelta

from distillguard.gateway.standin_draft import Draft, Text


def _signature(thinking: Text) -> str:
    """An opaque signature of the thinking, as Anthropic returns (here: a hash of it)."""
    return base64.b64encode(hashlib.sha512(thinking.text.encode()).digest()).decode()


def _stop(d: Draft) -> Literal["end_turn", "max_tokens"]:
    return "max_tokens" if d.choices[0].answer.cut else "end_turn"


def _message_usage(d: Draft, output_tokens: int) -> at.Usage:
    return at.Usage(
        input_tokens=d.prompt_tokens,
        output_tokens=output_tokens,
        cache_creation_input_tokens=0,
        cache_read_input_tokens=0,
    )


def message(d: Draft) -> at.Message:
    c = d.choices[0]
    content: list[Any] = []
    if c.reasoning is not None:
        signature = _signature(c.reasoning)
        content.append(
            at.ThinkingBlock(type="thinking", thinking=c.reasoning.text, signature=signature)
        )
    content.append(at.TextBlock(type="text", text=c.answer.text))
    return at.Message(
        id="msg_" + d.ident,
        type="message",
        role="assistant",
        model=d.model,
        content=content,
        stop_reason=_stop(d),
        stop_sequence=None,
        usage=_message_usage(d, d.output_tokens),
    )


def message_events(d: Draft, size: int) -> Iterator[at.RawMessageStreamEvent]:
    """message_start, a thinking block (thinking deltas, then its signature) when thinking
    was asked, the text block's deltas, message_delta with the usage, message_stop."""
    c = d.choices[0]
    start = at.Message(
        id="msg_" + d.ident,
        type="message",
        role="assistant",
        model=d.model,
        content=[],
        stop_reason=None,
        stop_sequence=None,
        usage=_message_usage(d, 1),  # Anthropic's message_start counts the first token
    )
    yield at.RawMessageStartEvent(type="message_start", message=start)
    index = 0
    if c.reasoning is not None:
        block = at.ThinkingBlock(type="thinking", thinking="", signature="")
        yield at.RawContentBlockStartEvent(
            type="content_block_start", index=index, content_block=block
        )
        for piece in c.reasoning.chunks(size):
            delta = at.ThinkingDelta(type="thinking_delta", thinking="".join(piece))
            yield at.RawContentBlockDeltaEvent(type="content_block_delta", index=index, delta=delta)
        signed = at.SignatureDelta(type="signature_delta", signature=_signature(c.reasoning))
        yield at.RawContentBlockDeltaEvent(type="content_block_delta", index=index, delta=signed)
        yield at.RawContentBlockStopEvent(type="content_block_stop", index=index)
        index += 1
    yield at.RawContentBlockStartEvent(
        type="content_block_start", index=index, content_block=at.TextBlock(type="text", text="")
    )
    for piece in c.answer.chunks(size):
        text = at.TextDelta(type="text_delta", text="".join(piece))
        yield at.RawContentBlockDeltaEvent(type="content_block_delta", index=index, delta=text)
    yield at.RawContentBlockStopEvent(type="content_block_stop", index=index)
    yield at.RawMessageDeltaEvent(
        type="message_delta",
        delta=MessageDelta(stop_reason=_stop(d), stop_sequence=None),
        usage=at.MessageDeltaUsage(
            input_tokens=d.prompt_tokens,
            output_tokens=d.output_tokens,
            cache_creation_input_tokens=0,
            cache_read_input_tokens=0,
        ),
    )
    yield at.RawMessageStopEvent(type="message_stop")
