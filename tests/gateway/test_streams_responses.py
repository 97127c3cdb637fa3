"""Responses API streams through their transformer: events built with the SDK's ``Response*Event``
types, the events sent read back with them and accumulated by the SDK's own
``ResponseStreamState``, the assembled answer read by the SDK and by ingest."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openai import omit
from openai.lib.streaming.responses._responses import ResponseStreamState
from openai.types.responses import (
    Response,
    ResponseCompletedEvent,
    ResponseContentPartAddedEvent,
    ResponseContentPartDoneEvent,
    ResponseCreatedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseFunctionToolCall,
    ResponseIncompleteEvent,
    ResponseInProgressEvent,
    ResponseOutputItem,
    ResponseOutputItemAddedEvent,
    ResponseOutputItemDoneEvent,
    ResponseOutputMessage,
    ResponseOutputText,
    ResponseReasoningItem,
    ResponseReasoningSummaryPartAddedEvent,
    ResponseReasoningSummaryPartDoneEvent,
    ResponseReasoningSummaryTextDeltaEvent,
    ResponseReasoningSummaryTextDoneEvent,
    ResponseReasoningTextDeltaEvent,
    ResponseReasoningTextDoneEvent,
    ResponseStreamEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
)
from openai.types.responses import response_reasoning_summary_part_added_event as summary_part
from openai.types.responses import response_text_delta_event as delta_lp
from openai.types.responses import response_text_done_event as done_lp
from openai.types.responses.response_content_part_added_event import PartReasoningText
from openai.types.responses.response_reasoning_item import Content, Summary
from pydantic import TypeAdapter

from distillguard.gateway.core import Measures
from distillguard.gateway.countermeasures import note
from distillguard.gateway.sse import Event, json_data, json_event
from tests.gateway.test_countermeasures import (
    ANSWER,
    REASONING,
    SECOND,
    marked,
    output_text,
    responses_usage,
    row_of,
    watermark,
)
from tests.gateway.test_streams import Relayed, relay

EVENTS: TypeAdapter[Any] = TypeAdapter(ResponseStreamEvent)
SUMMARY = REASONING[:60]
STRIP = Measures(strip_logprobs=True)
WITHHOLD = Measures(reasoning="withhold")
SUMMARISE = Measures(reasoning="summarise")
WATERMARK = Measures(watermark=True)
ALL = Measures(strip_logprobs=True, reasoning="withhold", watermark=True)


def pieces(text: str, size: int = 9) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def base(status: Any, output: list[ResponseOutputItem], usage: bool = False) -> Response:
    return Response(
        id="resp_9",
        object="response",
        created_at=1_700_000_000,
        model="gpt-5",
        status=status,
        parallel_tool_calls=True,
        tool_choice="auto",
        tools=[],
        output=output,
        usage=responses_usage() if usage else None,
    )


def reasoning_item(done: bool) -> ResponseReasoningItem:
    return ResponseReasoningItem(
        id="rs_9",
        type="reasoning",
        summary=[Summary(type="summary_text", text=SUMMARY)] if done else [],
        content=[Content(type="reasoning_text", text=REASONING)] if done else None,
        encrypted_content="gAAAA-secret" if done else None,
    )


def message_item(texts: list[str] | None) -> ResponseOutputMessage:
    return ResponseOutputMessage(
        id="msg_9",
        type="message",
        role="assistant",
        status="completed" if texts is not None else "in_progress",
        content=[output_text(t) for t in texts or ()],
    )


def tool_item(done: bool) -> ResponseFunctionToolCall:
    return ResponseFunctionToolCall(
        id="fc_9",
        type="function_call",
        call_id="call_9",
        name="lookup",
        arguments='{"q": "tides"}' if done else "",
        status="completed" if done else "in_progress",
    )


def responses_stream(
    texts: tuple[list[str], ...] = (pieces(ANSWER), pieces(SECOND, 14)), end: str = "completed"
) -> list[Event]:
    """A stream with a reasoning item (summary and raw reasoning text), a message of one or
    more output_text parts, and a function call, then the final response."""
    sequence = itertools.count()
    models: list[Any] = []

    def add(kind: type, **fields: Any) -> None:
        models.append(kind(sequence_number=next(sequence), **fields))

    add(ResponseCreatedEvent, type="response.created", response=base("in_progress", []))
    add(ResponseInProgressEvent, type="response.in_progress", response=base("in_progress", []))
    add(
        ResponseOutputItemAddedEvent,
        type="response.output_item.added",
        output_index=0,
        item=reasoning_item(False),
    )
    where = {"item_id": "rs_9", "output_index": 0}
    add(
        ResponseReasoningSummaryPartAddedEvent,
        type="response.reasoning_summary_part.added",
        summary_index=0,
        part=summary_part.Part(type="summary_text", text=""),
        **where,
    )
    for piece in pieces(SUMMARY, 20):
        add(
            ResponseReasoningSummaryTextDeltaEvent,
            type="response.reasoning_summary_text.delta",
            summary_index=0,
            delta=piece,
            **where,
        )
    add(
        ResponseReasoningSummaryTextDoneEvent,
        type="response.reasoning_summary_text.done",
        summary_index=0,
        text=SUMMARY,
        **where,
    )
    add(
        ResponseReasoningSummaryPartDoneEvent,
        type="response.reasoning_summary_part.done",
        summary_index=0,
        part={"type": "summary_text", "text": SUMMARY},
        **where,
    )
    add(
        ResponseContentPartAddedEvent,
        type="response.content_part.added",
        content_index=0,
        part=PartReasoningText(type="reasoning_text", text=""),
        **where,
    )
    for piece in pieces(REASONING, 30):
        add(
            ResponseReasoningTextDeltaEvent,
            type="response.reasoning_text.delta",
            content_index=0,
            delta=piece,
            **where,
        )
    add(
        ResponseReasoningTextDoneEvent,
        type="response.reasoning_text.done",
        content_index=0,
        text=REASONING,
        **where,
    )
    add(
        ResponseContentPartDoneEvent,
        type="response.content_part.done",
        content_index=0,
        part={"type": "reasoning_text", "text": REASONING},
        **where,
    )
    add(
        ResponseOutputItemDoneEvent,
        type="response.output_item.done",
        output_index=0,
        item=reasoning_item(True),
    )

    add(
        ResponseOutputItemAddedEvent,
        type="response.output_item.added",
        output_index=1,
        item=message_item(None),
    )
    where = {"item_id": "msg_9", "output_index": 1}
    for index, deltas in enumerate(texts):
        text = "".join(deltas)
        add(
            ResponseContentPartAddedEvent,
            type="response.content_part.added",
            content_index=index,
            part=ResponseOutputText(type="output_text", text="", annotations=[], logprobs=[]),
            **where,
        )
        for piece in deltas:
            lp = [delta_lp.Logprob(token=piece, logprob=-0.1, top_logprobs=[])]
            add(
                ResponseTextDeltaEvent,
                type="response.output_text.delta",
                content_index=index,
                delta=piece,
                logprobs=lp,
                **where,
            )
        lp_done = [done_lp.Logprob(token=text[:5], logprob=-0.1)]
        add(
            ResponseTextDoneEvent,
            type="response.output_text.done",
            content_index=index,
            text=text,
            logprobs=lp_done,
            **where,
        )
        add(
            ResponseContentPartDoneEvent,
            type="response.content_part.done",
            content_index=index,
            part=output_text(text),
            **where,
        )
    final_texts = ["".join(d) for d in texts]
    add(
        ResponseOutputItemDoneEvent,
        type="response.output_item.done",
        output_index=1,
        item=message_item(final_texts),
    )

    add(
        ResponseOutputItemAddedEvent,
        type="response.output_item.added",
        output_index=2,
        item=tool_item(False),
    )
    where = {"item_id": "fc_9", "output_index": 2}
    for piece in ('{"q": ', '"tides"}'):
        add(
            ResponseFunctionCallArgumentsDeltaEvent,
            type="response.function_call_arguments.delta",
            delta=piece,
            **where,
        )
    add(
        ResponseFunctionCallArgumentsDoneEvent,
        type="response.function_call_arguments.done",
        arguments='{"q": "tides"}',
        name="lookup",
        **where,
    )
    add(
        ResponseOutputItemDoneEvent,
        type="response.output_item.done",
        output_index=2,
        item=tool_item(True),
    )

    output = [reasoning_item(True), message_item(final_texts), tool_item(True)]
    if end == "completed":
        add(
            ResponseCompletedEvent,
            type="response.completed",
            response=base("completed", output, usage=True),
        )
    elif end == "incomplete":
        add(
            ResponseIncompleteEvent,
            type="response.incomplete",
            response=base("incomplete", output, usage=True),
        )
    return [Event(m.type, m.model_dump_json(exclude_unset=True)) for m in models]


def sdk_run(sent: list[Event]) -> tuple[list[Any], Any]:
    """The events sent, validated by the SDK's types and fed to its own accumulator: the
    events it yields and the final response it builds."""
    state: ResponseStreamState[Any] = ResponseStreamState(input_tools=omit, text_format=omit)
    yielded = []
    for event in sent:
        parsed = EVENTS.validate_json(event.data)
        assert parsed.type == event.event
        yielded.extend(state.handle_event(parsed))
    completed = [e for e in yielded if e.type == "response.completed"]
    return yielded, completed[0].response if completed else None


def deltas(out: Relayed, index: int = 1) -> dict[int, str]:
    found: dict[int, str] = {}
    for data in out.data():
        if data["type"] == "response.output_text.delta" and data["output_index"] == index:
            found[data["content_index"]] = found.get(data["content_index"], "") + data["delta"]
    return found


def assert_dense(out: Relayed) -> None:
    """Sequence numbers count every event sent; output indexes are the items' positions."""
    data = out.data()
    assert [d["sequence_number"] for d in data] == list(range(len(data)))
    added = [d["output_index"] for d in data if d["type"] == "response.output_item.added"]
    assert added == list(range(len(added)))


