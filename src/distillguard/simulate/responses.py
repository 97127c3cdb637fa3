"""What the simulated model sends back: answers, reasoning and refusals of an asked length.

Text is on the simulator's hot path (millions of calls), so answers and reasoning are slices of
long texts ("slabs") that are written once per area and language, on first use, from a fixed
seed: :class:`ResponseBank` cuts a slice of about the asked length at sentence (or block)
boundaries, from a random sentence start, and only when no whole-sentence slice comes close
enough does it cut at a word. English prose of the slabs also serves as documents and reading
passages elsewhere in :mod:`distillguard.simulate.text`. The words live in
:mod:`distillguard.simulate.phrases.answers`.

Randomness comes only from the ``random.Random`` a caller passes; slabs come from their own
generator, seeded by area, language and richness, so they are the same in every process.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from distillguard.simulate.phrases import answers, languages
from distillguard.simulate.phrases.tables import Words
from distillguard.simulate.templates import (
    AREAS,
    camel,
    check_area,
    check_language,
    compile_templates,
    distinct,
    slot_names,
)

_SLAB_CHARS: Final = 40_000  # length of each precomputed answer / reasoning text
_CODE_AREAS: Final = frozenset(answers.ANSWER_CODE)
_TOLERANCE: Final = 0.2  # aim well inside the documented +-25%
_NUMBERS: Final = frozenset("abc")  # slots of worked arithmetic: {a} op {b} = {c}


@dataclass(frozen=True, slots=True)
class _Slab:
    """A long text and the offsets where its units (sentences, blocks) start, then its length."""

    area: str  # "" for reasoning
    language: str
    text: str
    starts: tuple[int, ...]
    end_mark: str  # what closes a sentence cut short: "." or "。"
    spaced: bool  # words are separated by spaces


class ResponseBank:
    """Answers, reasoning and refusals for the traffic simulator (see the module doc)."""

    def __init__(self) -> None:
        self._slabs: dict[tuple[str, str, bool], _Slab] = {}

    def answer(self, area: str, tokens: int, rng: random.Random, language: str = "en") -> str:
        """Answer text of about ``tokens * 4`` characters, topical for ``area``.

        Coding, data-analysis and agentic answers of some length often hold a fenced code
        block; math answers end with a final-answer line.
        """
        check_area(area)
        check_language(language)
        target = max(tokens, 1) * 4
        tail = ""
        if area == "math":
            tail = "\n\n" + answers.FINAL_ANSWER[language].format(n=rng.randrange(2, 5000))
            target = max(target - len(tail), 40)
        head = ""
        if target >= 300 and rng.random() < 0.35:
            openers = answers.EN_OPENERS if language == "en" else answers.INTL_OPENERS[language]
            head = rng.choice(openers) + (
                "\n\n" if language == "en" else languages.SENTENCE_GAP[language]
            )
            target -= len(head)
        body = self._take(self._slab(area, language, target >= 400), target, rng)
        return head + body + tail

    def reasoning(self, tokens: int, rng: random.Random, language: str = "en") -> str:
        """Reasoning / thinking text of about ``tokens * 4`` characters."""
        check_language(language)
        return self._take(self._slab("", language, False), max(tokens, 1) * 4, rng)

    def refusal(self, rng: random.Random) -> str:
        """A refusal message, varied."""
        return rng.choice(answers.REFUSAL_FIRST) + rng.choice(answers.REFUSAL_OFFERS)

    def prose(self, area: str, chars: int, rng: random.Random) -> str:
        """About ``chars`` characters of plain English prose on ``area``, cut at sentences."""
        return self._take(self._slab(area, "en", False), chars, rng)

    def sentences(self, area: str, count: int, seed: int) -> str:
        """``count`` consecutive sentences of plain English prose on ``area``, picked by ``seed``.

        Deterministic: the same arguments always give the same text.
        """
        slab = self._slab(area, "en", False)
        first = seed % (len(slab.starts) - count - 1)
        return slab.text[slab.starts[first] : slab.starts[first + count]].strip()

    # ------------------------------------------------------------------ slabs

    def _slab(self, area: str, language: str, rich: bool) -> _Slab:
        key = (area, language, rich and (language == "en" or area in _CODE_AREAS))
        slab = self._slabs.get(key)
        if slab is None:
            slab = self._slabs[key] = _build_slab(*key)
        return slab

    def _take(self, slab: _Slab, target: int, rng: random.Random) -> str:
        """About ``target`` characters of ``slab`` from a random unit start, cut at a unit end."""
        text, starts = slab.text, slab.starts
        size = len(text)
        if target > size // 3:
            parts: list[str] = []
            left = target
            while left > 0:
                parts.append(self._take(slab, min(left, size // 4), rng))
                left -= len(parts[-1]) + 2
            return "\n\n".join(parts)
        last = bisect_right(starts, size - target - 1) - 1
        low, high = target * (1 - _TOLERANCE), target * (1 + _TOLERANCE)
        best, best_miss = "", size
        for _ in range(4 if target >= 400 else 10):
            first = rng.randrange(last)
            begin = starts[first]
            j = bisect_left(starts, begin + target, first + 1)
            before, after = starts[j - 1], starts[j]
            end = (
                before
                if j - 1 > first and begin + target - before <= after - begin - target
                else after
            )
            piece = text[begin:end].rstrip()
            if low <= len(piece) <= high:
                return piece
            miss = abs(len(piece) - target)
            if miss < best_miss:
                best, best_miss = piece, miss
        if target < 80:  # too short to cut: whole units, at least one sentence
            return best
        return self._cut(self._slab(slab.area, slab.language, False), target, rng)

    def _cut(self, slab: _Slab, target: int, rng: random.Random) -> str:
        """``target`` characters of a prose slab from a unit start, cut at a word."""
        text, starts = slab.text, slab.starts
        last = bisect_right(starts, len(text) - target - 1) - 1
        begin = starts[rng.randrange(last)]
        stop = begin + target
        if slab.spaced:
            space = text.rfind(" ", begin, stop)
            if space > begin + target * 0.85:
                stop = space
        return text[begin:stop].rstrip(" ,;:.\n-*#") + slab.end_mark


# --------------------------------------------------------------------------- slab building


def _build_slab(area: str, language: str, rich: bool) -> _Slab:
    """Write the long text of an area (or reasoning, for area "") in a language, seeded by key."""
    rnd = random.Random(f"distillguard.text/{area or 'reasoning'}/{language}/{rich}")
    if not area:
        units = _reasoning_units(language, rnd)
    elif language == "en":
        units = _english_units(area, rich, rnd)
    else:
        units = _foreign_units(area, language, rich, rnd)
    gap = languages.SENTENCE_GAP[language]
    pieces: list[str] = []
    starts: list[int] = []
    position = 0
    previous_block = True
    for unit, block in units:
        if pieces:
            if block or previous_block:
                sep = "\n\n"
            else:
                r = rnd.random()
                sep = "\n\n" if r < 0.15 else ("\n" if not area and r < 0.35 else gap)
            pieces.append(sep)
            position += len(sep)
        starts.append(position)
        pieces.append(unit)
        position += len(unit)
        previous_block = block
    starts.append(position)
    spaced = language not in ("ja", "zh")
    end_mark = "." if spaced else "。"
    return _Slab(area, language, "".join(pieces), tuple(starts), end_mark, spaced)


def _render(
    template: str,
    slots: tuple[str, ...],
    vocab: Mapping[str, Words],
    rnd: random.Random,
    recent: deque[str] | None = None,
) -> str:
    """Fill ``template``: ``a``, ``b``, ``c`` with consistent arithmetic, the rest from vocab.

    Words in ``recent`` (the last few used) are avoided where a few redraws allow, so that a
    paragraph does not repeat itself.
    """
    values: dict[str, object] = {}
    if _NUMBERS.intersection(slots):
        a, b = rnd.randrange(3, 250), rnd.randrange(2, 60)
        c = a * b if ("×" in template or "·" in template) else a + b
        values.update(a=a, b=b, c=c)
    for slot in slots:
        if slot in values:
            continue
        words = vocab[slot]
        value = rnd.choice(words)
        if recent is not None:
            for _ in range(4):
                if value not in recent:
                    break
                value = rnd.choice(words)
            recent.append(value)
        values[slot] = value
    return template.format_map(values)


def _english_units(area: str, rich: bool, rnd: random.Random) -> list[tuple[str, bool]]:
    vocab = answers.EN_ANSWER_VOCAB[area]
    templates = compile_templates(answers.EN_ANSWER_TEMPLATES, vocab)
    code = answers.ANSWER_CODE.get(area, ()) if rich else ()
    recent: deque[str] = deque(maxlen=12)

    def draw() -> tuple[str, bool]:
        r = rnd.random()
        if code and r < 0.07:
            return _code_block(rnd.choice(code), rnd), True
        if rich and r < 0.12:
            steps = distinct(vocab["step"], rnd.randrange(3, 5), rnd.getrandbits(32))
            return "\n".join(f"- {s[0].upper()}{s[1:]}." for s in steps), True
        if area == "math" and r < 0.3:
            template = rnd.choice(answers.EN_ARITHMETIC)
            return _render(template, slot_names(template), vocab, rnd), False
        template, slots = rnd.choice(templates)
        while template in recent:  # no opening twice in a few sentences
            template, slots = rnd.choice(templates)
        recent.append(template)
        unit = _render(template, slots, vocab, rnd, recent)
        if rich and r > 0.97:
            return f"{rnd.choice(answers.EN_HEADINGS)}\n\n{unit}", True
        return unit, False

    return _collect(draw)


def _foreign_units(
    area: str, language: str, rich: bool, rnd: random.Random
) -> list[tuple[str, bool]]:
    sentences = (
        *answers.INTL_ANSWERS[language],
        *answers.INTL_AREA_ANSWERS[language][area] * 3,
    )
    code = answers.ANSWER_CODE.get(area, ()) if rich else ()

    def draw() -> tuple[str, bool]:
        r = rnd.random()
        if code and r < 0.07:
            return _code_block(rnd.choice(code), rnd), True
        if area == "math" and r < 0.25:
            return _render("{a} + {b} = {c}.", tuple("abc"), {}, rnd), False
        return rnd.choice(sentences), False

    return _collect(draw)


def _reasoning_units(language: str, rnd: random.Random) -> list[tuple[str, bool]]:
    """Thinking-out-loud sentences; English ones stay with one area's words for a few lines."""
    english = language == "en"
    sentences = answers.EN_REASONING if english else answers.INTL_REASONING[language]
    templates = tuple((t, slot_names(t)) for t in sentences)
    vocab: Mapping[str, Words] = {}
    recent: deque[str] = deque(maxlen=8)
    run = 0

    def draw() -> tuple[str, bool]:
        nonlocal vocab, run
        if english and run <= 0:
            vocab, run = answers.EN_ANSWER_VOCAB[rnd.choice(AREAS)], rnd.randrange(6, 16)
        run -= 1
        template, slots = rnd.choice(templates)
        return _render(template, slots, vocab, rnd, recent), False

    return _collect(draw)


def _collect(draw: Callable[[], tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Units from ``draw`` (text, is it a block) until a slab is full, never one twice in a row."""
    units: list[tuple[str, bool]] = []
    size = 0
    previous = ""
    while size < _SLAB_CHARS:
        unit, block = draw()
        if unit == previous:
            continue
        previous = unit
        units.append((unit, block))
        size += len(unit) + 1
    return units


def _code_block(template: str, rnd: random.Random) -> str:
    fn = rnd.choice(answers.CODE_NAMES["fn"])
    return (
        template.replace("@@fnc@@", camel(fn))
        .replace("@@fn@@", fn)
        .replace("@@var@@", rnd.choice(answers.CODE_NAMES["var"]))
        .replace("@@tool@@", rnd.choice(answers.CODE_NAMES["tool"]))
        .replace("@@n@@", str(rnd.randrange(2, 20)))
    )
