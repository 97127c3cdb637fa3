"""Arbitrary bodies and headers at every route: a 4xx in the provider's shape, never a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.gateway.harness import Rig, rig

ROUTES = ("/v1/chat/completions", "/v1/responses", "/v1/completions", "/v1/messages")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=20,
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "model": st.text(max_size=20) | st.integers(),
        "messages": JSON,
        "input": JSON,
        "prompt": JSON,
        "max_tokens": JSON,
        "stream": st.booleans() | st.text(max_size=3),
        "logprobs": JSON,
        "top_logprobs": JSON,
        "n": JSON,
        "thinking": JSON,
        "system": JSON,
        "metadata": JSON,
        "user": JSON,
    },
)
HEADER_VALUE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40).filter(
    lambda v: v == v.strip()  # what an HTTP client can send at all
)


@pytest.fixture(scope="module")
def gw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Rig, str]]:
    root = tmp_path_factory.mktemp("fuzz")
    with rig(root / "ws", root / "log", **{"gateway.max_body_bytes": 1 << 16}) as started:
        yield started, started.key("acct_fuzz")


def _check(answer: httpx.Response, route: str) -> None:
    assert answer.status_code < 500, (answer.status_code, answer.text[:300])
    if answer.status_code >= 400:
        body = answer.json()
        if route == "/v1/messages":
            assert body["type"] == "error"
        else:
            assert isinstance(body["error"]["message"], str)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    route=st.sampled_from(ROUTES),
    body=FIELDS,
    extra=st.dictionaries(st.text(max_size=8), JSON, max_size=3),
)
def test_arbitrary_json_bodies(
    gw: tuple[Rig, str], route: str, body: dict[str, object], extra: dict[str, object]
) -> None:
    rig_, key = gw
    content = json.dumps({**extra, **body}).encode()
    answer = httpx.post(
        rig_.base + route,
        content=content,
        headers={"authorization": f"Bearer {key}", "content-type": "application/json"},
        timeout=20,
    )
    _check(answer, route)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    route=st.sampled_from((*ROUTES, "/v1/models", "/healthz", "/metrics", "/x")),
    method=st.sampled_from(("GET", "POST", "PUT", "DELETE")),
    raw=st.binary(max_size=300),
    headers=st.dictionaries(
        st.sampled_from(
            (
                "content-type",
                "x-forwarded-for",
                "x-api-key",
                "authorization",
                "anthropic-version",
                "content-encoding",
            )
        ),
        HEADER_VALUE,
        max_size=4,
    ),
)
def test_arbitrary_bytes_and_headers(
    gw: tuple[Rig, str], route: str, method: str, raw: bytes, headers: dict[str, str]
) -> None:
    rig_, key = gw
    headers = {"authorization": f"Bearer {key}", "content-type": "application/json", **headers}
    answer = httpx.request(method, rig_.base + route, content=raw, headers=headers, timeout=20)
    assert answer.status_code < 500, (answer.status_code, answer.text[:300])
