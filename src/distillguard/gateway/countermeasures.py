"""Countermeasures on a request and on an unstreamed answer, for the four APIs.

*Request* (``rewrite_request``): ``strip_logprobs`` removes the log-probability parameters;
``max_tokens`` caps each API's output budget; ``n`` caps the number of samples (and
``best_of``). A cap sets an absent value only where the API would otherwise default above
it: chat (``max_completion_tokens``, the field every current model accepts) and Responses
(``max_output_tokens``, at least the API's minimum of 16) default to the model's maximum;
legacy completions default to 16 tokens, so an absent ``max_tokens`` is set only for a cap
below that; Messages requires ``max_tokens``, and a request without it is left for the API to
refuse. A capped Messages request keeps an extended-thinking ``budget_tokens`` below
``max_tokens`` as the API demands, or drops thinking when the cap leaves no room for the
1,024-token minimum. A streamed chat or completions request asks upstream for usage
(``stream_options.include_usage``) so the gateway can count tokens; ``client_wants_usage``
says whether the client asked itself, so the stream can drop the usage chunk again.

*Answer* (``rewrite_response``): logprobs removed; reasoning withheld (removed) or summarised
(replaced in place by a one-line note of its size, see ``note``); each answer text
watermarked with its own fresh ``Embedder``. A watermarked answer also loses its logprobs:
their tokens spell the text as generated, which would undo the watermark. For Messages a
summarised block is a ``thinking`` block with an empty signature, which the API refuses if a
client sends it back in a later turn (as it would a withheld block's absence in a tool-use
loop with thinking on): such clients must drop reasoning blocks from their history. Usage is
left as it is: it is what the provider bills.

``StreamedText`` is the streaming counterpart of one answer text, for ``streams``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, TypeAlias

from distillguard.gateway.core import Api, Measures, Reasoning
from distillguard.watermark.embed import Embedder

Watermark: TypeAlias = Callable[[], Embedder] | None
"""A factory of fresh embedders (one per answer text), or None for no watermark."""

THINKING_MINIMUM: Final = 1024  # Anthropic's smallest extended-thinking budget
RESPONSES_MINIMUM: Final = 16  # the Responses API's smallest max_output_tokens
COMPLETIONS_DEFAULT: Final = 16  # legacy completions' max_tokens when absent
CHAT_REASONING: Final = ("reasoning_content", "reasoning")
"""Where OpenAI-compatible providers (vLLM, DeepSeek, OpenRouter …) put a chat answer's
reasoning text; ``reasoning_details`` (OpenRouter's structured copy) goes with it."""
CHAT_REASONING_DETAILS: Final = "reasoning_details"
ANTHROPIC_REASONING: Final = ("thinking", "redacted_thinking")


def note(characters: int | None) -> str:
    """What summarised reasoning says instead: its size (None: it was encrypted/redacted)."""
    size = "redacted" if characters is None else f"{characters:,} characters"
    return f"[reasoning withheld by the provider: {size}]"


@dataclass(frozen=True)
class Rewritten:
    """The request to send upstream and what rewriting it found out.

    ``body`` is a new dict (nested values the rewrite did not change are shared with the
    client's body, not copied); ``changed`` names the top-level fields set, capped or removed.
    """

    body: dict[str, Any]
    client_wants_usage: bool = True
    changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Usage:
    """Tokens billed for one answer; Messages input counts cache writes and reads."""

    input_tokens: int
    output_tokens: int
    reasoning_tokens: int | None = None

    @property
    def total(self) -> int:
        return self.input_tokens + self.output_tokens


def _int(value: object) -> int | None:
    return value if type(value) is int else None


class _Request:
    """A copy of a request body being rewritten, with the names of the fields it changed."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = dict(body)
        self.changed: list[str] = []

    def set(self, name: str, value: object) -> None:
        if self.body.get(name, _MISSING) != value:
            self.body[name] = value
            self.changed.append(name)

    def drop(self, name: str) -> None:
        if name in self.body:
            del self.body[name]
            self.changed.append(name)

    def cap(self, name: str, cap: int) -> bool:
        """Lower an integer field to ``cap``; whether it holds an integer."""
        value = _int(self.body.get(name))
        if value is not None and value > cap:
            self.set(name, cap)
        return value is not None


_MISSING: Final = object()


def rewrite_request(
    api: Api, body: dict[str, Any], measures: Measures, *, stream: bool
) -> Rewritten:
    """The request to send upstream under ``measures`` (``body`` itself is not changed)."""
    out = _Request(body)
    if measures.strip_logprobs:
        _strip_request_logprobs(api, out)
    if measures.max_tokens is not None:
        _cap_tokens(api, out, max(1, measures.max_tokens))
    if measures.n is not None and api in ("chat", "completions"):
        cap = max(1, measures.n)
        out.cap("n", cap)
        if api == "completions":
            out.cap("best_of", cap)  # best_of ≥ n still holds: both are at most the cap
    wants_usage = True
    if stream and api in ("chat", "completions"):
        options = body.get("stream_options")
        if options is None or isinstance(options, dict):
            options = dict(options or {})
            wants_usage = options.get("include_usage") is True
            options["include_usage"] = True
            out.set("stream_options", options)
    return Rewritten(out.body, wants_usage, tuple(dict.fromkeys(out.changed)))


def _strip_request_logprobs(api: Api, out: _Request) -> None:
    if api in ("chat", "completions"):
        out.drop("logprobs")  # chat: a flag; completions: the number of alternatives
        out.drop("top_logprobs")
    elif api == "responses":
        out.drop("top_logprobs")
        include = out.body.get("include")
        if isinstance(include, list):
            kept = [i for i in include if not (isinstance(i, str) and i.endswith("logprobs"))]
            if len(kept) != len(include):
                out.set("include", kept)


def _cap_tokens(api: Api, out: _Request, cap: int) -> None:
    if api == "chat":
        present = [out.cap(name, cap) for name in ("max_tokens", "max_completion_tokens")]
        if not any(present):
            out.set("max_completion_tokens", cap)
    elif api == "responses":
        cap = max(cap, RESPONSES_MINIMUM)
        if not out.cap("max_output_tokens", cap):
            out.set("max_output_tokens", cap)
    elif api == "completions":
        if not out.cap("max_tokens", cap) and cap < COMPLETIONS_DEFAULT:
            out.set("max_tokens", cap)
    elif out.cap("max_tokens", cap):
        _fit_thinking(out, out.body["max_tokens"])


def _fit_thinking(out: _Request, limit: int) -> None:
    thinking = out.body.get("thinking")
    if not isinstance(thinking, dict):
        return
    budget = _int(thinking.get("budget_tokens"))
    if budget is None or budget < limit:
        return
    if limit - 1 >= THINKING_MINIMUM:
        out.set("thinking", {**thinking, "budget_tokens": limit - 1})
    else:
        out.drop("thinking")


def marked(text: str, watermark: Watermark) -> str:
    """``text`` watermarked by a fresh embedder (unchanged without a watermark)."""
    return watermark().close(text) if watermark is not None else text


def hides_logprobs(measures: Measures, watermark: Watermark) -> bool:
    """Whether an answer's logprobs are removed (stripped, or they would betray a watermark)."""
    return measures.strip_logprobs or watermark is not None


def rewrite_response(
    api: Api, body: dict[str, Any], measures: Measures, watermark: Watermark
) -> dict[str, Any]:
    """The unstreamed answer the client gets; ``body`` itself when no measure applies."""
    if not hides_logprobs(measures, watermark) and measures.reasoning == "keep":
        return body
    out = copy.deepcopy(body)
    if api in ("chat", "completions"):
        for choice in out.get("choices") or ():
            if isinstance(choice, dict):
                _choice(api, choice, measures, watermark)
    elif api == "responses":
        output = out.get("output")
        if isinstance(output, list):
            out["output"] = response_output(output, measures, watermark, {})
            if isinstance(out.get("output_text"), str):  # a convenience copy some servers add
                out["output_text"] = "".join(output_texts(out["output"]))
    else:
        content = out.get("content")
        if isinstance(content, list):
            out["content"] = message_content(content, measures.reasoning, watermark)
    return out


def _choice(api: Api, choice: dict[str, Any], measures: Measures, watermark: Watermark) -> None:
    if hides_logprobs(measures, watermark) and choice.get("logprobs") is not None:
        choice["logprobs"] = None
    if api == "completions":
        if isinstance(choice.get("text"), str):
            choice["text"] = marked(choice["text"], watermark)
        return
    message = choice.get("message")
    if not isinstance(message, dict):
        return
    if measures.reasoning != "keep":
        for name in CHAT_REASONING:
            value = message.get(name)
            if isinstance(value, str) and value:
                if measures.reasoning == "withhold":
                    del message[name]
                else:
                    message[name] = note(len(value))
        message.pop(CHAT_REASONING_DETAILS, None)
    if isinstance(message.get("content"), str):
        message["content"] = marked(message["content"], watermark)


def reasoning_characters(item: dict[str, Any]) -> int:
    """Characters of readable reasoning in a Responses reasoning item."""
    return sum(
        len(part["text"])
        for key in ("summary", "content")
        for part in item.get(key) or ()
        if isinstance(part, dict) and isinstance(part.get("text"), str)
    )


def summarised_item(item: dict[str, Any], characters: int) -> dict[str, Any]:
    """A Responses reasoning item reduced to a note (no readable or encrypted reasoning)."""
    kept = {k: v for k, v in item.items() if k not in ("content", "encrypted_content")}
    kept["summary"] = [{"type": "summary_text", "text": note(characters)}]
    return kept


def output_text_part(
    part: dict[str, Any], hide_logprobs: bool, text: str | None, watermark: Watermark
) -> dict[str, Any]:
    """A Responses ``output_text`` part as sent: its text (``text`` if the stream already
    settled it, else watermarked afresh) and its logprobs emptied if hidden."""
    if part.get("type") != "output_text":
        return part
    part = dict(part)
    if text is not None:
        part["text"] = text
    elif isinstance(part.get("text"), str):
        part["text"] = marked(part["text"], watermark)
    if hide_logprobs and part.get("logprobs"):
        part["logprobs"] = []
    return part


def response_output(
    output: list[Any],
    measures: Measures,
    watermark: Watermark,
    texts: dict[tuple[int, int], str],
    reasoning: dict[int, int] | None = None,
) -> list[Any]:
    """A Responses ``output`` list as sent. ``texts`` holds, by (output index, content index),
    the texts a stream already settled; ``reasoning`` the reasoning characters it saw."""
    kept: list[Any] = []
    hide = hides_logprobs(measures, watermark)
    for index, item in enumerate(output):
        if not isinstance(item, dict):
            kept.append(item)
        elif item.get("type") == "reasoning" and measures.reasoning != "keep":
            if measures.reasoning == "summarise":
                seen = (reasoning or {}).get(index, 0)
                kept.append(summarised_item(item, reasoning_characters(item) or seen))
        elif item.get("type") == "message" and isinstance(item.get("content"), list):
            parts = [
                output_text_part(part, hide, texts.get((index, position)), watermark)
                if isinstance(part, dict)
                else part
                for position, part in enumerate(item["content"])
            ]
            kept.append({**item, "content": parts})
        else:
            kept.append(item)
    return kept


def output_texts(output: list[Any]) -> list[str]:
    """The ``output_text`` parts' texts of a Responses output, in order."""
    return [
        part["text"]
        for item in output
        if isinstance(item, dict) and item.get("type") == "message"
        for part in item.get("content") or ()
        if isinstance(part, dict)
        and part.get("type") == "output_text"
        and isinstance(part.get("text"), str)
    ]


def summarised_block(block: dict[str, Any]) -> dict[str, Any]:
    """A Messages thinking or redacted-thinking block reduced to a note."""
    thinking = block.get("thinking")
    size = len(thinking) if isinstance(thinking, str) else None
    return {"type": "thinking", "thinking": note(size), "signature": ""}


def message_content(content: list[Any], reasoning: Reasoning, watermark: Watermark) -> list[Any]:
    """A Messages ``content`` list as sent."""
    kept: list[Any] = []
    for block in content:
        kind = block.get("type") if isinstance(block, dict) else None
        if kind in ANTHROPIC_REASONING and reasoning != "keep":
            if reasoning == "summarise":
                kept.append(summarised_block(block))
        elif kind == "text" and isinstance(block.get("text"), str):
            kept.append({**block, "text": marked(block["text"], watermark)})
        else:
            kept.append(block)
    return kept


class StreamedText:
    """One answer text of a stream: watermarked as it comes, and the text the client got."""

    def __init__(self, watermark: Watermark) -> None:
        self._embedder = watermark() if watermark is not None else None
        self._sent: list[str] = []
        self.fed = False  # any of the text came in
        self.closed = False

    def feed(self, chunk: str) -> str:
        """Add a delta; return the text to send now (possibly empty)."""
        self.fed = True
        out = self._embedder.feed(chunk) if self._embedder is not None else chunk
        self._sent.append(out)
        return out

    def close(self) -> str:
        """End the text; return what the embedder held back (empty the second time)."""
        if self.closed:
            return ""
        self.closed = True
        out = self._embedder.close() if self._embedder is not None else ""
        self._sent.append(out)
        return out

    @property
    def text(self) -> str:
        """Everything sent so far."""
        return "".join(self._sent)


def usage(api: Api, body: object) -> Usage | None:
    """Tokens billed for an answer (None when it carries no usage object)."""
    if not isinstance(body, dict) or not isinstance(body.get("usage"), dict):
        return None
    found: dict[str, Any] = body["usage"]
    if api == "messages":
        inputs = (
            (_int(found.get("input_tokens")) or 0)
            + (_int(found.get("cache_creation_input_tokens")) or 0)
            + (_int(found.get("cache_read_input_tokens")) or 0)
        )
        details = found.get("output_tokens_details")
        thinking = _int(details.get("thinking_tokens")) if isinstance(details, dict) else None
        return Usage(inputs, _int(found.get("output_tokens")) or 0, thinking)
    if api == "responses":
        names = ("input_tokens", "output_tokens", "output_tokens_details")
    else:
        names = ("prompt_tokens", "completion_tokens", "completion_tokens_details")
    details = found.get(names[2])
    reasoning = _int(details.get("reasoning_tokens")) if isinstance(details, dict) else None
    return Usage(_int(found.get(names[0])) or 0, _int(found.get(names[1])) or 0, reasoning)
