"""The real text corpora in /work/shared/corpora, read at run time into typed pools.

Nothing here is copied into the repository: a missing folder or file stops the run with a
message naming what is missing.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path(os.environ.get("OUTSIDE_CORPORA", "/work/shared/corpora"))

REQUIRED = (
    "alpaca_5000.json",
    "code_alpaca_2k.json",
    "new_codealpaca.json",
    "gsm8k_train.jsonl",
    "gsm8k_test.jsonl",
    "mt_bench_question.jsonl",
    "vicuna_bench_question.jsonl",
    "arena_hard_v0.1_question.jsonl",
    "arena_hard_v2.0_question.jsonl",
    "wizardlm_testset.jsonl",
    "self_instruct_seed_tasks.jsonl",
    "self_instruct_user_oriented.jsonl",
    "sharegpt_sg90k_first_sampled_sorted.json",
    "sharegpt_v3_filtered_1000.json",
    "sharegpt_v3_filtered_500.json",
    "oasst_en_100_tree.jsonl",
    "oasst_prompt_lottery_en_250.jsonl",
    "hh_rlhf_harmless_base_test.jsonl.gz",
)


class CorporaMissingError(RuntimeError):
    """The corpora folder or one of its files is absent."""


@dataclass(frozen=True)
class Pair:
    """A prompt with a real answer written for it (or borrowed from the same kind of task)."""

    prompt: str
    answer: str


@dataclass(frozen=True)
class Dialogue:
    """A real multi-turn conversation: alternating (user, assistant) texts, user first."""

    turns: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Bench:
    """A public benchmark item: its suite, category and turns."""

    suite: str
    item_id: str
    category: str
    turns: tuple[str, ...]


@dataclass
class Corpora:
    human_prompts: list[str] = field(default_factory=list)  # ShareGPT + OASST prompts
    dialogues: list[Dialogue] = field(default_factory=list)  # OASST trees + HH-RLHF
    red_team: list[Dialogue] = field(default_factory=list)  # HH-RLHF harmless (rejected)
    general: list[Pair] = field(default_factory=list)  # alpaca + self-instruct
    code: list[Pair] = field(default_factory=list)  # code alpaca (both)
    math: list[Pair] = field(default_factory=list)  # gsm8k train
    gsm8k_test: list[Pair] = field(default_factory=list)
    mt_bench: list[Bench] = field(default_factory=list)
    arena_hard: list[Bench] = field(default_factory=list)
    vicuna: list[Bench] = field(default_factory=list)
    wizardlm: list[Bench] = field(default_factory=list)
    user_tasks: list[Pair] = field(default_factory=list)  # self-instruct user-oriented

    def answers_like(self, kind: str) -> list[Pair]:
        return {"code": self.code, "math": self.math}.get(kind, self.general)


def _json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _jsonl(path: Path) -> list[Any]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _joined(instruction: str, extra: str) -> str:
    return f"{instruction}\n\n{extra}" if extra.strip() else instruction


def _hh_turns(transcript: str) -> tuple[tuple[str, str], ...]:
    turns: list[tuple[str, str]] = []
    for chunk in transcript.split("\n\nHuman: ")[1:]:
        human, _, assistant = chunk.partition("\n\nAssistant: ")
        assistant = assistant.split("\n\nHuman:")[0]
        if human.strip() and assistant.strip():
            turns.append((human.strip(), assistant.strip()))
    return tuple(turns)


def _oasst_paths(node: dict[str, Any], prefix: list[tuple[str, str]]) -> list[Dialogue]:
    """Every prompter→assistant path down an OASST tree (best-ranked reply first)."""
    out: list[Dialogue] = []
    replies = sorted(node.get("replies") or [], key=lambda r: r.get("rank") or 0)
    for reply in replies[:2]:
        pair = (node["text"], reply["text"])
        path = [*prefix, pair]
        out.append(Dialogue(tuple(path)))
        for follow in (reply.get("replies") or [])[:1]:
            out.extend(_oasst_paths(follow, path))
    return out


def load(directory: Path = DEFAULT_DIR) -> Corpora:
    if not directory.is_dir():
        raise CorporaMissingError(
            f"corpora folder {directory} not found: the outside world reads real text from "
            "/work/shared/corpora at run time (set OUTSIDE_CORPORA to another copy)"
        )
    missing = [name for name in REQUIRED if not (directory / name).is_file()]
    if missing:
        raise CorporaMissingError(f"corpora folder {directory} lacks: {', '.join(missing)}")
    c = Corpora()
    for name in (
        "sharegpt_v3_filtered_1000.json",
        "sharegpt_v3_filtered_500.json",
        "sharegpt_sg90k_first_sampled_sorted.json",
    ):
        for record in _json(directory / name):
            for turn in record.get("conversations", []):
                value = str(turn.get("value") or "").strip()
                if turn.get("from") == "human" and len(value) >= 12:
                    c.human_prompts.append(value[:6000])
    c.human_prompts.extend(
        str(t) for t in _jsonl(directory / "oasst_prompt_lottery_en_250.jsonl") if str(t).strip()
    )
    for tree in _jsonl(directory / "oasst_en_100_tree.jsonl"):
        c.dialogues.extend(_oasst_paths(tree["prompt"], []))
    for record in _jsonl(directory / "hh_rlhf_harmless_base_test.jsonl.gz"):
        chosen = _hh_turns(record["chosen"])
        if chosen:
            c.dialogues.append(Dialogue(chosen))
        rejected = _hh_turns(record["rejected"])
        if rejected:
            c.red_team.append(Dialogue(rejected))
    for item in _json(directory / "alpaca_5000.json"):
        if item["output"].strip():
            c.general.append(Pair(_joined(item["instruction"], item["input"]), item["output"]))
    for item in _jsonl(directory / "self_instruct_seed_tasks.jsonl"):
        inst = item["instances"][0]
        c.general.append(Pair(_joined(item["instruction"], inst["input"]), inst["output"]))
    for item in _jsonl(directory / "self_instruct_user_oriented.jsonl"):
        inst = item["instances"][0]
        c.user_tasks.append(Pair(_joined(item["instruction"], inst["input"]), inst["output"]))
    for item in _json(directory / "code_alpaca_2k.json"):
        c.code.append(Pair(_joined(item["instruction"], item["input"]), item["output"]))
    for item in _json(directory / "new_codealpaca.json"):
        answer = item.get("response") or item.get("output") or ""
        if answer.strip():
            c.code.append(Pair(_joined(item["instruction"], item.get("input", "")), answer))
    for name, target in (("gsm8k_train.jsonl", c.math), ("gsm8k_test.jsonl", c.gsm8k_test)):
        target.extend(Pair(r["question"], r["answer"]) for r in _jsonl(directory / name))
    for r in _jsonl(directory / "mt_bench_question.jsonl"):
        c.mt_bench.append(
            Bench("mt-bench", str(r["question_id"]), r["category"], tuple(r["turns"]))
        )
    for r in _jsonl(directory / "vicuna_bench_question.jsonl"):
        c.vicuna.append(Bench("vicuna", str(r["question_id"]), r["category"], tuple(r["turns"])))
    for name in ("arena_hard_v0.1_question.jsonl", "arena_hard_v2.0_question.jsonl"):
        for r in _jsonl(directory / name):
            category = r.get("subcategory") or r.get("cluster") or r.get("category", "")
            c.arena_hard.append(Bench("arena-hard", r["uid"], str(category), (r["prompt"],)))
    for r in _jsonl(directory / "wizardlm_testset.jsonl"):
        c.wizardlm.append(Bench("wizardlm", str(r["idx"]), r["Skill"], (r["Instruction"],)))
    return c
