"""Anthropic Messages streams through their transformer: events built with the SDK's ``Raw*Event``
types, the events sent read back with them and accumulated by the SDK's own
``accumulate_event``, the assembled answer read by the SDK and by ingest."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from anthropic.lib.streaming._messages import accumulate_event
from anthropic.types import (
    InputJSONDelta,
    Message,
    MessageDeltaUsage,
    RawContentBlockDeltaEvent,
    RawContentBlockStartEvent,
    RawContentBlockStopEvent,
    RawMessageDeltaEvent,
    RawMessageStartEvent,
    RawMessageStopEvent,
    RawMessageStreamEvent,
    RedactedThinkingBlock,
    SignatureDelta,
    TextBlock,
    TextDelta,
    ThinkingBlock,
    ThinkingDelta,
    ToolUseBlock,
)
from anthropic.types import Usage as AnthropicUsage
from anthropic.types.raw_message_delta_event import Delta
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from distillguard.gateway.core import Measures
from distillguard.gateway.countermeasures import note
from distillguard.gateway.sse import Event, json_data
from tests.gateway.test_countermeasures import (
    ANSWER,
    REASONING,
    SECOND,
    marked,
    row_of,
    watermark,
)
from tests.gateway.test_streams import Relayed, relay

EVENTS: TypeAdapter[Any] = TypeAdapter(RawMessageStreamEvent)
STRIP = Measures(strip_logprobs=True)
WITHHOLD = Measures(reasoning="withhold")
SUMMARISE = Measures(reasoning="summarise")
WATERMARK = Measures(watermark=True)
ALL = Measures(strip_logprobs=True, reasoning="summarise", watermark=True)
PING = Event("ping", '{"type": "ping"}')


def pieces(text: str, size: int = 9) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def messages_stream(
    texts: tuple[list[str], ...] = (pieces(ANSWER), pieces(SECOND, 15)),
) -> list[Event]:
    """thinking, redacted thinking, text, tool use, text — then the stop and the usage."""
    start = Message(
        id="msg_9",
        type="message",
        role="assistant",
        model="claude-sonnet-4-5",
        content=[],
        stop_reason=None,
        stop_sequence=None,
        usage=AnthropicUsage(input_tokens=12, output_tokens=1, cache_read_input_tokens=30),
    )
    models: list[Any] = [RawMessageStartEvent(type="message_start", message=start)]
    blocks: list[tuple[Any, list[Any]]] = [
        (
            ThinkingBlock(type="thinking", thinking="", signature=""),
            [ThinkingDelta(type="thinking_delta", thinking=p) for p in pieces(REASONING, 25)]
            + [SignatureDelta(type="signature_delta", signature="EqQBCgIYAhIM")],
        ),
        (RedactedThinkingBlock(type="redacted_thinking", data="ZW5jcnlwdGVk"), []),
        (TextBlock(type="text", text=""), [TextDelta(type="text_delta", text=p) for p in texts[0]]),
        (
            ToolUseBlock(type="tool_use", id="toolu_9", name="search", input={}),
            [
                InputJSONDelta(type="input_json_delta", partial_json=p)
                for p in ('{"q": "do', ' not"}')
            ],
        ),
    ]
    blocks += [
        (TextBlock(type="text", text=""), [TextDelta(type="text_delta", text=p) for p in more])
        for more in texts[1:]
    ]
    for index, (block, deltas) in enumerate(blocks):
        models.append(
            RawContentBlockStartEvent(type="content_block_start", index=index, content_block=block)
        )
        models.extend(
            RawContentBlockDeltaEvent(type="content_block_delta", index=index, delta=d)
            for d in deltas
        )
        models.append(RawContentBlockStopEvent(type="content_block_stop", index=index))
    models.append(
        RawMessageDeltaEvent(
            type="message_delta",
            delta=Delta(stop_reason="tool_use", stop_sequence=None),
            usage=MessageDeltaUsage(output_tokens=321),
        )
    )
    models.append(RawMessageStopEvent(type="message_stop"))
    events = [Event(m.type, m.model_dump_json(exclude_unset=True)) for m in models]
    return [events[0], PING, *events[1:]]


def sdk_final(sent: list[Event]) -> Any:
    """The SDK's own accumulation of the events sent (each validated by its types)."""
    snapshot = None
    buffers: dict[int, bytes] = {}
    for event in sent:
        if event.event == "ping":
            continue
        parsed = EVENTS.validate_json(event.data)
        assert parsed.type == event.event
        snapshot = accumulate_event(event=parsed, current_snapshot=snapshot, json_bufs=buffers)
    return snapshot


