"""The stand-in's Chat Completions and legacy Completions answers: whole, and streamed.

Both APIs answer with ``choices`` (``n`` of them), each finishing with ``stop``, or ``length``
when the answer was cut to the request's token cap; streamed, each choice's deltas end with
its finish, and a usage-only chunk (empty ``choices``) comes last when the client asked for
``stream_options.include_usage``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from openai.types import Completion, CompletionChoice, CompletionUsage
from openai.types.chat import ChatCompletion, ChatCompletionChunk, ChatCompletionMessage
from openai.types.chat import chat_completion as cc
from openai.types.chat import chat_completion_chunk as ck
from openai.types.completion_usage import CompletionTokensDetails, PromptTokensDetails

from distillguard.gateway.standin_draft import Draft, Text
from distillguard.gateway.standin_logprobs import chat_logprobs, completion_logprobs


def _chat_usage(d: Draft) -> CompletionUsage:
    return CompletionUsage(
        prompt_tokens=d.prompt_tokens,
        completion_tokens=d.output_tokens,
        total_tokens=d.prompt_tokens + d.output_tokens,
        prompt_tokens_details=PromptTokensDetails(cached_tokens=0),
        completion_tokens_details=CompletionTokensDetails(reasoning_tokens=d.reasoning_tokens),
    )


def _finish(text: Text) -> Literal["stop", "length"]:
    return "length" if text.cut else "stop"


def chat_completion(d: Draft) -> ChatCompletion:
    choices = []
    for index, c in enumerate(d.choices):
        message = ChatCompletionMessage(role="assistant", content=c.answer.text, refusal=None)
        if c.reasoning is not None:  # OpenAI-compatible providers' field, kept as an extra
            message = ChatCompletionMessage.model_validate(
                {**message.model_dump(exclude_unset=True), "reasoning_content": c.reasoning.text}
            )
        logprobs = None
        if d.top_logprobs is not None:
            content = chat_logprobs(c.answer.tokens, d.top_logprobs)
            logprobs = cc.ChoiceLogprobs(content=content, refusal=None)
        choices.append(
            cc.Choice(
                index=index, message=message, finish_reason=_finish(c.answer), logprobs=logprobs
            )
        )
    return ChatCompletion(
        id="chatcmpl-" + d.ident,
        object="chat.completion",
        created=d.created,
        model=d.model,
        choices=choices,
        usage=_chat_usage(d),
    )


def chat_chunks(d: Draft, include_usage: bool, size: int) -> Iterator[ChatCompletionChunk]:
    """Role, reasoning deltas, content deltas and the finish of each choice; then usage."""
    extra: dict[str, Any] = {"usage": None} if include_usage else {}

    def chunk(index: int, delta: ck.ChoiceDelta, **choice: Any) -> ChatCompletionChunk:
        return ChatCompletionChunk(
            id="chatcmpl-" + d.ident,
            object="chat.completion.chunk",
            created=d.created,
            model=d.model,
            choices=[ck.Choice(index=index, delta=delta, **choice)],
            **extra,
        )

    for index, c in enumerate(d.choices):
        start = ck.ChoiceDelta(role="assistant", content="", refusal=None)
        yield chunk(index, start, finish_reason=None, logprobs=None)
        if c.reasoning is not None:
            for piece in c.reasoning.chunks(size):
                delta = ck.ChoiceDelta.model_validate({"reasoning_content": "".join(piece)})
                yield chunk(index, delta, finish_reason=None, logprobs=None)
        for piece in c.answer.chunks(size):
            logprobs = None
            if d.top_logprobs is not None:
                content = chat_logprobs(piece, d.top_logprobs)
                logprobs = ck.ChoiceLogprobs(content=content, refusal=None)
            delta = ck.ChoiceDelta(content="".join(piece))
            yield chunk(index, delta, finish_reason=None, logprobs=logprobs)
        yield chunk(index, ck.ChoiceDelta(), finish_reason=_finish(c.answer), logprobs=None)
    if include_usage:
        yield ChatCompletionChunk(
            id="chatcmpl-" + d.ident,
            object="chat.completion.chunk",
            created=d.created,
            model=d.model,
            choices=[],
            usage=_chat_usage(d),
        )


def _completion_usage(d: Draft) -> CompletionUsage:
    return CompletionUsage(
        prompt_tokens=d.prompt_tokens,
        completion_tokens=d.output_tokens,
        total_tokens=d.prompt_tokens + d.output_tokens,
    )


def completion(d: Draft) -> Completion:
    choices = [
        CompletionChoice(
            index=index,
            text=c.answer.text,
            finish_reason=_finish(c.answer),
            logprobs=None
            if d.top_logprobs is None
            else completion_logprobs(c.answer.tokens, d.top_logprobs, 0),
        )
        for index, c in enumerate(d.choices)
    ]
    return Completion(
        id="cmpl-" + d.ident,
        object="text_completion",
        created=d.created,
        model=d.model,
        choices=choices,
        usage=_completion_usage(d),
    )


def completion_chunks(d: Draft, include_usage: bool, size: int) -> Iterator[Completion]:
    def chunk(choices: list[CompletionChoice], usage: CompletionUsage | None) -> Completion:
        extra: dict[str, Any] = {"usage": usage} if include_usage else {}
        return Completion(
            id="cmpl-" + d.ident,
            object="text_completion",
            created=d.created,
            model=d.model,
            choices=choices,
            **extra,
        )

    for index, c in enumerate(d.choices):
        offset = 0
        for piece in c.answer.chunks(size):
            logprobs = None
            if d.top_logprobs is not None:
                logprobs = completion_logprobs(piece, d.top_logprobs, offset)
            text = "".join(piece)
            offset += len(text)
            # the API streams ``finish_reason: null`` where the SDK type allows no None: the
            # SDK itself builds streamed chunks without validation, and so does this
            choice = CompletionChoice.model_construct(
                index=index, text=text, finish_reason=None, logprobs=logprobs
            )
            yield chunk([choice], None)
        last = CompletionChoice(
            index=index, text="", finish_reason=_finish(c.answer), logprobs=None
        )
        yield chunk([last], None)
    if include_usage:
        yield chunk([], _completion_usage(d))
