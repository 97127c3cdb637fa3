"""Chat Completions and legacy Completions streams through their transformer: chunks built with
the SDK types, the chunks sent read back with them and accumulated by the SDK's own
``ChatCompletionStreamState``, the assembled answer read by the SDK and by ingest."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openai.lib.streaming.chat import ChatCompletionStreamState
from openai.types import Completion, CompletionChoice, CompletionUsage
from openai.types.chat import ChatCompletion, ChatCompletionChunk
from openai.types.chat.chat_completion_chunk import (
    Choice,
    ChoiceDelta,
    ChoiceDeltaToolCall,
    ChoiceDeltaToolCallFunction,
    ChoiceLogprobs,
)
from openai.types.completion_choice import Logprobs
from openai.types.completion_usage import CompletionTokensDetails

from distillguard.gateway.core import Measures
from distillguard.gateway.countermeasures import note
from distillguard.gateway.sse import Event, json_data
from tests.gateway.test_countermeasures import (
    ANSWER,
    REASONING,
    SECOND,
    marked,
    row_of,
    token_logprobs,
    watermark,
)
from tests.gateway.test_streams import Relayed, relay

STRIP = Measures(strip_logprobs=True)
WITHHOLD = Measures(reasoning="withhold")
SUMMARISE = Measures(reasoning="summarise")
ALL = Measures(strip_logprobs=True, reasoning="summarise", watermark=True)
DONE = Event(None, "[DONE]")


def pieces(text: str, size: int = 9) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def event(model: Any) -> Event:
    return Event(None, model.model_dump_json(exclude_unset=True))


def chunk(choices: list[Choice], **extra: Any) -> Event:
    return event(
        ChatCompletionChunk(
            id="chatcmpl-9",
            object="chat.completion.chunk",
            created=1_700_000_000,
            model="m",
            choices=choices,
            **extra,
        )
    )


def chat_stream(
    answers: tuple[list[str], ...] = (pieces(ANSWER),),
    reasoning: list[str] | None = None,
    field: str = "reasoning_content",
    logprobs: bool = True,
    tool: bool = False,
) -> list[Event]:
    """A chat stream: role, reasoning deltas, answer deltas (choices interleaved), a tool call,
    the finish, the usage chunk, [DONE]."""
    out = [
        chunk(
            [
                Choice(index=i, delta=ChoiceDelta(role="assistant", content=""))
                for i, _ in enumerate(answers)
            ]
        )
    ]
    for piece in reasoning or ():
        out.append(chunk([Choice(index=0, delta=ChoiceDelta(**{field: piece}))]))
    for step in range(max(len(a) for a in answers)):
        choices = [
            Choice(
                index=i,
                delta=ChoiceDelta(content=a[step]),
                logprobs=ChoiceLogprobs(content=token_logprobs(a[step])) if logprobs else None,
            )
            for i, a in enumerate(answers)
            if step < len(a)
        ]
        out.append(chunk(choices))
    if tool:
        call = [
            ChoiceDeltaToolCall(
                index=0,
                id="call_1",
                type="function",
                function=ChoiceDeltaToolCallFunction(name="f", arguments=""),
            )
        ]
        out.append(chunk([Choice(index=0, delta=ChoiceDelta(tool_calls=call))]))
        for part in ('{"q": ', '"do not"}'):
            args = [
                ChoiceDeltaToolCall(index=0, function=ChoiceDeltaToolCallFunction(arguments=part))
            ]
            out.append(chunk([Choice(index=0, delta=ChoiceDelta(tool_calls=args))]))
    reason = "tool_calls" if tool else "stop"
    out.append(
        chunk(
            [
                Choice(index=i, delta=ChoiceDelta(), finish_reason=reason)
                for i, _ in enumerate(answers)
            ]
        )
    )
    usage = CompletionUsage(
        prompt_tokens=9,
        completion_tokens=77,
        total_tokens=86,
        completion_tokens_details=CompletionTokensDetails(reasoning_tokens=20),
    )
    out.append(chunk([], usage=usage))
    return [*out, DONE]


def sdk_final(sent: list[Event]) -> ChatCompletion:
    """What the openai SDK's own accumulator makes of the chunks sent."""
    state: ChatCompletionStreamState[Any] = ChatCompletionStreamState()
    for e in sent:
        if e.data != "[DONE]":
            state.handle_chunk(ChatCompletionChunk.model_validate_json(e.data))
    return state.get_final_completion()


