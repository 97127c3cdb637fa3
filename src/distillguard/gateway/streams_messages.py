"""Countermeasures inside an Anthropic Messages stream (``message_start`` … ``message_stop``).

- A withheld ``thinking`` or ``redacted_thinking`` block goes with all its events
  (``content_block_start``, its ``thinking_delta`` / ``signature_delta`` deltas,
  ``content_block_stop``), and the ``index`` of later blocks is renumbered so that it stays
  the block's position in the message, which is what the SDK's ``accumulate_event`` indexes.
- A summarised block keeps its place as a ``thinking`` block with an empty thinking and
  signature: its deltas are dropped, and just before its ``content_block_stop`` the note is
  sent as its one ``thinking_delta`` (no signature: see ``countermeasures``).
- Each text block goes through its own streaming embedder; what it held back is sent as one
  more ``text_delta`` just before the block's ``content_block_stop``, and deltas it holds
  back entirely are not sent.
- Events of other kinds (``ping``, ``message_delta``, the unknown) pass through untouched.

The assembled object is the ``Message`` of what was sent: ``message_start``'s message, the
blocks as their deltas built them, and ``message_delta``'s stop reason and usage (whose
counts are cumulative: a later value replaces an earlier one, and absent ones keep theirs).
"""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass, field
from typing import Any, Final

import orjson

from distillguard.gateway.core import Measures
from distillguard.gateway.countermeasures import (
    ANTHROPIC_REASONING,
    StreamedText,
    Usage,
    Watermark,
    message_content,
    note,
    usage,
)
from distillguard.gateway.sse import Event, json_data, json_event

TERMINAL: Final = frozenset({"message_stop", "error"})
_TOOL_INPUT: Final = frozenset({"tool_use", "server_tool_use", "mcp_tool_use"})


@dataclass
class _Block:
    """One content block as sent so far."""

    start: dict[str, Any]
    text: StreamedText | None = None  # a text block's
    parts: dict[str, list[str]] = field(default_factory=dict)  # thinking, partial_json …
    signature: str | None = None
    citations: list[Any] = field(default_factory=list)
    summarised: int | None = None  # reasoning characters of a summarised block
    redacted: bool = False
    ended: bool = False


