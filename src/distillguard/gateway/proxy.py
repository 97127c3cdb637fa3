"""A generation call through the gateway, in the order a request meets each piece.

read (bounded, JSON, ingest's parse) → identity (key, client address, end user) → facts
(account, address, signals, window) → policy → refusal or limits → countermeasures on the
request → upstream → countermeasures on the answer (whole, or event by event) → log → client.

The record of a call is written before the client has the last of it: an unstreamed answer
is logged before its body is sent, a stream before its terminal event. A client that goes
away cancels the upstream call (a stream's generator is cancelled by Starlette; an
unstreamed call races the upstream against the client's disconnect).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any, Final, TypeVar

import anyio
import orjson
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from distillguard.gateway import countermeasures, streams
from distillguard.gateway.core import Api, Decision, GatewayError, Identity, shape_of
from distillguard.gateway.errors import error_body, error_response
from distillguard.gateway.facts import gather
from distillguard.gateway.identity import authenticate, client_ip, end_user
from distillguard.gateway.intake import Intake, check_content_type, parse, read_body
from distillguard.gateway.online import skeleton
from distillguard.gateway.records import CallRecord
from distillguard.gateway.sse import Event, SseParser, encode
from distillguard.gateway.state import Gateway
from distillguard.gateway.upstream import Answer
from distillguard.watermark.embed import Embedder

T = TypeVar("T")
OUTPUT_ESTIMATE: Final = 1024
"""Output tokens charged up front when a request sets no ``max_tokens`` (settled on usage)."""
MAX_EVENT_BYTES: Final = 16 * 1024 * 1024
CLIENT_CLOSED: Final = 499
"""Status logged for a call whose client went away before the answer was complete."""
_REFUSED: Final = {
    "block": "This request is not allowed under the provider's usage policies.",
    "require_verification": "Identity verification is required to continue using the API.",
}


def _estimate(intake: Intake, body: dict[str, Any]) -> int:
    """Tokens charged before the answer: the body's bytes / 4 plus the output budget."""
    output = OUTPUT_ESTIMATE
    for name in ("max_completion_tokens", "max_tokens", "max_output_tokens"):
        value = body.get(name)
        if type(value) is int and value > 0:
            output = value
            break
    choices = body.get("n")
    if type(choices) is int and choices > 1:
        output *= choices
    return len(intake.raw) // 4 + output


