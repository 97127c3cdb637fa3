"""Watermark: calibration, power, inheritance by a distilled student, robustness, cost, stealth.

Every figure is measured on real held-out answers (``bench.answers``: the odd-indexed answers
of each corpus; the table's shares were counted on the even-indexed ones), with keys and
draws from seeded generators (``--seed``; each section has its own generator, so a section
gives the same figures whatever else runs). Results go to ``bench/out/watermark.json`` and
Markdown tables on stdout. When ``../shared/corpora`` is absent the figures are skipped with
a message.

1. **Null calibration.** For each of ``--null-keys`` random master keys, a fresh random set
   of ``--null-size`` clean answers drawn from all five sources is tested (global test, and
   the attribution test of one account): the share of p-values at or below 0.001, 0.01 and
   0.05. *Wrong key*: the whole pool is watermarked with one of 10 keys (each answer served
   to a random account of 50), and random sets of it are tested with another random key;
   *wrong account*: the same sets, the right key, an account that was never served.
2. **Power.** For alpaca, oasst and hh separately, ``--draws`` draws per size of N answers
   (each draw a new key and account) are watermarked and tested: the median p-value of the
   global test, the words and distinct opportunities, and the attribution p-value of the
   right account against a wrong one.
3. **Inheritance through distillation.** A word trigram student (Witten-Bell interpolation,
   sampled at temperature 1 by picking the order first, then a continuation seen after the
   context) is trained on the held-out alpaca + oasst + hh answers watermarked for a
   campaign of 50 accounts (student W) and on the same answers clean (student C). Both write
   samples of 100-150 tokens; the global test's p-value is reported against the number of
   samples tested. Tokens keep contractions whole (``don't``) and punctuation separate; the
   samples are detokenised to single-spaced words with punctuation attached.
4. **Robustness.** Watermarked oasst and alpaca answers are attacked before testing.
   *Synonym replacement at rate r*: each word is attacked with probability r; a table
   variant (a two-word phrase is attacked when either word is) is switched to another
   variant of its class (the attacker knows the table), any other word is replaced by a word
   drawn from the corpus' running text (which also destroys the next word's context).
   *Partial paraphrase at share s*: that share of each answer's sentences (stochastic
   rounding) is replaced by the same sentence of the clean original.
5. **Cost.** On one core, over every held-out answer of the five sources: ``embed``
   throughput, streamed throughput (4-character chunks through ``Embedder.feed``; the
   concatenated output is checked against ``embed``), ``verify`` throughput, each against a
   floor measured in the same run on the same texts (``len(WORD.findall(text))``, best of
   three); the share of words (whitespace-separated) the watermark changed, per source.
6. **Distribution.** Over every held-out answer: per variant class, the clean and the
   watermarked counts (each answer served to a random account of 1,000) compared by a
   chi-square test of homogeneity, for ``--dist-keys`` keys; the same for a naive comparator
   that picks each (class, context)'s variant uniformly; and, as the yardstick of ordinary
   sampling noise, the clean even-indexed answers against the clean odd-indexed ones. Also
   the total-variation distance between the unigram word distributions.

7. **A table fitted to one model.** Alpaca and HH-RLHF each stand for one model with habits
   of its own, and so does *contracting*: the alpaca + oasst + hh answers rewritten as by a
   model that contracts 97 % of its negations (``don't``, ``isn't``).
   ``watermark shares`` fits the table to the source's even-indexed answers, and
   its odd-indexed answers are watermarked with the built-in and with the fitted table, for
   ``--dist-keys`` keys. Per table: the classes whose counts (every occurrence) differ from the
   source's even-indexed answers at p ≤ 0.01, and the median global p-value of 200 answers.

Rerun: ``python -m bench.watermark`` (about 1.5 minutes on 2 cores; ``--quick`` about 35 s),
or ``make bench``.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import orjson
from scipy.stats import chi2_contingency

from bench.answers import CORPORA, SOURCES, held_out, load
from distillguard.watermark.embed import Embedder, embed
from distillguard.watermark.keys import MasterKey
from distillguard.watermark.scanner import SCANNER, ScanState
from distillguard.watermark.shares import estimate
from distillguard.watermark.spans import prose
from distillguard.watermark.table import CLASSES, VERSION
from distillguard.watermark.verify import Observations, Report, assess, verify

OUT: Final = Path(__file__).resolve().parent / "out"
RESULTS: Final = OUT / "watermark.json"
PROSE: Final = ("alpaca", "oasst", "hh")
ALPHAS: Final = (0.001, 0.01, 0.05)
STRONG: Final = -6.0  # log10 of the p-value the power goals ask for
WORD: Final = re.compile(r"\w+")  # the floor's word scan
TOKEN: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,:]\d+)*|\n|\S")
ATTACK_WORD: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
SENTENCE: Final = re.compile(r"((?<=[.!?])\s+|\n+)")
NO_SPACE_BEFORE: Final = frozenset(".,;:!?)]}%")
NO_SPACE_AFTER: Final = frozenset(["(", "[", "{", "$", "\n"])
START, END = "<s>", "</s>"


# -- helpers ------------------------------------------------------------------------------


def _key(rng: random.Random) -> MasterKey:
    return MasterKey(rng.randbytes(32), "bench")


def _accounts(n: int, prefix: str = "acct") -> list[str]:
    return [f"{prefix}-{i:04d}" for i in range(n)]


def _account_log10(report: Report, account: str) -> float:
    return next(a.result.log10_p_value for a in report.accounts if a.account == account)


def _observe(texts: Iterable[str]) -> Observations:
    observations = Observations()
    for text in texts:
        observations.add(text)
    return observations


def fmt_p(log10: float) -> str:
    """A p-value from its log10, readable at any size (``0.41``, ``3.2e-9``)."""
    if log10 >= -2:
        return f"{10**log10:.2f}"
    exponent = math.floor(log10)
    mantissa = round(10 ** (log10 - exponent), 1)
    if mantissa >= 10:
        mantissa, exponent = 1.0, exponent + 1
    return f"{mantissa}e{exponent}"


def _median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def _words(text: str) -> int:
    return len(text.split())


def _case(variant: str, original: str) -> str:
    return variant[:1].upper() + variant[1:] if original[:1].isupper() else variant


def _best_of(runs: int, work: Callable[[], object]) -> float:
    best = math.inf
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def library_state() -> dict[str, Any]:
    """The commit measured, and the files under ``src/`` that differ from it (if any)."""
    root = Path(__file__).resolve().parents[1]

    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, check=True
            )
        except (OSError, subprocess.CalledProcessError):
            return ""
        return done.stdout

    dirty = git("status", "--porcelain", "--", "src")
    return {
        "commit": git("rev-parse", "--short", "HEAD").strip() or None,
        "src_changes": [line[3:] for line in dirty.splitlines() if line.strip()],
    }


# -- 1. null calibration -------------------------------------------------------------------


def _rates(log10s: Sequence[float]) -> dict[str, Any]:
    n = len(log10s)
    out: dict[str, Any] = {"tests": n}
    for alpha in ALPHAS:
        hits = sum(10**v <= alpha for v in log10s)
        out[str(alpha)] = {"rejected": hits, "share": round(hits / n, 4)}
    return out


def calibration(
    pool: list[str], keys: int, size: int, rng: random.Random, marking_keys: int = 10
) -> dict[str, Any]:
    """Clean sets with random keys; watermarked sets with a wrong key and a wrong account."""
    clean_global, clean_account, clean_opportunities = [], [], []
    for _ in range(keys):
        observations = _observe(rng.sample(pool, size))
        report = assess(observations, _key(rng), ["acct-0000"])
        clean_global.append(report.result.log10_p_value)
        clean_account.append(report.accounts[0].result.log10_p_value)
        clean_opportunities.append(report.result.opportunities)
    campaign = _accounts(50)
    marked_sets = []
    for _ in range(marking_keys):
        key = _key(rng)
        marked_sets.append((key, [embed(t, key, rng.choice(campaign)) for t in pool]))
    wrong_key, wrong_account, right_key = [], [], []
    indices = range(len(pool))
    for i in range(keys):
        key, marked = marked_sets[i % marking_keys]
        observations = _observe(marked[j] for j in rng.sample(indices, size))
        wrong_key.append(assess(observations, _key(rng)).result.log10_p_value)
        report = assess(observations, key, ["outsider"])
        wrong_account.append(report.accounts[0].result.log10_p_value)
        right_key.append(report.result.log10_p_value)
    return {
        "set_size": size,
        "pool": len(pool),
        "median_global_opportunities": _median(clean_opportunities),
        "clean_global": _rates(clean_global),
        "clean_account": _rates(clean_account),
        "wrong_key_global": _rates(wrong_key),
        "wrong_account": _rates(wrong_account),
        "right_key_global_median_log10_p": round(_median(right_key), 2),
    }


# -- 2. power ------------------------------------------------------------------------------


def power(
    answers: dict[str, list[str]], sizes: list[int], draws: int, rng: random.Random
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for source in PROSE:
        pool = held_out(answers, source)
        rows = []
        for size in sizes:
            n = min(size, len(pool))
            runs = []
            for draw in range(draws):
                key, account = _key(rng), f"acct-{draw:04d}"
                sample = rng.sample(pool, n)
                marked = [embed(t, key, account) for t in sample]
                report = verify(marked, key, [account, "wrong"])
                runs.append(
                    {
                        "words": sum(map(_words, sample)),
                        "distinct": report.distinct,
                        "global_opportunities": report.result.opportunities,
                        "log10_p": report.result.log10_p_value,
                        "right_account_log10_p": _account_log10(report, account),
                        "wrong_account_log10_p": _account_log10(report, "wrong"),
                    }
                )
            rows.append(
                {
                    "size": size,
                    "answers": n,
                    "capped": n < size,
                    **{k: round(_median([r[k] for r in runs]), 2) for k in runs[0]},
                    "max_log10_p": round(max(r["log10_p"] for r in runs), 2),
                }
            )
        reaching = [r["answers"] for r in rows if r["log10_p"] <= STRONG]
        out[source] = {
            "pool": len(pool),
            "rows": rows,
            "smallest_size_p_1e-6": min(reaching) if reaching else None,
        }
    return out


# -- 3. inheritance through distillation ---------------------------------------------------


def tokenise(text: str) -> list[str]:
    return TOKEN.findall(text)


def detokenise(tokens: Iterable[str]) -> str:
    parts: list[str] = []
    previous = None
    for token in tokens:
        if token == "\n":
            parts.append("\n")
        elif previous is None or previous in NO_SPACE_AFTER or token in NO_SPACE_BEFORE:
            parts.append(token)
        else:
            parts.append(" " + token)
        previous = token
    return "".join(parts).strip()


class TrigramLM:
    """A word trigram model with Witten-Bell interpolation, sampled at temperature 1.

    ``P(w | u v) = l(uv) P_ML(w | u v) + (1 - l(uv)) P(w | v)``, likewise down to the
    unigram, with ``l(c) = n(c) / (n(c) + T(c))`` (n: tokens seen after the context, T:
    distinct ones). Sampling picks the order with those weights, then a token seen after that
    context in proportion to its count: exactly a draw from the interpolated distribution.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        tri: dict[tuple[str, str], list[str]] = defaultdict(list)
        bi: dict[str, list[str]] = defaultdict(list)
        uni: list[str] = []
        for text in texts:
            tokens = [START, START, *tokenise(text), END]
            for i in range(2, len(tokens)):
                tri[tokens[i - 2], tokens[i - 1]].append(tokens[i])
                bi[tokens[i - 1]].append(tokens[i])
                uni.append(tokens[i])
        self.tri = {c: (tuple(f), len(f) / (len(f) + len(set(f)))) for c, f in tri.items()}
        self.bi = {c: (tuple(f), len(f) / (len(f) + len(set(f)))) for c, f in bi.items()}
        self.uni = tuple(uni)
        self.tokens = len(uni)

    def _next(self, u: str, v: str, rng: random.Random) -> str:
        found = self.tri.get((u, v))
        if found is not None and rng.random() < found[1]:
            return rng.choice(found[0])
        seen = self.bi.get(v)
        if seen is not None and rng.random() < seen[1]:
            return rng.choice(seen[0])
        return rng.choice(self.uni)

    def sample(self, length: int, rng: random.Random) -> list[str]:
        """``length`` tokens; an ended answer is followed by a blank line and a new one."""
        out: list[str] = []
        u, v = START, START
        while len(out) < length:
            token = self._next(u, v, rng)
            if token == END:
                out += ["\n", "\n"]
                u, v = START, START
                continue
            out.append(token)
            u, v = v, token
        return out[:length]


