"""Countermeasures inside a streamed answer, event by event, and the answer the client got.

One transformer per streamed call, for its API (``streams_choices`` for chat and legacy
completions, ``streams_responses``, ``streams_messages``):

- ``feed(event)`` returns the events to send for one upstream event: none, the same one
  (the very object, so an event nothing applies to goes out byte for byte), a changed one,
  or several (text an embedder held back, a reasoning note, sent just before the event that
  ends their text or block);
- ``close()`` returns what is still held back when the upstream ends without its terminal
  event;
- ``is_terminal(event)`` says whether an event ends the stream (chat and completions
  ``data: [DONE]``, Responses ``response.completed`` / ``.failed`` / ``.incomplete``,
  Messages ``message_stop``, and ``error`` events): the gateway logs the call just before
  sending it, so everything held back is sent before it;
- ``assembled()`` is the whole-answer object equivalent to what was sent (a
  ``ChatCompletion``, ``Completion``, ``Response`` or ``Message``), for the raw API log;
- ``usage()`` the tokens billed, read from the stream whether or not the client was sent it.

Event data that is not JSON, or of a kind the transformer does not know, passes through.
"""

from __future__ import annotations

from typing import Any, Protocol

from distillguard.gateway.core import Api, Measures
from distillguard.gateway.countermeasures import Usage, Watermark
from distillguard.gateway.sse import Event
from distillguard.gateway.streams_choices import ChoicesStream
from distillguard.gateway.streams_messages import MessagesStream
from distillguard.gateway.streams_responses import ResponsesStream


class StreamTransformer(Protocol):
    def feed(self, event: Event) -> list[Event]: ...

    def close(self) -> list[Event]: ...

    def is_terminal(self, event: Event) -> bool: ...

    def assembled(self) -> dict[str, Any]: ...

    def usage(self) -> Usage | None: ...


def open_stream(
    api: Api, measures: Measures, watermark: Watermark, client_wants_usage: bool
) -> StreamTransformer:
    """The transformer of one streamed call; ``client_wants_usage`` as ``rewrite_request``
    found it (only chat and completions streams drop usage the client did not ask for)."""
    if api == "responses":
        return ResponsesStream(measures, watermark)
    if api == "messages":
        return MessagesStream(measures, watermark)
    return ChoicesStream(api, measures, watermark, client_wants_usage)
