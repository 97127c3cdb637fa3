"""What the stand-in upstream answers, built with the providers' own SDK types.

A request becomes a :class:`Draft` (its prompt's size, one answer per choice with its
reasoning, whether logprobs were asked), and the draft is put in the shape of the API that
was called: a whole object (``ChatCompletion``, ``Completion``, ``Response``, ``Message``) or
the sequence of stream events the provider sends. Every object is an ``openai`` or
``anthropic`` SDK model, so a field of the wrong name or type fails here, not in a client.

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
* **Logprobs** are deterministic per token (a CRC of it), and the alternatives are common
  words, the chosen token first.
"""

from __future__ import annotations

import base64
import hashlib
import random
import re
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import anthropic.types as at
import orjson
from anthropic.types.raw_message_delta_event import Delta as MessageDelta
from openai.types import Completion, CompletionChoice, CompletionUsage
from openai.types.chat import ChatCompletion, ChatCompletionChunk, ChatCompletionMessage
from openai.types.chat import chat_completion as cc
from openai.types.chat import chat_completion_chunk as ck
from openai.types.chat.chat_completion_token_logprob import ChatCompletionTokenLogprob, TopLogprob
from openai.types.completion_choice import Logprobs as CompletionLogprobs
from openai.types.completion_usage import CompletionTokensDetails, PromptTokensDetails
from openai.types.responses import (
    Response,
    ResponseCompletedEvent,
    ResponseContentPartAddedEvent,
    ResponseContentPartDoneEvent,
    ResponseCreatedEvent,
    ResponseIncompleteEvent,
    ResponseInProgressEvent,
    ResponseOutputItemAddedEvent,
    ResponseOutputItemDoneEvent,
    ResponseOutputMessage,
    ResponseOutputText,
    ResponseReasoningItem,
    ResponseReasoningSummaryPartAddedEvent,
    ResponseReasoningSummaryPartDoneEvent,
    ResponseReasoningSummaryTextDeltaEvent,
    ResponseReasoningSummaryTextDoneEvent,
    ResponseStreamEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
    ResponseUsage,
)
from openai.types.responses import response as rs
from openai.types.responses import response_output_text as rot
from openai.types.responses import response_reasoning_item as rri
from openai.types.responses import response_reasoning_summary_part_added_event as rpa
from openai.types.responses import response_reasoning_summary_part_done_event as rpd
from openai.types.responses import response_text_delta_event as rtd
from openai.types.responses import response_text_done_event as rtdone
from openai.types.responses import response_usage as ru
from openai.types.shared import Reasoning

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


def _int(value: object) -> int | None:
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
            return True, _int(thinking.get("budget_tokens"))
    return False, None


def _logprobs_asked(api: Api, body: Mapping[str, Any]) -> int | None:
    if api == "chat" and body.get("logprobs") is True:
        return _int(body.get("top_logprobs")) or 0
    if api == "completions":
        return _int(body.get("logprobs"))
    include = body.get("include")
    if api == "responses" and isinstance(include, list) and LOGPROBS_INCLUDE in include:
        return _int(body.get("top_logprobs")) or 0
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
    cap = next((v for f in _CAP_FIELDS[api] if (v := _int(body.get(f))) is not None), None)
    count = (_int(body.get("n")) or 1) if api in ("chat", "completions") else 1
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


# --------------------------------------------------------------------------- logprobs


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


def _output_logprobs(tokens_: Sequence[str], k: int) -> list[rot.Logprob]:
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


def _delta_logprobs(tokens_: Sequence[str], k: int) -> list[rtd.Logprob]:
    return [
        rtd.Logprob(
            token=t,
            logprob=_logprob(t),
            top_logprobs=[rtd.LogprobTopLogprob(token=a, logprob=p) for a, p in _top(t, k)],
        )
        for t in tokens_
    ]


# --------------------------------------------------------------------------- chat completions


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


# --------------------------------------------------------------------------- completions


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


# --------------------------------------------------------------------------- responses


def _response_usage(d: Draft) -> ResponseUsage:
    return ResponseUsage(
        input_tokens=d.prompt_tokens,
        input_tokens_details=ru.InputTokensDetails(cached_tokens=0, cache_write_tokens=0),
        output_tokens=d.output_tokens,
        output_tokens_details=ru.OutputTokensDetails(reasoning_tokens=d.reasoning_tokens),
        total_tokens=d.prompt_tokens + d.output_tokens,
    )


def requested_reasoning(body: Mapping[str, Any]) -> Reasoning | None:
    """The request's ``reasoning`` as the SDK type (raises ``ValueError`` when malformed)."""
    value = body.get("reasoning")
    return None if value is None else Reasoning.model_validate(value)


def _response(
    d: Draft,
    body: Mapping[str, Any],
    output: list[Any],
    status: Literal["completed", "incomplete"] | None,
) -> Response:
    """The response object; ``status`` None: still in progress (no output, no usage yet)."""
    cut = d.choices[0].answer.cut
    instructions = body.get("instructions")
    return Response(
        id="resp_" + d.ident,
        object="response",
        created_at=d.created,
        status=status or "in_progress",
        model=d.model,
        output=output,
        parallel_tool_calls=True,
        tool_choice="auto",
        tools=[],
        error=None,
        incomplete_details=rs.IncompleteDetails(reason="max_output_tokens")
        if status == "incomplete" and cut
        else None,
        instructions=instructions if isinstance(instructions, str) else None,
        max_output_tokens=_int(body.get("max_output_tokens")),
        top_logprobs=_int(body.get("top_logprobs")),
        reasoning=requested_reasoning(body),
        metadata={},
        usage=_response_usage(d) if status else None,
    )


