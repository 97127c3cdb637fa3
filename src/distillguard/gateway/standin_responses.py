"""The stand-in's Responses API answers: the ``Response`` object, and its stream of events.

Only the first choice is answered (the API has no ``n``). When reasoning was asked, a
``reasoning`` item with a summary comes before the message item; a cut answer leaves the
message and the response ``incomplete`` (``max_output_tokens``), as the provider does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

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
from openai.types.responses import response_reasoning_item as rri
from openai.types.responses import response_reasoning_summary_part_added_event as rpa
from openai.types.responses import response_reasoning_summary_part_done_event as rpd
from openai.types.responses import response_text_done_event as rtdone
from openai.types.responses import response_usage as ru
from openai.types.shared import Reasoning

from distillguard.gateway.standin_draft import Draft, Text, integer
from distillguard.gateway.standin_logprobs import delta_logprobs, output_logprobs


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
        max_output_tokens=integer(body.get("max_output_tokens")),
        top_logprobs=integer(body.get("top_logprobs")),
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
        logprobs = output_logprobs(text.tokens, d.top_logprobs)
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
        logprobs = [] if d.top_logprobs is None else delta_logprobs(piece, d.top_logprobs)
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
            for p in delta_logprobs(c.answer.tokens, d.top_logprobs)
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
