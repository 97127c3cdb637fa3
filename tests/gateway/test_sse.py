"""Server-sent events: the parser against the event-stream grammar, whatever the chunking, its
bound, and the encoder against the ``openai`` SDK's own decoder."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openai._streaming import SSEDecoder

from distillguard.gateway.core import GatewayError
from distillguard.gateway.sse import (
    Event,
    EventTooLargeError,
    SseParser,
    encode,
    json_data,
    json_event,
)


def parse(stream: bytes, cuts: list[int] | None = None, limit: int = 1 << 20) -> list[Event]:
    """Events of ``stream`` fed in pieces cut at ``cuts`` (every byte when None)."""
    if cuts is None:
        cuts = list(range(1, len(stream)))
    parser = SseParser(limit)
    events: list[Event] = []
    start = 0
    for cut in [*sorted(set(cuts)), len(stream)]:
        events.extend(parser.feed(stream[start:cut]))
        start = cut
    return events + parser.close()


ANTHROPIC = (
    b"event: message_start\n"
    b'data: {"type": "message_start"}\n\n'
    b"event: ping\n"
    b'data: {"type": "ping"}\n\n'
)


def test_events_with_names_and_data() -> None:
    assert parse(ANTHROPIC, []) == [
        Event("message_start", '{"type": "message_start"}'),
        Event("ping", '{"type": "ping"}'),
    ]


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
def test_every_line_end_whatever_the_chunking(end: bytes) -> None:
    stream = ANTHROPIC.replace(b"\n", end)
    expected = parse(ANTHROPIC, [])
    assert parse(stream, []) == expected
    assert parse(stream) == expected  # byte by byte: "\r" | "\n" split between chunks
    for cut in range(len(stream)):
        assert parse(stream, [cut]) == expected


def test_mixed_line_ends_and_a_split_crlf_are_not_an_extra_blank_line() -> None:
    stream = b"data: a\r\r\ndata: b\n\rdata: c\r\n\r\n"
    assert parse(stream, []) == [Event(None, "a"), Event(None, "b"), Event(None, "c")]
    assert parse(b"data: a\r", []) == [Event(None, "a")]  # "\r" ends the line at the end
    parser = SseParser()
    assert parser.feed(b"data: a\r") == []
    assert parser.feed(b"\ndata: b\n\n") == [Event(None, "a\nb")]  # the "\n" paired the "\r"


def test_comments_multiline_data_and_fields() -> None:
    stream = (
        b": keep-alive\n"
        b"event: x\n"
        b"id: 7\n"
        b"retry: 1500\n"
        b"data: first\n"
        b"data:second\n"
        b"data\n"
        b"data:  indented\n"
        b"unknown: ignored\n"
        b"\n"
    )
    assert parse(stream) == [Event("x", "first\nsecond\n\n indented", "7", 1500)]


def test_invalid_id_and_retry_are_ignored_and_fields_do_not_carry_over() -> None:
    stream = b"id: a\0b\nretry: 12x\ndata: 1\n\nevent: y\n\ndata: 2\n\n"
    # an event without data is not dispatched, and its name does not leak into the next
    assert parse(stream, []) == [Event(None, "1"), Event(None, "2")]


def test_empty_data_is_an_event_and_no_data_is_none() -> None:
    assert parse(b"data:\n\n", []) == [Event(None, "")]
    assert parse(b"event: ping\n\n\n\n", []) == []


def test_utf8_characters_split_across_chunks() -> None:
    text = "é — 東京 🌊"
    stream = f"data: {text}\n\n".encode()
    assert parse(stream) == [Event(None, text)]
    assert parse(b"data: \xff\n\n", []) == [Event(None, "\ufffd")]  # invalid bytes replaced


def test_byte_order_mark_is_skipped_even_when_split() -> None:
    stream = b"\xef\xbb\xbfdata: x\n\n"
    assert parse(stream) == [Event(None, "x")]
    assert parse(b"\xef\xbbdata: x\n\n", []) == []  # half a mark: the field is not "data"
    assert parse(b"data: \xef\xbb\xbfx\n\n", []) == [Event(None, "\ufeffx")]  # only at the start


def test_close_dispatches_an_unterminated_last_event() -> None:
    assert parse(b"data: [DONE]", []) == [Event(None, "[DONE]")]
    assert parse(b"data: [DONE]\n", []) == [Event(None, "[DONE]")]
    parser = SseParser()
    assert parser.feed(b"data: x\n\n") == [Event(None, "x")]
    assert parser.close() == []


def test_a_pending_event_is_bounded() -> None:
    parser = SseParser(100)
    assert parser.feed(b"data: " + b"x" * 90 + b"\n\n") == [Event(None, "x" * 90)]
    with pytest.raises(EventTooLargeError, match="100 bytes") as caught:
        parser.feed(b"data: " + b"y" * 200)  # one unfinished line
    assert isinstance(caught.value, GatewayError)
    assert (caught.value.status, caught.value.kind) == (502, "api_error")
    lines = SseParser(100)
    for _ in range(6):  # 16 bytes each
        lines.feed(b"data: 0123456789\n")  # many short lines of one event...
    with pytest.raises(EventTooLargeError):
        lines.feed(b"data: 0123456789\n")  # ...add up
    fresh = SseParser(100)
    for _ in range(20):  # the bound is per event: the same bytes as many events pass
        assert fresh.feed(b"data: 0123456789\n\n") == [Event(None, "0123456789")]


def test_encode_writes_standard_events() -> None:
    assert encode(Event("x", "a")) == b"event: x\ndata: a\n\n"
    assert encode(Event(None, "a\nb\r\nc")) == b"data: a\ndata: b\ndata: c\n\n"
    assert encode(Event(None, "")) == b"data: \n\n"
    assert encode(Event("e", " sp", "1", 30)) == b"event: e\nid: 1\nretry: 30\ndata:  sp\n\n"
    with pytest.raises(ValueError, match="line end"):
        encode(Event("a\nb", "x"))


def test_json_helpers() -> None:
    event = json_event("t", {"a": "é", "b": [1, None]})
    assert event == Event("t", '{"a":"é","b":[1,null]}')
    assert json_data(event) == {"a": "é", "b": [1, None]}
    assert json_data(Event(None, "[DONE]")) is None
    assert json_data(Event(None, '{"cut": ')) is None


lines = st.text(st.characters(exclude_characters="\r\n", exclude_categories=["Cs"]), max_size=12)
events = st.builds(
    Event,
    st.none()
    | st.text(
        st.characters(exclude_characters="\r\n", exclude_categories=["Cs"]), min_size=1, max_size=8
    ),
    st.lists(lines, min_size=1, max_size=4).map("\n".join),
    st.none()
    | st.text(st.characters(exclude_characters="\r\n\0", exclude_categories=["Cs"]), max_size=5),
    st.none() | st.integers(0, 10_000),
)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(events, max_size=6))
def test_the_sdk_decoder_reads_what_encode_writes(sent: list[Event]) -> None:
    stream = b"".join(encode(e) for e in sent)
    decoded = list(SSEDecoder().iter_bytes(iter([stream])))
    assert [(e.event, e.data, e.retry) for e in decoded] == [
        (e.event, e.data, e.retry) for e in sent
    ]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(events, max_size=6), st.lists(st.integers(0, 400), max_size=12), st.data())
def test_encode_then_parse_is_identity_and_relays_as_written_whatever_the_chunking(
    sent: list[Event], cuts: list[int], data: st.DataObject
) -> None:
    end = data.draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
    comment = data.draw(st.sampled_from([b"", b": keep-alive" + end]))
    written = [comment + encode(e).replace(b"\n", end) for e in sent]
    stream = b"".join(written)
    got = parse(stream, cuts)
    assert got == sent
    relayed = b"".join(encode(e) for e in got)
    assert parse(relayed, []) == sent  # whatever was kept raw still reads the same
    if end == b"\n":  # a "\r" that ends a chunk is its event's end: the "\n" after it is not
        assert relayed == stream


def test_an_event_changed_or_unterminated_is_written_in_standard_form() -> None:
    (event,) = parse(b"data:x\r\n\r\n", [])
    assert encode(event) == b"data:x\r\n\r\n"
    assert encode(Event(event.event, "y")) == b"data: y\n\n"  # a new event has no raw bytes
    (last,) = parse(b"event: e\ndata: [DONE]", [])
    assert last.raw is None
    assert encode(last) == b"event: e\ndata: [DONE]\n\n"


def test_events_come_one_by_one_before_the_rest_of_a_chunk_is_read() -> None:
    parser = SseParser(100)
    chunk = b"data: a\n\nevent: b\ndata: c\n\n" + b"data: " + b"y" * 200
    read = parser.events(chunk)
    assert next(read) == Event(None, "a")
    assert next(read) == Event("b", "c")
    with pytest.raises(EventTooLargeError):
        next(read)  # the oversized rest is found only when it is reached