def contents(out: Relayed, index: int = 0) -> list[str]:
    texts = []
    for data in out.data():
        for choice in data.get("choices") or () if isinstance(data, dict) else ():
            if choice["index"] == index and choice["delta"].get("content"):
                texts.append(choice["delta"]["content"])
    return texts


def test_no_measures_send_every_chunk_as_it_came() -> None:
    upstream = chat_stream(reasoning=pieces(REASONING), tool=True)
    out = relay("chat", upstream)
    assert out.sent == upstream
    assembled = ChatCompletion.model_validate(out.assembled)
    final = sdk_final(out.sent)
    assert assembled.choices[0].message.content == final.choices[0].message.content == ANSWER
    assert assembled.choices[0].message.model_extra == {"reasoning_content": REASONING}
    assert final.choices[0].message.model_extra["reasoning_content"] == REASONING  # type: ignore[index]
    calls = [assembled.choices[0].message.tool_calls, final.choices[0].message.tool_calls]
    found = [[(t.id, t.function.name, t.function.arguments) for t in c or ()] for c in calls]  # type: ignore[union-attr]
    assert found == [[("call_1", "f", '{"q": "do not"}')]] * 2
    assert assembled.choices[0].logprobs == final.choices[0].logprobs
    assert assembled.choices[0].finish_reason == "tool_calls"
    assert out.logged == out.assembled
    row = row_of("chat", out.assembled)
    assert (row["response_text"], row["reasoning_text"], row["n_tool_calls"]) == (
        ANSWER,
        REASONING,
        1,
    )
    assert (row["input_tokens"], row["output_tokens"], row["reasoning_tokens"]) == (9, 77, 20)
    assert out.usage is not None
    assert (out.usage.input_tokens, out.usage.output_tokens) == (9, 77)


def test_strip_logprobs_nulls_them_in_every_chunk() -> None:
    out = relay("chat", chat_stream(), STRIP)
    chunks = [ChatCompletionChunk.model_validate(d) for d in out.data()[:-1]]
    assert all(c.logprobs is None for ch in chunks for c in ch.choices)
    assert "".join(contents(out)) == ANSWER
    assert sdk_final(out.sent).choices[0].logprobs is None
    assert ChatCompletion.model_validate(out.assembled).choices[0].logprobs is None


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
def test_withheld_reasoning_leaves_no_trace(field: str) -> None:
    upstream = chat_stream(reasoning=pieces(REASONING), field=field)
    out = relay("chat", upstream, WITHHOLD)
    assert len(out.sent) == len(upstream) - len(pieces(REASONING))  # the emptied chunks dropped
    assert REASONING[:20] not in "".join(e.data for e in out.sent)
    final = sdk_final(out.sent)
    assert final.choices[0].message.content == ANSWER
    assert final.choices[0].message.model_extra == {}
    row = row_of("chat", out.assembled)
    assert (row["response_text"], row["reasoning_text"]) == (ANSWER, None)


def test_summarised_reasoning_is_one_note_where_the_answer_starts() -> None:
    out = relay("chat", chat_stream(reasoning=pieces(REASONING), field="reasoning"), SUMMARISE)
    notes = [
        (i, c["delta"]["reasoning"])
        for i, d in enumerate(out.data())
        for c in (d or {}).get("choices") or ()
        if "reasoning" in c.get("delta", {})
    ]
    first_answer = next(
        i
        for i, d in enumerate(out.data())
        if d["choices"] and d["choices"][0]["delta"].get("content")
    )
    assert notes == [(first_answer, note(len(REASONING)))]
    final = sdk_final(out.sent)
    assert final.choices[0].message.model_extra == {"reasoning": note(len(REASONING))}
    assert ChatCompletion.model_validate(out.assembled).choices[0].message.model_extra == {
        "reasoning": note(len(REASONING))
    }
    assert row_of("chat", out.assembled)["reasoning_text"] == note(len(REASONING))