def text_deltas(out: Relayed) -> dict[int, str]:
    found: dict[int, str] = {}
    for data in out.data():
        if data["type"] == "content_block_delta" and data["delta"]["type"] == "text_delta":
            found[data["index"]] = found.get(data["index"], "") + data["delta"]["text"]
    return found


def assert_positions(out: Relayed) -> None:
    """Every block event's index is its block's position in the message sent."""
    started = [d["index"] for d in out.data() if d["type"] == "content_block_start"]
    assert started == list(range(len(started)))
    stopped = [d["index"] for d in out.data() if d["type"] == "content_block_stop"]
    assert stopped == started


@pytest.mark.parametrize("measures", [Measures(), STRIP])
def test_no_measures_send_every_event_as_it_came(measures: Measures) -> None:
    upstream = messages_stream()
    out = relay("messages", upstream, measures)
    assert out.sent == upstream  # (Messages have no logprobs to strip)
    final = sdk_final(out.sent)
    assembled = Message.model_validate(out.assembled)
    assert assembled.model_dump() == Message.model_validate(final.model_dump()).model_dump()
    assert [b.type for b in assembled.content] == [
        "thinking",
        "redacted_thinking",
        "text",
        "tool_use",
        "text",
    ]
    assert assembled.content[0] == ThinkingBlock(
        type="thinking", thinking=REASONING, signature="EqQBCgIYAhIM"
    )
    assert assembled.content[3].input == {"q": "do not"}  # type: ignore[union-attr]
    assert (assembled.stop_reason, assembled.usage.output_tokens) == ("tool_use", 321)
    assert out.logged == out.assembled
    row = row_of("messages", out.assembled)
    assert (row["response_text"], row["reasoning_text"]) == (f"{ANSWER}\n{SECOND}", REASONING)
    assert (row["input_tokens"], row["output_tokens"], row["n_tool_calls"]) == (12, 321, 1)
    assert out.usage is not None
    assert (out.usage.input_tokens, out.usage.output_tokens) == (12 + 30, 321)


def test_withheld_thinking_goes_with_its_events_and_indexes_close_up() -> None:
    out = relay("messages", messages_stream(), WITHHOLD)
    assert_positions(out)
    sent = "".join(e.data for e in out.sent)
    assert REASONING[:20] not in sent
    assert "EqQBCgIYAhIM" not in sent
    assert "ZW5jcnlwdGVk" not in sent
    final = sdk_final(out.sent)
    assert [b.type for b in final.content] == ["text", "tool_use", "text"]
    assert [b.text for b in final.content if b.type == "text"] == [ANSWER, SECOND]
    assert final.content[1].input == {"q": "do not"}
    assembled = Message.model_validate(out.assembled)
    assert assembled.model_dump() == Message.model_validate(final.model_dump()).model_dump()
    row = row_of("messages", out.assembled)
    assert (row["response_text"], row["reasoning_text"]) == (f"{ANSWER}\n{SECOND}", None)


def test_summarised_thinking_is_one_note_in_its_place() -> None:
    out = relay("messages", messages_stream(), SUMMARISE)
    assert_positions(out)
    final = sdk_final(out.sent)
    assert final.content[:2] == [
        ThinkingBlock(type="thinking", thinking=note(len(REASONING)), signature=""),
        ThinkingBlock(type="thinking", thinking=note(None), signature=""),
    ]
    thinking_deltas = [
        d
        for d in out.data()
        if d["type"] == "content_block_delta"
        and d["delta"]["type"] != "text_delta"
        and d["index"] < 2
    ]
    assert [d["delta"] for d in thinking_deltas] == [
        {"type": "thinking_delta", "thinking": note(len(REASONING))},
        {"type": "thinking_delta", "thinking": note(None)},
    ]
    assert REASONING[:20] not in "".join(e.data for e in out.sent)
    assembled = Message.model_validate(out.assembled)
    assert assembled.content[:2] == final.content[:2]
    assert (
        row_of("messages", out.assembled)["reasoning_text"]
        == f"{note(len(REASONING))}\n{note(None)}"
    )