def test_no_measures_send_every_event_as_it_came() -> None:
    upstream = responses_stream()
    out = relay("responses", upstream)
    assert out.sent == upstream
    _, final = sdk_run(out.sent)
    assert final.output_text == ANSWER + SECOND
    assert Response.model_validate(out.assembled) == Response.model_validate(
        json_data(upstream[-1])["response"]
    )
    assert out.logged == out.assembled
    row = row_of("responses", out.assembled)
    assert row["response_text"] == f"{ANSWER}\n{SECOND}"
    assert row["reasoning_text"] == f"{REASONING}\n{SUMMARY}"
    assert (
        row["input_tokens"],
        row["output_tokens"],
        row["reasoning_tokens"],
        row["n_tool_calls"],
    ) == (30, 200, 80, 1)
    assert out.usage is not None
    assert (out.usage.input_tokens, out.usage.output_tokens) == (30, 200)


def test_strip_logprobs_empties_them_everywhere() -> None:
    out = relay("responses", responses_stream(), STRIP)
    assert_dense(out)
    yielded, final = sdk_run(out.sent)
    for event in yielded:
        if event.type in ("response.output_text.delta", "response.output_text.done"):
            assert event.logprobs == []
    for part in final.output[1].content:
        assert part.logprobs == []
    assert final.output_text == ANSWER + SECOND
    assert "logprob" not in str(out.assembled).replace("'logprobs': []", "")


