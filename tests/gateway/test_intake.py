from __future__ import annotations

import pytest

from distillguard.gateway.core import GatewayError
from distillguard.gateway.intake import parse

CHAT = "/v1/chat/completions"


def test_a_chat_body_becomes_ingests_row() -> None:
    raw = (
        b'{"model":"m","messages":[{"role":"system","content":"be brief"},'
        b'{"role":"user","content":"hi"}],"logprobs":true,"top_logprobs":5}'
    )
    intake = parse(CHAT, raw)
    assert intake.body["model"] == "m"
    assert intake.row["system_prompt"] == "be brief"
    assert intake.row["user_text"] == "hi"
    assert intake.row["logprobs"] is True
    assert intake.row["top_logprobs"] == 5


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"{", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"messages": "hello"}', "cannot read the request"),
        (b'{"messages": [{"role": "user", "content": "\xff\xfe"}]}', "not valid UTF-8"),
        (b"[" * 5000 + b"]" * 5000, "not valid JSON"),
    ],
)
def test_bad_bodies_are_400s_with_the_reason(raw: bytes, message: str) -> None:
    with pytest.raises(GatewayError, match=message) as raised:
        parse(CHAT, raw)
    assert raised.value.status == 400
    assert raised.value.kind == "invalid_request_error"
