"""Ask a suspect model's OpenAI-compatible endpoint for answers, to test them for the watermark.

``probe`` sends each prompt as a one-turn ``/chat/completions`` request (with httpx, a few at
a time) and collects the answers' text. A prompt that fails (HTTP error, time-out, a reply
that is not a chat completion) is counted with its reason; the answers that came back are
still tested. Prompts come from a text file, one per line, or JSON lines holding a string or
an object with a ``prompt`` or ``text`` field. Rate limits, server errors and time-outs are
tried again a few times with a growing pause first.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import httpx
import orjson

PROMPT_FIELDS: Final = ("prompt", "text")
MAX_WAIT: Final = 30.0  # longest pause between two tries of one prompt, in seconds


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


def _post(client: httpx.Client, url: str, body: dict[str, Any]) -> httpx.Response:
    try:
        return client.post(url, json=body)
    except httpx.TimeoutException as exc:
        raise _TransientError("timed out") from exc
    except httpx.HTTPError as exc:
        raise _TransientError(f"cannot reach the endpoint ({type(exc).__name__})") from exc


class _TransientError(ProbeError):
    """A failure worth another try: rate limited, a server error, a time-out, no connection."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.wait = wait  # what the endpoint asked for (Retry-After), if anything


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return min(MAX_WAIT, max(0.0, float(response.headers.get("retry-after", ""))))
    except ValueError:
        return None


def _answer(response: httpx.Response) -> str:
    if response.status_code == 429 or response.status_code >= 500:
        raise _TransientError(f"HTTP {response.status_code}", _retry_after(response))
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
    retries: int = 2,
    backoff: float = 1.0,
) -> ProbeResult:
    """Send every prompt to ``endpoint``; return the answers and the failures.

    A prompt rate-limited (429), met by a server error (5xx), a time-out or no connection is
    tried again up to ``retries`` times, after ``backoff`` seconds doubled at each try (or
    what the endpoint's Retry-After asks, up to ``MAX_WAIT``); its last failure is counted.
    """
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
            for attempt in range(retries + 1):
                try:
                    result.answers[index] = _answer(_post(client, url, body))
                    return
                except _TransientError as exc:
                    if attempt == retries:
                        failed(str(exc))
                        return
                    pause = exc.wait if exc.wait is not None else backoff * 2**attempt
                    time.sleep(min(MAX_WAIT, pause))
                except ProbeError as exc:
                    failed(str(exc))
                    return

        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            list(pool.map(ask, range(len(prompts))))
    if not result.answered:
        reasons = ", ".join(f"{n} {reason}" for reason, n in result.failures.most_common())
        raise ProbeError(f"{url} answered none of {len(prompts)} prompts ({reasons})")
    return result
