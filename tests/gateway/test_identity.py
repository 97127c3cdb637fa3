"""Identity: the presented key, authentication errors, the client address, the end user."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anthropic
import httpx
import openai
import orjson
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from distillguard.gateway.core import GatewayError, Shape
from distillguard.gateway.errors import error_response
from distillguard.gateway.identity import (
    END_USER_MAX,
    IdentityError,
    authenticate,
    client_ip,
    credential,
    end_user,
    parse_trusted,
)
from distillguard.gateway.keys import KeyIndex, KeyStore

PROXIES = parse_trusted("10.0.0.0/8, 2001:db8:ffff::/48,192.0.2.1")


# the presented key


def test_a_bearer_token_or_an_x_api_key_is_the_credential() -> None:
    assert credential(Headers({"Authorization": "Bearer dg-abc-xyz"})) == "dg-abc-xyz"
    assert credential(Headers({"authorization": "bearer   dg-abc-xyz "})) == "dg-abc-xyz"
    assert credential(Headers({"x-api-key": " dg-abc-xyz"})) == "dg-abc-xyz"
    assert credential({"X-Api-Key": "dg-1"}) == "dg-1"  # a plain mapping, any case
    both = Headers({"authorization": "Bearer dg-a", "x-api-key": "dg-b"})
    assert credential(both) == "dg-a"
    assert credential(Headers({"authorization": "Basic dXNlcjpwdw==", "x-api-key": "k"})) == "k"
    assert credential(Headers({"authorization": "Bearer "})) is None
    assert credential(Headers({})) is None


@pytest.fixture
def keys(tmp_path: Path) -> tuple[KeyStore, KeyIndex]:
    return KeyStore(tmp_path), KeyIndex(tmp_path)


def test_authenticate_returns_the_record(keys: tuple[KeyStore, KeyIndex]) -> None:
    store, index = keys
    record, key = store.create("acct_1", "org_1")
    assert authenticate(Headers({"authorization": f"Bearer {key}"}), index) == record
    assert authenticate(Headers({"x-api-key": key}), index) == record


def _refused(headers: dict[str, str], index: KeyIndex) -> GatewayError:
    with pytest.raises(GatewayError) as caught:
        authenticate(Headers(headers), index)
    assert (caught.value.status, caught.value.kind) == (401, "authentication_error")
    return caught.value


def test_missing_wrong_and_revoked_keys_are_401(keys: tuple[KeyStore, KeyIndex]) -> None:
    store, index = keys
    record, key = store.create("acct_1")
    assert "didn't provide an API key" in _refused({}, index).message
    wrong = _refused({"authorization": "Bearer sk-proj-0123456789abcdef"}, index)
    assert wrong.message == "Incorrect API key provided: sk-proj-0123********."
    assert wrong.code == "invalid_api_key"
    assert _refused({"x-api-key": key + "x"}, index).message == "invalid x-api-key"
    with pytest.raises(GatewayError, match=r"^invalid x-api-key$"):
        authenticate(Headers({"authorization": f"Bearer {key}x"}), index, shape="anthropic")
    with pytest.raises(GatewayError, match=r"^Incorrect API key provided"):
        authenticate(Headers({"x-api-key": f"{key}x"}), index, shape="openai")
    store.revoke(record.key_id)
    index.refresh()
    revoked = _refused({"authorization": f"Bearer {key}"}, index)
    assert revoked.message == f"The API key dg-{record.key_id}-… has been revoked."
    assert key.split("-", 2)[2] not in revoked.message


@pytest.fixture
def server(keys: tuple[KeyStore, KeyIndex]) -> Iterator[str]:
    """A real server on a socket: authenticates, then echoes who the caller is."""
    _, index = keys
    trusted = parse_trusted("127.0.0.0/8")

    async def endpoint(request: Request) -> Response:
        shape: Shape = "anthropic" if request.url.path == "/v1/messages" else "openai"
        try:
            record = authenticate(request.headers, index, shape=shape)
        except GatewayError as exc:
            return error_response(exc, shape)
        peer = request.client.host if request.client else None
        forwarded = request.headers.getlist("x-forwarded-for")
        body = orjson.loads(await request.body())
        return JSONResponse(
            {
                "account": record.account_id,
                "ip": client_ip(peer, forwarded, trusted),
                "user": end_user("messages" if shape == "anthropic" else "chat", body),
            }
        )

    paths = ("/v1/chat/completions", "/v1/messages")
    app = Starlette(routes=[Route(p, endpoint, methods=["POST"]) for p in paths])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)


def test_the_sdks_raise_their_authentication_error(server: str) -> None:
    oa = openai.OpenAI(api_key="dg-wrong", base_url=server + "/v1", max_retries=0)
    with pytest.raises(openai.AuthenticationError, match="Incorrect API key provided"):
        oa.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    an = anthropic.Anthropic(api_key="dg-wrong", base_url=server, max_retries=0)
    with pytest.raises(anthropic.AuthenticationError, match="invalid x-api-key"):
        an.messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "hi"}])
    oa.close()
    an.close()


def test_who_calls_through_a_real_socket(server: str, keys: tuple[KeyStore, KeyIndex]) -> None:
    store, _ = keys
    _, key = store.create("acct_1")  # issued after the server started: works at once
    with httpx.Client(base_url=server) as client:
        direct = client.post(
            "/v1/chat/completions",
            headers={"authorization": f"Bearer {key}"},
            json={"safety_identifier": "end-7"},
        )
        assert direct.json() == {"account": "acct_1", "ip": "127.0.0.1", "user": "end-7"}
        proxied = client.post(
            "/v1/messages",
            headers=[
                ("x-api-key", key),
                ("x-forwarded-for", "6.6.6.6, 198.51.100.7"),
                ("x-forwarded-for", "127.0.0.5"),
            ],
            json={"metadata": {"user_id": "end-8"}},
        )
        assert proxied.json() == {"account": "acct_1", "ip": "198.51.100.7", "user": "end-8"}


# the client address


def test_an_untrusted_peer_is_the_client_whatever_it_forwards() -> None:
    assert client_ip("203.0.113.9", ["198.51.100.1"], PROXIES) == "203.0.113.9"
    assert client_ip("203.0.113.9", [], ()) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client() -> None:
    # The client forged the left-most entry; the proxies appended the rest.
    forwarded = ["6.6.6.6, 198.51.100.7", "10.1.2.3"]
    assert client_ip("10.0.0.1", forwarded, PROXIES) == "198.51.100.7"
    assert client_ip("10.0.0.1", ["198.51.100.7,10.9.9.9, 10.1.2.3"], PROXIES) == "198.51.100.7"


def test_when_every_hop_is_trusted_the_left_most_is_the_client() -> None:
    assert client_ip("10.0.0.1", ["10.0.0.7, 10.0.0.8"], PROXIES) == "10.0.0.7"
    assert client_ip("10.0.0.1", [], PROXIES) == "10.0.0.1"  # no header: the proxy itself


def test_garbage_stops_the_walk_at_the_last_good_hop() -> None:
    assert client_ip("10.0.0.1", ["198.51.100.7, unknown, 10.0.0.9"], PROXIES) == "10.0.0.9"
    assert client_ip("10.0.0.1", ["198.51.100.7, example.com"], PROXIES) == "10.0.0.1"
    assert client_ip("10.0.0.1", ["198.51.100.7,, "], PROXIES) == "198.51.100.7"  # empty items


def test_addresses_come_out_canonical() -> None:
    assert client_ip("::ffff:203.0.113.9", [], PROXIES) == "203.0.113.9"
    assert client_ip("::ffff:10.0.0.1", ["2001:DB8::0:1"], PROXIES) == "2001:db8::1"
    assert client_ip("10.0.0.1", ["198.51.100.7:5120"], PROXIES) == "198.51.100.7"
    assert client_ip("10.0.0.1", ["[2001:db8::2]:443"], PROXIES) == "2001:db8::2"
    assert client_ip("2001:db8:ffff::5", ["::ffff:198.51.100.8"], PROXIES) == "198.51.100.8"
    assert client_ip("192.0.2.1", ["198.51.100.9"], PROXIES) == "198.51.100.9"  # a /32


def test_a_peer_that_is_no_ip_gives_no_address() -> None:
    assert client_ip(None, ["198.51.100.7"], PROXIES) == ""
    assert client_ip("testclient", [], PROXIES) == ""


def test_the_trusted_proxies_setting() -> None:
    assert parse_trusted("") == ()
    assert parse_trusted(" , ") == ()
    assert parse_trusted("10.0.0.0/8,::1") == (
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1/128"),
    )
    with pytest.raises(IdentityError, match=r"'10\.0\.0\.1/8' is not a network.*host bits"):
        parse_trusted("10.0.0.1/8")
    with pytest.raises(IdentityError, match=r"'proxy\.internal' is not a network"):
        parse_trusted("10.0.0.0/8, proxy.internal")


# the end user


def test_the_end_user_of_each_api() -> None:
    assert end_user("chat", {"user": "u-1"}) == "u-1"
    assert end_user("responses", {"safety_identifier": "s-1", "user": "u-1"}) == "s-1"
    assert end_user("completions", {"user": "  "}) is None
    assert end_user("messages", {"metadata": {"user_id": "m-1"}}) == "m-1"
    assert end_user("messages", {"user": "u-1"}) is None  # not an Anthropic field
    assert end_user("chat", {"metadata": {"user_id": "m-1"}}) is None


def test_only_bounded_strings_name_an_end_user() -> None:
    assert end_user("chat", {"user": 42}) is None
    assert end_user("chat", {"user": {"id": "x"}, "safety_identifier": None}) is None
    assert end_user("messages", {"metadata": "m-1"}) is None
    assert end_user("messages", {"metadata": {"user_id": ["m"]}}) is None
    long = end_user("chat", {"user": "x" * 10_000})
    assert long is not None
    assert len(long) == END_USER_MAX
