"""Countermeasures inside a stream, event by event, and the answer the client received.

One transformer per streamed call: ``feed(event)`` returns the events to send for one
upstream event (none, the same, a changed one, or several), ``close()`` any held back at the
end, ``is_terminal(event)`` whether an event ends the stream (the gateway logs the call just
before sending it), ``assembled()`` the whole-answer object equivalent to what was sent (what
the raw log records and ingest reads), ``usage()`` the tokens billed.

Watermarked text goes through one streaming ``Embedder`` per answer text; what it holds back
is sent as one more delta just before the event that ends that text, so the deltas the client
gets concatenate to exactly ``embed`` of the whole text. Withheld reasoning is removed with
its events, and what the SDKs index by (Anthropic ``index``, Responses ``output_index`` and
``sequence_number``) is renumbered so their stream accumulators still work. Events that are
not JSON, or of kinds this module does not know, pass through unchanged.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, Final, Protocol

import orjson

from distillguard.gateway.core import Api, Measures
from distillguard.gateway.countermeasures import Usage, note, usage
from distillguard.gateway.sse import Event
from distillguard.watermark.embed import Embedder

Watermark = Callable[[], Embedder] | None
_RESPONSE_END: Final = ("response.completed", "response.failed", "response.incomplete")


class StreamTransformer(Protocol):
    def feed(self, event: Event) -> list[Event]: ...
    def close(self) -> list[Event]: ...
    def is_terminal(self, event: Event) -> bool: ...
    def assembled(self) -> dict[str, Any]: ...
    def usage(self) -> Usage | None: ...


def _json(event: Event) -> Any:
    try:
        return orjson.loads(event.data)
    except orjson.JSONDecodeError:
        return None


def _event(name: str | None, data: Any) -> Event:
    return Event(name, orjson.dumps(data).decode())


class _Text:
    """One answer text: what upstream sent, and what the client was sent."""

    def __init__(self, watermark: Watermark) -> None:
        self.embedder = watermark() if watermark is not None else None
        self.sent = ""

    def feed(self, text: str) -> str:
        out = self.embedder.feed(text) if self.embedder is not None else text
        self.sent += out
        return out

    def close(self) -> str:
        out = self.embedder.close() if self.embedder is not None else ""
        self.embedder = None
        self.sent += out
        return out


class ChoiceStream:
    """Chat Completions and legacy Completions chunks (``data: {...}`` then ``[DONE]``)."""

    def __init__(self, api: Api, measures: Measures, watermark: Watermark, wants_usage: bool):
        self.api = api
        self.measures = measures
        self.watermark = watermark
        self.wants_usage = wants_usage
        self.texts: dict[int, _Text] = {}
        self.reasoning: dict[int, int] = {}  # reasoning characters seen per choice
        self.noted: set[int] = set()
        self.finish: dict[int, Any] = {}
        self.head: dict[str, Any] = {}
        self.found_usage: Any = None

    def is_terminal(self, event: Event) -> bool:
        return event.data.strip() == "[DONE]"

    def _text(self, index: int) -> _Text:
        if index not in self.texts:
            self.texts[index] = _Text(self.watermark)
        return self.texts[index]

    def feed(self, event: Event) -> list[Event]:
        chunk = _json(event)
        if not isinstance(chunk, dict):
            return [event]
        if isinstance(chunk.get("usage"), dict):
            self.found_usage = chunk["usage"]
        choices = chunk.get("choices")
        if not isinstance(choices, list):
            return [event]
        if not self.head:
            self.head = {k: chunk.get(k) for k in ("id", "created", "model", "system_fingerprint")}
        if not choices:
            return [event] if self.wants_usage else []
        before: list[Event] = []
        kept = []
        for choice in choices:
            if not isinstance(choice, dict):
                kept.append(choice)
                continue
            index = choice.get("index", 0) if type(choice.get("index")) is int else 0
            if self.measures.strip_logprobs and choice.get("logprobs") is not None:
                choice["logprobs"] = None
            self._choice(index, choice)
            if choice.get("finish_reason") is not None:
                self.finish[index] = choice["finish_reason"]
                rest = self._text(index).close()
                if rest:
                    extra = {**chunk, "choices": [self._delta(index, rest)]}
                    extra.pop("usage", None)
                    before.append(_event(event.event, extra))
            if self._empty(choice):
                continue
            kept.append(choice)
        if not kept and not (chunk.get("usage") and self.wants_usage):
            return before
        chunk["choices"] = kept
        return [*before, _event(event.event, chunk)]

    def _delta(self, index: int, text: str) -> dict[str, Any]:
        if self.api == "completions":
            return {"index": index, "text": text, "finish_reason": None, "logprobs": None}
        return {"index": index, "delta": {"content": text}, "finish_reason": None}

    def _choice(self, index: int, choice: dict[str, Any]) -> None:
        if self.api == "completions":
            if isinstance(choice.get("text"), str):
                choice["text"] = self._text(index).feed(choice["text"])
            return
        delta = choice.get("delta")
        if not isinstance(delta, dict):
            return
        for name in ("reasoning_content", "reasoning"):
            if isinstance(delta.get(name), str):
                self.reasoning[index] = self.reasoning.get(index, 0) + len(delta[name])
                if self.measures.reasoning != "keep":
                    delta.pop(name)
        if isinstance(delta.get("content"), str):
            summarise = self.measures.reasoning == "summarise" and self.reasoning.get(index)
            if summarise and index not in self.noted:
                self.noted.add(index)
                delta["reasoning_content"] = note(self.reasoning[index])
            delta["content"] = self._text(index).feed(delta["content"])
            if delta["content"] == "":
                delta.pop("content")

    def _empty(self, choice: dict[str, Any]) -> bool:
        if choice.get("finish_reason") is not None:
            return False
        if self.api == "completions":
            return choice.get("text") == ""
        delta = choice.get("delta")
        return isinstance(delta, dict) and not delta and choice.get("logprobs") is None

    def close(self) -> list[Event]:
        return []

    def assembled(self) -> dict[str, Any]:
        indexes = sorted(set(self.texts) | set(self.finish))
        if self.api == "completions":
            choices: list[dict[str, Any]] = [
                {
                    "index": i,
                    "text": self.texts[i].sent if i in self.texts else "",
                    "finish_reason": self.finish.get(i),
                    "logprobs": None,
                }
                for i in indexes
            ]
            kind = "text_completion"
        else:
            choices = []
            for i in indexes:
                message: dict[str, Any] = {
                    "role": "assistant",
                    "content": self.texts[i].sent if i in self.texts else None,
                }
                if self.reasoning.get(i) and self.measures.reasoning == "summarise":
                    message["reasoning_content"] = note(self.reasoning[i])
                choices.append(
                    {"index": i, "message": message, "finish_reason": self.finish.get(i)}
                )
            kind = "chat.completion"
        body = {**self.head, "object": kind, "choices": choices}
        if self.found_usage is not None:
            body["usage"] = self.found_usage
        return body

    def usage(self) -> Usage | None:
        return usage(self.api, {"usage": self.found_usage}) if self.found_usage else None


class ResponsesStream:
    """Responses API events (``response.created`` … ``response.completed``)."""

    def __init__(self, measures: Measures, watermark: Watermark) -> None:
        self.measures = measures
        self.watermark = watermark
        self.texts: dict[tuple[int, int], _Text] = {}
        self.dropped: set[int] = set()  # upstream output indexes withheld
        self.sequence = 0
        self.final: dict[str, Any] = {}
        self.reasoning: dict[int, int] = {}

    def is_terminal(self, event: Event) -> bool:
        kind = event.event
        if kind is None:
            data = _json(event)
            kind = data.get("type") if isinstance(data, dict) else None
        return kind in (*_RESPONSE_END, "error")

    def _index(self, index: int) -> int:
        return index - sum(1 for d in self.dropped if d < index)

    def _text(self, key: tuple[int, int]) -> _Text:
        if key not in self.texts:
            self.texts[key] = _Text(self.watermark)
        return self.texts[key]

    def _out(self, event: Event, data: dict[str, Any]) -> Event:
        if "sequence_number" in data:
            data["sequence_number"] = self.sequence
        self.sequence += 1
        if type(data.get("output_index")) is int:
            data["output_index"] = self._index(data["output_index"])
        return _event(event.event, data)

    def feed(self, event: Event) -> list[Event]:
        data = _json(event)
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            return [event]
        kind: str = data["type"]
        index = data.get("output_index")
        item = data.get("item")
        withholding = self.measures.reasoning != "keep"
        if kind.startswith(("response.reasoning_summary", "response.reasoning_text")):
            if type(index) is int:
                delta = data.get("delta")
                self.reasoning[index] = self.reasoning.get(index, 0) + (
                    len(delta) if isinstance(delta, str) else 0
                )
            return [] if withholding else [self._out(event, data)]
        if isinstance(item, dict) and item.get("type") == "reasoning" and withholding:
            if self.measures.reasoning == "withhold":
                if type(index) is int:
                    self.dropped.add(index)
                return []
            if kind == "response.output_item.done":
                size = self.reasoning.get(index, 0) if type(index) is int else 0
                data["item"] = {
                    **{k: v for k, v in item.items() if k not in ("content", "encrypted_content")},
                    "summary": [{"type": "summary_text", "text": note(size)}],
                }
            else:
                data["item"] = {**item, "summary": []}
            return [self._out(event, data)]
        key = (index if type(index) is int else 0, _int(data.get("content_index")))
        if kind == "response.output_text.delta":
            if self.measures.strip_logprobs and data.get("logprobs"):
                data["logprobs"] = []
            data["delta"] = self._text(key).feed(str(data.get("delta") or ""))
            return [self._out(event, data)] if data["delta"] else []
        if kind == "response.output_text.done":
            before: list[Event] = []
            rest = self._text(key).close()
            if rest:
                extra: dict[str, Any] = {
                    "type": "response.output_text.delta",
                    "item_id": data.get("item_id"),
                    "output_index": key[0],
                    "content_index": key[1],
                    "delta": rest,
                    "logprobs": [],
                    "sequence_number": 0,
                }
                before.append(
                    self._out(
                        Event("response.output_text.delta" if event.event else None, ""), extra
                    )
                )
            data["text"] = self.texts[key].sent
            if self.measures.strip_logprobs and data.get("logprobs"):
                data["logprobs"] = []
            return [*before, self._out(event, data)]
        part = data.get("part")
        done_text = kind == "response.content_part.done" and key in self.texts
        if done_text and isinstance(part, dict) and part.get("type") == "output_text":
            data["part"] = {**part, "text": self.texts[key].sent}
        if kind == "response.output_item.done" and isinstance(item, dict):
            data["item"] = self._item(key[0], item)
        if isinstance(data.get("response"), dict):
            data["response"] = self._response(data["response"])
            if kind in _RESPONSE_END:
                self.final = data["response"]
        return [self._out(event, data)]

    def _item(self, index: int, item: dict[str, Any]) -> dict[str, Any]:
        if item.get("type") != "message":
            return item
        item = copy.deepcopy(item)
        for position, part in enumerate(item.get("content") or []):
            if isinstance(part, dict) and part.get("type") == "output_text":
                if (index, position) in self.texts:
                    part["text"] = self.texts[(index, position)].sent
                if self.measures.strip_logprobs and part.get("logprobs"):
                    part["logprobs"] = []
        return item

    def _response(self, response: dict[str, Any]) -> dict[str, Any]:
        output = response.get("output")
        if not isinstance(output, list):
            return response
        kept = []
        for index, original in enumerate(output):
            item = original
            if isinstance(item, dict) and item.get("type") == "reasoning":
                if self.measures.reasoning == "withhold":
                    continue
                if self.measures.reasoning == "summarise":
                    item = {
                        **{
                            k: v
                            for k, v in item.items()
                            if k not in ("content", "encrypted_content")
                        },
                        "summary": [
                            {"type": "summary_text", "text": note(self.reasoning.get(index, 0))}
                        ],
                    }
            kept.append(self._item(index, item) if isinstance(item, dict) else item)
        return {**response, "output": kept}

    def close(self) -> list[Event]:
        return []

    def assembled(self) -> dict[str, Any]:
        return self.final

    def usage(self) -> Usage | None:
        return usage("responses", self.final)


def _int(value: object) -> int:
    return value if type(value) is int else 0


class MessagesStream:
    """Anthropic Messages events (``message_start`` … ``message_stop``)."""

    def __init__(self, measures: Measures, watermark: Watermark) -> None:
        self.measures = measures
        self.watermark = watermark
        self.message: dict[str, Any] = {}
        self.blocks: dict[int, dict[str, Any]] = {}  # upstream index → block as sent
        self.texts: dict[int, _Text] = {}
        self.dropped: set[int] = set()
        self.summarised: dict[int, int] = {}  # upstream index → reasoning characters
        self.found_usage: dict[str, Any] = {}
        self.stop: dict[str, Any] = {}

    def is_terminal(self, event: Event) -> bool:
        return event.event in ("message_stop", "error") or event.data.startswith(
            ('{"type":"message_stop"', '{"type": "message_stop"')
        )

    def _index(self, index: int) -> int:
        return index - sum(1 for d in self.dropped if d < index)

    def _out(self, event: Event, data: dict[str, Any]) -> Event:
        if type(data.get("index")) is int:
            data["index"] = self._index(data["index"])
        return _event(event.event, data)

    def feed(self, event: Event) -> list[Event]:
        data = _json(event)
        if not isinstance(data, dict):
            return [event]
        kind = data.get("type")
        index = data.get("index")
        if kind == "message_start" and isinstance(data.get("message"), dict):
            self.message = copy.deepcopy(data["message"])
            if isinstance(self.message.get("usage"), dict):
                self.found_usage.update(self.message["usage"])
            return [event]
        if kind == "message_delta":
            if isinstance(data.get("usage"), dict):
                self.found_usage.update({k: v for k, v in data["usage"].items() if v is not None})
            if isinstance(data.get("delta"), dict):
                self.stop.update(data["delta"])
            return [event]
        if type(index) is not int:
            return [event]
        if kind == "content_block_start" and isinstance(data.get("content_block"), dict):
            block = data["content_block"]
            if block.get("type") in ("thinking", "redacted_thinking"):
                if self.measures.reasoning == "withhold":
                    self.dropped.add(index)
                    return []
                if self.measures.reasoning == "summarise":
                    self.summarised[index] = len(block.get("data") or "")
                    data["content_block"] = {"type": "thinking", "thinking": "", "signature": ""}
            self.blocks[index] = copy.deepcopy(data["content_block"])
            return [self._out(event, data)]
        if index in self.dropped:
            return []
        block = self.blocks.get(index)
        if kind == "content_block_delta" and isinstance(data.get("delta"), dict):
            delta = data["delta"]
            if index in self.summarised:
                self.summarised[index] += len(delta.get("thinking") or "")
                return []
            if delta.get("type") == "text_delta" and isinstance(delta.get("text"), str):
                if index not in self.texts:
                    self.texts[index] = _Text(self.watermark)
                delta["text"] = self.texts[index].feed(delta["text"])
                if block is not None:
                    block["text"] = block.get("text", "") + delta["text"]
                return [self._out(event, data)] if delta["text"] else []
            if block is not None:
                for name in ("thinking", "signature", "partial_json"):
                    if isinstance(delta.get(name), str):
                        block[name] = block.get(name, "") + delta[name]
            return [self._out(event, data)]
        if kind == "content_block_stop":
            before = []
            if index in self.summarised and block is not None:
                block["thinking"] = note(self.summarised[index])
                delta = {"type": "thinking_delta", "thinking": block["thinking"]}
                extra = {"type": "content_block_delta", "index": index, "delta": delta}
                before.append(self._out(Event("content_block_delta", ""), extra))
            if index in self.texts:
                rest = self.texts[index].close()
                if rest:
                    if block is not None:
                        block["text"] = block.get("text", "") + rest
                    delta = {"type": "text_delta", "text": rest}
                    extra = {"type": "content_block_delta", "index": index, "delta": delta}
                    before.append(self._out(Event("content_block_delta", ""), extra))
            return [*before, self._out(event, data)]
        return [self._out(event, data)]

    def close(self) -> list[Event]:
        return []

    def assembled(self) -> dict[str, Any]:
        content = []
        for index in sorted(self.blocks):
            block = self.blocks[index]
            if block.get("type") == "tool_use" and isinstance(block.get("partial_json"), str):
                raw = block.pop("partial_json")
                try:
                    block["input"] = orjson.loads(raw) if raw else {}
                except orjson.JSONDecodeError:
                    block["input"] = {}
            content.append(block)
        body = {**self.message, "content": content}
        for name in ("stop_reason", "stop_sequence"):
            if name in self.stop:
                body[name] = self.stop[name]
        if self.found_usage:
            body["usage"] = self.found_usage
        return body

    def usage(self) -> Usage | None:
        return usage("messages", {"usage": self.found_usage}) if self.found_usage else None


def open_stream(
    api: Api, measures: Measures, watermark: Watermark, client_wants_usage: bool
) -> StreamTransformer:
    if api == "responses":
        return ResponsesStream(measures, watermark)
    if api == "messages":
        return MessagesStream(measures, watermark)
    return ChoiceStream(api, measures, watermark, client_wants_usage)