def _samples(model: TrigramLM, n: int, rng: random.Random) -> list[str]:
    return [detokenise(model.sample(rng.randint(100, 150), rng)) for _ in range(n)]


def _growing(samples: list[str], sizes: list[int]) -> Iterator[tuple[int, Observations]]:
    """The observations of the first n samples, for each n (one scan of each sample)."""
    observations = Observations()
    done = 0
    for n in sizes:
        for text in samples[done:n]:
            observations.add(text)
        done = n
        yield n, observations


def _curve(samples: list[str], key: MasterKey, sizes: list[int]) -> list[dict[str, Any]]:
    """The global test on the first n samples, for each n."""
    rows = []
    for n, observations in _growing(samples, sizes):
        result = assess(observations, key).result
        rows.append(
            {
                "samples": n,
                "distinct": len(observations.seen),
                "global_opportunities": result.opportunities,
                "matches": result.matches,
                "expected": round(result.expected, 1),
                "log10_p": round(result.log10_p_value, 2),
            }
        )
    return rows


def _null_curve(
    samples: list[str], sizes: list[int], keys: int, rng: random.Random
) -> list[dict[str, Any]]:
    """The global test of the first n samples against ``keys`` random keys, for each n."""
    rows = []
    for n, observations in _growing(samples, sizes):
        log10s = [assess(observations, _key(rng)).result.log10_p_value for _ in range(keys)]
        rows.append(
            {
                "samples": n,
                "keys": keys,
                "median_log10_p": round(_median(log10s), 2),
                "min_log10_p": round(min(log10s), 2),
                **{
                    f"share_p_{a}": round(sum(10**v <= a for v in log10s) / keys, 4) for a in ALPHAS
                },
            }
        )
    return rows


