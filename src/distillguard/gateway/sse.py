"""Server-sent events: read an upstream's event stream incrementally, write one back.

``SseParser`` follows the WHATWG event-stream grammar: lines end in ``\\n``, ``\\r\\n`` or a
lone ``\\r``; lines starting with ``:`` are comments; ``data:`` lines of one event are joined
with ``\\n``; ``event:``, ``id:`` and ``retry:`` are kept; other fields are ignored; a blank
line ends the event, which is dispatched only if it had a ``data`` line. Chunks may split an
event, a line, a ``\\r\\n`` pair or a UTF-8 character anywhere: bytes are split into lines
first and each complete line is decoded (a line end never occurs inside a UTF-8 sequence).

Two decisions differ from a browser's ``EventSource``, both because the gateway relays:

- ``id`` is attached to the event that carried it, not remembered for later events, so that
  re-encoding an event writes the stream the upstream wrote;
- ``close()`` dispatches a last event the upstream did not end with a blank line (a browser
  drops it), so an upstream that closes right after ``data: [DONE]`` still ends the client's
  stream cleanly; a truncated event's data reaches the stream transformer, which passes data
  it cannot read through unchanged.

One pending event (its data so far plus the unfinished line) is bounded by
``max_event_bytes``; past it the parser raises ``EventTooLargeError``, a ``GatewayError``
(502) that the relay answers with.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import orjson

from distillguard.gateway.core import GatewayError

_LINE_END: Final = re.compile(rb"\r\n|\r|\n")
_DATA_LINES: Final = re.compile(r"\r\n|\r|\n")
_BOM: Final = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Event:
    """One server-sent event; ``event`` None is the default ``message`` type."""

    event: str | None
    data: str
    id: str | None = None
    retry: int | None = None
    raw: bytes | None = field(default=None, compare=False, repr=False)
    """The event's bytes as the upstream wrote them, when it was read whole: what
    :func:`encode` writes back, so an event nothing changes is relayed byte for byte."""


class EventTooLargeError(GatewayError):
    """An upstream event grew past the parser's bound before it ended."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            502, "api_error", f"an upstream stream event exceeded {limit} bytes before it ended"
        )
        self.limit = limit


class SseParser:
    """Incremental event-stream parser: ``feed`` bytes as they come, ``close`` at the end."""

    def __init__(self, max_event_bytes: int = 16 * 1024 * 1024) -> None:
        self._max = max_event_bytes
        self._buffer = b""  # the unfinished line
        self._skip_lf = False  # the last chunk ended in "\r": a "\n" starting the next is its pair
        self._started = False  # the byte-order mark, if any, was looked for
        self._event: str | None = None
        self._data: list[str] = []
        self._id: str | None = None
        self._retry: int | None = None
        self._size = 0  # bytes of the pending event's lines so far
        self._raw: list[bytes] = []  # the pending event's lines as they came, line ends kept

    def feed(self, chunk: bytes) -> list[Event]:
        """Events completed by ``chunk``."""
        return list(self.events(chunk))

    def events(self, chunk: bytes) -> Iterator[Event]:
        """Events completed by ``chunk``, each as soon as it is read (a relay sends the first
        before the rest of a long chunk is parsed). Read it to the end before the next call."""
        if self._skip_lf and chunk:
            self._skip_lf = False
            if chunk.startswith(b"\n"):
                chunk = chunk[1:]
        scanned = len(self._buffer)  # the unfinished line holds no line end: scan only the rest
        buffer = self._buffer + chunk
        if not self._started:
            if len(buffer) < len(_BOM) and _BOM.startswith(buffer):
                self._buffer = buffer
                return  # may still be a byte-order mark
            self._started = True
            buffer = buffer.removeprefix(_BOM)
            scanned = 0
        start = 0
        if not self._data and not self._raw and b"\r" not in buffer:
            start = yield from self._whole_events(buffer)
            scanned = max(scanned, start)
        events: list[Event] = []
        for match in _LINE_END.finditer(buffer, scanned):
            if match.end() == len(buffer) and match.group() == b"\r":
                self._skip_lf = True  # a "\r\n" may be split between this chunk and the next
            self._raw.append(buffer[start : match.end()])
            self._line(buffer[start : match.start()], events)
            start = match.end()
            if events:
                yield events.pop()
        self._buffer = buffer[start:]
        self._check(len(self._buffer))

    def _whole_events(self, buffer: bytes) -> Generator[Event, None, int]:
        """The common case read a whole event at a time: ``\\n`` line ends only, no event
        pending. An event of one ``data`` line (and an ``event`` line before it) is cut out
        at once; any other goes through the line grammar. Returns where the rest begins."""
        start = 0
        while (end := buffer.find(b"\n\n", start)) >= 0:
            block = buffer[start:end]
            raw = buffer[start : end + 2]
            start = end + 2
            self._check(len(block))
            name: str | None = None
            line = block
            if block.startswith(b"event: "):
                head, _, line = block.partition(b"\n")
                name = head[7:].decode("utf-8", errors="replace") or None
            if line.startswith(b"data: ") and b"\n" not in line:
                yield Event(name, line[6:].decode("utf-8", errors="replace"), raw=raw)
                continue
            events: list[Event] = []
            self._raw.append(raw)
            for part in block.split(b"\n"):
                self._line(part, events)
            self._dispatch(events)
            yield from events
        return start

    def close(self) -> list[Event]:
        """The last event, if the stream ended without the blank line that ends it."""
        events: list[Event] = []
        if self._buffer:
            self._line(self._buffer, events)
            self._buffer = b""
        self._raw = []  # an event without its blank line is written out in standard form
        self._dispatch(events)
        return events

    def _check(self, pending: int) -> None:
        if self._size + pending > self._max:
            raise EventTooLargeError(self._max)

    def _line(self, raw: bytes, events: list[Event]) -> None:
        if not raw:
            self._dispatch(events)
            return
        self._check(len(raw))
        self._size += len(raw)
        line = raw.decode("utf-8", errors="replace")
        if line.startswith(":"):
            return
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)

    def _dispatch(self, events: list[Event]) -> None:
        if self._data:
            raw = b"".join(self._raw) if self._raw else None
            data = "\n".join(self._data)
            events.append(Event(self._event or None, data, self._id, self._retry, raw))
        self._event, self._data, self._id, self._retry, self._size = None, [], None, None, 0
        self._raw = []


def encode(event: Event) -> bytes:
    """The event as the upstream wrote it (``raw``), or else in standard form: its fields,
    one ``data:`` line per line of data, a blank line."""
    if event.raw is not None:
        return event.raw
    lines: list[str] = []
    if event.event is not None:
        lines.append(f"event: {_one_line(event.event, 'event')}")
    if event.id is not None:
        lines.append(f"id: {_one_line(event.id, 'id')}")
    if event.retry is not None:
        lines.append(f"retry: {event.retry}")
    lines.extend(f"data: {line}" for line in _DATA_LINES.split(event.data))
    return ("\n".join(lines) + "\n\n").encode()


def json_data(event: Event) -> Any:
    """An event's data read as JSON; None when it is not JSON (such as ``[DONE]``)."""
    try:
        return orjson.loads(event.data)
    except orjson.JSONDecodeError:
        return None


def json_event(name: str | None, data: object) -> Event:
    """An event carrying ``data`` as compact JSON."""
    return Event(name, orjson.dumps(data).decode())


def _one_line(value: str, name: str) -> str:
    if _DATA_LINES.search(value):
        raise ValueError(f"an event's {name} cannot contain a line end: {value!r}")
    return value
