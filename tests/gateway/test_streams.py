"""The stream transformers as the gateway's relay drives them: bytes → SSE events → transformer
→ events sent, and the answer logged when the terminal event is about to be sent.

``relay`` is shared by the tests of each API's transformer (``test_streams_*``)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from distillguard.gateway.core import Api, Measures
from distillguard.gateway.countermeasures import Usage, Watermark
from distillguard.gateway.sse import Event, SseParser, encode, json_data
from distillguard.gateway.streams import StreamTransformer, open_stream
from distillguard.gateway.streams_choices import ChoicesStream
from distillguard.gateway.streams_messages import MessagesStream
from distillguard.gateway.streams_responses import ResponsesStream


@dataclass(frozen=True)
class Relayed:
    sent: list[Event]
    logged: dict[str, Any] | None  # assembled() when the first terminal event was to be sent
    assembled: dict[str, Any]
    usage: Usage | None

    def data(self) -> list[Any]:
        return [json_data(e) for e in self.sent]


def relay(
    api: Api,
    events: list[Event],
    measures: Measures | None = None,
    watermark: Watermark = None,
    client_wants_usage: bool = True,
    cuts: list[int] | None = None,
) -> Relayed:
    """Run ``events`` through a transformer the way the relay does, the upstream's bytes cut
    at ``cuts`` (one piece when None)."""
    stream = b"".join(encode(e) for e in events)
    transformer = open_stream(api, measures or Measures(), watermark, client_wants_usage)
    parser = SseParser(1 << 20)
    bounds = [0, *sorted({c for c in cuts or () if 0 < c < len(stream)}), len(stream)]
    sent: list[Event] = []
    logged: list[dict[str, Any]] = []

    def send(events: list[Event]) -> None:
        for event in events:
            for out in transformer.feed(event):
                if transformer.is_terminal(out) and not logged:
                    logged.append(transformer.assembled())
                sent.append(out)

    for start, end in itertools.pairwise(bounds):
        send(parser.feed(stream[start:end]))
    send(parser.close())
    for out in transformer.close():
        if transformer.is_terminal(out) and not logged:
            logged.append(transformer.assembled())
        sent.append(out)
    return Relayed(
        sent, logged[0] if logged else None, transformer.assembled(), transformer.usage()
    )


@pytest.mark.parametrize(
    ("api", "kind"),
    [
        ("chat", ChoicesStream),
        ("completions", ChoicesStream),
        ("responses", ResponsesStream),
        ("messages", MessagesStream),
    ],
)
def test_open_stream_picks_the_api_transformer(api: Api, kind: type) -> None:
    transformer: StreamTransformer = open_stream(api, Measures(), None, True)
    assert isinstance(transformer, kind)
    assert transformer.close() == []
    assert transformer.close() == []  # closing twice sends nothing more


@pytest.mark.parametrize(
    ("api", "terminal", "not_terminal"),
    [
        ("chat", Event(None, "[DONE]"), Event(None, '{"choices": []}')),
        ("chat", Event(None, '{"error": {"message": "overloaded"}}'), Event(None, "[DONE")),
        ("completions", Event("error", "{}"), Event(None, '{"error": 1, "choices": []}')),
        ("responses", Event("response.completed", "{}"), Event("response.created", "{}")),
        ("responses", Event(None, '{"type": "response.incomplete"}'), Event(None, "x")),
        ("responses", Event("response.failed", "{}"), Event(None, '{"type": "response.done"}')),
        ("responses", Event("error", "{}"), Event("response.output_text.done", "{}")),
        ("messages", Event("message_stop", "{}"), Event("message_delta", "{}")),
        ("messages", Event("error", "{}"), Event(None, '{"type": "ping"}')),
        ("messages", Event(None, '{"type": "message_stop"}'), Event("ping", "{}")),
    ],
)
def test_terminal_events(api: Api, terminal: Event, not_terminal: Event) -> None:
    transformer = open_stream(api, Measures(), None, True)
    assert transformer.is_terminal(terminal)
    assert not transformer.is_terminal(not_terminal)


@pytest.mark.parametrize("api", ["chat", "completions", "responses", "messages"])
def test_malformed_and_unknown_events_pass_through_unchanged(api: Api) -> None:
    measures = Measures(strip_logprobs=True, reasoning="withhold")
    odd = [
        Event(None, '{"choices": [{"index": 0, "delta": {"content": "cut'),
        Event("content_block_delta", "not json"),
        Event(None, "[1, 2, 3]"),
        Event("x-vendor.heartbeat", '{"type": "x-vendor.heartbeat", "n": 1}'),
        Event(None, '{"type": 7}'),
    ]
    out = relay(api, odd, measures)
    assert out.sent == odd
    assert out.usage is None
