"""A table fitted to one model's answers: shares, unmarked contexts, files, the commands."""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from distillguard.cli import app
from distillguard.watermark.embed import Embedder
from distillguard.watermark.keys import save as save_key
from distillguard.watermark.shares import (
    BUILT_IN,
    DOMINANT_COUNT,
    MIN_OCCURRENCES,
    TableError,
    estimate,
    load,
    save,
)
from distillguard.watermark.table import MIN_WEIGHT
from distillguard.watermark.verify import Observations, assess
from tests.watermark.material import KEY, PARAGRAPHS

WORDS = [f"w{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(400)]  # "waa" .. "wpj"


def answers_with(name_counts: dict[str, int], seed: int = 7) -> list[str]:
    """Answers where each given phrase appears after varied words, the given number of times."""
    rng = random.Random(seed)
    texts = []
    for phrase, count in name_counts.items():
        for _ in range(count):
            texts.append(f"We {rng.choice(WORDS)} {phrase} know this well.")
    rng.shuffle(texts)
    return texts


def by_name(table_classes: tuple[object, ...]) -> dict[str, object]:
    return {c.name: c for c in table_classes}  # type: ignore[attr-defined]


def test_shares_are_refitted_to_the_model() -> None:
    # A model that writes "is not" 3 times in 4 (the built-in table says 0.69).
    fit = estimate(answers_with({"is not": 150, "isn't": 50}))
    cls = by_name(fit.table.classes)["is not"]
    assert fit.outcomes["is not"] == "refitted"
    assert cls.weights == pytest.approx((0.75, 0.25), abs=0.02)  # type: ignore[attr-defined]
    assert fit.table.version.startswith("fitted-")
    assert fit.table.version != BUILT_IN.version


def test_a_class_the_model_never_varies_is_dropped_and_rare_ones_are_kept() -> None:
    fit = estimate(answers_with({"for example": 200, "often": MIN_OCCURRENCES - 1}))
    assert fit.outcomes["for example"] == "dropped"  # "for instance" would be under 5 %
    assert "for example" not in by_name(fit.table.classes)
    assert fit.outcomes["often"] == "kept"
    assert by_name(fit.table.classes)["often"] == by_name(BUILT_IN.classes)["often"]
    assert all(min(c.weights) >= MIN_WEIGHT for c in fit.table.classes)


def test_a_dominant_context_becomes_unmarked() -> None:
    texts = answers_with({"usually": 100, "typically": 100})
    texts += ["It was usually fine."] * 40 + ["It was typically fine."] * 10
    fit = estimate(texts)
    cls = by_name(fit.table.classes)["usually"]
    assert cls.unmarked == frozenset({"was"})  # type: ignore[attr-defined]
    # The shares leave the unmarked context out: 100 / 200 elsewhere.
    assert cls.weights == pytest.approx((0.5, 0.5), abs=0.01)  # type: ignore[attr-defined]
    few = estimate(answers_with({"usually": 100, "typically": 100}) + ["It was usually."] * 7)
    assert "was" not in by_name(few.table.classes)["usually"].unmarked  # under DOMINANT_COUNT
    assert DOMINANT_COUNT == 8


def test_the_version_is_a_function_of_the_content() -> None:
    texts = answers_with({"is not": 150, "isn't": 50})
    assert estimate(texts).table.version == estimate(list(texts)).table.version
    other = estimate(answers_with({"is not": 50, "isn't": 150}))
    assert other.table.version != estimate(texts).table.version


def test_save_and_load(tmp_path: Path) -> None:
    fit = estimate(answers_with({"is not": 150, "isn't": 50}))
    path = tmp_path / "table.json"
    save(fit, path)
    table = load(path)
    assert table == fit.table
    assert table.scanner().version == fit.table.version


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{", "not JSON"),
        (b'{"format": "other"}', "not a distillguard watermark table"),
        (b'{"format": "distillguard-watermark-table", "classes": []}', "holds no classes"),
        (
            b'{"format": "distillguard-watermark-table", "classes": [{"variants": ["a", "b"],'
            b' "weights": [0.5, 0.6]}]}',
            "weights must sum to 1",
        ),
        (
            b'{"format": "distillguard-watermark-table", "classes": [{"variants": ["a"],'
            b' "weights": [1]}]}',
            "two or more",
        ),
        (
            b'{"format": "distillguard-watermark-table", "classes": [{"variants": "ab",'
            b' "weights": [0.5, 0.5]}]}',
            "variants must be a list of strings",
        ),
        (
            b'{"format": "distillguard-watermark-table", "classes": [{"variants": ["a", "b"],'
            b' "weights": [0.5, 0.5]}, {"variants": ["b", "c"], "weights": [0.5, 0.5]}]}',
            "in two classes",
        ),
    ],
)
def test_a_bad_table_file_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(TableError, match=message):
        load(path)


