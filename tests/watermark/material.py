"""Shared material for the watermark's tests: fixed keys, prose rich in table variants, the
real answers of the shared corpora, and helpers that look at texts the way the verifier does."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from distillguard.watermark.keys import MasterKey
from distillguard.watermark.scanner import SCANNER, Occurrence, ScanState
from distillguard.watermark.spans import prose, protected

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"

KEY = MasterKey(bytes(range(32)), "2026-11-27T00:00:00+00:00")
OTHER_KEY = MasterKey(bytes(range(100, 132)), "2026-11-27T00:00:00+00:00")

# Prose written for these tests: many table variants, after many different words.
PARAGRAPHS: tuple[str, ...] = (
    "You do not need a lot of tools to start. Most beginners usually ensure that each "
    "other's work is reviewed, and they often find mistakes quickly. For example, a team "
    "that cannot meet in person can still talk every day. Additionally, it is kind of "
    "useful to write things down.",
    "The river does not flood every year, but it did not stay calm last spring. People "
    "who live nearby are not worried; they were not told to leave. Perhaps the town should "
    "not wait for the next storm. Engineers would not build there, and they will not "
    "approve new houses either.",
    "Nowadays most phones are completely waterproof. They are mainly made of glass and "
    "metal, and they mostly last approximately three years. Manufacturers especially like "
    "thin designs. Furthermore, batteries rarely fail before the screen does. Therefore "
    "buyers should ensure their phone has a good case.",
    "Children often learn among friends faster than alone. Teachers usually notice it "
    "quickly: pupils who help each other progress, and no one feels left out. Likewise, "
    "parents have not always seen the change at home, and they had not expected it. "
    "Essentially, learning is kind of a social game.",
    "I cannot promise that the recipe will work, but it has not failed me yet. Make sure "
    "the oven is hot, and do not open the door too often. The bread usually rises within "
    "the hour; precisely when depends on the flour. Afterward, let it cool toward room "
    "temperature. Additionally, a lot of bakers add salt.",
    "Maybe the simplest answer is the right one. Scientists could not explain the signal "
    "at first and were not sure it was real. They frequently checked the instruments, "
    "typically twice a night, and primarily looked for loose cables. Despite the effort, "
    "nobody found a fault, so they rarely slept.",
    "Good managers should not ignore small problems. They ensure that people respect one "
    "another and that meetings are not too long. A team that has not met its goals is "
    "particularly at risk; moreover, it is largely a matter of trust. Similarly, "
    "feedback is roughly as useful as praise.",
    "We did not expect the results to be so clear. The samples were not mixed, the "
    "readings were exactly as predicted, and the model is basically right. Thus we "
    "could not ask for more. In addition, the data ensures that no one can doubt it, "
    "and it is sort of reassuring that it does not change.",
)


def occurrences(text: str) -> list[Occurrence]:
    """Every occurrence of a variant in the prose of ``text``, as the verifier scans it."""
    return SCANNER.occurrences(text, prose(text), 0, len(text), ScanState())


def signature(text: str) -> list[tuple[int, str, bool]]:
    """What the verifier sees of ``text``: (class, context, blocked) of each occurrence."""
    return [(o.cls, o.context, o.blocked) for o in occurrences(text)]


def protected_parts(text: str) -> list[str]:
    """The substrings of ``text`` the watermark must leave byte-identical."""
    return [text[a:b] for a, b in protected(text)]


def chunked(text: str, rng: random.Random, most: int = 40) -> list[str]:
    """``text`` cut at random places into pieces of 1 to ``most`` characters."""
    pieces: list[str] = []
    position = 0
    while position < len(text):
        size = rng.randint(1, most)
        pieces.append(text[position : position + size])
        position += size
    return pieces


def _assistant_turns(message: dict[str, Any]) -> Iterator[str]:
    if message.get("role") == "assistant" and isinstance(message.get("text"), str):
        yield message["text"]
    for reply in message.get("replies") or []:
        yield from _assistant_turns(reply)


def corpus_answers(oasst: int, alpaca: int) -> list[str]:
    """Up to ``oasst`` Open Assistant answers and ``alpaca`` Alpaca outputs (skip if absent)."""
    oasst_path = CORPORA / "oasst_en_100_message.jsonl"
    alpaca_path = CORPORA / "alpaca_5000.json"
    if not oasst_path.is_file() or not alpaca_path.is_file():
        pytest.skip(f"the shared corpora are not in {CORPORA} (oasst_en_100, alpaca_5000)")
    answers: list[str] = []
    with oasst_path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                answers += _assistant_turns(json.loads(line))
    texts = [a for a in answers if a.strip()][:oasst]
    outputs = json.loads(alpaca_path.read_text(encoding="utf-8"))
    texts += [r["output"] for r in outputs if r.get("output", "").strip()][:alpaca]
    return texts