class RelayResponse(StreamingResponse):
    """A stream that ends as soon as the client goes away, even while upstream is silent.

    Under ASGI 2.4 Starlette notices a disconnect only when a write fails, i.e. at the next
    event the upstream sends — for a stalled upstream that is the idle time-out later, and
    the upstream call stays open meanwhile. So the stream runs beside a listener for the
    client's disconnect, which cancels the relay, and with it the upstream call, the moment
    the client leaves (Starlette's pre-2.4 path does the same with an anyio task group, at
    several times the cost of two plain tasks).
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        relay = asyncio.ensure_future(self.stream_response(send))
        await _first_of(relay, _until_disconnect(receive))
        if not relay.cancelled() and (failed := relay.exception()) is not None:
            if isinstance(failed, OSError):
                raise ClientDisconnect() from failed
            raise failed


async def _until_disconnect(receive: Receive) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


async def _first_of(job: asyncio.Future[Any], watch: Awaitable[None]) -> None:
    """Wait for ``job`` or ``watch``, whichever ends first; cancel the other, and wait until
    it has finished (a cancelled stream's ``finally`` logs and settles the call)."""
    watcher = asyncio.ensure_future(watch)
    try:
        await asyncio.wait((job, watcher), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (job, watcher):
            task.cancel()
        await asyncio.gather(job, watcher, return_exceptions=True)


async def generate(gw: Gateway, request: Request, api: Api) -> Response:
    endpoint: str = request.scope["path"]  # not request.url, which parses the whole URL
    shape = shape_of(api)
    call = CallRecord(endpoint, None, request.headers.get("user-agent"))
    try:
        check_content_type(request)
        raw = await read_body(request, gw.max_body_bytes)
        key = authenticate(request.headers, gw.keys, shape=shape)
        peer = request.client.host if request.client else None
        address = client_ip(peer, request.headers.getlist("x-forwarded-for"), gw.trusted)
        call.identity = Identity(key.key_id, key.account_id, key.org_id, address)
    except GatewayError as exc:
        gw.metrics.rejected.labels(reason=exc.kind).inc()
        gw.metrics.requests.labels(api=api, status=str(exc.status)).inc()
        return error_response(exc, shape)
    try:
        return await _answer(gw, request, api, call, raw, key)
    except GatewayError as exc:
        return await _refuse(gw, api, call, exc)


async def _refuse(gw: Gateway, api: Api, call: CallRecord, exc: GatewayError) -> Response:
    if isinstance(exc, _RefusalError):
        call.decision = exc.decision
    body = error_body(exc, shape_of(api))
    await gw.write(call.finish(exc.status, body))
    gw.metrics.requests.labels(api=api, status=str(exc.status)).inc()
    return error_response(exc, shape_of(api))


async def _answer(
    gw: Gateway, request: Request, api: Api, call: CallRecord, raw: bytes, key: Any
) -> Response:
    endpoint = call.endpoint
    assert call.identity is not None
    try:
        intake = parse(endpoint, raw)
    except GatewayError:
        gw.metrics.rejected.labels(reason="malformed").inc()
        raise
    body = intake.body
    call.request = body
    identity = replace(call.identity, end_user=end_user(api, body))
    call.identity = identity
    stream = body.get("stream") is True
    decision = _decide(gw, api, stream, identity, intake)
    call.decision = decision
    account = gw.directory.get(identity.account_id)
    subjects = {
        "key": identity.key_id,
        "account": identity.account_id,
        "ip": identity.client_ip,
    }
    if identity.org_id:
        subjects["org"] = identity.org_id
    if account.cluster_flagged and account.cluster_id:
        subjects["cluster"] = account.cluster_id
    rewritten = countermeasures.rewrite_request(api, body, decision.measures, stream=stream)
    grant = await gw.budgets.acquire(
        subjects,
        gw.limits_for(key),
        estimate_tokens=_estimate(intake, rewritten.body),
        throttle=decision.measures.throttle,
    )
    if rewritten.body != body:
        call.changed = {k: rewritten.body.get(k) for k in _changed_keys(body, rewritten.body)}
    watermark = _watermarker(gw, decision, identity.account_id)
    released = False
    try:
        payload = orjson.dumps(rewritten.body)
        pre = time.monotonic() - call.started
        exchanged = await _unless_disconnected(
            request, _exchange(gw, api, endpoint, payload, request.headers, stream=stream)
        )
        if exchanged is None:
            await gw.write(call.finish(CLIENT_CLOSED, None))
            return Response(status_code=CLIENT_CLOSED)
        upstream, data = exchanged
        if data is None:
            released = True  # the stream's own finally settles and releases
            return RelayResponse(
                _relay(gw, api, call, upstream, decision, watermark, rewritten, grant, pre),
                media_type="text/event-stream",
                headers={"cache-control": "no-cache", "x-request-id": call.request_id},
            )
        status, answer = _whole(api, upstream.status_code, data, decision, watermark)
        if status >= 500:
            gw.metrics.upstream_errors.labels(kind=f"status_{status}").inc()
        usage = countermeasures.usage(api, answer) if status == 200 else None
        await grant.settle(_total(usage))
        await gw.write(call.finish(status, answer))
        gw.metrics.requests.labels(api=api, status=str(status)).inc()
        gw.metrics.added.labels(api=api, stream="false").observe(pre)
        return Response(
            orjson.dumps(answer),
            status_code=status,
            media_type="application/json",
            headers={"x-request-id": call.request_id},
        )
    except GatewayError as exc:
        gw.metrics.upstream_errors.labels(kind=exc.kind).inc()
        await grant.settle(0)
        raise
    finally:
        if not released:
            await grant.release()


async def _exchange(
    gw: Gateway, api: Api, path: str, payload: bytes, headers: Any, *, stream: bool
) -> tuple[Answer, bytes | None]:
    """The upstream's answer and its whole body, or None for the body of a stream (one race
    against the client's disconnect covers both)."""
    before = time.monotonic()
    upstream = await gw.upstream.send("POST", path, payload, headers)
    gw.metrics.upstream.labels(api=api).observe(time.monotonic() - before)
    event_stream = upstream.headers.get("content-type", "").startswith("text/event-stream")
    if stream and upstream.status_code == 200 and event_stream:
        return upstream, None
    return upstream, await gw.upstream.body(upstream)


def _changed_keys(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def _total(usage: Any) -> int:
    if usage is None:
        return 0
    return int(usage.input_tokens or 0) + int(usage.output_tokens or 0)


def _decide(gw: Gateway, api: Api, stream: bool, identity: Identity, intake: Intake) -> Decision:
    account = gw.directory.get(identity.account_id)
    geo = gw.geofence.check(identity.client_ip, account.billing_country)
    signals = gw.signals.evaluate(intake.row)
    now = time.time()
    row = intake.row
    gw.online.observe(
        identity.account_id, now, signals, skeleton(row["system_prompt"], row["user_text"])
    )
    window = gw.online.view(identity.account_id, now)
    facts = gather(api, stream, account, geo, signals, window)
    decision, refusing = gw.policy.decide(facts)
    for rule in decision.rules or ("",):
        gw.metrics.decisions.labels(action=decision.action, rule=rule).inc()
    if refusing is not None:
        message = refusing.message or _REFUSED[refusing.action]
        code = refusing.code or ("verification_required" if refusing.action != "block" else None)
        raise _RefusalError(decision, message, code)
    return decision


class _RefusalError(GatewayError):
    def __init__(self, decision: Decision, message: str, code: str | None) -> None:
        super().__init__(403, "permission_error", message, code=code)
        self.decision = decision


def _watermarker(gw: Gateway, decision: Decision, account: str) -> Callable[[], Embedder] | None:
    key = gw.watermark_key
    if not decision.measures.watermark or key is None:
        return None
    return lambda: Embedder(key, account)


async def _unless_disconnected(request: Request, work: Awaitable[T]) -> T | None:
    """``await work``, unless the client disconnects first (then the upstream call is cancelled).

    Two plain asyncio tasks raced with ``asyncio.wait``: an anyio task group does the same at
    several times the cost, on every call.
    """
    job = asyncio.ensure_future(work)
    await _first_of(job, _until_disconnect(request.receive))
    if job.cancelled():
        return None
    failed = job.exception()
    if failed is not None:
        raise failed
    return job.result()


def _whole(
    api: Api,
    status: int,
    data: bytes,
    decision: Decision,
    watermark: Callable[[], Embedder] | None,
) -> tuple[int, Any]:
    """Status and body for the client from an unstreamed upstream answer."""
    try:
        answer = orjson.loads(data)
    except orjson.JSONDecodeError:
        error = GatewayError(502, "api_error", f"the upstream answered {status} with no JSON body")
        return 502, error_body(error, shape_of(api))
    if status != 200 or not isinstance(answer, dict):
        if status == 200:
            error = GatewayError(502, "api_error", "the upstream answer is not a JSON object")
            return 502, error_body(error, shape_of(api))
        return status, answer  # the upstream's own error, already in the provider's shape
    return 200, countermeasures.rewrite_response(api, answer, decision.measures, watermark)


def _error_event(api: Api, exc: GatewayError) -> Event:
    data = orjson.dumps(error_body(exc, shape_of(api))).decode()
    return Event("error" if api == "messages" else None, data)


async def _relay(
    gw: Gateway,
    api: Api,
    call: CallRecord,
    upstream: Any,
    decision: Decision,
    watermark: Callable[[], Embedder] | None,
    rewritten: Any,
    grant: Any,
    pre: float,
) -> AsyncIterator[bytes]:
    parser = SseParser(MAX_EVENT_BYTES)
    transformer = streams.open_stream(
        api, decision.measures, watermark, rewritten.client_wants_usage
    )
    logged = False
    first = True
    finished = False
    status = 200
    error: dict[str, Any] | None = None

    async def log(final_status: int) -> None:
        nonlocal logged
        if not logged:
            logged = True
            answer = transformer.assembled()
            if error is not None:
                answer = {**answer, "error": error} if isinstance(answer, dict) else error
            await gw.write(call.finish(final_status, answer))

    def outputs(events: Iterable[Event], closing: bool = False) -> Iterator[Event]:
        for event in events:
            yield from transformer.feed(event)
        if closing:
            yield from transformer.close()

    try:
        # The first event goes out the moment it is ready; the rest of an upstream chunk (a
        # chunk often holds many events) goes out in one write. The call is logged before
        # anything holding the terminal event is sent.
        async for chunk in gw.upstream.chunks(upstream):
            pending: list[bytes] = []
            for out in outputs(parser.events(chunk)):
                if transformer.is_terminal(out):
                    await log(status)
                if first:
                    first = False
                    gw.metrics.added.labels(api=api, stream="true").observe(pre)
                    yield encode(out)
                else:
                    pending.append(encode(out))
            if pending:
                yield b"".join(pending)
        pending = []
        for out in outputs(parser.close(), closing=True):
            if transformer.is_terminal(out):
                await log(status)
            pending.append(encode(out))
        if pending:
            yield b"".join(pending)
        finished = True
    except GatewayError as exc:
        gw.metrics.upstream_errors.labels(kind=exc.kind).inc()
        status = exc.status
        error = error_body(exc, shape_of(api))
        await log(status)
        yield encode(_error_event(api, exc))
    finally:
        with anyio.CancelScope(shield=True):
            await log(status if finished or error is not None else CLIENT_CLOSED)
            await grant.settle(_total(transformer.usage()))
            await grant.release()
            gw.metrics.requests.labels(api=api, status=str(status)).inc()
