"""Countermeasures on requests and unstreamed answers of the four APIs, on bodies built with
the providers' SDK types and read back with them and with ingest."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from anthropic.types import (
    Message,
    RedactedThinkingBlock,
    TextBlock,
    ThinkingBlock,
    ToolUseBlock,
)
from anthropic.types import Usage as AnthropicUsage
from openai.types import Completion, CompletionChoice, CompletionUsage
from openai.types.chat import ChatCompletion, ChatCompletionMessage, ChatCompletionTokenLogprob
from openai.types.chat.chat_completion import Choice, ChoiceLogprobs
from openai.types.chat.chat_completion_token_logprob import TopLogprob
from openai.types.completion_choice import Logprobs
from openai.types.completion_usage import CompletionTokensDetails
from openai.types.responses import (
    Response,
    ResponseOutputMessage,
    ResponseOutputText,
    ResponseReasoningItem,
    ResponseUsage,
)
from openai.types.responses import response_output_text as rot
from openai.types.responses.response_reasoning_item import Content, Summary
from openai.types.responses.response_usage import InputTokensDetails, OutputTokensDetails

from distillguard.gateway.core import ENDPOINTS, Api, Measures
from distillguard.gateway.countermeasures import (
    Rewritten,
    StreamedText,
    Usage,
    note,
    rewrite_request,
    rewrite_response,
    usage,
)
from distillguard.ingest.bodies import read_bodies
from distillguard.ingest.record import Row, new_row
from distillguard.watermark.embed import Embedder, embed
from tests.watermark.material import KEY, PARAGRAPHS

ACCOUNT = "acct_1"
ANSWER = PARAGRAPHS[0]
SECOND = PARAGRAPHS[1]
REASONING = PARAGRAPHS[2]
ENDPOINT = {api: endpoint for endpoint, api in ENDPOINTS.items()}


def watermark() -> Embedder:
    return Embedder(KEY, ACCOUNT)


def marked(text: str) -> str:
    return embed(text, KEY, ACCOUNT)


def row_of(api: Api, response: dict[str, Any]) -> Row:
    """The interaction row ingest reads from an answer."""
    row = new_row()
    read_bodies(ENDPOINT[api], None, response, row)
    return row


# --- answers built with the SDK types -------------------------------------------------------


def token_logprobs(text: str) -> list[ChatCompletionTokenLogprob]:
    return [
        ChatCompletionTokenLogprob(
            token=w,
            bytes=list(w.encode()),
            logprob=-0.5,
            top_logprobs=[TopLogprob(token=w, logprob=-0.5)],
        )
        for w in text.split()[:3]
    ]


def chat_completion(reasoning_field: str | None = "reasoning_content") -> dict[str, Any]:
    extra = {reasoning_field: REASONING} if reasoning_field else {}
    choices = [
        Choice(
            index=i,
            finish_reason="stop",
            message=ChatCompletionMessage(role="assistant", content=text, **extra),
            logprobs=ChoiceLogprobs(content=token_logprobs(text)),
        )
        for i, text in enumerate((ANSWER, SECOND))
    ]
    return ChatCompletion(
        id="chatcmpl-1",
        object="chat.completion",
        created=1_700_000_000,
        model="m",
        choices=choices,
        usage=CompletionUsage(
            prompt_tokens=11,
            completion_tokens=120,
            total_tokens=131,
            completion_tokens_details=CompletionTokensDetails(reasoning_tokens=40),
        ),
    ).model_dump(mode="json")


def completion() -> dict[str, Any]:
    words = ANSWER.split()[:3]
    return Completion(
        id="cmpl-1",
        object="text_completion",
        created=1_700_000_000,
        model="m",
        choices=[
            CompletionChoice(
                index=0,
                text=ANSWER,
                finish_reason="length",
                logprobs=Logprobs(
                    tokens=words,
                    token_logprobs=[-0.1] * 3,
                    top_logprobs=[{w: -0.1} for w in words],
                    text_offset=[0, 4, 7],
                ),
            )
        ],
        usage=CompletionUsage(prompt_tokens=5, completion_tokens=16, total_tokens=21),
    ).model_dump(mode="json")


def output_text(text: str) -> ResponseOutputText:
    words = text.split()[:2]
    return ResponseOutputText(
        type="output_text",
        text=text,
        annotations=[],
        logprobs=[
            rot.Logprob(token=w, bytes=list(w.encode()), logprob=-0.2, top_logprobs=[])
            for w in words
        ],
    )


def responses_usage() -> ResponseUsage:
    return ResponseUsage(
        input_tokens=30,
        input_tokens_details=InputTokensDetails(cached_tokens=4, cache_write_tokens=0),
        output_tokens=200,
        output_tokens_details=OutputTokensDetails(reasoning_tokens=80),
        total_tokens=230,
    )


def response() -> dict[str, Any]:
    return Response(
        id="resp_1",
        object="response",
        created_at=1_700_000_000,
        model="gpt-5",
        status="completed",
        parallel_tool_calls=True,
        tool_choice="auto",
        tools=[],
        output=[
            ResponseReasoningItem(
                id="rs_1",
                type="reasoning",
                summary=[Summary(type="summary_text", text=REASONING[:50])],
                content=[Content(type="reasoning_text", text=REASONING)],
                encrypted_content="gAAAA-secret",
            ),
            ResponseOutputMessage(
                id="msg_1",
                type="message",
                role="assistant",
                status="completed",
                content=[output_text(ANSWER), output_text(SECOND)],
            ),
        ],
        usage=responses_usage(),
    ).model_dump(mode="json")


def message() -> dict[str, Any]:
    return Message(
        id="msg_01",
        type="message",
        role="assistant",
        model="claude-sonnet-4-5",
        content=[
            ThinkingBlock(type="thinking", thinking=REASONING, signature="sig-abc"),
            RedactedThinkingBlock(type="redacted_thinking", data="ZW5jcnlwdGVk"),
            TextBlock(type="text", text=ANSWER),
            ToolUseBlock(type="tool_use", id="toolu_1", name="search", input={"q": "do not"}),
            TextBlock(type="text", text=SECOND),
        ],
        stop_reason="tool_use",
        stop_sequence=None,
        usage=AnthropicUsage(
            input_tokens=12,
            output_tokens=300,
            cache_creation_input_tokens=5,
            cache_read_input_tokens=7,
        ),
    ).model_dump(mode="json")


WITHHOLD = Measures(reasoning="withhold")
SUMMARISE = Measures(reasoning="summarise")
STRIP = Measures(strip_logprobs=True)
ALL = Measures(strip_logprobs=True, reasoning="withhold", max_tokens=10, n=1, watermark=True)


# --- requests -------------------------------------------------------------------------------


def test_nothing_to_do_leaves_the_request_as_it_is() -> None:
    body = {"model": "m", "messages": [], "logprobs": True, "max_tokens": 500}
    out = rewrite_request("chat", body, Measures(), stream=False)
    assert out == Rewritten(body, True, ())
    assert out.body is not body


@pytest.mark.parametrize(
    ("api", "body", "expected"),
    [
        ("chat", {"logprobs": True, "top_logprobs": 5, "n": 1}, {"n": 1}),
        ("completions", {"logprobs": 5, "prompt": "x"}, {"prompt": "x"}),
        (
            "responses",
            {
                "top_logprobs": 3,
                "include": ["message.output_text.logprobs", "reasoning.encrypted_content"],
            },
            {"include": ["reasoning.encrypted_content"]},
        ),
        ("messages", {"max_tokens": 10}, {"max_tokens": 10}),
    ],
)
def test_strip_logprobs_removes_the_parameters(
    api: Api, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    before = copy.deepcopy(body)
    out = rewrite_request(api, body, STRIP, stream=False)
    assert out.body == expected
    assert body == before  # the client's body is never changed


@pytest.mark.parametrize(
    ("api", "body", "expected"),
    [
        ("chat", {}, {"max_completion_tokens": 100}),  # chat's default is the model's maximum
        ("chat", {"max_tokens": 500}, {"max_tokens": 100}),
        ("chat", {"max_tokens": 50}, {"max_tokens": 50}),
        ("chat", {"max_tokens": None}, {"max_tokens": None, "max_completion_tokens": 100}),
        (
            "chat",
            {"max_tokens": 500, "max_completion_tokens": 700},
            {"max_tokens": 100, "max_completion_tokens": 100},
        ),
        ("responses", {}, {"max_output_tokens": 100}),
        ("responses", {"max_output_tokens": 4000}, {"max_output_tokens": 100}),
        ("completions", {}, {}),  # the default, 16, is below the cap
        ("completions", {"max_tokens": 300}, {"max_tokens": 100}),
        ("messages", {"max_tokens": 4096}, {"max_tokens": 100}),
        ("messages", {}, {}),  # required: the API refuses the request, as without the gateway
    ],
)
def test_max_tokens_caps_each_api_budget(
    api: Api, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert rewrite_request(api, body, Measures(max_tokens=100), stream=False).body == expected


def test_small_caps_meet_each_api_floor_and_default() -> None:
    assert rewrite_request("completions", {}, Measures(max_tokens=8), stream=False).body == {
        "max_tokens": 8
    }
    assert rewrite_request("responses", {}, Measures(max_tokens=8), stream=False).body == {
        "max_output_tokens": 16
    }


def test_messages_thinking_budget_stays_below_max_tokens() -> None:
    thinking = {"type": "enabled", "budget_tokens": 8000}
    body = {"max_tokens": 16000, "thinking": thinking}
    out = rewrite_request("messages", body, Measures(max_tokens=4000), stream=False)
    assert out.body == {"max_tokens": 4000, "thinking": {"type": "enabled", "budget_tokens": 3999}}
    assert out.changed == ("max_tokens", "thinking")
    assert thinking["budget_tokens"] == 8000
    dropped = rewrite_request("messages", body, Measures(max_tokens=1000), stream=False)
    assert dropped.body == {"max_tokens": 1000}  # no room for the 1,024-token minimum
    roomy = rewrite_request("messages", body, Measures(max_tokens=10000), stream=False)
    assert roomy.body == {"max_tokens": 10000, "thinking": thinking}
    adaptive = {"max_tokens": 9000, "thinking": {"type": "adaptive"}}
    assert rewrite_request("messages", adaptive, Measures(max_tokens=500), stream=False).body == {
        "max_tokens": 500,
        "thinking": {"type": "adaptive"},
    }


def test_n_caps_samples_and_best_of() -> None:
    assert rewrite_request("chat", {"n": 8}, Measures(n=2), stream=False).body == {"n": 2}
    assert rewrite_request("chat", {}, Measures(n=2), stream=False).body == {}
    body = {"n": 4, "best_of": 10}
    out = rewrite_request("completions", body, Measures(n=3), stream=False)
    assert out.body == {"n": 3, "best_of": 3}
    assert out.changed == ("n", "best_of")
    assert rewrite_request("responses", {"n": 4}, Measures(n=1), stream=False).body == {"n": 4}


@pytest.mark.parametrize("api", ["chat", "completions"])
def test_streamed_requests_ask_for_usage(api: Api) -> None:
    out = rewrite_request(api, {"stream": True}, Measures(), stream=True)
    assert out.body == {"stream": True, "stream_options": {"include_usage": True}}
    assert out.client_wants_usage is False
    options = {"include_usage": True, "continuous_usage_stats": False}
    asked = rewrite_request(api, {"stream_options": options}, Measures(), stream=True)
    assert asked.client_wants_usage is True
    assert asked.body["stream_options"] == options
    declined = {"include_usage": False}
    out = rewrite_request(api, {"stream_options": declined}, Measures(), stream=True)
    assert (out.client_wants_usage, out.body["stream_options"], declined) == (
        False,
        {"include_usage": True},
        {"include_usage": False},
    )


@pytest.mark.parametrize("api", ["responses", "messages"])
def test_other_streams_always_carry_usage(api: Api) -> None:
    out = rewrite_request(api, {"stream": True}, Measures(), stream=True)
    assert out.body == {"stream": True}
    assert out.client_wants_usage is True


# --- answers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "build"),
    [
        ("chat", chat_completion),
        ("completions", completion),
        ("responses", response),
        ("messages", message),
    ],
)
def test_no_measures_leave_the_answer_alone(api: Api, build: Any) -> None:
    body = build()
    assert rewrite_response(api, body, Measures(), None) == body


def test_chat_answer_under_each_measure() -> None:
    body = chat_completion()
    before = copy.deepcopy(body)
    stripped = ChatCompletion.model_validate(rewrite_response("chat", body, STRIP, None))
    assert [c.logprobs for c in stripped.choices] == [None, None]
    assert stripped.choices[0].message.content == ANSWER
    assert stripped.choices[0].message.model_extra == {"reasoning_content": REASONING}

    withheld = ChatCompletion.model_validate(rewrite_response("chat", body, WITHHOLD, None))
    assert withheld.choices[0].message.model_extra == {}
    assert withheld.choices[0].logprobs is not None
    summarised = ChatCompletion.model_validate(rewrite_response("chat", body, SUMMARISE, None))
    assert summarised.choices[1].message.model_extra == {"reasoning_content": note(len(REASONING))}

    wm = ChatCompletion.model_validate(rewrite_response("chat", body, Measures(), watermark))
    assert [c.message.content for c in wm.choices] == [marked(ANSWER), marked(SECOND)]
    assert marked(ANSWER) != ANSWER
    assert wm.choices[0].message.model_extra == {"reasoning_content": REASONING}  # not marked
    assert [c.logprobs for c in wm.choices] == [None, None]  # tokens would spell the original
    assert body == before

    row = row_of("chat", rewrite_response("chat", body, ALL, watermark))
    assert (row["response_text"], row["reasoning_text"]) == (marked(ANSWER), None)
    assert (row["input_tokens"], row["output_tokens"], row["reasoning_tokens"]) == (11, 120, 40)


def test_chat_reasoning_under_the_other_field_names() -> None:
    body = chat_completion("reasoning")
    body["choices"][0]["message"]["reasoning_details"] = [{"type": "reasoning.text", "text": "x"}]
    out = rewrite_response("chat", body, WITHHOLD, None)
    assert (
        out["choices"][0]["message"].keys() == chat_completion(None)["choices"][0]["message"].keys()
    )
    summarised = rewrite_response("chat", body, SUMMARISE, None)
    assert row_of("chat", summarised)["reasoning_text"] == note(len(REASONING))
    assert "reasoning_details" not in summarised["choices"][0]["message"]


def test_completions_answer() -> None:
    body = completion()
    out = Completion.model_validate(rewrite_response("completions", body, STRIP, None))
    assert (out.choices[0].logprobs, out.choices[0].text) == (None, ANSWER)
    wm = rewrite_response("completions", body, Measures(watermark=True), watermark)
    assert Completion.model_validate(wm).choices[0].text == marked(ANSWER)
    row = row_of("completions", rewrite_response("completions", body, ALL, watermark))
    assert (row["response_text"], row["input_tokens"], row["output_tokens"]) == (
        marked(ANSWER),
        5,
        16,
    )
    assert rewrite_response("completions", body, WITHHOLD, None) == body


def test_responses_answer_under_each_measure() -> None:
    body = response()
    before = copy.deepcopy(body)
    stripped = Response.model_validate(rewrite_response("responses", body, STRIP, None))
    parts = stripped.output[1].content  # type: ignore[union-attr]
    assert [p.logprobs for p in parts] == [[], []]  # type: ignore[union-attr]
    assert stripped.output[0].type == "reasoning"

    withheld = Response.model_validate(rewrite_response("responses", body, WITHHOLD, None))
    assert [item.type for item in withheld.output] == ["message"]
    assert withheld.output_text == ANSWER + SECOND

    summarised = Response.model_validate(rewrite_response("responses", body, SUMMARISE, None))
    item = summarised.output[0]
    assert isinstance(item, ResponseReasoningItem)
    characters = len(REASONING) + 50
    assert item.summary == [Summary(type="summary_text", text=note(characters))]
    assert (item.id, item.content, item.encrypted_content) == ("rs_1", None, None)

    wm = Response.model_validate(rewrite_response("responses", body, Measures(), watermark))
    assert wm.output_text == marked(ANSWER) + marked(SECOND)  # one embedder per part
    assert wm.output[0] == Response.model_validate(body).output[0]  # reasoning is not marked
    assert body == before

    row = row_of("responses", rewrite_response("responses", body, ALL, watermark))
    assert row["response_text"] == f"{marked(ANSWER)}\n{marked(SECOND)}"
    assert row["reasoning_text"] is None
    assert (row["input_tokens"], row["output_tokens"], row["reasoning_tokens"]) == (30, 200, 80)
    assert row_of("responses", rewrite_response("responses", body, SUMMARISE, None))[
        "reasoning_text"
    ] == note(characters)


def test_responses_output_text_copy_follows_the_parts() -> None:
    body = {**response(), "output_text": ANSWER + SECOND}
    out = rewrite_response("responses", body, Measures(), watermark)
    assert out["output_text"] == marked(ANSWER) + marked(SECOND)


def test_messages_answer_under_each_measure() -> None:
    body = message()
    before = copy.deepcopy(body)
    withheld = Message.model_validate(rewrite_response("messages", body, WITHHOLD, None))
    assert [b.type for b in withheld.content] == ["text", "tool_use", "text"]

    summarised = Message.model_validate(rewrite_response("messages", body, SUMMARISE, None))
    assert summarised.content[:2] == [
        ThinkingBlock(type="thinking", thinking=note(len(REASONING)), signature=""),
        ThinkingBlock(type="thinking", thinking=note(None), signature=""),
    ]
    assert note(None) == "[reasoning withheld by the provider: redacted]"

    wm = Message.model_validate(rewrite_response("messages", body, Measures(), watermark))
    texts = [b.text for b in wm.content if isinstance(b, TextBlock)]
    assert texts == [marked(ANSWER), marked(SECOND)]
    assert wm.content[0] == Message.model_validate(body).content[0]
    assert wm.content[3] == Message.model_validate(body).content[3]  # tool input untouched
    assert body == before
    assert rewrite_response("messages", body, STRIP, None) == body  # no logprobs to strip

    row = row_of("messages", rewrite_response("messages", body, ALL, watermark))
    assert row["response_text"] == f"{marked(ANSWER)}\n{marked(SECOND)}"
    assert (row["reasoning_text"], row["n_tool_calls"]) == (None, 1)
    assert (row["input_tokens"], row["output_tokens"]) == (12, 300)


def test_note_reads_its_size() -> None:
    assert note(1234) == "[reasoning withheld by the provider: 1,234 characters]"


# --- usage ----------------------------------------------------------------------------------


def test_usage_of_each_api() -> None:
    assert usage("chat", chat_completion()) == Usage(11, 120, 40)
    assert usage("completions", completion()) == Usage(5, 16, None)
    assert usage("responses", response()) == Usage(30, 200, 80)
    assert usage("messages", message()) == Usage(12 + 5 + 7, 300, None)
    assert Usage(3, 4).total == 7
    thinking = {
        "usage": {
            "input_tokens": 1,
            "output_tokens": 9,
            "output_tokens_details": {"thinking_tokens": 6},
        }
    }
    assert usage("messages", thinking) == Usage(1, 9, 6)


@pytest.mark.parametrize("body", [{}, {"usage": None}, {"usage": "x"}, [], "[DONE]"])
def test_no_usage(body: object) -> None:
    assert usage("chat", body) is None


def test_streamed_text_gives_the_whole_text_watermark() -> None:
    text = StreamedText(watermark)
    pieces = [ANSWER[i : i + 7] for i in range(0, len(ANSWER), 7)]
    out = "".join(text.feed(p) for p in pieces) + text.close()
    assert out == text.text == marked(ANSWER)
    assert (text.close(), text.closed, text.fed) == ("", True, True)
    plain = StreamedText(None)
    assert plain.feed("abc") == "abc"
    assert (plain.close(), plain.text) == ("", "abc")