def test_reasoning_that_never_reaches_an_answer_gets_its_note_with_the_finish() -> None:
    upstream = [
        chunk([Choice(index=0, delta=ChoiceDelta(role="assistant", reasoning_content="ab"))]),
        chunk([Choice(index=0, delta=ChoiceDelta(reasoning_content="cde"))]),
        chunk([Choice(index=0, delta=ChoiceDelta(), finish_reason="stop")]),
        DONE,
    ]
    out = relay("chat", upstream, SUMMARISE)
    assert len(out.sent) == 4  # the second chunk, emptied, is dropped; the note comes first
    final = sdk_final(out.sent)
    assert final.choices[0].message.model_extra == {"reasoning_content": note(5)}
    assert (final.choices[0].message.role, final.choices[0].finish_reason) == ("assistant", "stop")


def test_watermark_with_two_choices() -> None:
    upstream = chat_stream(answers=(pieces(ANSWER, 5), pieces(SECOND, 13)))
    out = relay("chat", upstream, Measures(watermark=True), watermark)
    assert "".join(contents(out, 0)) == marked(ANSWER)
    assert "".join(contents(out, 1)) == marked(SECOND)
    assert all(c["delta"].get("content") != "" for d in out.data()[1:-1] for c in d["choices"])
    final = sdk_final(out.sent)
    assert [c.message.content for c in final.choices] == [marked(ANSWER), marked(SECOND)]
    assert [c.logprobs for c in final.choices] == [None, None]  # they would spell the original
    finish = next(
        i
        for i, d in enumerate(out.data())
        if d and d["choices"] and d["choices"][0].get("finish_reason")
    )
    assert out.data()[finish - 1]["choices"][0]["delta"].get("content")  # the rest, just before
    assembled = ChatCompletion.model_validate(out.assembled)
    assert [c.message.content for c in assembled.choices] == [marked(ANSWER), marked(SECOND)]
    assert out.logged == out.assembled


def test_all_measures_at_once() -> None:
    upstream = chat_stream(reasoning=pieces(REASONING), tool=True)
    out = relay("chat", upstream, ALL, watermark, client_wants_usage=False)
    for data in out.data()[:-1]:
        parsed = ChatCompletionChunk.model_validate(data)
        assert parsed.choices, "the usage chunk was not asked for"
        assert all(c.logprobs is None for c in parsed.choices)
    final = sdk_final(out.sent)
    message = final.choices[0].message
    assert (message.content, message.model_extra) == (
        marked(ANSWER),
        {"reasoning_content": note(len(REASONING))},
    )
    assert message.tool_calls is not None
    assert message.tool_calls[0].function.arguments == '{"q": "do not"}'
    row = row_of("chat", out.assembled)
    assert (row["response_text"], row["reasoning_text"]) == (marked(ANSWER), note(len(REASONING)))
    assert (row["n_tool_calls"], row["finish_reason"], row["output_tokens"]) == (
        1,
        "tool_calls",
        77,
    )


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    st.lists(st.integers(1, len(ANSWER) - 1), max_size=40),
    st.lists(st.integers(0, 20000), max_size=30),
)
def test_watermarked_deltas_concatenate_to_the_whole_text_watermark(
    cuts: list[int], byte_cuts: list[int]
) -> None:
    bounds = [0, *sorted(set(cuts)), len(ANSWER)]
    deltas = [ANSWER[a:b] for a, b in itertools.pairwise(bounds)]
    out = relay("chat", chat_stream(answers=(deltas,)), ALL, watermark, cuts=byte_cuts)
    assert "".join(contents(out)) == marked(ANSWER)
    assert sdk_final(out.sent).choices[0].message.content == marked(ANSWER)


def test_usage_chunk_dropped_when_the_client_did_not_ask_but_still_counted() -> None:
    upstream = chat_stream()
    out = relay("chat", upstream, client_wants_usage=False)
    assert json_data(upstream[-2])["choices"] == []
    assert out.sent == [*upstream[:-2], DONE]
    assert out.usage is not None
    assert (out.usage.input_tokens, out.usage.output_tokens, out.usage.reasoning_tokens) == (
        9,
        77,
        20,
    )
    assert row_of("chat", out.assembled)["output_tokens"] == 77  # the log keeps what was billed


def test_a_stream_cut_before_its_end_still_sends_and_logs_the_held_text() -> None:
    upstream = chat_stream()[:-3]  # no finish, no usage, no [DONE]
    out = relay("chat", upstream, Measures(watermark=True), watermark)
    assert "".join(contents(out)) == marked(ANSWER)
    assert out.logged is None
    assert out.assembled["choices"][0]["message"]["content"] == marked(ANSWER)
    assert out.usage is None