def distillation(
    answers: dict[str, list[str]],
    sizes: list[int],
    runs: int,
    null_keys: int,
    rng: random.Random,
) -> dict[str, Any]:
    teacher = [t for source in PROSE for t in held_out(answers, source)]
    campaign = _accounts(50)
    outsiders = _accounts(50, "outsider")
    started = time.perf_counter()
    clean_model = TrigramLM(teacher)
    clean_samples = _samples(clean_model, max(sizes), rng)
    trained_s = time.perf_counter() - started
    clean_null = _null_curve(clean_samples, sizes, null_keys, rng)
    results = []
    for _ in range(runs):
        key = _key(rng)
        marked = [embed(t, key, rng.choice(campaign)) for t in teacher]
        started = time.perf_counter()
        model = TrigramLM(marked)
        samples = _samples(model, max(sizes), rng)
        seconds = time.perf_counter() - started
        w_rows = _curve(samples, key, sizes)
        c_rows = _curve(clean_samples, key, sizes)
        attribution = assess(_observe(samples), key, campaign + outsiders)
        adjusted = {a.account: a.p_adjusted for a in attribution.accounts}
        results.append(
            {
                "train_and_sample_s": round(seconds, 1),
                "student_w": w_rows,
                "student_c": c_rows,
                "campaign_accounts_attributed": sum(adjusted[a] <= 0.01 for a in campaign),
                "outsiders_attributed": sum(adjusted[a] <= 0.01 for a in outsiders),
                "needed_p_1e-6": next(
                    (r["samples"] for r in w_rows if r["log10_p"] <= STRONG), None
                ),
            }
        )
    words = [_words(s) for s in clean_samples]
    table = []
    for i, n in enumerate(sizes):
        w = [r["student_w"][i]["log10_p"] for r in results]
        c = [r["student_c"][i]["log10_p"] for r in results]
        table.append(
            {
                "samples": n,
                "w_median_log10_p": round(_median(w), 2),
                "w_max_log10_p": round(max(w), 2),
                "w_global_opportunities": _median(
                    [r["student_w"][i]["global_opportunities"] for r in results]
                ),
                "w_match_share": round(
                    _median(
                        [
                            r["student_w"][i]["matches"] / r["student_w"][i]["global_opportunities"]
                            for r in results
                        ]
                    ),
                    3,
                ),
                "w_expected_share": round(
                    _median(
                        [
                            r["student_w"][i]["expected"]
                            / r["student_w"][i]["global_opportunities"]
                            for r in results
                        ]
                    ),
                    3,
                ),
                "c_median_log10_p": round(_median(c), 2),
                "c_min_log10_p": round(min(c), 2),
                "c_global_opportunities": _median(
                    [r["student_c"][i]["global_opportunities"] for r in results]
                ),
            }
        )
    needed = [r["needed_p_1e-6"] for r in results]
    return {
        "teacher_answers": len(teacher),
        "teacher_tokens": clean_model.tokens,
        "campaign_accounts": len(campaign),
        "runs": runs,
        "mean_sample_words": round(statistics.fmean(words), 1),
        "clean_train_and_sample_s": round(trained_s, 1),
        "table": table,
        "student_c_random_keys": clean_null,
        "needed_p_1e-6": needed,
        "runs_detail": results,
    }


