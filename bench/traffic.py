"""Raw API log traffic for benchmarks: real SDK body shapes, real text, realistic identities.

Each body is a copy of a skeleton made once from the official SDK types (``openai``,
``anthropic``) with the text, ids and counts of one call filled in, so a million records
cost seconds to write yet parse exactly like real traffic. Prompts and answers come from
``../shared/corpora`` when it is there (each text made unique with a reference number), else
from a small built-in vocabulary. This is load for the ingest benchmark, not labelled traffic:
the simulator builds that.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anthropic.types as at
import orjson
from openai.types import Completion, CompletionChoice, CompletionUsage
from openai.types.chat import ChatCompletion, ChatCompletionMessage
from openai.types.chat.chat_completion import Choice
from openai.types.responses import Response, ResponseOutputMessage, ResponseOutputText

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
START = datetime(2026, 5, 1, tzinfo=UTC)
USER_AGENTS = (
    "OpenAI/Python 3.57.0",
    "Anthropic/Python 2.14.0",
    "curl/8.5.0",
    "litellm/1.80.0",
    "python-httpx/0.28.1",
    "node-fetch/1.0",
)
VOCAB = [
    "model",
    "data",
    "system",
    "request",
    "answer",
    "explain",
    "reason",
    "method",
    "result",
    "table",
    "value",
    "function",
    "python",
    "error",
    "network",
    "account",
    "policy",
    "review",
    "summary",
    "example",
    "detail",
    "step",
    "first",
    "second",
    "then",
    "because",
    "therefore",
    "compute",
    "write",
    "list",
    "compare",
]


def _texts(corpora: Path | None) -> tuple[list[str], list[str]]:
    prompts: list[str] = []
    answers: list[str] = []
    if corpora is not None and (corpora / "alpaca_5000.json").is_file():
        for row in json.loads((corpora / "alpaca_5000.json").read_text()):
            prompts.append((row["instruction"] + "\n" + row["input"]).strip())
            answers.append(row["output"])
        for row in json.loads((corpora / "new_codealpaca.json").read_text()):
            prompts.append(row["instruction"])
            answers.append(row["response"])
        for line in (corpora / "gsm8k_train.jsonl").read_text().splitlines():
            row = json.loads(line)
            prompts.append(row["question"])
            answers.append(row["answer"])
        for row in json.loads((corpora / "sharegpt_v3_filtered_1000.json").read_text()):
            prompts.extend(c["value"] for c in row["conversations"] if c["value"])
        return prompts, answers
    rng = random.Random(7)
    for _ in range(2000):
        prompts.append(" ".join(rng.choices(VOCAB, k=rng.randint(8, 120))))
        answers.append(" ".join(rng.choices(VOCAB, k=rng.randint(40, 400))))
    return prompts, answers


def _skeletons() -> dict[str, dict[str, Any]]:
    usage = CompletionUsage(prompt_tokens=1, completion_tokens=1, total_tokens=2)
    chat = ChatCompletion(
        id="chatcmpl-0",
        created=1_777_000_000,
        model="gpt-5.1",
        object="chat.completion",
        choices=[
            Choice(
                index=0,
                finish_reason="stop",
                message=ChatCompletionMessage(role="assistant", content=""),
            )
        ],
        usage=usage,
    )
    completion = Completion(
        id="cmpl-0",
        created=1_777_000_000,
        model="gpt-3.5-turbo-instruct",
        object="text_completion",
        choices=[CompletionChoice(index=0, finish_reason="stop", text="")],
        usage=usage,
    )
    response = Response(
        id="resp_0",
        created_at=1_777_000_000,
        model="gpt-5.1",
        object="response",
        output=[
            ResponseOutputMessage(
                id="msg_0",
                role="assistant",
                status="completed",
                type="message",
                content=[ResponseOutputText(type="output_text", text="", annotations=[])],
            )
        ],
        parallel_tool_calls=True,
        tool_choice="auto",
        tools=[],
        status="completed",
    )
    message = at.Message(
        id="msg_0",
        type="message",
        role="assistant",
        model="claude-opus-4-5",
        content=[at.TextBlock(type="text", text="")],
        stop_reason="end_turn",
        stop_sequence=None,
        usage=at.Usage(input_tokens=1, output_tokens=1),
    )
    return {
        "/v1/chat/completions": chat.model_dump(mode="json", exclude_none=True),
        "/v1/completions": completion.model_dump(mode="json", exclude_none=True),
        "/v1/responses": response.model_dump(mode="json", exclude_none=True),
        "/v1/messages": message.model_dump(mode="json", exclude_none=True),
    }


ENDPOINT_WEIGHTS = (
    ("/v1/chat/completions", 55),
    ("/v1/messages", 25),
    ("/v1/responses", 15),
    ("/v1/completions", 5),
)


class TrafficWriter:
    """Writes ``n`` raw-log records; identities drawn from pools sized like real traffic."""

    def __init__(self, seed: int, n: int, corpora: Path | None = CORPORA) -> None:
        self.rng = random.Random(seed)
        self.n = n
        self.prompts, self.answers = _texts(corpora)
        self.skeletons = _skeletons()
        self.accounts = max(10, n // 700)
        self.ips = [self._ip() for _ in range(max(50, n // 60))]
        self.span = timedelta(days=7)
        endpoints, weights = zip(*ENDPOINT_WEIGHTS, strict=True)
        self.endpoints = self.rng.choices(endpoints, weights=weights, k=4096)

    def _ip(self) -> str:
        rng = self.rng
        if rng.random() < 0.1:
            return (
                f"2a0{rng.randint(0, 9)}:{rng.getrandbits(16):x}:{rng.getrandbits(16):x}::"
                f"{rng.getrandbits(16):x}"
            )
        return (
            f"{rng.choice((3, 13, 34, 52, 81, 85, 91, 101, 185, 203))}.{rng.randrange(256)}."
            f"{rng.randrange(256)}.{rng.randrange(1, 255)}"
        )

    def record(self, i: int) -> dict[str, Any]:
        rng = self.rng
        endpoint = self.endpoints[i % 4096]
        prompt = f"{rng.choice(self.prompts)} (ref {rng.getrandbits(32):08x})"
        answer = f"{rng.choice(self.answers)} [{rng.getrandbits(24):06x}]"
        tokens_in, tokens_out = len(prompt) // 4 + 12, len(answer) // 4 + 1
        skel = self.skeletons[endpoint]
        request: dict[str, Any]
        response: dict[str, Any]
        if endpoint == "/v1/chat/completions":
            request = {
                "model": "gpt-5.1",
                "temperature": round(rng.random(), 2),
                "messages": [
                    {"role": "system", "content": "You are a helpful assistant."},
                    {"role": "user", "content": prompt},
                ],
            }
            choice = {
                **skel["choices"][0],
                "message": {**skel["choices"][0]["message"], "content": answer},
            }
            response = {
                **skel,
                "id": f"chatcmpl-{i}",
                "choices": [choice],
                "usage": {
                    "prompt_tokens": tokens_in,
                    "completion_tokens": tokens_out,
                    "total_tokens": tokens_in + tokens_out,
                },
            }
        elif endpoint == "/v1/messages":
            request = {
                "model": "claude-opus-4-5",
                "max_tokens": 4096,
                "system": "You are a careful assistant.",
                "messages": [{"role": "user", "content": prompt}],
            }
            response = {
                **skel,
                "id": f"msg_{i}",
                "content": [{"type": "text", "text": answer}],
                "usage": {**skel["usage"], "input_tokens": tokens_in, "output_tokens": tokens_out},
            }
        elif endpoint == "/v1/responses":
            request = {
                "model": "gpt-5.1",
                "instructions": "Answer concisely.",
                "input": prompt,
                "reasoning": {"effort": "medium"},
            }
            item = skel["output"][0]
            response = {
                **skel,
                "id": f"resp_{i}",
                "output": [{**item, "content": [{**item["content"][0], "text": answer}]}],
                "usage": {
                    "input_tokens": tokens_in,
                    "output_tokens": tokens_out,
                    "total_tokens": tokens_in + tokens_out,
                    "input_tokens_details": {"cached_tokens": 0},
                    "output_tokens_details": {"reasoning_tokens": 0},
                },
            }
        else:
            request = {"model": "gpt-3.5-turbo-instruct", "prompt": prompt, "max_tokens": 512}
            response = {
                **skel,
                "id": f"cmpl-{i}",
                "choices": [{**skel["choices"][0], "text": answer}],
                "usage": {
                    "prompt_tokens": tokens_in,
                    "completion_tokens": tokens_out,
                    "total_tokens": tokens_in + tokens_out,
                },
            }
        account = int(self.accounts * rng.paretovariate(1.2)) % self.accounts
        ts = START + self.span * ((i + rng.random()) / self.n)
        return {
            "request_id": f"req_{i:012d}",
            "ts": ts.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "account_id": f"acct_{account:06d}",
            "key_id": f"key_{account:06d}_{rng.randrange(3)}",
            "org_id": f"org_{account // 5:05d}",
            "end_user": None,
            "client_ip": self.ips[(account * 7 + rng.randrange(4)) % len(self.ips)],
            "user_agent": USER_AGENTS[account % len(USER_AGENTS)],
            "endpoint": endpoint,
            "request": request,
            "response": response,
            "status": 200,
            "latency_ms": round(rng.lognormvariate(6.5, 0.6), 1),
        }

    def lines(self, n: int) -> Iterator[bytes]:
        for i in range(n):
            yield orjson.dumps(self.record(i)) + b"\n"


def write_log(path: Path, n: int, seed: int = 1) -> int:
    """Write ``n`` records to ``path`` (plain JSON Lines); returns the bytes written."""
    writer = TrafficWriter(seed, n)
    size = 0
    with path.open("wb") as handle:
        batch: list[bytes] = []
        for line in writer.lines(n):
            batch.append(line)
            if len(batch) >= 10_000:
                data = b"".join(batch)
                handle.write(data)
                size += len(data)
                batch = []
        data = b"".join(batch)
        handle.write(data)
        size += len(data)
    return size
