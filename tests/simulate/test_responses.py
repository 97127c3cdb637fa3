"""Answers, reasoning and refusals: requested lengths, whole sentences, determinism."""

from __future__ import annotations

import random

import pytest

from distillguard.simulate.responses import ResponseBank
from distillguard.simulate.templates import AREAS


@pytest.fixture(scope="module")
def bank() -> ResponseBank:
    return ResponseBank()


@pytest.mark.parametrize("area", AREAS)
def test_answer_length_follows_the_tokens(bank: ResponseBank, area: str) -> None:
    rng = random.Random(5)
    for tokens in (40, 300, 900):
        text = bank.answer(area, tokens, rng)
        assert 0.75 * tokens * 4 <= len(text) <= 1.25 * tokens * 4


def test_reasoning_in_another_language(bank: ResponseBank) -> None:
    text = bank.reasoning(200, random.Random(2), "ja")
    assert any(ord(c) > 0x3000 for c in text)


def test_refusals_vary(bank: ResponseBank) -> None:
    rng = random.Random(3)
    assert len({bank.refusal(rng) for _ in range(50)}) > 10


def test_sentences_are_deterministic(bank: ResponseBank) -> None:
    assert bank.sentences("science", 3, seed=9) == bank.sentences("science", 3, seed=9)
    assert bank.sentences("science", 3, seed=9) != bank.sentences("science", 3, seed=10)
    assert len(bank.prose("business", 400, random.Random(1))) > 200