def test_withheld_reasoning_goes_with_all_its_events_and_indexes_close_up() -> None:
    out = relay("responses", responses_stream(), WITHHOLD)
    assert_dense(out)
    assert REASONING[:20] not in "".join(e.data for e in out.sent)
    assert SUMMARY[:20] not in "".join(e.data for e in out.sent)
    assert "secret" not in "".join(e.data for e in out.sent)
    kinds = {d["type"] for d in out.data()}
    assert not {k for k in kinds if "reasoning" in k}
    yielded, final = sdk_run(out.sent)
    assert [item.type for item in final.output] == ["message", "function_call"]
    assert final.output_text == ANSWER + SECOND
    snapshots = [e.snapshot for e in yielded if e.type == "response.output_text.delta"]
    assert snapshots[-1] == SECOND
    assert [
        d["output_index"] for d in out.data() if d["type"].startswith("response.function_call")
    ] == [1, 1, 1]
    response = Response.model_validate(out.assembled)
    assert [item.type for item in response.output] == ["message", "function_call"]
    row = row_of("responses", out.assembled)
    assert (row["response_text"], row["reasoning_text"]) == (f"{ANSWER}\n{SECOND}", None)


def test_summarised_reasoning_is_one_note_in_its_place() -> None:
    out = relay("responses", responses_stream(), SUMMARISE)
    assert_dense(out)
    characters = len(SUMMARY) + len(REASONING)
    yielded, final = sdk_run(out.sent)
    item = final.output[0]
    assert isinstance(item, ResponseReasoningItem)
    assert item.summary == [Summary(type="summary_text", text=note(characters))]
    assert (item.content, item.encrypted_content) == (None, None)
    kinds = [d["type"] for d in out.data() if d.get("output_index") == 0]
    assert kinds == [
        "response.output_item.added",
        "response.reasoning_summary_part.added",
        "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.done",
        "response.reasoning_summary_part.done",
        "response.output_item.done",
    ]
    assert [e.delta for e in yielded if e.type == "response.reasoning_summary_text.delta"] == [
        note(characters)
    ]
    assert REASONING[:20] not in "".join(e.data for e in out.sent)
    assert final.output_text == ANSWER + SECOND
    assert row_of("responses", out.assembled)["reasoning_text"] == note(characters)


