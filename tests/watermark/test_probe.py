"""Probing a suspect's OpenAI-compatible endpoint: a real local HTTP server answers."""

from __future__ import annotations

import socket
from pathlib import Path

import orjson
import pytest

from distillguard.watermark.probe import ProbeError, completions_url, probe, read_prompts
from distillguard.watermark.verify import verify
from tests.watermark.conftest import SUSPECT_ACCOUNT, Suspect
from tests.watermark.material import KEY, OTHER_KEY, PARAGRAPHS

PROMPTS = [f"Tell me about topic {i}" for i in range(len(PARAGRAPHS))]


def test_probe_collects_the_answers_in_prompt_order(suspect: Suspect) -> None:
    result = probe(suspect.base_url, PROMPTS, model="suspect-7b", max_tokens=99, concurrency=3)
    assert result.prompts == PROMPTS
    assert result.answers == [suspect.answer(p) for p in PROMPTS]
    assert result.answered == result.answers
    assert not result.failures
    paths = {path for path, _, _ in suspect.requests}
    assert paths == {"/v1/chat/completions"}
    bodies = sorted((body for _, _, body in suspect.requests), key=str)
    assert len(bodies) == len(PROMPTS)
    for body in bodies:
        assert body["model"] == "suspect-7b"
        assert body["max_tokens"] == 99
        [message] = body["messages"]
        assert message["role"] == "user"
        assert message["content"] in PROMPTS


def test_the_answers_of_a_distilled_suspect_carry_the_watermark(suspect: Suspect) -> None:
    result = probe(suspect.base_url, PROMPTS, model="m")
    report = verify(result.answered, KEY, [SUSPECT_ACCOUNT, "acct_1"])
    assert report.result.p_value < 1e-6
    assert report.accounts[0].account == SUSPECT_ACCOUNT
    assert report.accounts[0].p_adjusted < 1e-4
    assert verify(result.answered, OTHER_KEY).result.p_value > 1e-3


def test_the_api_key_is_sent_as_a_bearer_token(suspect: Suspect) -> None:
    probe(suspect.base_url, PROMPTS[:1], model="m", api_key="sk-test-123")
    probe(suspect.base_url, PROMPTS[:1], model="m")
    with_key, without = (headers for _, headers, _ in suspect.requests)
    assert {k.lower(): v for k, v in with_key.items()}["authorization"] == "Bearer sk-test-123"
    assert "authorization" not in {k.lower() for k in without}


def test_failures_are_counted_per_reason_and_the_answers_kept(suspect: Suspect) -> None:
    prompts = [
        "question 1",
        "fail now",
        "garbage please",
        "empty reply",
        "nulltext reply",
        "fail again",
        "question 2",
        "slow one",
    ]
    result = probe(suspect.base_url, prompts, model="m", timeout=0.5, concurrency=8, backoff=0.01)
    assert result.answers == [
        suspect.answer("question 1"),
        None,
        None,
        None,
        None,
        None,
        suspect.answer("question 2"),
        None,
    ]
    assert dict(result.failures) == {
        "HTTP 500": 2,
        "not a chat completion": 2,
        "no text in the answer": 1,
        "timed out": 1,
    }


def test_rate_limits_and_server_errors_are_tried_again(suspect: Suspect) -> None:
    prompts = ["limited 1", "fail 3", "refused 4"]
    result = probe(suspect.base_url, prompts, model="m", retries=2, backoff=0.01)
    assert result.answers == [suspect.answer("limited 1"), None, None]
    assert dict(result.failures) == {"HTTP 500": 1, "HTTP 403": 1}
    # Two 429s (Retry-After: 0) then the answer; a 5xx three times; a 403 is final at once.
    assert suspect.tries == {"limited 1": 3, "fail 3": 3, "refused 4": 1}


def test_without_retries_a_rate_limit_is_a_failure(suspect: Suspect) -> None:
    result = probe(suspect.base_url, ["limited 1", "question 2"], model="m", retries=0)
    assert dict(result.failures) == {"HTTP 429": 1}
    assert suspect.tries["limited 1"] == 1
    assert result.answered == [suspect.answer("question 2")]


def test_a_wrong_path_is_an_http_error(suspect: Suspect) -> None:
    with pytest.raises(ProbeError, match="answered none of 2 prompts \\(2 HTTP 404\\)"):
        probe(suspect.base_url.removesuffix("/v1") + "/v2", ["a", "b"], model="m")


def test_an_endpoint_that_answers_nothing_is_an_error(suspect: Suspect) -> None:
    with pytest.raises(ProbeError, match="answered none of 3 prompts") as caught:
        probe(suspect.base_url, ["fail 1", "fail 2", "garbage"], model="m", backoff=0.01)
    assert "2 HTTP 500" in str(caught.value)
    assert "1 not a chat completion" in str(caught.value)


def test_an_unreachable_endpoint_is_an_error() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ProbeError, match="cannot reach the endpoint"):
        probe(f"http://127.0.0.1:{port}/v1", ["hello"], model="m", timeout=2, backoff=0.01)


@pytest.mark.parametrize(
    ("endpoint", "url"),
    [
        ("http://host:8000/v1", "http://host:8000/v1/chat/completions"),
        ("http://host:8000/v1/", "http://host:8000/v1/chat/completions"),
        (
            "https://api.example.com/v1/chat/completions",
            "https://api.example.com/v1/chat/completions",
        ),
        (
            "https://api.example.com/v1/chat/completions/",
            "https://api.example.com/v1/chat/completions",
        ),
        ("http://host", "http://host/chat/completions"),
    ],
)
def test_completions_url(endpoint: str, url: str) -> None:
    assert completions_url(endpoint) == url


@pytest.mark.parametrize("endpoint", ["host:8000/v1", "ftp://host/v1", "", "/v1"])
def test_completions_url_needs_http(endpoint: str) -> None:
    with pytest.raises(ProbeError, match="not an http"):
        completions_url(endpoint)


def test_read_prompts_plain_lines_json_strings_and_objects(tmp_path: Path) -> None:
    path = tmp_path / "prompts.txt"
    lines = [
        "What is the capital of France?",
        "",
        orjson.dumps("A JSON string prompt").decode(),
        orjson.dumps({"prompt": "From the prompt field", "id": 1}).decode(),
        orjson.dumps({"text": "From the text field"}).decode(),
        orjson.dumps({"prompt": 3, "text": "text when prompt is not a string"}).decode(),
        orjson.dumps({"id": 7}).decode(),
        orjson.dumps(42).decode(),
        "   ",
        '{"broken json',
        orjson.dumps("   ").decode(),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert read_prompts(path) == [
        "What is the capital of France?",
        "A JSON string prompt",
        "From the prompt field",
        "From the text field",
        "text when prompt is not a string",
        '{"broken json',
    ]


@pytest.mark.parametrize("content", ["", "\n\n  \n", '{"id": 1}\n""\n'])
def test_a_file_without_prompts_is_an_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "prompts.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProbeError, match="holds no prompts"):
        read_prompts(path)


def test_unreadable_prompt_files_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ProbeError, match="cannot read prompts"):
        read_prompts(tmp_path / "absent.txt")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ProbeError, match="cannot read prompts"):
        read_prompts(binary)
