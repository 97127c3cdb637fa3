"""Find the watermark's opportunities in prose: each occurrence of a table variant.

One scanner serves the embedder and the verifier, so both see the same occurrences with the
same contexts. An occurrence's **context** is the word just before it on the same line
(lower case), or the class name of the occurrence just before it when two are adjacent, so
that a context never depends on a choice the watermark made. Contexts are what the keyed
choice is conditioned on, and what the verifier de-duplicates on.

Variants are matched in lower case or capitalised (``Do not``); an ALL-CAPS variant is left
alone by both. An occurrence is **blocked** (neither changed nor tested) when the word
before or after it is one its class cannot stand next to
(:mod:`distillguard.watermark.table`), or when it follows ``a``/``an`` and its variants
start with different sounds. A neighbouring word that belongs to another occurrence is read
from that occurrence's class name (``is not`` → ``not``, ``these days`` → ``nowadays``),
whichever variant the text shows, so that a rewrite never blocks or unblocks its neighbour.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Final

from distillguard.watermark.spans import Span
from distillguard.watermark.table import CLASSES, VERSION, VariantClass

_PREV: Final = re.compile(r"([^\W\d_]+(?:['’][^\W\d_]+)?)[^\w\n]{1,3}\Z")
_GAP: Final = re.compile(r"[^\w\n]{1,3}")
_NEXT: Final = re.compile(r"[ \t]{1,3}([^\W\d_]+)")
_VOWELS: Final = frozenset("aeiou")


def _char(char: str) -> str:
    return "['’]" if char == "'" else re.escape(char)


def _trie(words: list[str]) -> str:
    """One regex for ``words`` that shares their prefixes (fast with Python's ``re``)."""
    branches: dict[str, list[str]] = {}
    ends = False
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    parts = [_char(first) + _trie(rest) for first, rest in sorted(branches.items())]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{body})?" if ends else body


def _key(match: re.Match[str]) -> str:
    """The table's spelling of a matched variant (lower case, straight apostrophe)."""
    return match.group(0).lower().replace("’", "'")


@dataclass(frozen=True)
class Occurrence:
    """One variant found in prose, and what the watermark conditions on."""

    start: int
    end: int
    cls: int
    variant: int
    context: str
    blocked: bool


@dataclass
class ScanState:
    """What scanning a text carries from one stretch to the next."""

    last_end: int = -1
    last_name: str = ""


class Scanner:
    """Occurrences of the classes' variants in a text's prose spans."""

    def __init__(self, classes: tuple[VariantClass, ...] = CLASSES, version: str = VERSION) -> None:
        self.classes = classes
        self.version = version  # names the table in every verification report
        lookup: dict[str, tuple[int, int]] = {}
        for c, cls in enumerate(classes):
            for v, variant in enumerate(cls.variants):
                if variant in lookup:
                    raise ValueError(f"variant {variant!r} is in two classes")
                lookup[variant] = (c, v)
        self._lookup = lookup
        # Case-sensitive over lower-case and capitalised spellings: several times faster
        # than IGNORECASE with Python's re. An ALL-CAPS variant is not an opportunity.
        spellings = [*lookup, *(v[0].upper() + v[1:] for v in lookup)]
        self._regex = re.compile(r"(?<!\w)" + _trie(spellings) + r"\b")
        self._article_sensitive = tuple(
            len({v[0] in _VOWELS for v in cls.variants}) > 1 for cls in classes
        )

    def occurrences(
        self, text: str, prose: list[Span], lo: int, hi: int, state: ScanState
    ) -> list[Occurrence]:
        """Occurrences starting in ``[lo, hi)`` within ``prose``, in order; updates ``state``.

        The result is that of searching each prose span on its own (a match never crosses
        a span's end), found with one search over the whole range: most spans hold no
        variant, and a search per span costs more than the rare match it finds.
        """
        found: list[Occurrence] = []
        starts = [start for start, _ in prose]
        index = max(0, bisect_right(starts, lo) - 1)
        position = lo
        while index < len(prose):
            start, end = prose[index]
            position = max(position, start)
            if end <= position:
                index += 1
                continue
            match = self._regex.search(text, position)
            if match is None or match.start() >= hi:
                break
            if match.start() >= end:  # in a later span, or in protected text: move on
                index = bisect_right(starts, match.start()) - 1
                position = match.start() if prose[index][1] > match.start() else prose[index][1]
                continue
            if match.end() > end:  # crosses the span's end: search this span alone
                match = self._regex.search(text, match.start(), end)
                if match is None:
                    index += 1
                    continue
            found.append(self._occurrence(text, match, start, end, state))
            position = match.end()
        return found

    def _occurrence(
        self, text: str, match: re.Match[str], start: int, end: int, state: ScanState
    ) -> Occurrence:
        c, v = self._lookup[_key(match)]
        cls = self.classes[c]
        begin = match.start()
        floor = max(start, begin - 40, state.last_end)
        if state.last_end >= start and _GAP.fullmatch(text, state.last_end, begin):
            context = "#" + state.last_name
            # The word before is the previous occurrence's: judged by its class's name, so
            # that blocking never depends on the variant the watermark wrote there.
            before = state.last_name.rsplit(" ", 1)[-1]
        else:
            prev = _PREV.search(text, floor, begin)
            before = prev.group(1).lower().replace("’", "'") if prev else ""
            context = before
        after_match = _NEXT.match(text, match.end(), end)
        after = ""
        if after_match is not None:
            following = self._regex.match(text, after_match.start(1), end)
            if following is None:
                after = after_match.group(1).lower()
            else:  # a variant next, which the watermark may rewrite: its class's first word
                name = self.classes[self._lookup[_key(following)][0]].name
                after = name.split(" ", 1)[0]
        blocked = (
            context in cls.unmarked
            or before in cls.block_before
            or after in cls.block_after
            or (self._article_sensitive[c] and before in ("a", "an"))
        )
        state.last_end = match.end()
        state.last_name = cls.name
        return Occurrence(begin, match.end(), c, v, context, blocked)


SCANNER: Final = Scanner()  # the default table's scanner (immutable once built)
