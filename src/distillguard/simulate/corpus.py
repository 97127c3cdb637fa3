"""Real prompts from public corpora, so that simulated traffic is not only this project's wording.

:meth:`Corpus.load` reads the known files of a folder laid out like ``shared/corpora`` (see its
README: Alpaca, Code Alpaca, GSM8K, ShareGPT, OpenAssistant, Self-Instruct, WizardLM, MT-Bench,
Vicuna and Arena-Hard questions) and sorts their user turns into kinds:

* ``coding``: coding instructions (Code Alpaca, coding questions of the benchmarks);
* ``math``: math word problems and questions (GSM8K, math questions of the benchmarks);
* ``general``: other instructions and benchmark questions (Alpaca, Self-Instruct, ...);
* ``chat``: first user turns of real conversations (ShareGPT, OpenAssistant), multilingual;
* ``followup``: later user turns (MT-Bench second turns, OpenAssistant replies).

``by_language`` holds the ``chat`` and ``general`` prompts by a guessed language (script, then
common words for Latin-script text), for relaying end users' requests in their own language.
``benchmarks`` holds the items of the public benchmarks (MT-Bench first turns, Arena-Hard,
GSM8K test), interleaved and capped at :data:`BENCHMARK_ITEMS`: the prompts evaluation
suites, developers and relays all send word for word.

Several corpora are under non-commercial licences, so they are read at run time from the
folder and never copied into the package. The HH-RLHF file is not read: its "harmless" split is
red-teaming prompts, which are not what ordinary users or relayed end users send.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import orjson

KINDS: Final = ("coding", "math", "general", "chat", "followup")
#: Public benchmark items kept: few enough that populations sending them meet on the same items.
BENCHMARK_ITEMS: Final = 400
_BENCHMARK_FILES: Final = (
    "mt_bench_question.jsonl",
    "arena_hard_v0.1_question.jsonl",
    "gsm8k_test.jsonl",
)
_EMPTY: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({})

Pair = tuple[str, str]  # (kind, text)


@dataclass(frozen=True)
class Corpus:
    """Real user prompts by kind (see :data:`KINDS`) and, for chat-like ones, by language."""

    prompts: Mapping[str, tuple[str, ...]]
    by_language: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _EMPTY)
    benchmarks: tuple[str, ...] = ()

    @classmethod
    def load(cls, folder: Path) -> Corpus:
        """Read every known corpus file in ``folder``; absent files are skipped.

        Raises ``ValueError`` when the folder does not exist, holds none of the known files, or
        a known file cannot be parsed.
        """
        if not folder.is_dir():
            raise ValueError(f"corpus folder {folder} does not exist")
        found = [(name, reader) for name, reader in _READERS if (folder / name).is_file()]
        if not found:
            known = ", ".join(name for name, _ in _READERS)
            raise ValueError(f"corpus folder {folder} holds none of the known files ({known})")
        kinds: dict[str, dict[str, None]] = {kind: {} for kind in KINDS}
        suites: list[list[str]] = []
        for name, reader in found:
            path = folder / name
            try:
                pairs = list(reader(path))
            except (orjson.JSONDecodeError, UnicodeDecodeError, TypeError, AttributeError) as exc:
                raise ValueError(f"cannot read corpus file {path}: {exc}") from exc
            for kind, text in pairs:
                kinds[kind][text] = None
            if name in _BENCHMARK_FILES:
                suites.append([text for kind, text in pairs if kind != "followup"])
        prompts = {kind: tuple(texts) for kind, texts in kinds.items()}
        languages: dict[str, dict[str, None]] = {}
        for kind in ("chat", "general"):
            for text in prompts[kind]:
                languages.setdefault(guess_language(text), {})[text] = None
        return cls(
            prompts=MappingProxyType(prompts),
            by_language=MappingProxyType({code: tuple(t) for code, t in languages.items()}),
            benchmarks=_interleaved(suites, BENCHMARK_ITEMS),
        )

    def pick(self, kind: str, rng: random.Random) -> str:
        """One prompt of ``kind``, uniformly; ``ValueError`` if the corpus has none of it."""
        texts = self.prompts.get(kind)
        if not texts:
            have = ", ".join(k for k, v in self.prompts.items() if v) or "none"
            raise ValueError(f"the corpus has no prompts of kind {kind!r} (it has: {have})")
        return texts[rng.randrange(len(texts))]


# --------------------------------------------------------------------------- language guess

_SCRIPTS: Final = (
    ("ja", re.compile("[\u3040-\u30ff]")),
    ("ko", re.compile("[\uac00-\ud7af]")),
    ("zh", re.compile("[\u4e00-\u9fff]")),
    ("ru", re.compile("[\u0400-\u04ff]")),
)
_WORD: Final = re.compile(r"[^\W\d_]+")
_STOPWORDS: Final = (
    (
        "en",
        frozenset(
            [
                "the",
                "and",
                "is",
                "to",
                "of",
                "you",
                "in",
                "for",
                "it",
                "that",
                "with",
                "this",
                "are",
                "be",
            ]
        ),
    ),
    (
        "de",
        frozenset(
            [
                "der",
                "die",
                "und",
                "ist",
                "nicht",
                "ich",
                "das",
                "ein",
                "eine",
                "mit",
                "für",
                "zu",
                "auf",
                "wie",
            ]
        ),
    ),
    (
        "fr",
        frozenset(
            [
                "le",
                "la",
                "les",
                "est",
                "et",
                "une",
                "des",
                "pour",
                "je",
                "pas",
                "que",
                "dans",
                "vous",
                "sur",
            ]
        ),
    ),
    (
        "es",
        frozenset(
            [
                "el",
                "los",
                "las",
                "es",
                "una",
                "para",
                "por",
                "que",
                "con",
                "del",
                "se",
                "como",
                "pero",
                "está",
            ]
        ),
    ),
    (
        "pt",
        frozenset(
            [
                "os",
                "não",
                "uma",
                "para",
                "com",
                "que",
                "do",
                "da",
                "em",
                "um",
                "você",
                "mais",
                "como",
                "está",
            ]
        ),
    ),
)


def _interleaved(suites: list[list[str]], limit: int) -> tuple[str, ...]:
    """Up to ``limit`` distinct items taken in turn from each suite, so every suite is in."""
    items: dict[str, None] = {}
    for row in range(max((len(s) for s in suites), default=0)):
        for suite in suites:
            if row < len(suite) and len(items) < limit:
                items[suite[row]] = None
    return tuple(items)


def guess_language(text: str) -> str:
    """A rough guess at the language of ``text``: one of en, de, fr, es, pt, ja, zh, ko, ru.

    Scripts decide the non-Latin languages (kana before Han, so Japanese is not taken for
    Chinese); Latin-script text is English unless another language's common words clearly win.
    """
    head = text[:600]
    for code, pattern in _SCRIPTS:
        if len(pattern.findall(head)) >= 3:
            return code
    words = _WORD.findall(head.lower())[:120]
    scores = [(sum(w in stop for w in words), code) for code, stop in _STOPWORDS]
    english = scores[0][0]
    best, code = max(scores[1:])
    if best >= 3 and best >= 2 * english and best * 10 >= len(words):
        return code
    return "en"


# --------------------------------------------------------------------------- readers


def _clean(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return value.strip().strip("\u200b\ufeff").strip()


def _json(path: Path) -> list[Any]:
    data = orjson.loads(path.read_bytes())
    if not isinstance(data, list):
        raise TypeError("expected a JSON array")
    return data


def _jsonl(path: Path) -> Iterator[Any]:
    for line in path.read_bytes().splitlines():
        if line.strip():
            yield orjson.loads(line)


def _with_input(instruction: object, extra: object) -> str:
    head, tail = _clean(instruction), _clean(extra)
    if head and tail:
        return f"{head}\n\n{tail}"
    return head


def _instructions(kind: str) -> Callable[[Path], Iterator[Pair]]:
    def read(path: Path) -> Iterator[Pair]:
        for record in _json(path):
            if isinstance(record, dict):
                yield kind, _with_input(record.get("instruction"), record.get("input"))

    return read


def _sharegpt(path: Path) -> Iterator[Pair]:
    for record in _json(path):
        turns = record.get("conversations") if isinstance(record, dict) else None
        for turn in turns or ():
            if isinstance(turn, dict) and turn.get("from") == "human":
                yield "chat", _clean(turn.get("value"))


def _strings(path: Path) -> Iterator[Pair]:
    for value in _jsonl(path):
        yield "chat", _clean(value)


def _oasst_tree(node: Mapping[str, Any], depth: int) -> Iterator[Pair]:
    if node.get("role") == "prompter" and not node.get("deleted"):
        yield ("chat" if depth == 0 else "followup"), _clean(node.get("text"))
    for reply in node.get("replies") or ():
        if isinstance(reply, dict):
            yield from _oasst_tree(reply, depth + 1)


def _oasst_messages(path: Path) -> Iterator[Pair]:
    for record in _jsonl(path):
        if isinstance(record, dict):
            yield from _oasst_tree(record, 0)


def _oasst_trees(path: Path) -> Iterator[Pair]:
    for record in _jsonl(path):
        if isinstance(record, dict) and isinstance(record.get("prompt"), dict):
            yield from _oasst_tree(record["prompt"], 0)


def _gsm8k(path: Path) -> Iterator[Pair]:
    for record in _jsonl(path):
        if isinstance(record, dict):
            yield "math", _clean(record.get("question"))


def _self_instruct(path: Path) -> Iterator[Pair]:
    for record in _jsonl(path):
        if not isinstance(record, dict):
            continue
        instances = record.get("instances") or [{}]
        first = instances[0] if isinstance(instances[0], dict) else {}
        yield "general", _with_input(record.get("instruction"), first.get("input"))


_CATEGORY_KIND: Final = MappingProxyType(
    {"coding": "coding", "math": "math", "code generation": "coding", "code debug": "coding"}
)


def _category_kind(category: object) -> str:
    return _CATEGORY_KIND.get(str(category).lower(), "general")


def _turns(path: Path) -> Iterator[Pair]:
    """MT-Bench and Vicuna questions: first turn by category, later turns are follow-ups."""
    for record in _jsonl(path):
        if not isinstance(record, dict):
            continue
        turns = record.get("turns") or []
        if turns:
            yield _category_kind(record.get("category")), _clean(turns[0])
        for later in turns[1:]:
            yield "followup", _clean(later)


def _arena(path: Path) -> Iterator[Pair]:
    for record in _jsonl(path):
        if isinstance(record, dict):
            yield _category_kind(record.get("subcategory")), _clean(record.get("prompt"))


def _wizardlm(path: Path) -> Iterator[Pair]:
    for record in _jsonl(path):
        if not isinstance(record, dict):
            continue
        skill = str(record.get("Skill", "")).lower()
        kind = "math" if skill == "math" else "general"
        if skill in ("code generation", "code debug", "computer science"):
            kind = "coding"
        yield kind, _clean(record.get("Instruction"))


def _non_empty(reader: Callable[[Path], Iterator[Pair]]) -> Callable[[Path], Iterator[Pair]]:
    def read(path: Path) -> Iterator[Pair]:
        return ((kind, text) for kind, text in reader(path) if text)

    return read


#: The known files, in the order they are read.
_READERS: Final[tuple[tuple[str, Callable[[Path], Iterator[Pair]]], ...]] = tuple(
    (name, _non_empty(reader))
    for name, reader in (
        ("alpaca_5000.json", _instructions("general")),
        ("code_alpaca_2k.json", _instructions("coding")),
        ("new_codealpaca.json", _instructions("coding")),
        ("gsm8k_train.jsonl", _gsm8k),
        ("gsm8k_test.jsonl", _gsm8k),
        ("sharegpt_sg90k_first_sampled_sorted.json", _sharegpt),
        ("sharegpt_v3_filtered_1000.json", _sharegpt),
        ("sharegpt_v3_filtered_500.json", _sharegpt),
        ("oasst_en_100_text.jsonl", _strings),
        ("oasst_prompt_lottery_en_250.jsonl", _strings),
        ("oasst_en_100_message.jsonl", _oasst_messages),
        ("oasst_en_100_tree.jsonl", _oasst_trees),
        ("self_instruct_seed_tasks.jsonl", _self_instruct),
        ("self_instruct_user_oriented.jsonl", _self_instruct),
        ("wizardlm_testset.jsonl", _wizardlm),
        ("mt_bench_question.jsonl", _turns),
        ("vicuna_bench_question.jsonl", _turns),
        ("arena_hard_v0.1_question.jsonl", _arena),
        ("arena_hard_v2.0_question.jsonl", _arena),
    )
)