def _reasoning_item(d: Draft, summary: Text | None) -> ResponseReasoningItem:
    parts = [] if summary is None else [rri.Summary(text=summary.text, type="summary_text")]
    return ResponseReasoningItem(id="rs_" + d.ident, type="reasoning", summary=parts)


def _output_text(d: Draft, text: Text | None) -> ResponseOutputText:
    logprobs = []
    if text is not None and d.top_logprobs is not None:
        logprobs = _output_logprobs(text.tokens, d.top_logprobs)
    return ResponseOutputText(
        type="output_text", text=text.text if text else "", annotations=[], logprobs=logprobs
    )


def _message_item(d: Draft, text: Text | None) -> ResponseOutputMessage:
    """The message item: empty and in progress (``text`` None), or complete."""
    cut = text is not None and text.cut
    return ResponseOutputMessage(
        id="msg_" + d.ident,
        type="message",
        role="assistant",
        status="in_progress" if text is None else ("incomplete" if cut else "completed"),
        content=[] if text is None else [_output_text(d, text)],
    )


def _status(d: Draft) -> Literal["completed", "incomplete"]:
    return "incomplete" if d.choices[0].answer.cut else "completed"


def response(d: Draft, body: Mapping[str, Any]) -> Response:
    c = d.choices[0]
    output: list[Any] = [] if c.reasoning is None else [_reasoning_item(d, c.reasoning)]
    output.append(_message_item(d, c.answer))
    return _response(d, body, output, _status(d))


def response_events(d: Draft, body: Mapping[str, Any], size: int) -> Iterator[ResponseStreamEvent]:
    """The Responses stream: created, in progress, a reasoning item with its summary when
    reasoning was asked, the message item with its text deltas, then completed (or
    incomplete, when the answer was cut)."""
    c = d.choices[0]
    number = iter(range(1_000_000_000))
    yield ResponseCreatedEvent(
        type="response.created", sequence_number=next(number), response=_response(d, body, [], None)
    )
    yield ResponseInProgressEvent(
        type="response.in_progress",
        sequence_number=next(number),
        response=_response(d, body, [], None),
    )
    output: list[Any] = []
    if c.reasoning is not None:
        item = "rs_" + d.ident
        yield ResponseOutputItemAddedEvent(
            type="response.output_item.added",
            sequence_number=next(number),
            output_index=0,
            item=_reasoning_item(d, None),
        )
        yield ResponseReasoningSummaryPartAddedEvent(
            type="response.reasoning_summary_part.added",
            sequence_number=next(number),
            item_id=item,
            output_index=0,
            summary_index=0,
            part=rpa.Part(text="", type="summary_text"),
        )
        for piece in c.reasoning.chunks(size):
            yield ResponseReasoningSummaryTextDeltaEvent(
                type="response.reasoning_summary_text.delta",
                sequence_number=next(number),
                item_id=item,
                output_index=0,
                summary_index=0,
                delta="".join(piece),
            )
        yield ResponseReasoningSummaryTextDoneEvent(
            type="response.reasoning_summary_text.done",
            sequence_number=next(number),
            item_id=item,
            output_index=0,
            summary_index=0,
            text=c.reasoning.text,
        )
        yield ResponseReasoningSummaryPartDoneEvent(
            type="response.reasoning_summary_part.done",
            sequence_number=next(number),
            item_id=item,
            output_index=0,
            summary_index=0,
            part=rpd.Part(text=c.reasoning.text, type="summary_text"),
        )
        output.append(_reasoning_item(d, c.reasoning))
        yield ResponseOutputItemDoneEvent(
            type="response.output_item.done",
            sequence_number=next(number),
            output_index=0,
            item=output[0],
        )
    index, item = len(output), "msg_" + d.ident
    yield ResponseOutputItemAddedEvent(
        type="response.output_item.added",
        sequence_number=next(number),
        output_index=index,
        item=_message_item(d, None),
    )
    yield ResponseContentPartAddedEvent(
        type="response.content_part.added",
        sequence_number=next(number),
        item_id=item,
        output_index=index,
        content_index=0,
        part=_output_text(d, None),
    )
    for piece in c.answer.chunks(size):
        logprobs = [] if d.top_logprobs is None else _delta_logprobs(piece, d.top_logprobs)
        yield ResponseTextDeltaEvent(
            type="response.output_text.delta",
            sequence_number=next(number),
            item_id=item,
            output_index=index,
            content_index=0,
            delta="".join(piece),
            logprobs=logprobs,
        )
    done = _output_text(d, c.answer)
    yield ResponseTextDoneEvent(
        type="response.output_text.done",
        sequence_number=next(number),
        item_id=item,
        output_index=index,
        content_index=0,
        text=c.answer.text,
        logprobs=[]
        if d.top_logprobs is None
        else [
            rtdone.Logprob.model_validate(p.model_dump())
            for p in _delta_logprobs(c.answer.tokens, d.top_logprobs)
        ],
    )
    yield ResponseContentPartDoneEvent(
        type="response.content_part.done",
        sequence_number=next(number),
        item_id=item,
        output_index=index,
        content_index=0,
        part=done,
    )
    output.append(_message_item(d, c.answer))
    yield ResponseOutputItemDoneEvent(
        type="response.output_item.done",
        sequence_number=next(number),
        output_index=index,
        item=output[-1],
    )
    final = _response(d, body, output, _status(d))
    if final.status == "incomplete":
        yield ResponseIncompleteEvent(
            type="response.incomplete", sequence_number=next(number), response=final
        )
    else:
        yield ResponseCompletedEvent(
            type="response.completed", sequence_number=next(number), response=final
        )


# --------------------------------------------------------------------------- messages


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
