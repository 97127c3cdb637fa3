"""Where the watermark may not touch a text: code, URLs, addresses, numbers, JSON.

``protected(text)`` returns the spans (start, end) that must come out byte-identical:

- fenced code blocks (```` ``` ```` or ``~~~``, to the closing fence or the end of the text);
- inline code (`` `...` `` on one line);
- URLs (``scheme://...`` and ``www....``) and e-mail addresses;
- numbers (digits with their separators, signs, units glued to them: ``3.5``, ``1,000``,
  ``v2``, ``x86_64``): any word that holds a digit;
- JSON objects and arrays: a ``{`` or ``[`` whose balanced extent parses as JSON (tool-call
  arguments pasted into an answer, structured output).

Everything else is prose, where a synonym may be chosen. An unclosed fence or inline code
protects the rest of the text: while a streamed answer is still open, nothing after the
opening is prose.
"""

from __future__ import annotations

import re
from typing import Final

import orjson

Span = tuple[int, int]

_FENCE: Final = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*$", re.MULTILINE)
_INLINE: Final = re.compile(r"`[^`\n]+`")
_INLINE_OPEN: Final = re.compile(r"`[^`\n]*$")
_URL: Final = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[^\s<>\"'`)\]]+")
_EMAIL: Final = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT_WORD: Final = re.compile(r"[^\s]*\d[^\s]*")
MAX_JSON: Final = 200_000  # longest JSON span examined, in characters


def _fences(text: str) -> list[Span]:
    spans: list[Span] = []
    opened: re.Match[str] | None = None
    for match in _FENCE.finditer(text):
        marker = match.group(1)
        if opened is None:
            opened = match
        elif marker[0] == opened.group(1)[0] and len(marker) >= len(opened.group(1)):
            spans.append((opened.start(), match.end()))
            opened = None
    if opened is not None:
        spans.append((opened.start(), len(text)))
    return spans


def _json_end(text: str, start: int) -> int | None:
    """End of the balanced JSON value opening at ``start``, if it parses as JSON."""
    closing = {"{": "}", "[": "]"}
    stack: list[str] = []
    in_string = False
    escaped = False
    limit = min(len(text), start + MAX_JSON)
    for i in range(start, limit):
        char = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in closing:
            stack.append(closing[char])
        elif char in "}]":
            if not stack or stack.pop() != char:
                return None
            if not stack:
                try:
                    orjson.loads(text[start : i + 1])
                except orjson.JSONDecodeError:
                    return None
                return i + 1
    return None


def _json(text: str, taken: list[Span]) -> list[Span]:
    spans: list[Span] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in "{[" and not _inside(i, taken):
            end = _json_end(text, i)
            if end is not None and end - i > 2:
                spans.append((i, end))
                i = end
                continue
        i += 1
    return spans


def _inside(position: int, spans: list[Span]) -> bool:
    return any(start <= position < end for start, end in spans)


def merge(spans: list[Span]) -> list[Span]:
    """Sorted, non-overlapping spans covering the same characters."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def protected(text: str) -> list[Span]:
    """The spans of ``text`` the watermark must leave byte-identical (sorted, merged)."""
    spans = _fences(text)
    outside = [
        (m.start(), m.end()) for m in _INLINE.finditer(text) if not _inside(m.start(), spans)
    ]
    spans = merge(spans + outside)
    tail = _INLINE_OPEN.search(text)
    if tail is not None and not _inside(tail.start(), spans):
        spans = merge([*spans, (tail.start(), len(text))])
    spans = merge(spans + _json(text, spans))
    for pattern in (_URL, _EMAIL, _DIGIT_WORD):
        spans = merge(spans + [(m.start(), m.end()) for m in pattern.finditer(text)])
    return spans


def prose(text: str) -> list[Span]:
    """The complement of :func:`protected`: where synonyms may be chosen."""
    out: list[Span] = []
    position = 0
    for start, end in protected(text):
        if start > position:
            out.append((position, start))
        position = end
    if position < len(text):
        out.append((position, len(text)))
    return out
