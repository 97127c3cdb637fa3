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

For a stream, :func:`scan` also says from where the answer so far could still change its
spans if more text arrived (an open inline code, a ``{`` whose JSON has not closed yet):
the embedder holds its output back from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import orjson

Span = tuple[int, int]

_FENCE: Final = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*$", re.MULTILINE)
_INLINE: Final = re.compile(r"`[^`\n]+`")
_INLINE_OPEN: Final = re.compile(r"`[^`\n]*\Z")
# The look-behinds make each pattern start only where its match can start, so that the
# scan stays linear in the length of a word.
_URL: Final = re.compile(r"(?<![a-zA-Z0-9+.-])(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[^\s<>\"'`)\]]+")
_EMAIL: Final = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT: Final = re.compile(r"\d")
_WORD_END: Final = re.compile(r"\S*")
_BRACKET: Final = re.compile(r"[{\[]")
# What a JSON scan looks at: brackets, quotes, and escapes (an escape and its character are
# one match, so an escaped quote never ends a string).
_STRUCTURE: Final = re.compile(r'\\.|[{}\[\]"]', re.DOTALL)
MAX_JSON: Final = 200_000  # longest JSON span examined, in characters


Fence = tuple[int, int, str]  # start, end, opening marker


def _fences(text: str, inside: str = "", mid_line: bool = False) -> list[Fence]:
    """Fenced blocks; ``inside`` is the marker of a block already open where ``text`` starts;
    ``mid_line`` says ``text`` starts in the middle of a line (so not with a fence)."""
    fences: list[Fence] = []
    opened: tuple[int, str] | None = (0, inside) if inside else None
    for match in _FENCE.finditer(text):
        if mid_line and match.start() == 0:
            continue
        marker = match.group(1)
        if opened is None:
            opened = (match.start(), marker)
        elif marker[0] == opened[1][0] and len(marker) >= len(opened[1]):
            fences.append((opened[0], match.end(), opened[1]))
            opened = None
    if opened is not None:
        fences.append((opened[0], len(text), opened[1]))
    return fences


UNRESOLVED: Final = -1  # the text ended before the bracket's value closed


def _json_end(text: str, start: int) -> int | None:
    """End of the balanced JSON value opening at ``start``, if it parses as JSON.

    ``None`` when it is not JSON; :data:`UNRESOLVED` when the text ends first (and the value
    is under :data:`MAX_JSON` characters so far)."""
    closing = {"{": "}", "[": "]"}
    stack: list[str] = []
    in_string = False
    limit = min(len(text), start + MAX_JSON)
    for match in _STRUCTURE.finditer(text, start, limit):
        char = match.group(0)
        if in_string:
            if char == '"':
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
                    orjson.loads(text[start : match.end()])
                except orjson.JSONDecodeError:
                    return None
                return match.end()
    return UNRESOLVED if limit == len(text) else None


def _json(text: str, taken: list[Span]) -> tuple[list[Span], int]:
    """JSON spans outside ``taken``, and the first bracket still unresolved (or len)."""
    spans: list[Span] = []
    unresolved = len(text)
    position = 0
    for match in _BRACKET.finditer(text):
        i = match.start()
        if i < position or _inside(i, taken):
            continue
        end = _json_end(text, i)
        if end == UNRESOLVED:
            unresolved = min(unresolved, i)
        elif end is not None and end - i > 2:
            spans.append((i, end))
            position = end
    return spans, unresolved


def _digit_words(text: str) -> list[Span]:
    """Whitespace-delimited words that hold a digit (found from the digits: fast)."""
    spans: list[Span] = []
    match = _DIGIT.search(text)
    while match is not None:
        start = match.start()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        word_end = _WORD_END.match(text, match.end())
        end = word_end.end() if word_end else match.end()
        spans.append((start, end))
        match = _DIGIT.search(text, end)
    return spans


def _links(text: str) -> list[Span]:
    """URLs and e-mail addresses (each pattern run only where its marker occurs)."""
    spans: list[Span] = []
    if "://" in text or "www." in text:
        spans += [(m.start(), m.end()) for m in _URL.finditer(text)]
    if "@" in text:
        spans += [(m.start(), m.end()) for m in _EMAIL.finditer(text)]
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


@dataclass(frozen=True)
class Scan:
    """What :func:`scan` found.

    ``open_from`` is ``len(text)`` unless an inline code or a JSON value is still open at the
    end: appending text never changes the spans before it. ``fences`` are the fenced blocks
    with their opening markers (so a stream can resume inside one).
    """

    spans: list[Span]
    open_from: int
    fences: list[Fence]


def scan(text: str, inside_fence: str = "", mid_line: bool = False) -> Scan:
    """Protected spans of ``text``, which may start inside a block opened by
    ``inside_fence``, or in the middle of a line of prose (``mid_line``)."""
    # Each kind is looked for only when its marker occurs (a substring test is far cheaper
    # than a regex pass, and most answers hold no code, no backtick and no bracket).
    fences: list[Fence] = []
    if inside_fence or "```" in text or "~~~" in text:
        fences = _fences(text, inside_fence, mid_line)
    spans = [(start, end) for start, end, _ in fences]
    open_from = len(text)
    if "`" in text:
        outside = [
            (m.start(), m.end()) for m in _INLINE.finditer(text) if not _inside(m.start(), spans)
        ]
        spans = merge(spans + outside)
        tail = _INLINE_OPEN.search(text)
        if tail is not None and not _inside(tail.start(), spans):
            spans = merge([*spans, (tail.start(), len(text))])
            open_from = tail.start()
    if "{" in text or "[" in text:
        found, unresolved = _json(text, spans)
        spans = merge(spans + found)
        open_from = min(open_from, unresolved)
    spans = merge(spans + _links(text) + _digit_words(text))
    return Scan(spans, open_from, fences)


def protected(text: str) -> list[Span]:
    """The spans of ``text`` the watermark must leave byte-identical (sorted, merged)."""
    return scan(text).spans


def complement(spans: list[Span], length: int) -> list[Span]:
    """The gaps between sorted, merged ``spans`` in a text of ``length`` characters."""
    out: list[Span] = []
    position = 0
    for start, end in spans:
        if start > position:
            out.append((position, start))
        position = end
    if position < length:
        out.append((position, length))
    return out


def prose(text: str) -> list[Span]:
    """The complement of :func:`protected`: where synonyms may be chosen."""
    return complement(protected(text), len(text))