# -- 4. robustness -------------------------------------------------------------------------


def synonym_attack(text: str, rate: float, rng: random.Random, vocabulary: list[str]) -> str:
    """Attack each word with probability ``rate`` (see the module's docstring)."""
    found = [
        o
        for o in SCANNER.occurrences(text, prose(text), 0, len(text), ScanState())
        if not o.blocked
    ]
    words = list(ATTACK_WORD.finditer(text))
    parts: list[str] = []
    position = i = k = 0
    while i < len(words):
        word = words[i]
        while k < len(found) and found[k].end <= word.start():
            k += 1
        if k < len(found) and found[k].start <= word.start():
            occurrence = found[k]
            j = i
            while j < len(words) and words[j].start() < occurrence.end:
                j += 1
            if rng.random() < 1 - (1 - rate) ** (j - i):
                variants = CLASSES[occurrence.cls].variants
                other = rng.choice([v for v in range(len(variants)) if v != occurrence.variant])
                parts.append(text[position : occurrence.start])
                parts.append(_case(variants[other], text[occurrence.start : occurrence.end]))
                position = occurrence.end
            i, k = j, k + 1
            continue
        if rng.random() < rate:
            parts.append(text[position : word.start()])
            parts.append(_case(rng.choice(vocabulary), word.group()))
            position = word.end()
        i += 1
    parts.append(text[position:])
    return "".join(parts)


def paraphrase(clean: str, marked: str, share: float, rng: random.Random) -> tuple[str, bool]:
    """``marked`` with ``share`` of its sentences taken back from ``clean``; False: misaligned."""
    ours, theirs = SENTENCE.split(clean), SENTENCE.split(marked)
    if len(ours) != len(theirs):
        return marked, False
    sentences = [i for i in range(0, len(theirs), 2) if theirs[i].strip()]
    count = min(len(sentences), math.floor(share * len(sentences) + rng.random()))
    for i in rng.sample(sentences, count):
        theirs[i] = ours[i]
    return "".join(theirs), True


ATTACKS: Final = (
    ("none", 0.0),
    ("synonym", 0.1),
    ("synonym", 0.3),
    ("synonym", 0.5),
    ("paraphrase", 0.25),
    ("paraphrase", 0.5),
    ("paraphrase", 0.75),
)


def robustness(
    answers: dict[str, list[str]], sets: list[tuple[str, int]], draws: int, rng: random.Random
) -> dict[str, Any]:
    vocabulary = [
        w.lower()
        for source in PROSE
        for t in held_out(answers, source)
        for w in ATTACK_WORD.findall(t)
    ]
    rows = []
    misaligned = 0
    for source, size in sets:
        pool = held_out(answers, source)
        n = min(size, len(pool))
        campaign = _accounts(50)
        runs: dict[tuple[str, float], list[Report]] = defaultdict(list)
        for _ in range(draws):
            key = _key(rng)
            clean = rng.sample(pool, n)
            marked = [embed(t, key, rng.choice(campaign)) for t in clean]
            for attack, level in ATTACKS:
                if attack == "synonym":
                    texts = [synonym_attack(t, level, rng, vocabulary) for t in marked]
                elif attack == "paraphrase":
                    texts = []
                    for c, m in zip(clean, marked, strict=True):
                        text, aligned = paraphrase(c, m, level, rng)
                        misaligned += not aligned
                        texts.append(text)
                else:
                    texts = marked
                runs[attack, level].append(verify(texts, key))
        for (attack, level), reports in runs.items():
            results = [r.result for r in reports]
            rows.append(
                {
                    "source": source,
                    "answers": n,
                    "attack": attack,
                    "level": level,
                    "global_opportunities": _median([r.opportunities for r in results]),
                    "match_share": round(
                        _median([r.matches / max(1, r.opportunities) for r in results]), 3
                    ),
                    "expected_share": round(
                        _median([r.expected / max(1, r.opportunities) for r in results]), 3
                    ),
                    "median_log10_p": round(_median([r.log10_p_value for r in results]), 2),
                    "max_log10_p": round(max(r.log10_p_value for r in results), 2),
                }
            )
    return {"draws": draws, "misaligned_paraphrases": misaligned, "rows": rows}


# -- 5. cost -------------------------------------------------------------------------------