def test_done_sends_the_held_text_first() -> None:
    upstream = [*chat_stream()[:-3], DONE]  # [DONE] without a finish chunk
    out = relay("chat", upstream, Measures(watermark=True), watermark)
    assert out.sent[-1] == DONE
    assert "".join(contents(out)) == marked(ANSWER)
    assert out.logged is not None
    assert out.logged["choices"][0]["message"]["content"] == marked(ANSWER)


def test_an_error_object_ends_the_stream() -> None:
    error = Event(None, '{"error": {"message": "overloaded", "type": "server_error"}}')
    out = relay("chat", [*chat_stream()[:-3], error], Measures(watermark=True), watermark)
    assert out.sent[-1] == error
    assert "".join(contents(out)) == marked(ANSWER)
    assert out.logged is not None


# --- legacy completions ---------------------------------------------------------------------


def completion_chunk(choices: list[CompletionChoice], **extra: Any) -> Event:
    return event(
        Completion.model_construct(
            id="cmpl-9",
            object="text_completion",
            created=1_700_000_000,
            model="m",
            choices=choices,
            **extra,
        )
    )


def completions_stream(texts: list[str], logprobs: bool = True) -> list[Event]:
    out = []
    for i, text in enumerate(texts):
        lp = Logprobs(
            tokens=[text], token_logprobs=[-0.3], top_logprobs=[{text: -0.3}], text_offset=[i]
        )
        out.append(
            completion_chunk(
                [
                    CompletionChoice.model_construct(
                        index=0, text=text, finish_reason=None, logprobs=lp if logprobs else None
                    )
                ]
            )
        )
    out.append(
        completion_chunk([CompletionChoice(index=0, text="", finish_reason="stop", logprobs=None)])
    )
    usage = CompletionUsage(prompt_tokens=4, completion_tokens=50, total_tokens=54)
    out.append(completion_chunk([], usage=usage))
    return [*out, DONE]


def completion_texts(out: Relayed) -> list[str]:
    return [c["text"] for d in out.data() if isinstance(d, dict) for c in d["choices"] if c["text"]]


@pytest.mark.parametrize(
    "measures", [Measures(), STRIP, WITHHOLD, SUMMARISE, Measures(watermark=True), ALL]
)
def test_completions_under_each_measure(measures: Measures) -> None:
    upstream = completions_stream(pieces(ANSWER, 11))
    mark = watermark if measures.watermark else None
    out = relay("completions", upstream, measures, mark)
    expected = marked(ANSWER) if mark else ANSWER
    assert "".join(completion_texts(out)) == expected
    if not measures.strip_logprobs and not measures.watermark:
        assert out.sent == upstream  # nothing applies: the same events
    for data in out.data()[:-1]:
        Completion.model_construct(**data)
        for choice in data["choices"]:
            if choice["text"]:
                hidden = measures.strip_logprobs or mark is not None
                assert (choice["logprobs"] is None) == hidden
    Completion.model_validate(out.data()[-3])  # the finish chunk is a whole Completion
    assembled = Completion.model_validate(out.assembled)
    assert assembled.choices[0].text == expected
    assert assembled.choices[0].finish_reason == "stop"
    assert (assembled.choices[0].logprobs is None) == (measures.strip_logprobs or mark is not None)
    if assembled.choices[0].logprobs is not None:
        assert assembled.choices[0].logprobs.tokens == pieces(ANSWER, 11)
    row = row_of("completions", out.assembled)
    assert (row["response_text"], row["input_tokens"], row["output_tokens"]) == (expected, 4, 50)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.randoms(use_true_random=False))
def test_completions_watermark_whatever_the_chunking(rng: random.Random) -> None:
    cuts = sorted(rng.sample(range(1, len(SECOND)), rng.randint(0, 30)))
    bounds = [0, *cuts, len(SECOND)]
    deltas = [SECOND[a:b] for a, b in itertools.pairwise(bounds)]
    out = relay(
        "completions", completions_stream(deltas), Measures(watermark=True), watermark, False
    )
    assert "".join(completion_texts(out)) == marked(SECOND)
    assert out.sent[-1] == DONE
    assert all(d["choices"] for d in out.data()[:-1])  # the usage chunk was not asked for
