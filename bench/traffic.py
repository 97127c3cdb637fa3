"""Raw API log traffic for benchmarks: provider body shapes, real text, realistic identities.

Bodies come from ``distillguard.simulate.bodies`` (provider shapes, validated against the
official SDK types in its tests), so a million records cost seconds to write yet parse exactly
like real traffic. Prompts and answers come from
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
from types import MappingProxyType
from typing import Any

import orjson

from distillguard.simulate.bodies import (
    CHAT,
    COMPLETIONS,
    ID_PREFIX,
    MESSAGES,
    RESPONSES,
    Call,
    render,
)

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


ENDPOINT_CALLS: MappingProxyType[str, tuple[str, str | None, dict[str, Any]]] = MappingProxyType(
    {
        CHAT: ("gpt-5.1", "You are a helpful assistant.", {}),
        MESSAGES: ("claude-opus-4-5", "You are a careful assistant.", {"max_tokens": 4096}),
        RESPONSES: ("gpt-5.1", "Answer concisely.", {"reasoning_effort": "medium"}),
        COMPLETIONS: ("gpt-3.5-turbo-instruct", None, {"max_tokens": 512}),
    }
)
"""Per endpoint: model, system prompt and request options of the benchmark's calls."""

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
        model, system, options = ENDPOINT_CALLS[endpoint]
        call = Call(
            endpoint,
            model,
            prompt,
            system=system,
            answer=answer,
            temperature=round(rng.random(), 2) if endpoint == CHAT else None,
            input_tokens=len(prompt) // 4 + 12,
            output_tokens=len(answer) // 4 + 1,
            response_id=f"{ID_PREFIX[endpoint]}{i}",
            created=1_777_000_000,
            **options,
        )
        request, response = render(call)
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