def cost(answers: dict[str, list[str]], stream_every: int, rng: random.Random) -> dict[str, Any]:
    by_source = {s: held_out(answers, s) for s in SOURCES}
    texts = [t for s in SOURCES for t in by_source[s]]
    served = [rng.choice(_accounts(50)) for _ in texts]
    size_mb = sum(len(t.encode()) for t in texts) / 1e6
    key = _key(rng)
    floor_s = _best_of(3, lambda: sum(len(WORD.findall(t)) for t in texts))
    marked: list[str] = []

    def whole() -> None:
        marked[:] = [embed(t, key, a) for t, a in zip(texts, served, strict=True)]

    embed_s = _best_of(3, whole)
    verify_s = _best_of(3, lambda: verify(marked, key))
    streamed_texts = texts[::stream_every]
    streamed_served = served[::stream_every]
    streamed_out: list[str] = []

    def streamed() -> None:
        streamed_out.clear()
        for text, account in zip(streamed_texts, streamed_served, strict=True):
            embedder = Embedder(key, account)
            parts = [embedder.feed(text[i : i + 4]) for i in range(0, len(text), 4)]
            parts.append(embedder.close())
            streamed_out.append("".join(parts))

    stream_s = _best_of(1, streamed)
    stream_mb = sum(len(t.encode()) for t in streamed_texts) / 1e6
    chunks = sum(-(-len(t) // 4) for t in streamed_texts)
    mismatches = sum(a != b for a, b in zip(streamed_out, marked[::stream_every], strict=True))
    changes = {}
    for source in SOURCES:
        words = changed_words = changed = opportunities = touched = 0
        for text in by_source[source]:
            embedder = Embedder(key, rng.choice(_accounts(50)))
            embedder.close(text)
            words += _words(text)
            changed_words += embedder.changed_words
            changed += embedder.changed
            opportunities += embedder.opportunities
            touched += embedder.changed > 0
        changes[source] = {
            "answers": len(by_source[source]),
            "mean_words": round(words / len(by_source[source]), 1),
            "opportunities_per_100_words": round(100 * opportunities / words, 2),
            "changed_word_share": round(changed_words / words, 5),
            "changed_occurrence_share": round(changed / max(1, opportunities), 3),
            "answers_changed_share": round(touched / len(by_source[source]), 3),
        }
    return {
        "answers": len(texts),
        "mb": round(size_mb, 3),
        "floor_s": round(floor_s, 4),
        "floor_mb_s": round(size_mb / floor_s, 1),
        "embed_s": round(embed_s, 3),
        "embed_mb_s": round(size_mb / embed_s, 2),
        "embed_to_floor": round(embed_s / floor_s, 1),
        "verify_s": round(verify_s, 3),
        "verify_mb_s": round(size_mb / verify_s, 2),
        "verify_to_floor": round(verify_s / floor_s, 1),
        "streamed_answers": len(streamed_texts),
        "streamed_mb": round(stream_mb, 3),
        "streamed_s": round(stream_s, 3),
        "streamed_mb_s": round(stream_mb / stream_s, 3),
        "streamed_chunks": chunks,
        "streamed_us_per_chunk": round(1e6 * stream_s / chunks, 1),
        "streamed_to_floor": round(stream_s / (floor_s * stream_mb / size_mb), 1),
        "streamed_mismatches": mismatches,
        "changes": changes,
    }


# -- 6. distribution -----------------------------------------------------------------------


def _counts(
    texts: Iterable[str], contexts: Counter[tuple[int, str]] | None = None
) -> list[list[int]]:
    """Occurrences per class and variant, blocked or not, as a frequency count sees them
    (and per (class, context) into ``contexts``)."""
    counts = [[0] * len(cls.variants) for cls in CLASSES]
    for text in texts:
        for o in SCANNER.occurrences(text, prose(text), 0, len(text), ScanState()):
            counts[o.cls][o.variant] += 1
            if contexts is not None:
                contexts[o.cls, o.context] += 1
    return counts


def _homogeneity(a: list[int], b: list[int]) -> float:
    """p-value of a chi-square test that two count vectors share one distribution."""
    columns = [i for i in range(len(a)) if a[i] + b[i] > 0]
    if len(columns) < 2 or sum(a) == 0 or sum(b) == 0:
        return 1.0
    return float(chi2_contingency([[a[i] for i in columns], [b[i] for i in columns]], False)[1])


def _unigram(texts: Iterable[str]) -> Counter[str]:
    return Counter(t.lower().replace("’", "'") for text in texts for t in ATTACK_WORD.findall(text))


def _tv(p: Counter[str], q: Counter[str]) -> float:
    np_, nq = p.total(), q.total()
    return 0.5 * sum(abs(p[w] / np_ - q[w] / nq) for w in p.keys() | q.keys())


def naive(text: str, secret: bytes) -> str:
    """The comparator: each (class, context) gets a variant chosen uniformly by a keyed hash."""
    found = SCANNER.occurrences(text, prose(text), 0, len(text), ScanState())
    parts: list[str] = []
    position = 0
    for o in found:
        if o.blocked:
            continue
        variants = CLASSES[o.cls].variants
        pick = random.Random(secret + f"{o.cls}\x1f{o.context}".encode()).randrange(len(variants))
        if pick == o.variant:
            continue
        parts.append(text[position : o.start])
        parts.append(_case(variants[pick], text[o.start : o.end]))
        position = o.end
    parts.append(text[position:])
    return "".join(parts)


def distribution(answers: dict[str, list[str]], keys: int, rng: random.Random) -> dict[str, Any]:
    texts = [t for s in SOURCES for t in held_out(answers, s)]
    even = [t for s in SOURCES for t in answers[s][0::2]]
    contexts: Counter[tuple[int, str]] = Counter()
    clean = _counts(texts, contexts)
    top: dict[int, tuple[str, int]] = {}
    for (c, context), n in contexts.most_common():
        top.setdefault(c, (context, n))
    reference = _counts(even)
    clean_words = _unigram(texts)
    audience = _accounts(1000)
    per_key = []
    for _ in range(keys):
        key = _key(rng)
        marked = [embed(t, key, rng.choice(audience)) for t in texts]
        secret = rng.randbytes(16)
        rewritten = [naive(t, secret) for t in texts]
        per_key.append(
            {
                "marked": _counts(marked),
                "naive": _counts(rewritten),
                "tv_marked": _tv(clean_words, _unigram(marked)),
                "tv_naive": _tv(clean_words, _unigram(rewritten)),
            }
        )
    classes = []
    for c, cls in enumerate(CLASSES):
        marked_p = [_homogeneity(clean[c], k["marked"][c]) for k in per_key]
        naive_p = [_homogeneity(clean[c], k["naive"][c]) for k in per_key]
        first = per_key[0]

        def share(counts: list[int]) -> float | None:
            return round(counts[0] / sum(counts), 3) if sum(counts) else None

        classes.append(
            {
                "class": "/".join(cls.variants),
                "occurrences": sum(clean[c]),
                "table_share": cls.weights[0],
                "clean_share": share(clean[c]),
                "even_share": share(reference[c]),
                "marked_share": share(first["marked"][c]),
                "naive_share": share(first["naive"][c]),
                "marked_p": marked_p[0],
                "naive_p": naive_p[0],
                "reference_p": _homogeneity(reference[c], clean[c]),
                "top_context": top.get(c, ("", 0))[0],
                "top_context_share": round(top.get(c, ("", 0))[1] / max(1, sum(clean[c])), 2),
                "marked_keys_significant": sum(p <= 0.01 for p in marked_p),
                "naive_keys_significant": sum(p <= 0.01 for p in naive_p),
            }
        )
    significant_marked = [
        sum(_homogeneity(clean[c], k["marked"][c]) <= 0.01 for c in range(len(CLASSES)))
        for k in per_key
    ]
    significant_naive = [
        sum(_homogeneity(clean[c], k["naive"][c]) <= 0.01 for c in range(len(CLASSES)))
        for k in per_key
    ]
    against_even = {
        kind: [
            sum(_homogeneity(reference[c], k[kind][c]) <= 0.01 for c in range(len(CLASSES)))
            for k in per_key
        ]
        for kind in ("marked", "naive")
    }
    return {
        "answers": len(texts),
        "keys": keys,
        "audience_accounts": len(audience),
        "classes": classes,
        "significant_marked": significant_marked,
        "significant_naive": significant_naive,
        "significant_reference": sum(c["reference_p"] <= 0.01 for c in classes),
        "significant_marked_vs_even": against_even["marked"],
        "significant_naive_vs_even": against_even["naive"],
        "tv_marked": [round(k["tv_marked"], 5) for k in per_key],
        "tv_naive": [round(k["tv_naive"], 5) for k in per_key],
        "tv_reference_even_odd": round(_tv(_unigram(even), clean_words), 4),
    }


# -- the benchmark -------------------------------------------------------------------------


# -- 7. a table fitted to one model -------------------------------------------------------


NEGATIONS: Final = frozenset(
    c for c, cls in enumerate(CLASSES) if cls.name.endswith(" not") or cls.name == "cannot"
)


def contracting(text: str, rng: random.Random, share: float = 0.97) -> str:
    """``text`` as written by a model that contracts ``share`` of its negations."""
    parts: list[str] = []
    position = 0
    for o in SCANNER.occurrences(text, prose(text), 0, len(text), ScanState()):
        if o.cls not in NEGATIONS:
            continue
        want = 1 if rng.random() < share else 0
        if want != o.variant:
            parts.append(text[position : o.start])
            parts.append(_case(CLASSES[o.cls].variants[want], text[o.start : o.end]))
            position = o.end
    parts.append(text[position:])
    return "".join(parts)


def fitted(answers: dict[str, list[str]], keys: int, rng: random.Random) -> dict[str, Any]:
    out: dict[str, Any] = {}
    mixed = {
        half: [contracting(t, rng) for s in PROSE for t in answers[s][start::2]]
        for half, start in (("even", 0), ("odd", 1))
    }
    sources = {
        "alpaca": (answers["alpaca"][0::2], held_out(answers, "alpaca")),
        "hh": (answers["hh"][0::2], held_out(answers, "hh")),
        "contracting": (mixed["even"], mixed["odd"]),
    }
    for source, (even, odd) in sources.items():
        fit = estimate(even)
        tables = {"built-in": SCANNER, "fitted": fit.table.scanner()}
        reference = _counts(even)
        clean = _counts(odd)
        rows: dict[str, dict[str, Any]] = {}
        for name, scanner in tables.items():
            significant, log10s = [], []
            for _ in range(keys):
                key = _key(rng)
                marked = []
                for text in odd:
                    marked.append(Embedder(key, "", scanner).close(text))
                counts = _counts(marked)
                significant.append(
                    sum(_homogeneity(reference[c], counts[c]) <= 0.01 for c in range(len(CLASSES)))
                )
                sample = rng.sample(marked, 200)
                observations = Observations(scanner)
                for text in sample:
                    observations.add(text)
                log10s.append(assess(observations, key).result.log10_p_value)
            rows[name] = {
                "classes": len(scanner.classes),
                "significant": significant,
                "median_log10_p_200": round(_median(log10s), 2),
            }
        out[source] = {
            "fit_answers": len(even),
            "outcomes": dict(Counter(fit.outcomes.values())),
            "dropped": sorted(n for n, o in fit.outcomes.items() if o == "dropped"),
            "clean_significant": sum(
                _homogeneity(reference[c], clean[c]) <= 0.01 for c in range(len(CLASSES))
            ),
            "tables": rows,
        }
    return out


def _ints(spec: str) -> list[int]:
    return [int(s) for s in spec.split(",") if s.strip()]


def watermark_benchmark(
    *,
    seed: int = 2026,
    null_keys: int = 1000,
    null_size: int = 100,
    sizes: str = "10,25,50,100,150,200,300,400",
    draws: int = 7,
    student_sizes: str = "50,100,200,500,1000",
    student_runs: int = 5,
    robust_draws: int = 5,
    dist_keys: int = 10,
    stream_every: int = 4,
    quick: bool = False,
) -> dict[str, Any]:
    """Run every section, write ``bench/out/watermark.json``, print the tables; see above."""
    if quick:
        null_keys, sizes, draws = 200, "10,50,100,200,400", 3
        student_sizes, student_runs, robust_draws, dist_keys = "50,200,500", 1, 1, 2
        stream_every = 20
    try:
        answers = load()
    except FileNotFoundError as exc:
        print(f"watermark: figures skipped: {exc} (see bench/answers.py)", file=sys.stderr)
        return {"skipped": str(exc)}

    def rng(section: str) -> random.Random:
        return random.Random(f"{seed}-{section}")

    settings = {
        "seed": seed,
        "null_keys": null_keys,
        "null_size": null_size,
        "sizes": sizes,
        "draws": draws,
        "student_sizes": student_sizes,
        "student_runs": student_runs,
        "robust_draws": robust_draws,
        "dist_keys": dist_keys,
        "stream_every": stream_every,
        "quick": quick,
    }
    result: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}",
        "loadavg_before": round(os.getloadavg()[0], 2),
        "table_version": VERSION,
        "library": library_state(),
        "corpora": str(CORPORA),
        "settings": settings,
        "held_out_answers": {s: len(held_out(answers, s)) for s in SOURCES},
        "seconds": {},
    }
    pool = [t for s in SOURCES for t in held_out(answers, s)]
    sections: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("calibration", lambda: calibration(pool, null_keys, null_size, rng("calibration"))),
        ("power", lambda: power(answers, _ints(sizes), draws, rng("power"))),
        (
            "distillation",
            lambda: distillation(
                answers, _ints(student_sizes), student_runs, null_keys, rng("distillation")
            ),
        ),
        (
            "robustness",
            lambda: robustness(
                answers,
                [("oasst", 200), ("oasst", 400), ("alpaca", 200), ("alpaca", 400)],
                robust_draws,
                rng("robustness"),
            ),
        ),
        ("cost", lambda: cost(answers, stream_every, rng("cost"))),
        ("distribution", lambda: distribution(answers, dist_keys, rng("distribution"))),
        ("fitted", lambda: fitted(answers, dist_keys, rng("fitted"))),
    ]
    for name, work in sections:
        print(f"watermark: {name}…", file=sys.stderr)
        started = time.perf_counter()
        result[name] = work()
        result["seconds"][name] = round(time.perf_counter() - started, 1)
    OUT.mkdir(exist_ok=True)
    RESULTS.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2))
    tables(result)
    return result


