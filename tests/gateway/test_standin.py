"""The stand-in upstream, checked with the official SDK clients over real sockets: every
shape parses, reasoning and logprobs appear when asked, usage counts words, faults behave."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

import anthropic
import anyio
import httpx
import openai
import pytest

from distillguard.gateway.standin import StandinConfig, create_app
from distillguard.gateway.standin_draft import LOGPROBS_INCLUDE
from tests.gateway.servers import running

PROMPT = "Tell me about the history of the printing press in a few sentences."
MESSAGES: Any = [{"role": "user", "content": PROMPT}]
CONFIG = StandinConfig(slow_seconds=5.0, fault_chunks=3)
COMMON = frozenset(("the", "a", "and", "of", "to", "in", "is", "that", "it", "for", "with", "on"))


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running(create_app(CONFIG)) as url:
        yield url


@pytest.fixture
def stats(base: str) -> Iterator[httpx.Client]:
    """A plain client on the stand-in, its counters zeroed."""
    with httpx.Client(base_url=base, timeout=5) as client:
        client.post("/_standin/reset").raise_for_status()
        yield client


class Sdk:
    """The official clients a test makes, all closed when it ends."""

    def __init__(self) -> None:
        self.made: list[openai.OpenAI | anthropic.Anthropic] = []

    def openai(self, base: str, **options: Any) -> openai.OpenAI:
        client = openai.OpenAI(api_key="sk-test", base_url=base + "/v1", max_retries=0, **options)
        self.made.append(client)
        return client

    def anthropic(self, base: str, **options: Any) -> anthropic.Anthropic:
        client = anthropic.Anthropic(api_key="sk-ant-test", base_url=base, max_retries=0, **options)
        self.made.append(client)
        return client


@pytest.fixture
def sdk() -> Iterator[Sdk]:
    clients = Sdk()
    yield clients
    for client in clients.made:
        client.close()


def _counts(stats: httpx.Client, **expected: int) -> dict[str, Any]:
    """The counters once they show ``expected`` (a cancellation lands a moment later)."""
    deadline = time.monotonic() + 3
    while True:
        seen: dict[str, Any] = stats.get("/_standin/stats").json()
        if all(seen[k] == v for k, v in expected.items()) or time.monotonic() > deadline:
            return seen
        time.sleep(0.02)


def _drain(stream: Iterable[Any], into: list[Any]) -> None:
    for item in stream:
        into.append(item)


def _words(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------- chat


def test_chat_answers_prose_of_about_eighty_words_deterministically(sdk: Sdk, base: str) -> None:
    client = sdk.openai(base)
    first = client.chat.completions.create(model="standin-1", messages=MESSAGES)
    again = client.chat.completions.create(model="standin-1", messages=MESSAGES)
    other = client.chat.completions.create(
        model="standin-1", messages=[{"role": "user", "content": "Something else entirely."}]
    )
    text = first.choices[0].message.content
    assert text is not None
    assert text == again.choices[0].message.content
    assert text != other.choices[0].message.content
    assert 55 <= _words(text) <= 110
    assert sum(w.lower().strip(".,") in COMMON for w in text.split()) >= _words(text) // 8
    assert first.choices[0].finish_reason == "stop"
    assert first.object == "chat.completion"
    assert first.usage is not None
    assert first.usage.prompt_tokens == _words(PROMPT)
    assert first.usage.completion_tokens == _words(text)
    assert first.usage.total_tokens == _words(PROMPT) + _words(text)
    assert first.choices[0].logprobs is None
    assert getattr(first.choices[0].message, "reasoning_content", None) is None


def test_chat_max_tokens_cuts_and_n_gives_distinct_choices(sdk: Sdk, base: str) -> None:
    client = sdk.openai(base)
    cut = client.chat.completions.create(model="m", messages=MESSAGES, max_tokens=5)
    assert _words(cut.choices[0].message.content or "") == 5
    assert cut.choices[0].finish_reason == "length"
    many = client.chat.completions.create(model="m", messages=MESSAGES, n=3)
    texts = [c.message.content or "" for c in many.choices]
    assert [c.index for c in many.choices] == [0, 1, 2]
    assert len(set(texts)) == 3
    assert many.usage is not None
    assert many.usage.completion_tokens == sum(_words(t) for t in texts)


def test_chat_reasoning_and_logprobs_whole_and_streamed_agree(sdk: Sdk, base: str) -> None:
    client = sdk.openai(base)
    asked: Any = {"reasoning_effort": "low", "logprobs": True, "top_logprobs": 3}
    whole = client.chat.completions.create(model="m", messages=MESSAGES, **asked)
    message = whole.choices[0].message
    reasoning = message.model_extra and message.model_extra["reasoning_content"]
    assert isinstance(reasoning, str)
    assert _words(reasoning) > 5
    logprobs = whole.choices[0].logprobs
    assert logprobs is not None
    assert logprobs.content is not None
    assert "".join(t.token for t in logprobs.content) == message.content
    assert all(len(t.top_logprobs) == 3 for t in logprobs.content)
    assert all(t.top_logprobs[0].token == t.token for t in logprobs.content)
    assert all(t.logprob <= 0 for t in logprobs.content)
    assert whole.usage is not None
    assert whole.usage.completion_tokens_details is not None
    assert whole.usage.completion_tokens_details.reasoning_tokens == _words(reasoning)
    assert whole.usage.completion_tokens == _words(reasoning) + _words(message.content or "")

    chunks = list(
        client.chat.completions.create(
            model="m",
            messages=MESSAGES,
            stream=True,
            stream_options={"include_usage": True},
            **asked,
        )
    )
    assert chunks[0].choices[0].delta.role == "assistant"
    deltas = [c.choices[0].delta for c in chunks if c.choices]
    content = "".join(d.content or "" for d in deltas)
    thought = "".join((d.model_extra or {}).get("reasoning_content", "") for d in deltas)
    assert content == message.content
    assert thought == reasoning
    streamed_logprobs = [
        t.token
        for c in chunks
        if c.choices and c.choices[0].logprobs
        for t in c.choices[0].logprobs.content or []
    ]
    assert "".join(streamed_logprobs) == content
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage == whole.usage
    assert all(c.usage is None for c in chunks[:-1])


def test_chat_stream_without_usage_ends_with_done(base: str) -> None:
    with httpx.stream(
        "POST",
        base + "/v1/chat/completions",
        json={"model": "m", "messages": MESSAGES, "stream": True, "max_tokens": 4},
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    assert all(line.startswith("data: ") for line in lines)
    assert lines[-1] == "data: [DONE]"
    assert '"usage"' not in "".join(lines)
    assert len(lines) == 1 + 4 + 1 + 1  # role, four words, finish, [DONE]


def test_async_chat_stream(base: str) -> None:
    async def main() -> str:
        client = openai.AsyncOpenAI(api_key="k", base_url=base + "/v1", max_retries=0)
        stream = await client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
        text = "".join([c.choices[0].delta.content or "" async for c in stream])
        whole = await client.chat.completions.create(model="m", messages=MESSAGES)
        await client.close()
        assert text == whole.choices[0].message.content
        return text

    assert _words(anyio.run(main)) > 10


# --------------------------------------------------------------------------- responses


def test_responses_whole_with_reasoning_and_logprobs(sdk: Sdk, base: str) -> None:
    client = sdk.openai(base)
    response = client.responses.create(
        model="m",
        input=PROMPT,
        reasoning={"effort": "low", "summary": "auto"},
        include=[LOGPROBS_INCLUDE],
        top_logprobs=2,
    )
    assert response.status == "completed"
    assert [item.type for item in response.output] == ["reasoning", "message"]
    reasoning = response.output[0]
    assert reasoning.type == "reasoning"
    summary = reasoning.summary[0].text
    assert _words(summary) > 5
    message = response.output[1]
    assert message.type == "message"
    part = message.content[0]
    assert part.type == "output_text"
    assert part.text == response.output_text
    assert part.logprobs is not None
    assert "".join(p.token for p in part.logprobs) == part.text
    assert all(len(p.top_logprobs) == 2 for p in part.logprobs)
    assert response.usage is not None
    assert response.usage.input_tokens == _words(PROMPT)
    assert response.usage.output_tokens_details.reasoning_tokens == _words(summary)
    assert response.usage.output_tokens == _words(summary) + _words(part.text)
    assert response.reasoning is not None
    assert response.reasoning.effort == "low"

    plain = client.responses.create(model="m", input=PROMPT)
    assert [item.type for item in plain.output] == ["message"]
    assert plain.output_text == response.output_text  # the same prompt, the same answer


def test_responses_stream_is_the_real_event_sequence(sdk: Sdk, base: str) -> None:
    client = sdk.openai(base)
    with client.responses.stream(model="m", input=PROMPT, reasoning={"effort": "medium"}) as stream:
        events = list(stream)
        final = stream.get_final_response()
    kinds = [e.type for e in events]
    deltas = kinds.count("response.output_text.delta")
    summary = kinds.count("response.reasoning_summary_text.delta")
    assert kinds == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.reasoning_summary_part.added",
        *["response.reasoning_summary_text.delta"] * summary,
        "response.reasoning_summary_text.done",
        "response.reasoning_summary_part.done",
        "response.output_item.done",
        "response.output_item.added",
        "response.content_part.added",
        *["response.output_text.delta"] * deltas,
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert final.output_text == client.responses.create(model="m", input=PROMPT).output_text
    assert final.usage is not None
    assert final.usage.output_tokens == deltas + summary


def test_responses_cut_answer_is_incomplete(sdk: Sdk, base: str) -> None:
    client = sdk.openai(base)
    whole = client.responses.create(model="m", input=PROMPT, max_output_tokens=3)
    assert whole.status == "incomplete"
    assert whole.incomplete_details is not None
    assert whole.incomplete_details.reason == "max_output_tokens"
    assert _words(whole.output_text) == 3
    events = list(
        client.responses.create(model="m", input=PROMPT, max_output_tokens=3, stream=True)
    )
    assert events[-1].type == "response.incomplete"


def test_async_responses_stream(sdk: Sdk, base: str) -> None:
    async def main() -> str:
        client = openai.AsyncOpenAI(api_key="k", base_url=base + "/v1", max_retries=0)
        async with client.responses.stream(model="m", input=PROMPT) as stream:
            async for _ in stream:
                pass
            final = await stream.get_final_response()
        await client.close()
        return final.output_text

    assert anyio.run(main) == sdk.openai(base).responses.create(model="m", input=PROMPT).output_text


# --------------------------------------------------------------------------- completions


def test_completions_whole_streamed_and_logprobs(sdk: Sdk, base: str) -> None:
    client = sdk.openai(base)
    whole = client.completions.create(model="m", prompt="Once upon a time", logprobs=2)
    choice = whole.choices[0]
    assert whole.object == "text_completion"
    assert choice.finish_reason == "stop"
    assert choice.logprobs is not None
    tokens = choice.logprobs.tokens or []
    assert "".join(tokens) == choice.text
    offsets = choice.logprobs.text_offset or []
    assert [choice.text[o : o + len(t)] for o, t in zip(offsets, tokens, strict=True)] == tokens
    assert all(len(top) == 2 for top in choice.logprobs.top_logprobs or [])
    assert whole.usage is not None
    assert whole.usage.prompt_tokens == 4
    assert whole.usage.completion_tokens == _words(choice.text)
    chunks = list(
        client.completions.create(
            model="m",
            prompt="Once upon a time",
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert "".join(c.choices[0].text for c in chunks if c.choices) == choice.text
    assert chunks[-1].usage == whole.usage


# --------------------------------------------------------------------------- messages


def test_messages_whole_with_thinking(sdk: Sdk, base: str) -> None:
    client = sdk.anthropic(base)
    message = client.messages.create(
        model="m",
        max_tokens=1024,
        messages=MESSAGES,
        thinking={"type": "enabled", "budget_tokens": 1024},
    )
    assert [block.type for block in message.content] == ["thinking", "text"]
    thinking, text = message.content
    assert thinking.type == "thinking"
    assert text.type == "text"
    assert thinking.signature
    assert message.stop_reason == "end_turn"
    assert message.usage.input_tokens == _words(PROMPT)
    assert message.usage.output_tokens == _words(thinking.thinking) + _words(text.text)
    short = client.messages.create(
        model="m",
        max_tokens=4,
        messages=MESSAGES,
        thinking={"type": "enabled", "budget_tokens": 2},
    )
    assert [_words(b.thinking if b.type == "thinking" else b.text) for b in short.content] == [2, 4]  # type: ignore[union-attr]
    assert short.stop_reason == "max_tokens"
    plain = client.messages.create(model="m", max_tokens=1024, messages=MESSAGES)
    assert [block.type for block in plain.content] == ["text"]


def _block(block: Any) -> tuple[str, str | None, str | None]:
    return (
        block.type,
        getattr(block, "text", None) or getattr(block, "thinking", None),
        getattr(block, "signature", None),
    )


def test_messages_stream_accumulates_to_the_whole_message(sdk: Sdk, base: str) -> None:
    client = sdk.anthropic(base)
    asked: Any = {"thinking": {"type": "enabled", "budget_tokens": 2000}}
    whole = client.messages.create(model="m", max_tokens=4000, messages=MESSAGES, **asked)
    with client.messages.stream(model="m", max_tokens=4000, messages=MESSAGES, **asked) as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_message()
    raw = [k for k in kinds if k not in ("text", "thinking", "signature")]  # accumulator's own
    assert raw[:2] == ["message_start", "content_block_start"]
    assert raw[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert raw.count("content_block_start") == 2
    assert [_block(b) for b in final.content] == [_block(b) for b in whole.content]
    assert final.usage.output_tokens == whole.usage.output_tokens
    assert final.stop_reason == "end_turn"


def test_messages_stream_has_event_lines(base: str) -> None:
    with httpx.stream(
        "POST",
        base + "/v1/messages",
        json={"model": "m", "max_tokens": 3, "messages": MESSAGES, "stream": True},
    ) as response:
        lines = [line for line in response.iter_lines() if line]
    names = [line.removeprefix("event: ") for line in lines if line.startswith("event: ")]
    assert names == [
        "message_start",
        "content_block_start",
        *["content_block_delta"] * 3,
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    assert len([line for line in lines if line.startswith("data: ")]) == len(names)


def test_async_messages_stream(sdk: Sdk, base: str) -> None:
    async def main() -> str:
        client = anthropic.AsyncAnthropic(api_key="k", base_url=base, max_retries=0)
        async with client.messages.stream(model="m", max_tokens=100, messages=MESSAGES) as stream:
            text = "".join([piece async for piece in stream.text_stream])
        await client.close()
        return text

    whole = sdk.anthropic(base).messages.create(model="m", max_tokens=100, messages=MESSAGES)
    assert whole.content[0].type == "text"
    assert anyio.run(main) == whole.content[0].text


# --------------------------------------------------------------------------- the rest


def test_models_list(sdk: Sdk, base: str) -> None:
    assert [m.id for m in sdk.openai(base).models.list()] == list(CONFIG.models)


def test_any_credential_is_accepted_and_the_last_one_recorded(
    sdk: Sdk, base: str, stats: httpx.Client
) -> None:
    sdk.openai(base).chat.completions.create(model="m", messages=MESSAGES)
    seen = _counts(stats)
    assert seen["last_authorization"] == "Bearer sk-test"
    assert seen["last_path"] == "/v1/chat/completions"
    assert seen["last_body"] == {"model": "m", "messages": MESSAGES}
    sdk.anthropic(base).messages.create(model="m", max_tokens=5, messages=MESSAGES)
    seen = _counts(stats)
    # this SDK's release presents its key as a bearer token; older ones send x-api-key
    assert "sk-ant-test" in (seen["last_api_key"], seen["last_authorization"].split()[-1])
    assert seen["last_headers"]["anthropic-version"]
    body = {"model": "m", "max_tokens": 5, "messages": MESSAGES}
    httpx.post(base + "/v1/messages", json=body, headers={"x-api-key": "k2"}).raise_for_status()
    seen = _counts(stats)
    assert (seen["last_api_key"], seen["last_authorization"]) == ("k2", None)
    assert seen["requests"] == seen["completed"] == 3


def test_bad_bodies_get_the_providers_400(sdk: Sdk, base: str) -> None:
    response = httpx.post(base + "/v1/chat/completions", content=b"[1, 2]")
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"
    response = httpx.post(base + "/v1/messages", content=b"{nope")
    assert response.json()["error"]["type"] == "invalid_request_error"
    malformed: Any = {"effort": 7}
    with pytest.raises(openai.BadRequestError):
        sdk.openai(base).responses.create(model="m", input="x", reasoning=malformed)


def test_error_faults_in_each_providers_shape(sdk: Sdk, base: str) -> None:
    with pytest.raises(openai.InternalServerError) as server:
        sdk.openai(base).chat.completions.create(model="standin-error-500", messages=MESSAGES)
    assert server.value.status_code == 500
    with pytest.raises(openai.RateLimitError) as limited:
        sdk.openai(base).responses.create(model="standin-error-429", input="x")
    assert limited.value.response.headers["retry-after"] == "1"
    assert limited.value.code == "rate_limit_exceeded"
    with pytest.raises(anthropic.InternalServerError) as claude:
        sdk.anthropic(base).messages.create(
            model="standin-error-500", max_tokens=5, messages=MESSAGES
        )
    assert claude.value.body == {
        "type": "error",
        "error": {"type": "api_error", "message": claude.value.body["error"]["message"]},  # type: ignore[index]
    }
    with pytest.raises(anthropic.RateLimitError):
        sdk.anthropic(base).messages.create(
            model="standin-error-429", max_tokens=5, messages=MESSAGES
        )


def test_slow_outlasts_the_client_timeout_and_counts_as_cancelled(
    sdk: Sdk, base: str, stats: httpx.Client
) -> None:
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        sdk.openai(base, timeout=0.3).chat.completions.create(
            model="standin-slow", messages=MESSAGES
        )
    assert time.monotonic() - started < CONFIG.slow_seconds
    seen = _counts(stats, cancelled=1)
    assert (seen["cancelled"], seen["completed"], seen["active"]) == (1, 0, 0)


def test_stall_sends_a_few_events_then_waits_for_the_disconnect(
    sdk: Sdk, base: str, stats: httpx.Client
) -> None:
    # the SDK's own timeout type: its HTTP client is not always httpx's
    client = sdk.openai(base, timeout=openai.Timeout(5, read=0.4))
    received: list[Any] = []
    stream = client.chat.completions.create(model="standin-stall", messages=MESSAGES, stream=True)
    with pytest.raises(openai.APITimeoutError):
        _drain(stream, received)
    assert len(received) == CONFIG.fault_chunks
    assert _counts(stats, cancelled=1)["cancelled"] == 1
    with pytest.raises(openai.APITimeoutError):
        client.chat.completions.create(model="standin-stall", messages=MESSAGES)
    assert _counts(stats, cancelled=2)["cancelled"] == 2


def test_drop_closes_the_connection_mid_answer(sdk: Sdk, base: str, stats: httpx.Client) -> None:
    received: list[Any] = []
    # the SDK passes its HTTP client's error on while a stream is read
    stream = sdk.anthropic(base).messages.create(
        model="standin-drop", max_tokens=50, messages=MESSAGES, stream=True
    )
    with pytest.raises(Exception, match="peer closed connection"):
        _drain(stream, received)
    assert [e.type for e in received] == [
        "message_start",
        "content_block_start",
        "content_block_delta",
    ]
    with pytest.raises(openai.APIConnectionError):
        sdk.openai(base).chat.completions.create(model="standin-drop", messages=MESSAGES)
    assert _counts(stats)["dropped"] == 2


def test_a_client_going_away_cancels_a_streamed_answer(sdk: Sdk) -> None:
    config = StandinConfig(chunk_delay_ms=20)
    with running(create_app(config)) as url, httpx.Client(base_url=url) as plain:
        client = sdk.openai(url)
        stream = client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
        for number, _ in enumerate(stream):
            if number == 2:
                break
        stream.close()
        seen = _counts(plain, cancelled=1, active=0)
        assert (seen["cancelled"], seen["completed"], seen["active"]) == (1, 0, 0)


def test_delays_before_the_first_byte_and_between_events(sdk: Sdk) -> None:
    config = StandinConfig(delay_ms=150, chunk_delay_ms=30)
    with running(create_app(config)) as url:
        client = sdk.openai(url)
        started = time.monotonic()
        client.chat.completions.create(model="m", messages=MESSAGES)
        assert time.monotonic() - started >= 0.15
        started = time.monotonic()
        list(
            client.chat.completions.create(model="m", messages=MESSAGES, max_tokens=5, stream=True)
        )
        # role, five words, finish, [DONE]: seven pauses after the first event
        assert time.monotonic() - started >= 0.15 + 7 * 0.03
