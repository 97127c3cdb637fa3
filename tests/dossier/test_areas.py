"""Capability areas: structural evidence per call, and agreement with labelled corpora."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from distillguard.dossier.areas import AREAS, NAMES, CallText, classify, classify_row

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
"""The real text corpora beside the project (``../shared/corpora``); absent in a bare clone."""


def corpus(name: str) -> Path:
    path = CORPORA / name
    if not path.is_file():
        pytest.skip(f"corpus {name} not found in {CORPORA} (the shared corpora folder)")
    return path


def lines(name: str) -> Iterator[dict[str, object]]:
    path = corpus(name)
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def agreement(items: list[tuple[str, str, str]]) -> float:
    """Share of (prompt, answer, expected area) the classifier agrees with."""
    return sum(classify(CallText(p, a)) == e for p, a, e in items) / len(items)


def test_every_area_is_named_once_and_other_is_last() -> None:
    assert len(set(NAMES)) == len(NAMES) == len(AREAS)
    assert NAMES[-1] == "other"


@pytest.mark.parametrize(
    ("call", "area"),
    [
        (CallText("What is the weather like?", n_tools=2), "tool_use"),
        (CallText("Summarise this", n_tool_calls=1), "tool_use"),
        (CallText("请解释一下这个函数的作用和它的返回值是什么"), "multilingual"),
        (CallText("Translate 'good morning' into German."), "multilingual"),
        (CallText("Why does this fail?\n```\nx = [1, 2\n```"), "coding"),
        (CallText("Tidy this up", "```python\ndef f():\n    return 1\n```"), "coding"),
        (CallText("What is 17 * 23 + 4?"), "mathematics"),
        (CallText("A train goes 60 mph from 3 pm. How far has it gone by 5 pm?"), "mathematics"),
        (CallText("Extract the names and dates from the following text: ..."), "analysis"),
        (CallText("A is B's father. What is the relationship between A and C?"), "reasoning"),
        (CallText("Write a short poem about the sea."), "writing"),
        (CallText("Who painted the Mona Lisa?"), "other"),
        (CallText("Any thoughts?", output_tokens=1000, reasoning_tokens=900), "reasoning"),
    ],
)  # fmt: skip
def test_structural_evidence_decides_the_area(call: CallText, area: str) -> None:
    assert classify(call) == area


def test_a_row_with_nulls_is_other() -> None:
    assert classify_row(None, None, None, None, None, None, None) == "other"
    assert classify_row("You are a helpful assistant.", None, None, 0, 0, 10, 0) == "writing"


def test_the_user_turn_decides_over_a_role_setting_system_prompt() -> None:
    system = "You are an expert data analyst. Analyze carefully."
    assert classify_row(system, "Write a haiku about autumn.", None, 0, 0, 0, 0) == "writing"


# -- agreement with labelled corpora (floors set a little under the measured agreement)

MT_BENCH = {
    "writing": "writing",
    "roleplay": "writing",
    "reasoning": "reasoning",
    "math": "mathematics",
    "coding": "coding",
    "extraction": "analysis",
}  # stem and humanities are knowledge questions, no one area
WIZARDLM = {
    "Math": "mathematics",
    "Code Generation": "coding",
    "Code Debug": "coding",
    "Writting": "writing",
    "Academic Writing": "writing",
    "Roleplay": "writing",
    "Reasoning": "reasoning",
    "Multilingual": "multilingual",
}


def test_agreement_with_mt_bench_categories() -> None:
    items = [
        (str(q["turns"][0]), "", MT_BENCH[str(q["category"])])  # type: ignore[index]
        for q in lines("mt_bench_question.jsonl")
        if q["category"] in MT_BENCH
    ]
    assert len(items) == 60
    assert agreement(items) >= 0.65


def test_agreement_with_wizardlm_skills() -> None:
    items = [
        (str(q["Instruction"]), "", WIZARDLM[str(q["Skill"])])
        for q in lines("wizardlm_testset.jsonl")
        if q["Skill"] in WIZARDLM
    ]
    assert len(items) > 80
    assert agreement(items) >= 0.72


def test_code_alpaca_is_coding() -> None:
    records = json.loads(corpus("code_alpaca_2k.json").read_text(encoding="utf-8"))
    prompts = [(f"{r['instruction']}\n{r['input']}", r["output"], "coding") for r in records]
    assert agreement([(p, "", e) for p, _, e in prompts]) >= 0.8
    assert agreement(prompts) >= 0.88


def test_gsm8k_is_mathematics() -> None:
    items = [(str(r["question"]), "", "mathematics") for r in lines("gsm8k_test.jsonl")]
    assert agreement(items) >= 0.93
