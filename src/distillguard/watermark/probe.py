"""Ask a suspect model's OpenAI-compatible endpoint for answers, to test them for the watermark.

``probe`` sends each prompt as a one-turn ``/chat/completions`` request (with httpx, a few at
a time) and collects the answers' text. A prompt that fails (HTTP error, time-out, a reply
that is not a chat completion) is counted with its reason; the answers that came back are
still tested. Prompts come from a text file, one per line, or JSON lines holding a string or
an object with a ``prompt`` or ``text`` field.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import httpx
import orjson

PROMPT_FIELDS: Final = ("prompt", "text")


class ProbeError(ValueError):
    """The prompts cannot be read, or the endpoint gave no answer at all."""


@dataclass
class ProbeResult:
    """The answers the suspect gave (in prompt order) and why the others failed."""

    prompts: list[str]
    answers: list[str | None]
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def answered(self) -> list[str]:
        return [a for a in self.answers if a is not None]


def read_prompts(path: Path) -> list[str]:
    """One prompt per non-blank line: plain text, a JSON string, or an object's prompt/text."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ProbeError(f"cannot read prompts from {path}: {exc}") from exc
    prompts: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        try:
            value: Any = orjson.loads(line)
        except orjson.JSONDecodeError:
            value = line
        if isinstance(value, dict):
            value = next((value[f] for f in PROMPT_FIELDS if isinstance(value.get(f), str)), None)
        if isinstance(value, str) and value.strip():
            prompts.append(value)
    if not prompts:
        raise ProbeError(f"{path} holds no prompts")
    return prompts


def completions_url(endpoint: str) -> str:
    """``endpoint`` as a chat-completions URL (a base such as ``http://host/v1`` is extended)."""
    endpoint = endpoint.rstrip("/")
    if not endpoint.startswith(("http://", "https://")):
        raise ProbeError(f"endpoint {endpoint!r} is not an http(s) URL")
    return endpoint if endpoint.endswith("/chat/completions") else endpoint + "/chat/completions"


def _answer(response: httpx.Response) -> str:
    if response.status_code >= 400:
        raise ProbeError(f"HTTP {response.status_code}")
    try:
        content = orjson.loads(response.content)["choices"][0]["message"]["content"]
    except (orjson.JSONDecodeError, KeyError, IndexError, TypeError) as exc:
        raise ProbeError("not a chat completion") from exc
    if not isinstance(content, str):
        raise ProbeError("no text in the answer")
    return content


def probe(
    endpoint: str,
    prompts: list[str],
    *,
    model: str,
    api_key: str | None = None,
    max_tokens: int = 512,
    timeout: float = 60.0,
    concurrency: int = 4,
) -> ProbeResult:
    """Send every prompt to ``endpoint``; return the answers and the failures."""
    url = completions_url(endpoint)
    headers = {"authorization": f"Bearer {api_key}"} if api_key else {}
    result = ProbeResult(prompts, [None] * len(prompts))
    lock = threading.Lock()

    def failed(reason: str) -> None:
        with lock:
            result.failures[reason] += 1

    with httpx.Client(headers=headers, timeout=timeout) as client:

        def ask(index: int) -> None:
            body = {
                "model": model,
                "messages": [{"role": "user", "content": prompts[index]}],
                "max_tokens": max_tokens,
            }
            try:
                result.answers[index] = _answer(client.post(url, json=body))
            except ProbeError as exc:
                failed(str(exc))
            except httpx.TimeoutException:
                failed("timed out")
            except httpx.HTTPError as exc:
                failed(f"cannot reach the endpoint ({type(exc).__name__})")

        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            list(pool.map(ask, range(len(prompts))))
    if not result.answered:
        reasons = ", ".join(f"{n} {reason}" for reason, n in result.failures.most_common())
        raise ProbeError(f"{url} answered none of {len(prompts)} prompts ({reasons})")
    return result