# -- tables --------------------------------------------------------------------------------


def _rate(r: dict[str, Any], alpha: float) -> str:
    cell = r[str(alpha)]
    return f"{cell['share']:.2%} ({cell['rejected']})"


def tables(r: dict[str, Any]) -> None:
    c = r["calibration"]
    print(f"Null calibration: {c['clean_global']['tests']:,} tests of {c['set_size']} answers")
    print()
    print("| test | p ≤ 0.001 | p ≤ 0.01 | p ≤ 0.05 |")
    print("|---|---|---|---|")
    for name, label in (
        ("clean_global", "clean answers, random key: global"),
        ("clean_account", "clean answers, random key: attribution of one account"),
        ("wrong_key_global", "watermarked, another key: global"),
        ("wrong_account", "watermarked, right key, account never served: attribution"),
    ):
        row = c[name]
        print(f"| {label} | {_rate(row, 0.001)} | {_rate(row, 0.01)} | {_rate(row, 0.05)} |")
    print(
        f"median global opportunities per clean set: {c['median_global_opportunities']}; "
        f"watermarked sets with the right key: median p "
        f"{fmt_p(c['right_key_global_median_log10_p'])}"
    )
    print()
    print(
        "| source | answers | words | distinct opportunities | global opportunities "
        "| median p (global) | worst p | right account p | wrong account p |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for source, block in r["power"].items():
        for row in block["rows"]:
            capped = " (all)" if row["capped"] else ""
            print(
                f"| {source} | {row['answers']}{capped} | {row['words']:,.0f} "
                f"| {row['distinct']:.0f} | {row['global_opportunities']:.0f} "
                f"| {fmt_p(row['log10_p'])} | {fmt_p(row['max_log10_p'])} "
                f"| {fmt_p(row['right_account_log10_p'])} "
                f"| {fmt_p(row['wrong_account_log10_p'])} |"
            )
    print()
    for source, block in r["power"].items():
        print(f"{source}: smallest size with median p ≤ 1e-6: {block['smallest_size_p_1e-6']}")
    d = r["distillation"]
    print()
    print(
        "| student samples | W: median p | W: worst p | W: global opportunities "
        "| W: match share (null) | C: median p | C: smallest p | C: global opportunities |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in d["table"]:
        print(
            f"| {row['samples']:,} | {fmt_p(row['w_median_log10_p'])} "
            f"| {fmt_p(row['w_max_log10_p'])} | {row['w_global_opportunities']:.0f} "
            f"| {row['w_match_share']} ({row['w_expected_share']}) "
            f"| {fmt_p(row['c_median_log10_p'])} | {fmt_p(row['c_min_log10_p'])} "
            f"| {row['c_global_opportunities']:.0f} |"
        )
    print(f"W samples needed for p ≤ 1e-6 (per run): {d['needed_p_1e-6']}")
    print()
    print("| student C samples | keys | median p | smallest p | p ≤ 0.001 | p ≤ 0.01 | p ≤ 0.05 |")
    print("|---|---|---|---|---|---|---|")
    for row in d["student_c_random_keys"]:
        print(
            f"| {row['samples']:,} | {row['keys']:,} | {fmt_p(row['median_log10_p'])} "
            f"| {fmt_p(row['min_log10_p'])} | {row['share_p_0.001']:.2%} "
            f"| {row['share_p_0.01']:.2%} | {row['share_p_0.05']:.2%} |"
        )
    print(
        "campaign accounts attributed (p_adj ≤ 0.01, of 50), per run: "
        f"{[x['campaign_accounts_attributed'] for x in d['runs_detail']]}; outsiders: "
        f"{[x['outsiders_attributed'] for x in d['runs_detail']]}"
    )
    print()
    print(
        "| source | answers | attack | global opportunities | match share (null) "
        "| median p | worst p |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in r["robustness"]["rows"]:
        attack = "none" if row["attack"] == "none" else f"{row['attack']} {row['level']:.0%}"
        print(
            f"| {row['source']} | {row['answers']} | {attack} | {row['global_opportunities']:.0f} "
            f"| {row['match_share']} ({row['expected_share']}) | {fmt_p(row['median_log10_p'])} "
            f"| {fmt_p(row['max_log10_p'])} |"
        )
    k = r["cost"]
    print()
    print("| work | MB | seconds | MB/s | × floor |")
    print("|---|---|---|---|---|")
    print(f"| floor (`WORD.findall`) | {k['mb']} | {k['floor_s']} | {k['floor_mb_s']} | 1 |")
    print(
        f"| embed (whole answers) | {k['mb']} | {k['embed_s']} | {k['embed_mb_s']} "
        f"| {k['embed_to_floor']} |"
    )
    print(
        f"| embed (streamed, 4-char chunks) | {k['streamed_mb']} | {k['streamed_s']} "
        f"| {k['streamed_mb_s']} | {k['streamed_to_floor']} |"
    )
    print(f"| verify | {k['mb']} | {k['verify_s']} | {k['verify_mb_s']} | {k['verify_to_floor']} |")
    print(
        f"streamed: {k['streamed_us_per_chunk']} µs per 4-character chunk "
        f"({k['streamed_chunks']:,} chunks); output differing from embed: "
        f"{k['streamed_mismatches']}"
    )
    print()
    print(
        "| source | answers | mean words | opportunities / 100 words | words changed "
        "| occurrences changed | answers changed |"
    )
    print("|---|---|---|---|---|---|---|")
    for source, row in k["changes"].items():
        print(
            f"| {source} | {row['answers']:,} | {row['mean_words']} "
            f"| {row['opportunities_per_100_words']} | {row['changed_word_share']:.2%} "
            f"| {row['changed_occurrence_share']:.1%} | {row['answers_changed_share']:.1%} |"
        )
    s = r["distribution"]
    print()
    print(
        "| class | occurrences | table share | clean (even) | clean | watermarked | naive "
        "| p watermarked | p naive | keys significant: watermarked, naive "
        "| most frequent context (share) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in s["classes"]:
        print(
            f"| {row['class']} | {row['occurrences']} | {row['table_share']} "
            f"| {row['even_share']} | {row['clean_share']} | {row['marked_share']} "
            f"| {row['naive_share']} | {row['marked_p']:.2g} | {row['naive_p']:.2g} "
            f"| {row['marked_keys_significant']}, {row['naive_keys_significant']} "
            f"| {row['top_context'] or '(none)'} ({row['top_context_share']:.0%}) |"
        )
    print()
    print(
        f"classes significant at 0.01 (of {len(s['classes'])}), per key: watermarked "
        f"{s['significant_marked']}, naive {s['significant_naive']}; clean even vs odd: "
        f"{s['significant_reference']}; against the clean even-indexed answers: watermarked "
        f"{s['significant_marked_vs_even']}, naive {s['significant_naive_vs_even']}"
    )
    print(
        f"unigram TV, clean vs: watermarked {s['tv_marked']}, naive {s['tv_naive']}; "
        f"even vs odd clean answers: {s['tv_reference_even_odd']}"
    )
    f = r["fitted"]
    print()
    print(
        "| source | table | classes | classes significant vs the source's own answers, "
        "per key | median p, 200 answers |"
    )
    print("|---|---|---|---|---|")
    for source, item in f.items():
        for name, row in item["tables"].items():
            print(
                f"| {source} | {name} | {row['classes']} | {row['significant']} "
                f"| {fmt_p(row['median_log10_p_200'])} |"
            )
        print(
            f"{source}: fit on {item['fit_answers']:,} answers: {item['outcomes']}, dropped "
            f"{item['dropped']}; clean held-out vs the fit's answers: "
            f"{item['clean_significant']} classes significant"
        )
    print(f"seconds: {r['seconds']}; library: {r['library']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--null-keys", type=int, default=1000, help="keys of the null tests")
    parser.add_argument("--null-size", type=int, default=100, help="answers per null test")
    parser.add_argument("--sizes", default="10,25,50,100,150,200,300,400", help="power sizes")
    parser.add_argument("--draws", type=int, default=7, help="draws per power size")
    parser.add_argument("--student-sizes", default="50,100,200,500,1000")
    parser.add_argument("--student-runs", type=int, default=5, help="keys (students W)")
    parser.add_argument("--robust-draws", type=int, default=5)
    parser.add_argument("--dist-keys", type=int, default=10)
    parser.add_argument("--stream-every", type=int, default=4, help="stream every n-th answer")
    parser.add_argument("--quick", action="store_true", help="fewer keys and draws (~35 s)")
    args = parser.parse_args()
    watermark_benchmark(**vars(args))


if __name__ == "__main__":
    main()
