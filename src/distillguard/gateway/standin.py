"""A local stand-in for the upstream model API: the demo's, the tests' and the benchmark's.

It answers the four generation APIs and the model list in the providers' real shapes, built
with the official SDK types (:mod:`distillguard.gateway.standin_draft` says what it answers
and how tokens are counted; ``standin_choices``, ``standin_responses`` and
``standin_messages`` give each API its shape):

* ``POST /v1/chat/completions`` — ``ChatCompletion``; streamed, ``ChatCompletionChunk``s
  then ``data: [DONE]``, a usage chunk when ``stream_options.include_usage``;
  ``reasoning_content`` on the message and deltas when ``reasoning_effort`` is set, as
  OpenAI-compatible providers do; logprobs when ``logprobs`` / ``top_logprobs``.
* ``POST /v1/responses`` — ``Response``; streamed, the real event sequence with ``event:``
  lines and sequence numbers; a ``reasoning`` item with a summary when ``reasoning`` is
  given; logprobs with ``include: ["message.output_text.logprobs"]``.
* ``POST /v1/completions`` — ``Completion`` (streamed like chat); logprobs with ``logprobs``.
* ``POST /v1/messages`` — Anthropic ``Message``; streamed, ``event:`` + ``data:`` lines from
  ``message_start`` to ``message_stop``; a ``thinking`` block with ``thinking_delta``s and a
  ``signature_delta`` when ``thinking: {type: enabled}``.
* ``GET /v1/models`` — the OpenAI model list.

Any bearer token or ``x-api-key`` is accepted; the last seen ones, with the last request's
path, headers and body, are kept for tests. Faults are chosen by the request's ``model``:
``standin-error-500`` and ``standin-error-429`` answer that status in the provider's error
shape; ``standin-slow`` waits ``slow_seconds`` before answering (pick it longer than the
client's time-out); ``standin-stall`` sends the first ``fault_chunks`` events of a stream
(an unstreamed call: nothing) and then nothing until the client goes away; ``standin-drop``
sends the first ``fault_chunks`` events (an unstreamed call: half its body) and closes the
connection. ``GET /_standin/stats`` counts requests, completed and cancelled ones (the
client went away before the end: what a gateway must cause when its own client
disconnects), dropped ones and those in flight; ``POST /_standin/reset`` zeroes it.

State (counters, the text bank) lives on the app built by :func:`create_app`, never in the
module, so every app is independent.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import secrets
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

import orjson
import uvicorn
from anthropic.types import (
    APIErrorObject,
    ErrorResponse,
    InvalidRequestErrorObject,
    RateLimitErrorObject,
)
from openai.pagination import SyncPage
from openai.types import Model
from openai.types.shared import ErrorObject
from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from distillguard.gateway import standin_choices as choices
from distillguard.gateway import standin_draft as drafts
from distillguard.gateway import standin_messages as messages
from distillguard.gateway import standin_responses as responses
from distillguard.gateway.core import ENDPOINTS, Api, shape_of
from distillguard.gateway.standin_draft import Draft
from distillguard.simulate.responses import ResponseBank

ERROR_500: Final = "standin-error-500"
ERROR_429: Final = "standin-error-429"
SLOW: Final = "standin-slow"
STALL: Final = "standin-stall"
DROP: Final = "standin-drop"
MODELS_CREATED: Final = 1_700_000_000
CLOSED: Final = 499  # status of an answer whose client went away (never delivered)
_JSON: Final = "application/json"
_SSE: Final = "text/event-stream"


@dataclass(frozen=True)
class StandinConfig:
    delay_ms: float = 0.0  # before the first byte of every answer
    chunk_delay_ms: float = 0.0  # between two streamed events
    slow_seconds: float = 30.0  # how long standin-slow waits
    answer_words: int = 80
    reasoning_words: int = 40
    chunk_words: int = 1  # words per streamed delta
    fault_chunks: int = 3  # events a stalled or dropped stream sends first
    models: tuple[str, ...] = ("standin-1", "standin-reasoner-1")


class Stats:
    """What the stand-in has seen (one per app; read through ``GET /_standin/stats``)."""

    def __init__(self) -> None:
        self.requests = 0
        self.completed = 0
        self.cancelled = 0
        self.dropped = 0
        self.active = 0
        self.last_authorization: str | None = None
        self.last_api_key: str | None = None
        self.last_path: str | None = None
        self.last_headers: dict[str, str] = {}
        self.last_body: object = None

    def snapshot(self) -> dict[str, object]:
        return dict(vars(self))

    def reset(self) -> None:
        """Back to zero, in place; meant for when nothing is in flight (a call still open
        then would take ``active`` below zero when it ends)."""
        for name, value in vars(Stats()).items():
            setattr(self, name, value)


async def _until_disconnect(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def _sleep_or_disconnect(request: Request, seconds: float | None) -> bool:
    """Wait ``seconds`` (None: for ever); True when the client went away first."""
    watcher = asyncio.ensure_future(_until_disconnect(request))
    if seconds is None:
        await watcher
        return True
    sleeper = asyncio.ensure_future(asyncio.sleep(seconds))
    done, pending = await asyncio.wait({watcher, sleeper}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return watcher in done


def _error(api: Api, status: int, message: str, retry_after: int | None = None) -> Response:
    """An error in the provider's own shape (its SDK's error object)."""
    if shape_of(api) == "anthropic":
        error: BaseModel
        if status == 429:
            error = RateLimitErrorObject(type="rate_limit_error", message=message)
        elif status < 500:
            error = InvalidRequestErrorObject(type="invalid_request_error", message=message)
        else:
            error = APIErrorObject(type="api_error", message=message)
        body = ErrorResponse.model_validate({"type": "error", "error": error.model_dump()})
        content = body.model_dump_json(exclude_unset=True)
    else:
        kind, code = {
            429: ("requests", "rate_limit_exceeded"),
            400: ("invalid_request_error", None),
        }.get(status, ("server_error", None))
        error_object = ErrorObject(message=message, type=kind, param=None, code=code)
        content = f'{{"error":{error_object.model_dump_json(exclude_unset=True)}}}'
    headers = {} if retry_after is None else {"retry-after": str(retry_after)}
    return Response(content, status_code=status, media_type=_JSON, headers=headers)


def _sse(api: Api, event: BaseModel) -> bytes:
    """One server-sent event as the provider writes it (``event:`` lines but for chat and
    completions, whose streams carry ``data:`` lines only)."""
    data = event.model_dump_json(exclude_unset=True).encode()
    if api in ("chat", "completions"):
        return b"data: " + data + b"\n\n"
    return b"event: " + str(getattr(event, "type", "")).encode() + b"\ndata: " + data + b"\n\n"


class _Dropped(Response):
    """The status, the headers and the first parts of the body; then the connection closes
    (returning before the last body message makes the server close it mid-body)."""

    def __init__(self, parts: list[bytes], media_type: str) -> None:
        super().__init__(media_type=media_type)
        self.parts = parts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", (self.media_type or _JSON).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for part in self.parts:
            await send({"type": "http.response.body", "body": part, "more_body": True})


class _Standin:
    def __init__(self, config: StandinConfig) -> None:
        self.config = config
        self.stats = Stats()
        self.bank = ResponseBank()

    def route(self, api: Api) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            self.stats.active += 1
            try:
                return await self.generate(request, api)
            finally:
                self.stats.active -= 1

        return endpoint

    def _record(self, request: Request, body: object) -> None:
        stats = self.stats
        stats.requests += 1
        stats.last_authorization = request.headers.get("authorization")
        stats.last_api_key = request.headers.get("x-api-key")
        stats.last_path = request.url.path
        stats.last_headers = dict(request.headers)
        stats.last_body = body

    async def generate(self, request: Request, api: Api) -> Response:
        raw = await request.body()
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError:
            body = None
        self._record(request, body)
        if not isinstance(body, dict):
            return _error(api, 400, "the request body must be a JSON object")
        model = body.get("model")
        if model == ERROR_500:
            return _error(api, 500, "The server had an error while processing your request.")
        if model == ERROR_429:
            return _error(api, 429, "Rate limit reached for requests.", retry_after=1)
        wait = self.config.slow_seconds if model == SLOW else self.config.delay_ms / 1000
        stream = body.get("stream") is True
        if (wait > 0 or (model == STALL and not stream)) and await _sleep_or_disconnect(
            request, None if model == STALL else wait
        ):
            self.stats.cancelled += 1
            return Response(status_code=CLOSED)
        try:
            if api == "responses":
                responses.requested_reasoning(body)
        except ValidationError as exc:
            return _error(api, 400, f"invalid reasoning: {exc.errors()[0]['msg']}")
        draft = drafts.draft(
            api,
            body,
            self.bank,
            answer_words=self.config.answer_words,
            reasoning_words=self.config.reasoning_words,
            ident=secrets.token_hex(12),
            created=int(time.time()),
        )
        if stream:
            return self._streamed(request, api, draft, body, model)
        whole = self._whole(api, draft, body).model_dump_json(exclude_unset=True).encode()
        if model == DROP:
            self.stats.dropped += 1
            return _Dropped([whole[: len(whole) // 2]], _JSON)
        self.stats.completed += 1
        return Response(whole, media_type=_JSON)

    @staticmethod
    def _whole(api: Api, draft: Draft, body: dict[str, Any]) -> BaseModel:
        if api == "chat":
            return choices.chat_completion(draft)
        if api == "completions":
            return choices.completion(draft)
        if api == "responses":
            return responses.response(draft, body)
        return messages.message(draft)

    def _events(self, api: Api, draft: Draft, body: dict[str, Any]) -> Iterator[bytes]:
        size = max(self.config.chunk_words, 1)
        options = body.get("stream_options")
        usage = isinstance(options, dict) and options.get("include_usage") is True
        events: Iterator[BaseModel]
        if api == "chat":
            events = choices.chat_chunks(draft, usage, size)
        elif api == "completions":
            events = choices.completion_chunks(draft, usage, size)
        elif api == "responses":
            events = responses.response_events(draft, body, size)
        else:
            events = messages.message_events(draft, size)
        for event in events:
            yield _sse(api, event)
        if api in ("chat", "completions"):
            yield b"data: [DONE]\n\n"

    def _streamed(
        self, request: Request, api: Api, draft: Draft, body: dict[str, Any], model: object
    ) -> Response:
        events = self._events(api, draft, body)
        if model == DROP:
            self.stats.dropped += 1
            head = list(itertools.islice(events, self.config.fault_chunks))
            return _Dropped(head, _SSE)
        headers = {"cache-control": "no-cache"}
        stream = self._stream(request, events, model == STALL)
        return StreamingResponse(stream, media_type=_SSE, headers=headers)

    async def _stream(
        self, request: Request, events: Iterator[bytes], stall: bool
    ) -> AsyncIterator[bytes]:
        """The events, paced; a stalled stream waits for the client to go away. Whatever
        ends it early (Starlette cancels it when the client disconnects) counts as
        cancelled."""
        pause = self.config.chunk_delay_ms / 1000
        finished = False
        self.stats.active += 1
        try:
            for number, event in enumerate(events):
                if stall and number == self.config.fault_chunks:
                    await _until_disconnect(request)
                    return
                if number and pause > 0:
                    await asyncio.sleep(pause)
                yield event
            finished = True
        finally:
            self.stats.active -= 1
            if finished:
                self.stats.completed += 1
            else:
                self.stats.cancelled += 1

    async def models(self, request: Request) -> Response:
        models = [
            Model(id=name, created=MODELS_CREATED, object="model", owned_by="standin")
            for name in self.config.models
        ]
        page = SyncPage[Model](data=models, object="list")
        return Response(page.model_dump_json(exclude_unset=True), media_type=_JSON)

    async def read_stats(self, request: Request) -> Response:
        return Response(orjson.dumps(self.stats.snapshot()), media_type=_JSON)

    async def reset(self, request: Request) -> Response:
        self.stats.reset()
        return Response(orjson.dumps(self.stats.snapshot()), media_type=_JSON)


def create_app(config: StandinConfig) -> Starlette:
    standin = _Standin(config)
    routes = [Route(path, standin.route(api), methods=["POST"]) for path, api in ENDPOINTS.items()]
    routes += [
        Route("/v1/models", standin.models, methods=["GET"]),
        Route("/_standin/stats", standin.read_stats, methods=["GET"]),
        Route("/_standin/reset", standin.reset, methods=["POST"]),
    ]
    return Starlette(routes=routes)


def serve(host: str, port: int, config: StandinConfig) -> None:
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=2,  # stalled streams must not hold a shutdown for ever
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m distillguard.gateway.standin", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8500)
    parser.add_argument("--delay-ms", type=float, default=0.0, help="before the first byte")
    parser.add_argument("--chunk-delay-ms", type=float, default=0.0, help="between events")
    parser.add_argument("--slow-seconds", type=float, default=StandinConfig.slow_seconds)
    parser.add_argument("--words", type=int, default=StandinConfig.answer_words)
    parser.add_argument("--chunk-words", type=int, default=StandinConfig.chunk_words)
    args = parser.parse_args(argv)
    config = StandinConfig(
        delay_ms=args.delay_ms,
        chunk_delay_ms=args.chunk_delay_ms,
        slow_seconds=args.slow_seconds,
        answer_words=args.words,
        chunk_words=args.chunk_words,
    )
    serve(args.host, args.port, config)


if __name__ == "__main__":
    main()
