"""Corpus: real prompts read from the known corpus files, sorted by kind and language."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from distillguard.simulate.corpus import KINDS, Corpus, guess_language

SHARED_CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"


def write_json(path: Path, data: Any) -> None:
    path.write_bytes(orjson.dumps(data))


def write_jsonl(path: Path, records: list[Any]) -> None:
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in records) + b"\n")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """One tiny file of every known shape."""
    write_json(
        tmp_path / "alpaca_5000.json",
        [
            {"instruction": "Name three fruits.", "input": "", "output": "Apple, pear, plum."},
            {"instruction": "Summarise this.", "input": "A long text.", "output": "Text."},
            {"instruction": "", "input": "", "output": "nothing asked"},
        ],
    )
    write_json(
        tmp_path / "code_alpaca_2k.json",
        [{"instruction": "Reverse a list.", "input": "x = [1, 2]", "output": "x[::-1]"}],
    )
    write_json(
        tmp_path / "new_codealpaca.json",
        [{"instruction": "Write a C++ hello world.", "input": "", "response": "...", "output": ""}],
    )
    write_jsonl(
        tmp_path / "gsm8k_train.jsonl",
        [{"question": "Tom has 3 apples and eats one. How many are left?", "answer": "#### 2"}],
    )
    write_jsonl(tmp_path / "gsm8k_test.jsonl", [{"question": "What is 5 + 5?", "answer": "10"}])
    write_json(
        tmp_path / "sharegpt_v3_filtered_500.json",
        [
            {
                "id": "a",
                "conversations": [
                    {"from": "human", "value": "How do I bake bread at home?"},
                    {"from": "gpt", "value": "An assistant answer."},
                    {"from": "human", "value": "   "},
                    {"from": "human", "value": "\u200b"},
                ],
            },
            {
                "id": "b",
                "conversations": [
                    {
                        "from": "human",
                        "value": "Ich habe eine Frage: Wie kann ich die Datei mit Python "
                        "öffnen, und ist das für Anfänger nicht zu schwer?",
                    }
                ],
            },
            {
                "id": "c",
                "conversations": [{"from": "human", "value": "日本語で説明してください。"}],
            },
        ],
    )
    (tmp_path / "oasst_en_100_text.jsonl").write_text(
        '"What is the capital of Peru?"\n""\n"How do tides work?"\n', encoding="utf-8"
    )
    (tmp_path / "oasst_prompt_lottery_en_250.jsonl").write_text(
        '"Tell me a fun fact."\n', encoding="utf-8"
    )
    tree = {
        "message_id": "1",
        "text": "Recommend a sci-fi book.",
        "role": "prompter",
        "replies": [
            {
                "text": "Try Dune.",
                "role": "assistant",
                "replies": [
                    {"text": "Something shorter?", "role": "prompter", "replies": []},
                    {"text": "Removed turn.", "role": "prompter", "deleted": True},
                ],
            }
        ],
    }
    write_jsonl(tmp_path / "oasst_en_100_message.jsonl", [tree])
    write_jsonl(tmp_path / "oasst_en_100_tree.jsonl", [{"message_tree_id": "1", "prompt": tree}])
    write_jsonl(
        tmp_path / "self_instruct_seed_tasks.jsonl",
        [
            {
                "id": "seed_task_0",
                "instruction": "Classify the sentiment.",
                "instances": [{"input": "I love it.", "output": "positive"}],
            }
        ],
    )
    write_jsonl(
        tmp_path / "self_instruct_user_oriented.jsonl",
        [{"id": "u0", "instruction": "Suggest a title.", "instances": [{"input": ""}]}],
    )
    write_jsonl(
        tmp_path / "wizardlm_testset.jsonl",
        [
            {"idx": 1, "Skill": "Math", "Instruction": "What is 12 squared?"},
            {"idx": 2, "Skill": "Code Debug", "Instruction": "Fix this loop."},
            {"idx": 3, "Skill": "Sport", "Instruction": "Who invented basketball?"},
        ],
    )
    write_jsonl(
        tmp_path / "mt_bench_question.jsonl",
        [
            {"question_id": 81, "category": "writing", "turns": ["Write a blog post.", "Shorter."]},
            {"question_id": 82, "category": "coding", "turns": ["Write a bash script.", "Now Go."]},
        ],
    )
    write_jsonl(
        tmp_path / "vicuna_bench_question.jsonl",
        [{"question_id": 1, "category": "math", "turns": ["Solve x^2 = 9."]}],
    )
    write_jsonl(
        tmp_path / "arena_hard_v0.1_question.jsonl",
        [{"uid": "x", "category": "arena-hard-v0.1", "cluster": "c", "prompt": "Hard question."}],
    )
    write_jsonl(
        tmp_path / "arena_hard_v2.0_question.jsonl",
        [
            {"uid": "y", "category": "hard_prompt", "subcategory": "coding", "prompt": "Zig code."},
            {"uid": "z", "category": "hard_prompt", "subcategory": "math", "prompt": "Prove it."},
            {"uid": "w", "subcategory": "creative_writing", "prompt": "A poem, please."},
        ],
    )
    return tmp_path


def test_every_known_shape_is_read(folder: Path) -> None:
    corpus = Corpus.load(folder)
    prompts = corpus.prompts
    assert set(prompts) == set(KINDS)
    assert prompts["coding"] == (
        "Reverse a list.\n\nx = [1, 2]",
        "Write a C++ hello world.",
        "Fix this loop.",
        "Write a bash script.",
        "Zig code.",
    )
    assert prompts["math"] == (
        "Tom has 3 apples and eats one. How many are left?",
        "What is 5 + 5?",
        "What is 12 squared?",
        "Solve x^2 = 9.",
        "Prove it.",
    )
    assert "Summarise this.\n\nA long text." in prompts["general"]
    assert "Classify the sentiment.\n\nI love it." in prompts["general"]
    for text in ("Name three fruits.", "Suggest a title.", "Who invented basketball?"):
        assert text in prompts["general"]
    for text in ("Write a blog post.", "Hard question.", "A poem, please."):
        assert text in prompts["general"]
    chat = prompts["chat"]
    assert chat[0] == "How do I bake bread at home?"
    assert "An assistant answer." not in chat
    assert "What is the capital of Peru?" in chat
    assert "Tell me a fun fact." in chat
    assert chat.count("Recommend a sci-fi book.") == 1  # message and tree files deduplicated
    assert set(prompts["followup"]) == {"Shorter.", "Now Go.", "Something shorter?"}
    assert all(text.strip() and text.strip("\u200b") for kind in KINDS for text in prompts[kind])
    assert corpus.by_language["ja"] == ("日本語で説明してください。",)
    assert corpus.by_language["de"][0].startswith("Ich habe eine Frage")
    assert "How do tides work?" in corpus.by_language["en"]


def test_pick_is_seeded_and_checks_the_kind(folder: Path) -> None:
    corpus = Corpus.load(folder)
    first = [corpus.pick("chat", random.Random(1)) for _ in range(3)]
    assert len(set(first)) == 1
    assert {corpus.pick("math", random.Random(seed)) for seed in range(50)} == set(
        corpus.prompts["math"]
    )
    with pytest.raises(ValueError, match="no prompts of kind 'poetry'"):
        corpus.pick("poetry", random.Random(0))


def test_absent_files_are_skipped(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "gsm8k_test.jsonl", [{"question": "What is 2 + 2?", "answer": "4"}])
    (tmp_path / "notes.txt").write_text("not a corpus", encoding="utf-8")
    corpus = Corpus.load(tmp_path)
    assert corpus.prompts["math"] == ("What is 2 + 2?",)
    assert corpus.prompts["chat"] == ()
    with pytest.raises(ValueError, match=r"no prompts of kind 'chat'.*math"):
        corpus.pick("chat", random.Random(0))


def test_missing_or_unknown_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        Corpus.load(tmp_path / "nowhere")
    (tmp_path / "readme.md").write_text("# nothing here", encoding="utf-8")
    with pytest.raises(ValueError, match=r"none of the known files \(alpaca_5000.json"):
        Corpus.load(tmp_path)


def test_a_broken_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "alpaca_5000.json").write_text("[{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"alpaca_5000\.json"):
        Corpus.load(tmp_path)
    (tmp_path / "alpaca_5000.json").write_text('{"not": "a list"}', encoding="utf-8")
    with pytest.raises(ValueError, match="expected a JSON array"):
        Corpus.load(tmp_path)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("How do I sort a list in Python? It is for a project.", "en"),
        ("Wie kann ich die Datei öffnen? Ich weiß nicht, wie das mit der Bibliothek geht.", "de"),
        (
            "Je voudrais savoir comment on fait pour la recette des crêpes, merci pour votre aide.",
            "fr",
        ),
        (
            "¿Cómo puedo hacer que la página cargue más rápido? Es para una tienda con "
            "muchos productos.",
            "es",
        ),
        ("Você pode me ajudar com uma dúvida? Não sei como fazer isso para o meu projeto.", "pt"),
        ("これは日本語の文章です。", "ja"),
        ("请帮我写一封邮件。", "zh"),
        ("이 문장을 번역해 주세요.", "ko"),
        ("Как мне настроить сервер?", "ru"),
        ("SELECT * FROM users WHERE id = 1;", "en"),
    ],
)
def test_guess_language(text: str, language: str) -> None:
    assert guess_language(text) == language


def test_the_shared_corpora_load() -> None:
    if not SHARED_CORPORA.is_dir():
        pytest.skip(f"../shared/corpora is absent: {SHARED_CORPORA} (real-corpus test skipped)")
    start = time.perf_counter()
    corpus = Corpus.load(SHARED_CORPORA)
    elapsed = time.perf_counter() - start
    assert elapsed < 3.0
    sizes = {kind: len(texts) for kind, texts in corpus.prompts.items()}
    assert sizes["coding"] > 5000
    assert sizes["math"] > 8000
    assert sizes["general"] > 5000
    assert sizes["chat"] > 3000
    assert sizes["followup"] > 100
    assert sum(len(corpus.by_language.get(code, ())) > 5 for code in ("zh", "ko", "ja", "ru")) == 4
    rng = random.Random(0)
    assert all(corpus.pick(kind, rng).strip() for kind in KINDS)
