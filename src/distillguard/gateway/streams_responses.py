"""Countermeasures inside a Responses API stream (``response.created`` … ``response.completed``).

- Logprobs are emptied in ``response.output_text.delta`` / ``.done`` events and in the
  ``output_text`` parts of items and response objects.
- A withheld reasoning item goes with every event about it (its ``output_item.added`` /
  ``.done``, ``response.reasoning_summary_*``, ``response.reasoning_text.*``, its content
  parts); the ``output_index`` of later items and every event's ``sequence_number`` are
  renumbered so they stay dense, as the SDK's ``ResponseStreamState`` and clients resuming
  a stream expect. A summarised item keeps its place: it is added empty, its own events are
  dropped, and just before its ``output_item.done`` the note is sent as its one summary part
  (``reasoning_summary_part.added``, ``…_text.delta``, ``…_text.done``, ``…_part.done``).
- Each ``output_text`` part goes through its own streaming embedder; what it held back is
  sent as one more delta just before ``response.output_text.done``, whose ``text`` — like
  the part in ``content_part.done``, ``output_item.done`` and the final response — is the
  watermarked whole text. Deltas the embedder holds back entirely are not sent.
- Events of kinds not named here pass through; the only change they may get is the
  renumbering of their ``output_index`` and ``sequence_number``.

The assembled object is the final response (``response.completed``, ``.incomplete`` or
``.failed``) as sent, or, for a stream that ended without one, the last response object sent
with the items sent so far.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Final

from distillguard.gateway.core import Measures
from distillguard.gateway.countermeasures import (
    StreamedText,
    Usage,
    Watermark,
    hides_logprobs,
    marked,
    note,
    output_text_part,
    reasoning_characters,
    response_output,
    summarised_item,
    usage,
)
from distillguard.gateway.sse import Event, json_data, json_event

TERMINAL: Final = frozenset(
    {"response.completed", "response.failed", "response.incomplete", "error"}
)
_LIFECYCLE: Final = frozenset({"response.created", "response.queued", "response.in_progress"})
_REASONING_DELTAS: Final = frozenset(
    {"response.reasoning_summary_text.delta", "response.reasoning_text.delta"}
)

Key = tuple[int, int]  # (upstream output index, content index) of an output_text part


@dataclass
class _Summarised:
    item_id: object
    characters: int = 0


class ResponsesStream:
    """One streamed Responses call."""

    def __init__(self, measures: Measures, watermark: Watermark) -> None:
        self._measures = measures
        self._hide_logprobs = hides_logprobs(measures, watermark)
        self._watermark = watermark
        self._withheld: set[int] = set()  # upstream output indexes of withheld items
        self._summarised: dict[int, _Summarised] = {}
        self._texts: dict[Key, StreamedText] = {}
        self._item_ids: dict[Key, object] = {}
        self._settled: dict[Key, str] = {}  # whole texts as sent, once each part ended
        self._items: dict[int, dict[str, Any]] = {}  # upstream output index → item as sent
        self._response: dict[str, Any] | None = None  # the last response object sent
        self._final: dict[str, Any] | None = None
        self._sequence: int | None = None  # the next sequence number to send
        self._named = True  # events carry their type as the SSE event name
        self._done = False

    def is_terminal(self, event: Event) -> bool:
        if event.event is not None:
            return event.event in TERMINAL
        data = json_data(event)
        return isinstance(data, dict) and data.get("type") in TERMINAL

    def feed(self, event: Event) -> list[Event]:
        data = json_data(event)
        if self._done or not isinstance(data, dict) or not isinstance(data.get("type"), str):
            return [event]
        self._named = event.event is not None
        kind: str = data["type"]
        index = data.get("output_index")
        if type(index) is not int:
            return self._other(event, kind, data)
        if index in self._withheld:
            return []
        if kind == "response.output_item.added":
            return self._added(event, index, data)
        if kind == "response.output_item.done":
            return self._item_done(event, index, data)
        if index in self._summarised:
            if kind in _REASONING_DELTAS and isinstance(data.get("delta"), str):
                self._summarised[index].characters += len(data["delta"])
            return []  # the summarised item's own events: its note replaces them
        key = (index, data["content_index"] if type(data.get("content_index")) is int else 0)
        if kind == "response.output_text.delta":
            return self._delta(event, key, data)
        if kind == "response.output_text.done":
            return self._text_done(event, key, data)
        if kind in ("response.content_part.added", "response.content_part.done"):
            return self._part(event, key, data)
        return [self._emit(event, data)]

    def close(self) -> list[Event]:
        if self._done:
            return []
        self._done = True
        return self._flush(None)

    def _emit(self, event: Event | None, data: dict[str, Any], changed: bool = True) -> Event:
        """The event to send for ``data``: renumbered, and ``event`` itself if unchanged."""
        sequence = data.get("sequence_number")
        if type(sequence) is int:
            if self._sequence is None:
                self._sequence = sequence
            if sequence != self._sequence:
                data["sequence_number"] = self._sequence
                changed = True
            self._sequence += 1
        index = data.get("output_index")
        if type(index) is int and self._withheld:
            moved = index - sum(1 for w in self._withheld if w < index)
            if moved != index:
                data["output_index"] = moved
                changed = True
        if event is not None and not changed:
            return event
        name = event.event if event is not None else (data["type"] if self._named else None)
        return json_event(name, data)

    def _other(self, event: Event, kind: str, data: dict[str, Any]) -> list[Event]:
        """Events not about one output item: the response's lifecycle, errors, the unknown."""
        out: list[Event] = []
        if kind in TERMINAL:
            out = self._flush(None)
            self._done = True
        response = data.get("response")
        if isinstance(response, dict) and (kind in TERMINAL or kind in _LIFECYCLE):
            sent = self._response_object(response)
            data["response"] = sent
            self._response = sent
            if kind in TERMINAL:
                self._final = sent
            return [*out, self._emit(event, data, sent != response)]
        return [*out, self._emit(event, data, changed=False)]

    def _response_object(self, response: dict[str, Any]) -> dict[str, Any]:
        output = response.get("output")
        if not isinstance(output, list):
            return response
        seen = {index: s.characters for index, s in self._summarised.items()}
        kept = response_output(output, self._measures, self._watermark, self._settled, seen)
        return {**response, "output": kept}

    def _added(self, event: Event, index: int, data: dict[str, Any]) -> list[Event]:
        item = data.get("item")
        if not isinstance(item, dict):
            return [self._emit(event, data, changed=False)]
        if item.get("type") == "reasoning" and self._measures.reasoning != "keep":
            if self._measures.reasoning == "withhold":
                self._withheld.add(index)
                return []
            self._summarised[index] = _Summarised(item.get("id"))
            item = {k: v for k, v in item.items() if k not in ("content", "encrypted_content")}
            item["summary"] = []
            data["item"] = item
            self._items[index] = item
            return [self._emit(event, data)]
        changed = False
        if item.get("type") == "message" and isinstance(item.get("content"), list):
            parts = [self._clean(p) for p in item["content"]]
            changed = parts != item["content"]
            item = {**item, "content": parts}
            data["item"] = item
        self._items[index] = copy.deepcopy(item)
        return [self._emit(event, data, changed)]

    def _clean(self, part: Any) -> Any:
        if isinstance(part, dict):
            return output_text_part(part, self._hide_logprobs, None, None)
        return part

    def _item_done(self, event: Event, index: int, data: dict[str, Any]) -> list[Event]:
        item = data.get("item")
        if not isinstance(item, dict):
            return [self._emit(event, data, changed=False)]
        if index in self._summarised:
            return self._summary(event, index, data, item)
        out = self._flush(index)
        if item.get("type") == "message" and isinstance(item.get("content"), list):
            item = response_output([item], self._measures, self._watermark, self._texts_of(index))[
                0
            ]
            data["item"] = item
            self._items[index] = item
            return [*out, self._emit(event, data)]
        self._items[index] = item
        return [*out, self._emit(event, data, changed=False)]

    def _texts_of(self, index: int) -> dict[Key, str]:
        """The settled texts of one item, keyed as if it were the only output item."""
        return {(0, part): text for (i, part), text in self._settled.items() if i == index}

    def _summary(
        self, event: Event, index: int, data: dict[str, Any], item: dict[str, Any]
    ) -> list[Event]:
        """The note's summary-part events, then the summarised item's ``output_item.done``."""
        state = self._summarised[index]
        characters = reasoning_characters(item) or state.characters
        text = note(characters)
        common = {"item_id": state.item_id, "output_index": index, "summary_index": 0}
        part = {"type": "summary_text", "text": text}
        steps: list[dict[str, Any]] = [
            {"type": "response.reasoning_summary_part.added", "part": {**part, "text": ""}},
            {"type": "response.reasoning_summary_text.delta", "delta": text},
            {"type": "response.reasoning_summary_text.done", "text": text},
            {"type": "response.reasoning_summary_part.done", "part": part},
        ]
        out = [self._emit(None, {**step, **common, "sequence_number": 0}) for step in steps]
        item = summarised_item(item, characters)
        data["item"] = item
        self._items[index] = item
        return [*out, self._emit(event, data)]

    def _text(self, key: Key) -> StreamedText:
        if key not in self._texts:
            self._texts[key] = StreamedText(self._watermark)
        return self._texts[key]

    def _delta(self, event: Event, key: Key, data: dict[str, Any]) -> list[Event]:
        changed = False
        if self._hide_logprobs and data.get("logprobs"):
            data["logprobs"] = []
            changed = True
        self._item_ids.setdefault(key, data.get("item_id"))
        delta = data.get("delta")
        if not isinstance(delta, str):
            return [self._emit(event, data, changed)]
        text = self._text(key).feed(delta)
        if not text:
            return []
        if text != delta:
            data["delta"] = text
            changed = True
        return [self._emit(event, data, changed)]

    def _text_done(self, event: Event, key: Key, data: dict[str, Any]) -> list[Event]:
        self._item_ids.setdefault(key, data.get("item_id"))
        out = self._end_text(key)
        changed = False
        if self._hide_logprobs and data.get("logprobs"):
            data["logprobs"] = []
            changed = True
        if key not in self._settled and isinstance(data.get("text"), str):
            self._settled[key] = marked(data["text"], self._watermark)  # a text sent whole
        if key in self._settled and data.get("text") != self._settled[key]:
            data["text"] = self._settled[key]
            changed = True
        return [*out, self._emit(event, data, changed)]

    def _part(self, event: Event, key: Key, data: dict[str, Any]) -> list[Event]:
        part = data.get("part")
        if not isinstance(part, dict) or part.get("type") != "output_text":
            return [self._emit(event, data, changed=False)]
        if data["type"] == "response.content_part.added":
            new = output_text_part(part, self._hide_logprobs, None, None)
            item = self._items.get(key[0])
            if item is not None and isinstance(item.get("content"), list):
                item["content"].append(dict(new))
        else:
            new = output_text_part(part, self._hide_logprobs, self._settled.get(key), None)
        data["part"] = new
        return [self._emit(event, data, new != part)]

    def _end_text(self, key: Key) -> list[Event]:
        """End one text; the delta of what its embedder held back, if anything."""
        stream = self._texts.get(key)
        if stream is None or stream.closed:
            return []
        rest = stream.close()
        self._settled[key] = stream.text
        if not rest:
            return []
        delta = {
            "type": "response.output_text.delta",
            "item_id": self._item_ids.get(key),
            "output_index": key[0],
            "content_index": key[1],
            "delta": rest,
            "logprobs": [],
            "sequence_number": 0,
        }
        return [self._emit(None, delta)]

    def _flush(self, index: int | None) -> list[Event]:
        """End the open texts (of one item, or all of them)."""
        keys = [k for k in self._texts if index is None or k[0] == index]
        return [event for key in sorted(keys) for event in self._end_text(key)]

    def assembled(self) -> dict[str, Any]:
        if self._final is not None and self._final.get("output"):
            return self._final
        base = self._final or self._response or {}
        output = []
        for index, sent in sorted(self._items.items()):
            item = copy.deepcopy(sent)
            for position, part in enumerate(item.get("content") or ()):
                stream = self._texts.get((index, position))
                if isinstance(part, dict) and part.get("type") == "output_text" and stream:
                    part["text"] = self._settled.get((index, position), stream.text)
            output.append(item)
        return {**base, "output": output}

    def usage(self) -> Usage | None:
        return usage("responses", self._final or self._response)
