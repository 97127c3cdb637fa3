"""Embed the watermark in an answer, whole or as a stream of chunks, with the same result.

``embed(text, key, account)`` rewrites each unblocked occurrence of a table variant in prose
to the variant the key chooses for its context (keeping its capitalisation and apostrophe
style); code, URLs, numbers and JSON come out byte-identical.

``Embedder`` does the same on a stream: ``feed(chunk)`` returns the output that can no
longer change, ``close()`` the rest. It holds back the last few words (an occurrence's
context and the word after it must be complete), and anything from an open inline code or
an unclosed ``{``/``[`` that may still turn out to be JSON. Concatenating what it returns
gives exactly ``embed`` of the whole text, whatever the chunking. ``embed`` is the stream
closed with the whole text as its one chunk.
"""

from __future__ import annotations

import re
from typing import Final

from distillguard.watermark.choice import Chooser
from distillguard.watermark.keys import MasterKey
from distillguard.watermark.scanner import SCANNER, Occurrence, Scanner, ScanState
from distillguard.watermark.spans import Scan, complement, scan

HELD_WORDS: Final = 3  # complete words held back at the end of a stream, besides a partial one
LONG_LINE: Final = 256  # a stream resumes in the middle of a line longer than this...
CONTEXT_MARGIN: Final = 64  # ...this far before the output's end (beyond any context window)
_SPACE: Final = re.compile(r"\s+")
_MAY_RELEASE: Final = re.compile(r"[\s`}\]]")  # a word ends, or code or JSON may close
_CURLY: Final = "’"


def _styled(variant: str, original: str, curly: bool) -> str:
    if "'" in variant and (_CURLY in original or ("'" not in original and curly)):
        variant = variant.replace("'", _CURLY)
    if original[:1].isupper():  # only lower-case and capitalised variants are matched
        return variant[:1].upper() + variant[1:]
    return variant


class Embedder:
    """Watermark one answer, chunk by chunk."""

    def __init__(self, key: MasterKey, account: str = "", scanner: Scanner | None = None) -> None:
        self._scanner = scanner or SCANNER
        self._chooser = Chooser(key, account, self._scanner.classes)
        self._text = ""  # input from the start of the line where scanning resumes
        self._fence = ""  # marker of the fenced block _text starts inside, if any
        self._mid_line = False  # _text starts in the middle of a line of prose
        self._done = 0  # position in _text up to which output was returned
        self._state = ScanState()
        self._curly = False  # the last apostrophe seen is a curly one
        self._apostrophes_seen = 0  # position in _text up to which apostrophes were seen
        self.changed = 0  # occurrences rewritten so far
        self.changed_words = 0  # words of the answer those occurrences replaced
        self.opportunities = 0  # unblocked occurrences so far

    def feed(self, chunk: str) -> str:
        """Add ``chunk``; return the output that no later chunk can change."""
        self._text += chunk
        if not _MAY_RELEASE.search(chunk):
            return ""  # no word completed, nothing closed: the held output cannot move yet
        return self._advance(final=False)

    def close(self, chunk: str = "") -> str:
        """Add a last ``chunk`` (if any); return the rest of the output."""
        self._text += chunk
        return self._advance(final=True)

    def _advance(self, *, final: bool) -> str:
        text = self._text
        found_spans = scan(text, self._fence, self._mid_line)
        spans = found_spans.spans
        stop = len(text) if final else min(found_spans.open_from, self._held_from(text))
        prose = complement(spans, len(text))
        state = ScanState(self._state.last_end, self._state.last_name)
        found = self._scanner.occurrences(text, prose, self._done, stop, state)
        while found and found[-1].end > stop:
            stop = found[-1].start
            found.pop()
        if stop <= self._done:
            return ""
        if found:
            self._state.last_end = found[-1].end
            self._state.last_name = self._scanner.classes[found[-1].cls].name
        out = self._rewrite(text, found, stop)
        self._done = stop
        if not final:
            self._rebase(found_spans)
        return out

    def _held_from(self, text: str) -> int:
        """Start of the last ``HELD_WORDS`` complete words and of any partial word after them."""
        needed = HELD_WORDS + (0 if text[-1:].isspace() else 1)
        low = len(text)
        while True:
            low = max(self._done, low - 256)
            starts = [m.end() for m in _SPACE.finditer(text, low) if m.end() < len(text)]
            if len(starts) >= needed:
                return starts[-needed]
            if low == self._done:
                return self._done

    def _rewrite(self, text: str, found: list[Occurrence], stop: int) -> str:
        parts: list[str] = []
        position = self._done  # end of the input already copied or rewritten
        for occurrence in found:
            self._track_apostrophes(text, occurrence.start)
            if occurrence.blocked:
                continue
            self.opportunities += 1
            choice = self._chooser.expected(occurrence.cls, occurrence.context)
            if choice == occurrence.variant:
                continue
            original = text[occurrence.start : occurrence.end]
            variant = self._scanner.classes[occurrence.cls].variants[choice]
            parts.append(text[position : occurrence.start])
            parts.append(_styled(variant, original, self._curly))
            position = occurrence.end
            self.changed += 1
            self.changed_words += original.count(" ") + 1
        self._track_apostrophes(text, stop)
        parts.append(text[position:stop])
        return "".join(parts)

    def _track_apostrophes(self, text: str, end: int) -> None:
        """Note the style of the last apostrophe of the input before ``end``."""
        curly = text.rfind(_CURLY, self._apostrophes_seen, end)
        straight = text.rfind("'", self._apostrophes_seen, end)
        self._apostrophes_seen = max(self._apostrophes_seen, end)
        if curly != straight:
            self._curly = curly > straight

    def _rebase(self, found: Scan) -> None:
        """Drop input before the place where scanning must resume.

        That is the start of the current line, moved back to the start of any span it lies
        in. Inside a fenced block, scanning resumes at the current line with the block's
        marker remembered, so a long code block is not scanned again and again. On a long
        line of prose, it resumes at a word well before the output's end (outside every span
        and before anything still open), so a long paragraph is not either.
        """
        base = self._text.rfind("\n", 0, self._done) + 1
        mid_line = self._mid_line and base == 0
        fence = ""
        for start, end, marker in found.fences:
            if start < base < end:
                fence = marker
        moved = True
        while moved and not fence:
            moved = False
            for start, end in found.spans:
                if start < base < end:
                    base = self._text.rfind("\n", 0, start) + 1
                    mid_line = self._mid_line and base == 0
                    moved = True
        if not fence and self._done - base > LONG_LINE:
            cut = self._text.rfind(" ", base, self._done - CONTEXT_MARGIN) + 1
            if base < cut <= found.open_from and not any(s < cut < e for s, e in found.spans):
                base, mid_line = cut, True
        if base <= 0:
            return
        self._fence = fence
        self._mid_line = mid_line
        self._text = self._text[base:]
        self._done -= base
        self._apostrophes_seen = max(0, self._apostrophes_seen - base)
        self._state.last_end = max(-1, self._state.last_end - base)


def embed(text: str, key: MasterKey, account: str = "") -> str:
    """``text`` with the watermark of ``key`` (and ``account``'s sub-key) embedded."""
    return Embedder(key, account).close(text)
