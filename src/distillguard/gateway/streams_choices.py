"""Countermeasures inside a Chat Completions or legacy Completions stream.

Both stream ``data: {chunk}`` events ending with ``data: [DONE]``; a chunk holds deltas for
one or more choices (``choices[].delta`` for chat, ``choices[].text`` for completions).

- Logprobs are nulled in every choice.
- Reasoning (chat ``delta.reasoning_content`` / ``delta.reasoning``, and
  ``reasoning_details``) is dropped; when summarised, the note goes, in the field the
  provider used, into the delta where the reasoning ends (the first answer, refusal or tool
  delta of that choice, or its finish).
- Each choice's answer text goes through its own streaming embedder. When the choice
  finishes, what the embedder held back is sent in one more chunk just before the chunk with
  the ``finish_reason`` (with the choice's own text and any note moved into it, so that they
  stay in order); empty deltas are not sent, and a chunk left with nothing is dropped.
- The usage-only chunk (empty ``choices``) is dropped when the client did not ask for usage:
  the gateway asked upstream for it, to count tokens.

The assembled object is a ``ChatCompletion`` (or ``Completion``) of what was sent, built
here in one pass rather than with the SDK's ``ChatCompletionStreamState``, which re-serialises
its whole snapshot at every chunk (quadratic on long answers). Its ``usage`` is recorded even
when the client was not sent it: it is what the call was billed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

from distillguard.gateway.core import Measures
from distillguard.gateway.countermeasures import (
    CHAT_REASONING,
    CHAT_REASONING_DETAILS,
    StreamedText,
    Usage,
    Watermark,
    hides_logprobs,
    note,
    usage,
)
from distillguard.gateway.sse import Event, json_data, json_event

_COMPLETION_LOGPROBS: Final = ("tokens", "token_logprobs", "top_logprobs", "text_offset")


def _filled(delta: dict[str, Any]) -> bool:
    """Whether a delta says anything (providers send unset fields as null)."""
    return any(value is not None for value in delta.values())


@dataclass
class _Choice:
    """One choice as the client received it so far."""

    text: StreamedText
    role: str | None = None
    reasoning: dict[str, list[str]] = field(default_factory=dict)  # field → text sent
    reasoning_field: str = CHAT_REASONING[0]
    reasoning_characters: int = 0
    note_due: bool = False  # reasoning was summarised and its note is not sent yet
    refusal: list[str] = field(default_factory=list)
    tools: dict[int, dict[str, Any]] = field(default_factory=dict)
    finish_reason: str | None = None
    logprobs: dict[str, list[Any]] | None = None


class ChoicesStream:
    """One streamed chat or completions call."""

    def __init__(
        self,
        api: Literal["chat", "completions"],
        measures: Measures,
        watermark: Watermark,
        client_wants_usage: bool,
    ) -> None:
        self._api = api
        self._reasoning = measures.reasoning
        self._hide_logprobs = hides_logprobs(measures, watermark)
        self._watermark = watermark
        self._wants_usage = client_wants_usage
        self._choices: dict[int, _Choice] = {}
        self._head: dict[str, Any] = {}  # the first chunk's fields but its choices
        self._usage: dict[str, Any] | None = None
        self._done = False

    def is_terminal(self, event: Event) -> bool:
        if event.data.strip() == "[DONE]" or event.event == "error":
            return True
        if '"error"' not in event.data:
            return False
        data = json_data(event)
        return isinstance(data, dict) and "error" in data and "choices" not in data

    def feed(self, event: Event) -> list[Event]:
        if self._done:
            return [event]
        if self.is_terminal(event):
            self._done = True
            return [*self._flush(event.event), event]
        chunk = json_data(event)
        if not isinstance(chunk, dict) or not isinstance(chunk.get("choices"), list):
            return [event]
        if not self._head:
            self._head = {k: v for k, v in chunk.items() if k not in ("choices", "usage")}
        if isinstance(chunk.get("usage"), dict):
            self._usage = chunk["usage"]
        choices: list[Any] = chunk["choices"]
        if not choices:
            usage_only = isinstance(chunk.get("usage"), dict)
            return [] if usage_only and not self._wants_usage else [event]
        before: list[dict[str, Any]] = []
        kept: list[Any] = []
        changed = False
        for choice in choices:
            if not isinstance(choice, dict) or type(choice.get("index")) is not int:
                kept.append(choice)
                continue
            edited, emptied = self._choice(choice, before)
            changed = changed or edited
            if not emptied:
                kept.append(choice)
        out = [json_event(event.event, self._chunk(chunk, before))] if before else []
        if not kept and (chunk.get("usage") is None or not self._wants_usage):
            return out  # nothing of this chunk is left to send
        if changed:
            return [*out, json_event(event.event, {**chunk, "choices": kept})]
        return [*out, event]

    def close(self) -> list[Event]:
        if self._done:
            return []
        self._done = True
        return self._flush(None)

    def _state(self, index: int) -> _Choice:
        if index not in self._choices:
            self._choices[index] = _Choice(StreamedText(self._watermark))
        return self._choices[index]

    def _chunk(self, like: dict[str, Any], choices: list[dict[str, Any]]) -> dict[str, Any]:
        """A chunk of ours, with the fields of ``like``."""
        chunk = {k: v for k, v in like.items() if k != "choices"}
        if "usage" in chunk:
            chunk["usage"] = None
        return {**chunk, "choices": choices}

    def _flush(self, name: str | None) -> list[Event]:
        """One chunk with every choice's held-back text and due note (the stream ends)."""
        parts: list[dict[str, Any]] = []
        for index, state in sorted(self._choices.items()):
            due = self._note(state)
            rest = state.text.close()
            if rest or due:
                parts.append(self._part(index, rest, due, None))
        if not parts or not self._head:
            return []
        return [json_event(name, self._chunk(self._head, parts))]

    def _note(self, state: _Choice) -> str | None:
        if not state.note_due:
            return None
        state.note_due = False
        text = note(state.reasoning_characters)
        state.reasoning.setdefault(state.reasoning_field, []).append(text)
        return text

    def _part(self, index: int, text: str, due: str | None, role: str | None) -> dict[str, Any]:
        """A choice of a chunk of ours: text (and note, role) moved ahead of a finish."""
        if self._api == "completions":
            return {"index": index, "text": text, "logprobs": None, "finish_reason": None}
        delta: dict[str, Any] = {} if role is None else {"role": role}
        if due is not None:
            delta[self._state(index).reasoning_field] = due
        if text:
            delta["content"] = text
        return {"index": index, "delta": delta, "logprobs": None, "finish_reason": None}

    def _choice(self, choice: dict[str, Any], before: list[dict[str, Any]]) -> tuple[bool, bool]:
        """Apply the measures to one choice of a chunk: (changed, emptied)."""
        index: int = choice["index"]
        state = self._state(index)
        changed = self._logprobs(choice, state)
        finish = choice.get("finish_reason")
        if self._api == "completions":
            had = choice.get("text")
            text = state.text.feed(had) if isinstance(had, str) else ""
            if finish is not None:
                state.finish_reason = finish
                rest = state.text.close()
                if text or rest:
                    before.append(self._part(index, text + rest, None, None))
                text = ""
            if isinstance(had, str) and text != had:
                choice["text"] = text
                changed = True
            emptied = bool(had) and not text and finish is None and choice.get("logprobs") is None
            return changed, emptied
        delta = choice.get("delta")
        if not isinstance(delta, dict):
            return changed, False
        had_something = _filled(delta)
        changed = self._strip_reasoning(delta, state) or changed
        if isinstance(delta.get("role"), str):
            state.role = delta["role"]
        content = delta.get("content")
        ends = finish is not None
        due = self._note(state) if self._note_ends(state, delta, ends) else None
        text = state.text.feed(content) if isinstance(content, str) else ""
        if ends:
            state.finish_reason = finish
            text += state.text.close()
            if text or due:
                before.append(self._part(index, text, due, delta.pop("role", None)))
                delta.pop("content", None)
                changed = True
        else:
            if due is not None:
                delta[state.reasoning_field] = due
                changed = True
            if isinstance(content, str) and text != content:
                changed = True
                if text:
                    delta["content"] = text
                else:
                    del delta["content"]
        self._record(delta, state)
        emptied = had_something and not _filled(delta) and not ends and not choice.get("logprobs")
        return changed, emptied

    def _logprobs(self, choice: dict[str, Any], state: _Choice) -> bool:
        found = choice.get("logprobs")
        if not isinstance(found, dict):
            return False
        if self._hide_logprobs:
            choice["logprobs"] = None
            return True
        if state.logprobs is None:
            state.logprobs = {}
        for name, value in found.items():
            if isinstance(value, list):
                state.logprobs.setdefault(name, []).extend(value)
        return False

    def _strip_reasoning(self, delta: dict[str, Any], state: _Choice) -> bool:
        changed = False
        counted = False
        for name in CHAT_REASONING:
            value = delta.get(name)
            if not isinstance(value, str):
                continue
            state.reasoning_field = name
            if not counted:  # some providers send the same text under both names
                state.reasoning_characters += len(value)
                counted = True
            if self._reasoning == "keep":
                state.reasoning.setdefault(name, []).append(value)
            else:
                del delta[name]
                changed = True
                state.note_due = state.note_due or (self._reasoning == "summarise" and bool(value))
        if self._reasoning != "keep" and CHAT_REASONING_DETAILS in delta:
            del delta[CHAT_REASONING_DETAILS]
            changed = True
        return changed

    @staticmethod
    def _note_ends(state: _Choice, delta: dict[str, Any], ends: bool) -> bool:
        """Whether the summarised reasoning is over (its note is sent with this delta)."""
        if not state.note_due:
            return False
        return ends or any(delta.get(k) for k in ("content", "refusal", "tool_calls"))

    @staticmethod
    def _record(delta: dict[str, Any], state: _Choice) -> None:
        if isinstance(delta.get("refusal"), str):
            state.refusal.append(delta["refusal"])
        for call in delta.get("tool_calls") or ():
            if not isinstance(call, dict) or type(call.get("index")) is not int:
                continue
            tool = state.tools.setdefault(call["index"], {"name": [], "arguments": []})
            for key in ("id", "type"):
                if isinstance(call.get(key), str):
                    tool[key] = call[key]
            function = call.get("function")
            if isinstance(function, dict):
                for key in ("name", "arguments"):
                    if isinstance(function.get(key), str):
                        tool[key].append(function[key])

    def assembled(self) -> dict[str, Any]:
        choices = [self._assembled(i, s) for i, s in sorted(self._choices.items())]
        kind = "chat.completion" if self._api == "chat" else "text_completion"
        body: dict[str, Any] = {**self._head, "object": kind, "choices": choices}
        body.pop("obfuscation", None)
        if self._usage is not None:
            body["usage"] = self._usage
        return body

    def _assembled(self, index: int, state: _Choice) -> dict[str, Any]:
        logprobs: dict[str, Any] | None = state.logprobs
        if self._api == "completions":
            if logprobs is not None:
                logprobs = {name: logprobs.get(name) for name in _COMPLETION_LOGPROBS}
            return {
                "index": index,
                "text": state.text.text,
                "logprobs": logprobs,
                "finish_reason": state.finish_reason,
            }
        message: dict[str, Any] = {
            "role": state.role or "assistant",
            "content": state.text.text if state.text.fed else None,
            "refusal": "".join(state.refusal) if state.refusal else None,
        }
        for name, parts in state.reasoning.items():
            message[name] = "".join(parts)
        if state.tools:
            message["tool_calls"] = [
                {
                    "id": tool.get("id"),
                    "type": tool.get("type", "function"),
                    "function": {
                        "name": "".join(tool["name"]),
                        "arguments": "".join(tool["arguments"]),
                    },
                }
                for _, tool in sorted(state.tools.items())
            ]
        return {
            "index": index,
            "message": message,
            "logprobs": logprobs,
            "finish_reason": state.finish_reason,
        }

    def usage(self) -> Usage | None:
        return usage(self._api, {"usage": self._usage})