@pytest.mark.parametrize(
    "measures", [WATERMARK, ALL, Measures(reasoning="withhold", watermark=True)]
)
def test_watermark_each_text_block_with_its_own_embedder(measures: Measures) -> None:
    out = relay("messages", messages_stream(), measures, watermark)
    assert_positions(out)
    first = 0 if measures.reasoning == "withhold" else 2
    assert text_deltas(out) == {first: marked(ANSWER), first + 2: marked(SECOND)}
    assert all(
        d["delta"]["text"]
        for d in out.data()
        if d["type"] == "content_block_delta" and d["delta"]["type"] == "text_delta"
    )
    data = out.data()
    for position, d in enumerate(data):  # the held-back rest goes just before each text's stop
        if d["type"] == "content_block_stop" and d["index"] in (first, first + 2):
            assert data[position - 1]["delta"]["type"] == "text_delta"
    final = sdk_final(out.sent)
    assert [b.text for b in final.content if b.type == "text"] == [marked(ANSWER), marked(SECOND)]
    assert (
        Message.model_validate(out.assembled).model_dump()
        == Message.model_validate(final.model_dump()).model_dump()
    )
    row = row_of("messages", out.assembled)
    assert row["response_text"] == f"{marked(ANSWER)}\n{marked(SECOND)}"
    if measures.reasoning == "keep":
        assert row["reasoning_text"] == REASONING  # reasoning is not watermarked
    assert out.logged == out.assembled


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    st.lists(st.integers(1, len(ANSWER) - 1), max_size=40),
    st.lists(st.integers(0, 30000), max_size=30),
)
def test_watermarked_deltas_concatenate_to_the_whole_text_watermark(
    cuts: list[int], byte_cuts: list[int]
) -> None:
    bounds = [0, *sorted(set(cuts)), len(ANSWER)]
    chunks = [ANSWER[a:b] for a, b in itertools.pairwise(bounds)]
    out = relay("messages", messages_stream((chunks,)), ALL, watermark, cuts=byte_cuts)
    assert text_deltas(out) == {2: marked(ANSWER)}
    assert [b.text for b in sdk_final(out.sent).content if b.type == "text"] == [marked(ANSWER)]


def test_a_stream_cut_short_flushes_and_assembles_what_was_sent() -> None:
    upstream = messages_stream()
    cut = next(
        i
        for i, e in enumerate(upstream)
        if e.event == "content_block_start" and json_data(e)["index"] == 3
    )
    out = relay("messages", upstream[: cut - 1], ALL, watermark)  # text block 2 never stops
    assert text_deltas(out) == {2: marked(ANSWER)}
    assert out.logged is None
    assembled = out.assembled
    assert row_of("messages", assembled)["response_text"] == marked(ANSWER)
    assert out.usage is not None
    assert out.usage.output_tokens == 1  # only message_start's count so far


def test_an_error_event_ends_the_stream_after_the_held_text() -> None:
    upstream = messages_stream()
    cut = next(
        i
        for i, e in enumerate(upstream)
        if e.event == "content_block_start" and json_data(e)["index"] == 3
    )
    error = Event(
        "error", '{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}'
    )
    out = relay("messages", [*upstream[: cut - 1], error], WATERMARK, watermark)
    assert out.sent[-1] == error
    assert text_deltas(out) == {2: marked(ANSWER)}
    assert out.logged is not None
    assert row_of("messages", out.logged)["response_text"] == marked(ANSWER)


def test_unknown_events_pass_untouched_even_when_blocks_are_withheld() -> None:
    upstream = messages_stream()
    odd = Event("vendor_progress", '{"type": "vendor_progress", "index": 5}')
    upstream.insert(4, odd)
    out = relay("messages", upstream, WITHHOLD)
    assert odd in out.sent
