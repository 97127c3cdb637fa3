"""The gateway end to end: the official SDK clients → gateway → stand-in upstream → the log."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import anthropic
import httpx
import openai
import pytest

from distillguard.gateway.keys import KeyStore
from distillguard.ingest.pipeline import ingest
from distillguard.settings import Settings
from distillguard.workspace import Workspace
from tests.gateway.harness import Rig, rig

MESSAGES = [{"role": "user", "content": "Tell me about the history of the printing press."}]


@pytest.fixture
def gw(tmp_path: Path) -> Iterator[Rig]:
    with rig(tmp_path / "ws", tmp_path / "log") as started:
        yield started


def _openai(gw: Rig, key: str) -> openai.OpenAI:
    return gw.openai(key, timeout=20)


def _anthropic(gw: Rig, key: str) -> anthropic.Anthropic:
    return gw.anthropic(key, timeout=20)


def test_every_api_streamed_and_not_is_answered_and_logged(gw: Rig) -> None:
    key = gw.key("acct_dev", "org_1")
    client = _openai(gw, key)
    chat = client.chat.completions.create(model="m", messages=MESSAGES, user="u1")
    assert chat.choices[0].message.content
    chunks = list(client.chat.completions.create(model="m", messages=MESSAGES, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert all(c.usage is None for c in chunks)  # the client did not ask for usage
    response = client.responses.create(model="m", input="Explain tides briefly.")
    assert response.output_text
    streamed = list(client.responses.create(model="m", input="Explain tides.", stream=True))
    assert streamed[-1].type == "response.completed"
    completion = client.completions.create(model="m", prompt="Once upon a time")
    assert completion.choices[0].text
    claude = _anthropic(gw, key)
    message = claude.messages.create(model="m", max_tokens=200, messages=MESSAGES)
    assert message.content[0].type == "text"
    with claude.messages.stream(model="m", max_tokens=200, messages=MESSAGES) as events:
        final = events.get_final_message()
    assert final.content
    assert [m.id for m in client.models.list()]

    records = gw.records()
    assert len(records) == 7
    assert {r["endpoint"] for r in records} == {
        "/v1/chat/completions",
        "/v1/responses",
        "/v1/completions",
        "/v1/messages",
    }
    assert all(r["account_id"] == "acct_dev" and r["org_id"] == "org_1" for r in records)
    assert all(r["status"] == 200 and r["decision"]["action"] == "allow" for r in records)
    assert records[0]["end_user"] == "u1"
    assert records[0]["client_ip"] == "127.0.0.1"


def test_the_log_ingests_with_nothing_quarantined(gw: Rig, tmp_path: Path) -> None:
    key = gw.key("acct_a")
    client = _openai(gw, key)
    client.chat.completions.create(model="m", messages=MESSAGES)
    list(client.chat.completions.create(model="m", messages=MESSAGES, stream=True))
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="m", messages="not a list")  # type: ignore[arg-type]
    claude = _anthropic(gw, key)
    with claude.messages.stream(model="m", max_tokens=50, messages=MESSAGES) as events:
        events.get_final_message()
    report = ingest(Workspace(tmp_path / "ingested"), [gw.log_dir], Settings.load(environ={}))
    assert report.quarantined == 0
    assert report.ingested == 4
    with Workspace(tmp_path / "ingested").connect() as con:
        rows = con.execute(
            "SELECT endpoint, status, gateway_action, stream, response_text IS NOT NULL "
            "FROM interactions ORDER BY ts"
        ).fetchall()
    assert [r[1] for r in rows] == [200, 200, 400, 200]
    assert [r[2] for r in rows] == ["allow", "allow", None, "allow"]  # no decision on a 400
    assert rows[1][3] is True
    assert rows[1][4] is True  # the assembled stream carries the answer's text


@pytest.mark.parametrize(
    ("headers", "content", "status"),
    [
        ({"content-type": "application/json"}, b"{", 400),
        ({"content-type": "application/json"}, b"[]", 400),
        ({"content-type": "application/json"}, b'{"messages": "x"}', 400),
        (
            {"content-type": "application/json"},
            b'{"messages": [{"role": "user", "content": "\xff"}]}',
            400,
        ),
        ({"content-type": "text/plain"}, b"{}", 415),
        ({"content-type": "application/json"}, b"{" + b" " * (2 << 20) + b"}", 413),
    ],
)
def test_bad_requests_get_4xx_in_the_provider_shape(
    tmp_path: Path, headers: dict[str, str], content: bytes, status: int
) -> None:
    with rig(tmp_path / "ws", tmp_path / "log", **{"gateway.max_body_bytes": 1 << 20}) as gw:
        key = gw.key("acct_x")
        for path, anthropic_shape in (("/v1/chat/completions", False), ("/v1/messages", True)):
            answer = httpx.post(
                gw.base + path,
                content=content,
                headers={**headers, "authorization": f"Bearer {key}"},
                timeout=10,
            )
            assert answer.status_code == status, answer.text
            body = answer.json()
            if anthropic_shape:
                assert body["type"] == "error"
                assert body["error"]["message"]
            else:
                assert body["error"]["message"]


def test_unknown_revoked_and_missing_keys_are_401(gw: Rig) -> None:
    with pytest.raises(openai.AuthenticationError):
        _openai(gw, "dg-nope-nope").chat.completions.create(model="m", messages=MESSAGES)
    with pytest.raises(anthropic.AuthenticationError):
        _anthropic(gw, "wrong").messages.create(model="m", max_tokens=5, messages=MESSAGES)
    answer = httpx.post(gw.base + "/v1/chat/completions", json={"messages": MESSAGES})
    assert answer.status_code == 401
    assert gw.records() == []  # no account, no log record: counted in /metrics instead
    assert "distillguard_gateway_rejected_total" in httpx.get(gw.base + "/metrics").text


def test_unknown_routes_and_methods_answer_in_shape(gw: Rig) -> None:
    assert httpx.get(gw.base + "/v1/nothing").json()["error"]["message"]
    answer = httpx.get(gw.base + "/v1/messages")
    assert answer.status_code == 405
    assert answer.json()["type"] == "error"
    assert httpx.get(gw.base + "/healthz").json()["status"] == "ok"


def test_key_limits_give_429_with_retry_after(gw: Rig) -> None:
    key = gw.key("acct_limited", rpm=3)
    client = _openai(gw, key)
    for _ in range(3):
        client.chat.completions.create(model="m", messages=MESSAGES)
    with pytest.raises(openai.RateLimitError) as raised:
        client.chat.completions.create(model="m", messages=MESSAGES)
    assert int(raised.value.response.headers["retry-after"]) >= 1
    assert gw.records()[-1]["status"] == 429


def test_a_new_key_works_without_a_restart_and_a_revoked_one_stops(gw: Rig) -> None:
    key = gw.key("acct_new")
    _openai(gw, key).chat.completions.create(model="m", messages=MESSAGES)
    KeyStore(gw.workspace).revoke(key.split("-")[1])
    time.sleep(0.6)
    with pytest.raises(openai.AuthenticationError):
        _openai(gw, key).chat.completions.create(model="m", messages=MESSAGES)