def test_an_edited_table_is_refused(tmp_path: Path) -> None:
    fit = estimate(answers_with({"is not": 150, "isn't": 50}))
    path = tmp_path / "table.json"
    save(fit, path)
    data = orjson.loads(path.read_bytes())
    data["classes"][0]["weights"] = [0.5, 0.5]
    path.write_bytes(orjson.dumps(data))
    with pytest.raises(TableError, match="edited or damaged"):
        load(path)
    with pytest.raises(TableError, match="does not exist"):
        load(tmp_path / "missing.json")


def test_a_fitted_table_embeds_and_verifies_and_names_itself() -> None:
    fit = estimate(answers_with({"is not": 150, "isn't": 50, "do not": 80, "don't": 120}))
    scanner = fit.table.scanner()
    marked = []
    for text in PARAGRAPHS:
        embedder = Embedder(KEY, "", scanner)
        marked.append(embedder.close(text))
    observations = Observations(scanner)
    for text in marked:
        observations.add(text)
    report = assess(observations, KEY)
    assert report.table_version == fit.table.version
    assert report.result.matches == report.result.opportunities > 0


runner = CliRunner()


def test_the_shares_command_and_the_table_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISTILLGUARD_WATERMARK_TABLE", raising=False)
    monkeypatch.delenv("DISTILLGUARD_CONFIG", raising=False)
    source = tmp_path / "model.jsonl"
    texts = answers_with({"is not": 150, "isn't": 50}) + list(PARAGRAPHS)
    source.write_bytes(b"\n".join(orjson.dumps({"text": t}) for t in texts) + b"\nnot json\n")
    table = tmp_path / "table.json"
    result = runner.invoke(app, ["watermark", "shares", str(source), "--out", str(table), "--json"])
    assert result.exit_code == 0, result.output
    summary = orjson.loads(result.output.strip().splitlines()[-1])
    assert summary["refitted"] >= 1
    assert summary["quarantined"] == 1
    version = summary["version"]
    key = tmp_path / "wm.key"
    save_key(KEY, key)
    answers = tmp_path / "answers.jsonl"
    answers.write_bytes(b"\n".join(orjson.dumps({"text": t}) for t in PARAGRAPHS) + b"\n")
    out = tmp_path / "out.jsonl"
    embedded = runner.invoke(
        app,
        ["watermark", "embed", str(answers), str(out), "--key", str(key), "--table", str(table)],
    )
    assert embedded.exit_code == 0, embedded.output
    verified = runner.invoke(
        app, ["watermark", "verify", str(out), "--key", str(key), "--table", str(table), "--json"]
    )
    report = orjson.loads(verified.output.strip().splitlines()[-1])
    assert report["table_version"] == version
    assert report["matches"] == report["opportunities"]
    # The setting names the table when --table is absent.
    monkeypatch.setenv("DISTILLGUARD_WATERMARK_TABLE", str(table))
    again = runner.invoke(app, ["watermark", "verify", str(out), "--key", str(key), "--json"])
    assert orjson.loads(again.output.strip().splitlines()[-1])["table_version"] == version
    broken = runner.invoke(
        app, ["watermark", "verify", str(out), "--key", str(key), "--table", str(source)]
    )
    assert broken.exit_code == 2
    assert "not a watermark table" in broken.output
    empty = tmp_path / "empty.jsonl"
    empty.write_text("not json\n")
    nothing = runner.invoke(app, ["watermark", "shares", str(empty), "--out", str(table)])
    assert nothing.exit_code == 2
    assert "no record" in nothing.output