@pytest.mark.parametrize("measures", [WATERMARK, ALL])
def test_watermark_each_text_part_with_its_own_embedder(measures: Measures) -> None:
    out = relay("responses", responses_stream(), measures, watermark)
    assert_dense(out)
    index = 0 if measures.reasoning == "withhold" else 1
    assert deltas(out, index) == {0: marked(ANSWER), 1: marked(SECOND)}
    assert all(d["delta"] for d in out.data() if d["type"] == "response.output_text.delta")
    yielded, final = sdk_run(out.sent)
    dones = [e for e in yielded if e.type == "response.output_text.done"]
    assert [e.text for e in dones] == [marked(ANSWER), marked(SECOND)]
    parts = [
        e.part.text
        for e in yielded
        if e.type == "response.content_part.done" and e.part.type == "output_text"
    ]
    assert parts == [marked(ANSWER), marked(SECOND)]
    assert final.output_text == marked(ANSWER) + marked(SECOND)
    data = out.data()
    for position, d in enumerate(data):  # the held-back rest goes just before each done
        if d["type"] == "response.output_text.done":
            assert data[position - 1]["type"] == "response.output_text.delta"
    row = row_of("responses", out.assembled)
    assert row["response_text"] == f"{marked(ANSWER)}\n{marked(SECOND)}"
    assert out.logged == out.assembled


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    st.lists(st.integers(1, len(ANSWER) - 1), max_size=40),
    st.lists(st.integers(0, 60000), max_size=30),
)
def test_watermarked_deltas_concatenate_to_the_whole_text_watermark(
    cuts: list[int], byte_cuts: list[int]
) -> None:
    bounds = [0, *sorted(set(cuts)), len(ANSWER)]
    chunks = [ANSWER[a:b] for a, b in itertools.pairwise(bounds)]
    out = relay("responses", responses_stream((chunks,)), WATERMARK, watermark, cuts=byte_cuts)
    assert deltas(out) == {0: marked(ANSWER)}
    _, final = sdk_run(out.sent)
    assert final.output_text == marked(ANSWER)


def test_an_incomplete_response_is_terminal_and_logged() -> None:
    out = relay("responses", responses_stream(end="incomplete"), ALL, watermark)
    assert out.sent[-1].event == "response.incomplete"
    assert out.logged == out.assembled
    assert Response.model_validate(out.assembled).output_text == marked(ANSWER) + marked(SECOND)


def test_a_stream_cut_short_flushes_and_assembles_what_was_sent() -> None:
    upstream = responses_stream()
    cut = next(i for i, e in enumerate(upstream) if e.event == "response.output_text.done")
    out = relay("responses", upstream[:cut], WATERMARK, watermark)
    assert deltas(out) == {0: marked(ANSWER)}
    assert out.logged is None
    assembled = out.assembled
    assert [item["type"] for item in assembled["output"]] == ["reasoning", "message"]
    assert row_of("responses", assembled)["response_text"] == marked(ANSWER)


def test_unknown_events_only_get_renumbered() -> None:
    upstream = responses_stream()
    position = len(upstream) - 1  # just before response.completed, whose number it takes
    odd = {"type": "response.vendor.progress", "output_index": 2, "sequence_number": position}
    completed = json_data(upstream[-1])
    completed["sequence_number"] += 1
    upstream[-1:] = [json_event(odd["type"], odd), json_event(completed["type"], completed)]
    assert relay("responses", upstream).sent == upstream  # nothing applies: untouched
    out = relay("responses", upstream, WITHHOLD)
    moved = next(d for d in out.data() if d["type"] == "response.vendor.progress")
    assert moved == {**odd, "output_index": 1, "sequence_number": len(out.sent) - 2}


def test_unnamed_events_are_read_by_their_type() -> None:
    upstream = [Event(None, e.data) for e in responses_stream()]
    out = relay("responses", upstream, ALL, watermark)
    assert all(e.event is None for e in out.sent)
    assert out.logged is not None
    assert deltas(out, 0) == {0: marked(ANSWER), 1: marked(SECOND)}
