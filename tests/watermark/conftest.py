"""A real local HTTP server acting as a suspect's OpenAI-compatible endpoint."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from distillguard.watermark.embed import embed
from distillguard.watermark.keys import MasterKey
from tests.watermark.material import KEY, PARAGRAPHS

SUSPECT_ACCOUNT = "acct_7"


@dataclass
class Suspect:
    """What the server answers with, and what it was asked."""

    base_url: str
    key: MasterKey = KEY
    account: str = SUSPECT_ACCOUNT
    requests: list[tuple[str, dict[str, str], Any]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    tries: dict[str, int] = field(default_factory=dict)  # requests per prompt so far

    def tried(self, prompt: str) -> int:
        """Count one more request for ``prompt``; how many there were before it."""
        with self.lock:
            before = self.tries.get(prompt, 0)
            self.tries[prompt] = before + 1
        return before

    def answer(self, prompt: str) -> str:
        """The suspect's answer: a built-in paragraph (chosen by the prompt's number),
        watermarked with ``key`` as a model distilled from ``account`` would write it."""
        number = re.search(r"\d+", prompt)
        paragraph = PARAGRAPHS[int(number.group()) % len(PARAGRAPHS) if number else 0]
        return embed(paragraph, self.key, self.account)


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() waits for the handlers
    suspect: Suspect

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a time-out test) is not an error of the server."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        suspect = self.server.suspect
        raw = self.rfile.read(int(self.headers.get("content-length", "0")))
        try:
            request = json.loads(raw)
        except json.JSONDecodeError:
            request = None
        with suspect.lock:
            suspect.requests.append((self.path, dict(self.headers.items()), request))
        if self.path != "/v1/chat/completions" or not isinstance(request, dict):
            self._send(404, b'{"error": "not found"}')
            return
        prompt = request["messages"][-1]["content"]
        before = suspect.tried(prompt)
        if prompt.startswith("fail"):
            self._send(500, b'{"error": "internal"}')
        elif prompt.startswith("refused"):
            self._send(403, b'{"error": "forbidden"}')
        elif prompt.startswith("limited") and before < 2:
            self._send_limited()
        elif prompt.startswith("garbage"):
            self._send(200, b"<html>busy</html>", "text/html")
        elif prompt.startswith("empty"):
            self._send(200, json.dumps({"object": "chat.completion", "choices": []}).encode())
        elif prompt.startswith("nulltext"):
            choice = {"index": 0, "message": {"role": "assistant", "content": None}}
            self._send(200, json.dumps({"choices": [choice]}).encode())
        elif prompt.startswith("slow"):
            suspect.release.wait(5)
            self._send(200, self._completion(request, "late"))
        else:
            self._send(200, self._completion(request, suspect.answer(prompt)))

    def _send_limited(self) -> None:
        """A rate limit that asks the client to wait (not at all: the tests stay fast)."""
        body = b'{"error": {"type": "rate_limit_error"}}'
        self.send_response(429)
        self.send_header("content-type", "application/json")
        self.send_header("retry-after", "0")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    @staticmethod
    def _completion(request: dict[str, Any], text: str) -> bytes:
        return json.dumps(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": 1_790_000_000,
                "model": request.get("model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 5, "completion_tokens": 50, "total_tokens": 55},
            }
        ).encode()


@pytest.fixture
def suspect() -> Iterator[Suspect]:
    """A suspect endpoint on a free local port (its base URL ends with ``/v1``)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    host, port = server.server_address[:2]
    server.suspect = Suspect(f"http://{host!s}:{port}/v1")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.suspect
    finally:
        server.suspect.release.set()
        server.shutdown()
        server.server_close()
        thread.join()