class MessagesStream:
    """One streamed Messages call."""

    def __init__(self, measures: Measures, watermark: Watermark) -> None:
        self._reasoning = measures.reasoning
        self._watermark = watermark
        self._message: dict[str, Any] = {}
        self._blocks: dict[int, _Block] = {}  # upstream index → block
        self._withheld: set[int] = set()
        self._usage: dict[str, Any] = {}
        self._stop: dict[str, Any] = {}
        self._done = False

    def is_terminal(self, event: Event) -> bool:
        if event.event is not None:
            return event.event in TERMINAL
        data = json_data(event)
        return isinstance(data, dict) and data.get("type") in TERMINAL

    def feed(self, event: Event) -> list[Event]:
        data = json_data(event)
        if self._done or not isinstance(data, dict):
            return [event]
        kind = data.get("type")
        if kind in TERMINAL:
            self._done = True
            return [*self._flush(), event]
        if kind == "message_start" and isinstance(data.get("message"), dict):
            return [self._start(event, data)]
        if kind == "message_delta":
            self._delta_of_message(data)
            return [event]
        index = data.get("index")
        if type(index) is not int or kind not in (
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
        ):
            return [event]
        if kind == "content_block_start":
            return self._block_start(event, index, data)
        if index in self._withheld:
            return []
        block = self._blocks.get(index)
        if block is None:
            return [self._emit(event, data, False)]
        if kind == "content_block_delta":
            return self._block_delta(event, index, block, data)
        return [*self._end(index, block), self._emit(event, data, False)]

    def close(self) -> list[Event]:
        if self._done:
            return []
        self._done = True
        return self._flush()

    def _position(self, index: int) -> int:
        return index - sum(1 for w in self._withheld if w < index)

    def _emit(self, event: Event | None, data: dict[str, Any], changed: bool) -> Event:
        """The event to send for ``data``: renumbered, and ``event`` itself if unchanged."""
        index = data["index"]
        moved = self._position(index)
        if moved != index:
            data["index"] = moved
            changed = True
        if event is not None and not changed:
            return event
        return json_event(event.event if event is not None else data["type"], data)

    def _start(self, event: Event, data: dict[str, Any]) -> Event:
        message: dict[str, Any] = data["message"]
        if isinstance(message.get("usage"), dict):
            self._usage = dict(message["usage"])
        content = message.get("content")
        if isinstance(content, list) and content:  # normally empty: blocks come as events
            sent = message_content(content, self._reasoning, self._watermark)
            if sent != content:
                message = {**message, "content": sent}
                data["message"] = message
                self._message = copy.deepcopy(message)
                return json_event(event.event, data)
        self._message = copy.deepcopy(message)
        return event

    def _delta_of_message(self, data: dict[str, Any]) -> None:
        found = data.get("usage")
        if isinstance(found, dict):
            self._usage.update({k: v for k, v in found.items() if v is not None})
        delta = data.get("delta")
        if isinstance(delta, dict):
            self._stop.update({k: v for k, v in delta.items() if k != "container" or v})

    def _block_start(self, event: Event, index: int, data: dict[str, Any]) -> list[Event]:
        start = data.get("content_block")
        if not isinstance(start, dict):
            return [event]
        kind = start.get("type")
        if kind in ANTHROPIC_REASONING and self._reasoning != "keep":
            if self._reasoning == "withhold":
                self._withheld.add(index)
                return []
            thinking = start.get("thinking")
            initial = len(thinking) if isinstance(thinking, str) else 0
            block = _Block({"type": "thinking", "thinking": "", "signature": ""})
            block.summarised = initial
            block.redacted = kind == "redacted_thinking"
            self._blocks[index] = block
            data["content_block"] = block.start
            return [self._emit(event, data, True)]
        block = _Block(copy.deepcopy(start))
        self._blocks[index] = block
        changed = False
        if kind == "text":
            block.text = StreamedText(self._watermark)
            first = start.get("text")
            if isinstance(first, str) and first:
                sent = block.text.feed(first)
                changed = sent != first
                data["content_block"] = {**start, "text": sent}
            block.start["text"] = ""
            block.citations = list(start.get("citations") or ())
        elif kind == "thinking":
            block.parts["thinking"] = [str(start.get("thinking") or "")]
            block.signature = start.get("signature")
        return [self._emit(event, data, changed)]

    def _block_delta(
        self, event: Event, index: int, block: _Block, data: dict[str, Any]
    ) -> list[Event]:
        delta = data.get("delta")
        if not isinstance(delta, dict):
            return [self._emit(event, data, False)]
        kind = delta.get("type")
        if block.summarised is not None:
            if kind == "thinking_delta" and isinstance(delta.get("thinking"), str):
                block.summarised += len(delta["thinking"])
            return []
        if kind == "text_delta" and block.text is not None and isinstance(delta.get("text"), str):
            text = block.text.feed(delta["text"])
            if not text:
                return []
            changed = text != delta["text"]
            if changed:
                data["delta"] = {**delta, "text": text}
            return [self._emit(event, data, changed)]
        if kind == "signature_delta" and isinstance(delta.get("signature"), str):
            block.signature = delta["signature"]
        elif kind == "citations_delta" and "citation" in delta:
            block.citations.append(delta["citation"])
        else:
            for name in ("thinking", "partial_json"):
                if isinstance(delta.get(name), str):
                    block.parts.setdefault(name, []).append(delta[name])
        return [self._emit(event, data, False)]

    def _end(self, index: int, block: _Block) -> list[Event]:
        """End one block; the delta it still needs sent before its stop, if any."""
        if block.ended:
            return []
        block.ended = True
        delta: dict[str, Any] | None = None
        if block.summarised is not None:
            text = note(None if block.redacted else block.summarised)
            block.parts["thinking"] = [text]
            delta = {"type": "thinking_delta", "thinking": text}
        elif block.text is not None:
            rest = block.text.close()
            if rest:
                delta = {"type": "text_delta", "text": rest}
        if delta is None:
            return []
        data = {"type": "content_block_delta", "index": index, "delta": delta}
        return [self._emit(None, data, True)]

    def _flush(self) -> list[Event]:
        """End the blocks still open (the stream ends)."""
        return [e for index, block in sorted(self._blocks.items()) for e in self._end(index, block)]

    def assembled(self) -> dict[str, Any]:
        content = [self._assembled(block) for _, block in sorted(self._blocks.items())]
        message = {**self._message, "content": content, **self._stop}
        if self._usage:
            message["usage"] = self._usage
        return message

    @staticmethod
    def _assembled(block: _Block) -> dict[str, Any]:
        out = copy.deepcopy(block.start)
        kind = out.get("type")
        if block.text is not None:
            out["text"] = block.text.text
            if block.citations:
                out["citations"] = block.citations
        if kind == "thinking":
            out["thinking"] = "".join(block.parts.get("thinking", ()))
            out["signature"] = block.signature or ""
        if kind in _TOOL_INPUT and block.parts.get("partial_json"):
            with contextlib.suppress(orjson.JSONDecodeError):  # a cut stream: input as it started
                out["input"] = orjson.loads("".join(block.parts["partial_json"]))
        return out

    def usage(self) -> Usage | None:
        return usage("messages", {"usage": self._usage}) if self._usage else None
