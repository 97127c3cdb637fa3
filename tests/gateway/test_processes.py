"""Deployed shapes: three gateways sharing limits through one Redis; SIGKILL under load."""

from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx
import orjson

from distillguard.gateway.keys import KeyStore
from tests.gateway.processes import gateway, standin

BODY = {"model": "m", "messages": [{"role": "user", "content": "Say something about rivers."}]}


def _policy(path: Path, per_minute: int) -> Path:
    path.write_text(f"[limits.account]\nrequests_per_minute = {per_minute}\n")
    return path


def _logged(folder: Path) -> list[dict[str, object]]:
    return [
        orjson.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_bytes().splitlines()
    ]


def test_three_replicas_on_one_redis_let_the_limit_through_once(
    tmp_path: Path, redis_url: str
) -> None:
    workspace = tmp_path / "ws"
    key = KeyStore(workspace).create("acct_pool")[1]
    env = {
        "DISTILLGUARD_GATEWAY_REDIS_URL": redis_url,
        "DISTILLGUARD_GATEWAY_POLICY": str(_policy(tmp_path / "p.toml", 10)),
    }
    with ExitStack() as stack:
        upstream = stack.enter_context(standin())
        bases = [
            stack.enter_context(gateway(workspace, upstream, tmp_path / f"log{i}", env))[0]
            for i in range(3)
        ]

        def call(i: int) -> int:
            answer = httpx.post(
                bases[i % 3] + "/v1/chat/completions",
                json=BODY,
                headers={"authorization": f"Bearer {key}"},
                timeout=30,
            )
            return answer.status_code

        with ThreadPoolExecutor(12) as pool:
            statuses = list(pool.map(call, range(30)))
    assert statuses.count(200) == 10
    assert statuses.count(429) == 20


def test_sigkill_under_load_loses_no_answered_call(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    key = KeyStore(workspace).create("acct_load")[1]
    received: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    log_dir = tmp_path / "log"
    with standin() as upstream, gateway(workspace, upstream, log_dir) as (base, process):

        def client(streamed: bool) -> None:
            with httpx.Client(timeout=10) as http:
                while not stop.is_set():
                    try:
                        answer = http.post(
                            base + "/v1/chat/completions",
                            json={**BODY, "stream": streamed},
                            headers={"authorization": f"Bearer {key}"},
                        )
                        text = answer.read()
                    except httpx.HTTPError:
                        return
                    if answer.status_code == 200 and (not streamed or b"[DONE]" in text):
                        with lock:
                            received.append(answer.headers["x-request-id"])

        threads = [threading.Thread(target=client, args=(i % 2 == 1,)) for i in range(6)]
        for thread in threads:
            thread.start()
        while len(received) < 200:
            stop.wait(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        stop.set()
        for thread in threads:
            thread.join()
    logged = {str(r["request_id"]) for r in _logged(log_dir) if r["status"] == 200}
    assert len(received) >= 200
    assert set(received) <= logged
