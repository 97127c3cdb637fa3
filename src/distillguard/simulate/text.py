"""The text of simulated calls: prompts, system prompts and answers for every population.

:class:`TextBank` writes what each simulated population sends and gets back: ordinary users'
questions in eight capability areas and nine languages, customer apps' system prompts and their
end users' input, nightly benchmark items, CI review and synthetic-data jobs, and the prompt
families of distillation campaigns on the public record (docs/simulator.md: chain-of-thought
system templates, one fixed inline reasoning tag, reasoning-trace coercion, rubric
grading, extraction-wrapper probes, "censorship-safe" rewrites, relayed end-user requests).
The words live in :mod:`distillguard.simulate.phrases`; with a :class:`~distillguard.simulate.
corpus.Corpus`, part of the user prompts are real ones, so that detectors cannot key on this
project's own wording.

Randomness comes only from the ``random.Random`` a caller passes (methods without one are
deterministic functions of their arguments), and nothing depends on string hashing, so the same
seed gives the same text under any ``PYTHONHASHSEED``. Text is on the simulator's hot path
(millions of calls): answers and reasoning are slices, cut at sentence boundaries, of long texts
that are written once per area and language, on first use, from a fixed seed.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from string import Formatter
from typing import Final, TypeVar

from distillguard.simulate import phrases
from distillguard.simulate.corpus import Corpus

AREAS: Final = (
    "coding",
    "math",
    "agentic",
    "data_analysis",
    "writing",
    "science",
    "business",
    "everyday",
)
LANGUAGES: Final = ("en", "de", "fr", "es", "pt", "ja", "zh", "ko", "ru")

Words = tuple[str, ...]
Compiled = tuple[str, tuple[str, ...]]  # (template, its slot names)
T = TypeVar("T")

_AREA_SET: Final = frozenset(AREAS)
_LANGUAGE_SET: Final = frozenset(LANGUAGES)
_CASED: Final = frozenset(("en", "de", "fr", "es", "pt", "ru"))
_MASK: Final = (1 << 64) - 1
_SLAB_CHARS: Final = 40_000  # length of each precomputed answer / reasoning text
_CODE_AREAS: Final = frozenset(phrases.ANSWER_CODE)
_TOLERANCE: Final = 0.2  # aim well inside the documented +-25%
# Probe wrappers: the product of the piece counts times two orders, and a multiplier coprime
# with it, so that consecutive variants differ in every piece.
_PROBE_SPACE: Final = (
    len(phrases.PROBE_PREAMBLES)
    * len(phrases.PROBE_FRAMINGS)
    * len(phrases.PROBE_DEMANDS)
    * len(phrases.PROBE_CLOSERS)
    * 2
)
_PROBE_STRIDE: Final = 48_271
_INLINE_SPACE: Final = (
    len(phrases.INLINE_TAGS) * len(phrases.INLINE_TEMPLATES) * len(phrases.INLINE_CLOSERS)
)
_INLINE_STRIDE: Final = 97
_NUMBERS: Final = frozenset("abc")  # slots of worked arithmetic: {a} op {b} = {c}
_APP_COMPUTED: Final = ("order", "amount", "doc", "transcript", "question", "n", "days")


def _mix(*parts: int) -> int:
    """A 64-bit hash of integers (splitmix64 steps): deterministic in every process."""
    h = 0x9E3779B97F4A7C15
    for part in parts:
        h = ((h ^ (part & _MASK)) * 0xBF58476D1CE4E5B9) & _MASK
        h ^= h >> 31
        h = (h * 0x94D049BB133111EB) & _MASK
        h ^= h >> 29
    return h


def _slots(template: str) -> tuple[str, ...]:
    names = (name for _, name, _, _ in Formatter().parse(template) if name)
    return tuple(dict.fromkeys(names))


def _compile(templates: Sequence[str], vocab: Mapping[str, Words]) -> tuple[Compiled, ...]:
    compiled = tuple((t, _slots(t)) for t in templates)
    for template, slots in compiled:
        missing = [s for s in slots if s not in vocab]
        if missing:
            raise ValueError(f"template {template!r} has slots without words: {missing}")
    return compiled


def _fill(compiled: Compiled, vocab: Mapping[str, Words], rng: random.Random) -> str:
    template, slots = compiled
    if not slots:
        return template
    choice = rng.choice
    return template.format_map({s: choice(vocab[s]) for s in slots})


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _area_error(area: str) -> ValueError:
    return ValueError(f"unknown area {area!r}; valid areas: {', '.join(AREAS)}")


def _language_error(language: str) -> ValueError:
    return ValueError(f"unknown language {language!r}; valid languages: {', '.join(LANGUAGES)}")


def _distinct(options: Sequence[T], count: int, seed: int) -> list[T]:
    """``count`` distinct entries of ``options`` chosen by ``seed`` (a partial shuffle)."""
    pool = list(options)
    for k in range(count):
        j = k + _mix(seed, k) % (len(pool) - k)
        pool[k], pool[j] = pool[j], pool[k]
    return pool[:count]


@dataclass(frozen=True, slots=True)
class _Slab:
    """A long text and the offsets where its units (sentences, blocks) start, then its length."""

    area: str  # "" for reasoning
    language: str
    text: str
    starts: tuple[int, ...]
    end_mark: str  # what closes a sentence cut short: "." or "。"
    spaced: bool  # words are separated by spaces


class TextBank:
    """Prompts, system prompts and answers for the traffic simulator (see the module doc).

    ``corpus``: real prompts to mix in; ``prompt``, ``followup`` and ``relay_prompt`` then use
    a real one with probability ``corpus_share``. Without a corpus all text is this project's.
    """

    def __init__(self, corpus: Corpus | None = None, corpus_share: float = 0.5) -> None:
        if not 0.0 <= corpus_share <= 1.0:
            raise ValueError(f"corpus_share must be within [0, 1], got {corpus_share}")
        self._share = corpus_share if corpus is not None else 0.0
        self._en: dict[str, tuple[tuple[Compiled, ...], Mapping[str, Words]]] = {}
        for area in AREAS:
            vocab = {**phrases.EN_COMMON, **phrases.EN_VOCAB[area]}
            self._en[area] = (_compile(phrases.EN_PROMPTS[area], vocab), vocab)
        self._followup_vocab: Mapping[str, Words] = {
            **phrases.EN_COMMON,
            **phrases.EN_FOLLOWUP_VOCAB,
        }
        self._followups = _compile(phrases.EN_FOLLOWUPS, self._followup_vocab)
        app_vocab = {**phrases.APP_INPUT_VOCAB, **dict.fromkeys(_APP_COMPUTED, ("",))}
        self._app_inputs = {
            kind: _compile(templates, app_vocab) for kind, templates in phrases.APP_INPUTS.items()
        }
        self._censor = _compile(phrases.CENSOR_PASSAGES, phrases.CENSOR_VOCAB)
        self._coercion = tuple((t, not t.endswith("{task}")) for t in phrases.COERCION_TEMPLATES)
        self._review_languages = tuple(phrases.REVIEW_HUNKS)
        self._hunks = {
            language: tuple(
                (
                    "\n".join(lines),
                    sum(1 for line in lines if line[0] in " -"),
                    sum(1 for line in lines if line[0] in " +"),
                )
                for lines in hunks
            )
            for language, hunks in phrases.REVIEW_HUNKS.items()
        }
        self._systems: dict[int, str] = {}
        self._slabs: dict[tuple[str, str, bool], _Slab] = {}
        # Real prompts: per area for English, per language for everything else.
        self._real: dict[str, tuple[Words, ...]] = {}
        self._real_language: dict[str, Words] = {}
        self._real_followups: Words = ()
        if corpus is not None:
            kinds = {"coding": ("coding",), "math": ("math",)}
            for area in AREAS:
                pools = (corpus.prompts.get(k, ()) for k in kinds.get(area, ("general", "chat")))
                self._real[area] = tuple(pool for pool in pools if pool)
            self._real_language = {
                code: texts for code, texts in corpus.by_language.items() if texts
            }
            self._real_followups = corpus.prompts.get("followup", ())

    # ------------------------------------------------------------------ ordinary users

    def prompt(self, area: str, rng: random.Random, language: str = "en") -> str:
        """A user's question or task in capability ``area``, written in ``language``."""
        if area not in _AREA_SET:
            raise _area_error(area)
        if self._share and rng.random() < self._share:
            if language == "en":
                pools = self._real[area]
                if pools:
                    pool = pools[rng.randrange(len(pools))] if len(pools) > 1 else pools[0]
                    return pool[rng.randrange(len(pool))]
            elif area not in ("coding", "math"):
                texts = self._real_language.get(language)
                if texts:
                    return texts[rng.randrange(len(texts))]
        return self._own_prompt(area, rng, language)

    def _own_prompt(self, area: str, rng: random.Random, language: str) -> str:
        choice = rng.choice
        if language == "en":
            templates, vocab = self._en[area]
            body = _fill(templates[rng.randrange(len(templates))], vocab, rng)
            prefix = choice(phrases.EN_PREFIXES)
            text = prefix + body + choice(phrases.EN_CONTEXTS) + choice(phrases.EN_SUFFIXES)
            r = rng.random()
            if r < 0.06 and not prefix:
                return text[0].lower() + text[1:]
            if r < 0.1 and text[-1] in ".?":
                return text[:-1]
            return text
        questions = phrases.INTL_QUESTIONS.get(language)
        if questions is None:
            raise _language_error(language)
        parts = (
            choice(phrases.INTL_PREFIXES[language]),
            choice(questions[area]),
            choice(phrases.INTL_CONTEXTS[language]),
            choice(phrases.INTL_DETAILS[language]),
            choice(phrases.INTL_SUFFIXES[language]),
        )
        return phrases.SENTENCE_GAP[language].join([p for p in parts if p])

    def followup(self, rng: random.Random, language: str = "en") -> str:
        """The next user turn of a multi-turn chat ("can you make it shorter?", ...)."""
        if language == "en":
            if self._real_followups and rng.random() < self._share:
                return self._real_followups[rng.randrange(len(self._real_followups))]
            followups = self._followups
            return _fill(followups[rng.randrange(len(followups))], self._followup_vocab, rng)
        texts = phrases.INTL_FOLLOWUPS.get(language)
        if texts is None:
            raise _language_error(language)
        text = rng.choice(texts)
        suffix = rng.choice(phrases.INTL_SUFFIXES[language])
        return f"{text}{phrases.SENTENCE_GAP[language]}{suffix}" if suffix else text

    # ------------------------------------------------------------------ customer apps

    def _app(self, app: int) -> tuple[tuple[str, str, str], int]:
        kinds = phrases.APP_KINDS
        return kinds[_mix(app, 1) % len(kinds)], _mix(app, 5) % len(phrases.TUTOR_SUBJECTS)

    def app_system(self, app: int) -> str:
        """The fixed system prompt of customer app number ``app`` (deterministic)."""
        text = self._systems.get(app)
        if text is None:
            text = self._systems[app] = self._app_system(app)
        return text

    def _app_system(self, app: int) -> str:
        (_, template, _), subject = self._app(app)
        company = (
            f"{phrases.APP_COMPANY_HEADS[_mix(app, 2) % len(phrases.APP_COMPANY_HEADS)]} "
            f"{phrases.APP_COMPANY_TAILS[_mix(app, 3) % len(phrases.APP_COMPANY_TAILS)]}"
        )
        text = template.format(
            company=company,
            tone=phrases.APP_TONES[_mix(app, 4) % len(phrases.APP_TONES)],
            subject=phrases.TUTOR_SUBJECTS[subject][0],
            level=phrases.APP_LEVELS[_mix(app, 6) % len(phrases.APP_LEVELS)],
            target=phrases.APP_TARGETS[_mix(app, 7) % len(phrases.APP_TARGETS)],
            limit=3 + _mix(app, 8) % 5,
        )
        rules = phrases.APP_RULES
        first, second = _mix(app, 9) % len(rules), _mix(app, 10) % len(rules)
        text = f"{text} {rules[first]}"
        if second != first and _mix(app, 11) % 2:
            text = f"{text} {rules[second]}"
        return text

    def app_input(self, app: int, rng: random.Random) -> str:
        """One end user's input to customer app ``app``: a ticket, a document, a question..."""
        (_, _, kind), subject = self._app(app)
        templates = self._app_inputs[kind]
        template, slots = templates[rng.randrange(len(templates))]
        vocab = phrases.APP_INPUT_VOCAB
        values: dict[str, str] = {}
        for slot in slots:
            words = vocab.get(slot)
            if words is not None:
                values[slot] = rng.choice(words)
            elif slot == "question":
                area = phrases.TUTOR_SUBJECTS[subject][1] if kind == "question" else "coding"
                values[slot] = self._own_prompt(area, rng, "en")
            else:
                values[slot] = self._computed(slot, rng)
        return template.format_map(values)

    def _computed(self, slot: str, rng: random.Random) -> str:
        if slot == "order":
            return str(rng.randrange(100_000, 10_000_000))
        if slot == "amount":
            return f"{rng.choice('$€£')}{rng.randrange(20, 2500)}"
        if slot == "doc":
            area = rng.choice(("science", "business", "everyday", "writing", "data_analysis"))
            return self._take(self._slab(area, "en", False), rng.randrange(400, 1800), rng)
        if slot == "transcript":
            names = phrases.APP_INPUT_VOCAB["name"]
            return "\n".join(
                f"{rng.choice(names)}: {rng.choice(phrases.MEETING_LINES)}"
                for _ in range(rng.randrange(4, 10))
            )
        if slot == "n":
            return str(rng.randrange(18, 66))
        return str(rng.randrange(2, 10))  # "days" and other small counts

    # ------------------------------------------------------------------ look-alike workloads

    def eval_item(self, suite: int, item: int) -> str:
        """Item ``item`` of benchmark suite ``suite``: the same pair always gives the same text.

        Suites cycle through multiple choice, math word problems, code completion and reading
        comprehension, and differ in their layout and instructions.
        """
        family, style = suite % 4, suite // 4
        h = _mix(suite, item, 12)
        if family == 0:
            return self._eval_choice(style, h)
        if family == 1:
            a, b, c = 12 + (h >> 8) % 88, 2 + (h >> 16) % 8, 2 + (h >> 24) % 8
            problem = phrases.EVAL_MATH_PROBLEMS[h % len(phrases.EVAL_MATH_PROBLEMS)].format(
                a=a, b=b, c=c, ab=a * b, a20=a * 20, p=(10, 20, 25, 50)[(h >> 32) % 4]
            )
            styles = phrases.EVAL_MATH_STYLES
            return styles[style % len(styles)].format(problem=problem)
        if family == 2:
            name, params, returns, doc = phrases.EVAL_CODE_TASKS[h % len(phrases.EVAL_CODE_TASKS)]
            stub = f'def {name}({params}) -> {returns}:\n    """{doc}"""\n'
            layouts = phrases.EVAL_CODE_STYLES
            return layouts[style % len(layouts)].format(stub=stub, item=item)
        area = ("science", "business", "everyday", "writing")[(h >> 40) % 4]
        slab = self._slab(area, "en", False)
        count = 4 + (h >> 8) % 4
        first = h % (len(slab.starts) - count - 1)
        passage = slab.text[slab.starts[first] : slab.starts[first + count]].strip()
        questions, formats = phrases.EVAL_READING_QUESTIONS, phrases.EVAL_READING_STYLES
        question = questions[(h >> 20) % len(questions)]
        return formats[style % len(formats)].format(passage=passage, question=question)

    def _eval_choice(self, style: int, h: int) -> str:
        others: Sequence[str]
        if (h >> 48) % 4 == 0:
            a, b = 12 + (h >> 8) % 80, 3 + (h >> 16) % 17
            right = a * b
            wrong = (right + b, right - a, right + 10 * ((h >> 24) % 3 + 1))
            stem, correct, others = f"What is {a} × {b}?", str(right), tuple(map(str, wrong))
        else:
            category, members, outsiders = phrases.EVAL_CATEGORIES[h % len(phrases.EVAL_CATEGORIES)]
            negative = (h >> 8) % 2 == 1
            stem = phrases.EVAL_MC_STEMS[negative].format(category=category)
            pool_right, pool_wrong = (outsiders, members) if negative else (members, outsiders)
            correct = pool_right[(h >> 12) % len(pool_right)]
            others = _distinct(pool_wrong, 3, h >> 20)
        position = (h >> 56) % 4
        options = [*others[:position], correct, *others[position:]]
        option_style = phrases.EVAL_MC_OPTION_STYLES[style % len(phrases.EVAL_MC_OPTION_STYLES)]
        lines = "\n".join(
            option_style.format(letter="ABCD"[i], text=text) for i, text in enumerate(options)
        )
        styles = phrases.EVAL_MC_STYLES
        return styles[style % len(styles)].format(stem=stem, options=lines)

    def review_request(self, rng: random.Random) -> tuple[str, str]:
        """(system, user) of a CI pull-request review bot; the user turn holds a ```diff block."""
        # Two 64-bit draws, sliced into the small choices (fast: this is on the hot path).
        h, g = rng.getrandbits(64), rng.getrandbits(64)
        names = phrases.REVIEW_NAMES
        orgs, repos, systems = phrases.REVIEW_ORGS, phrases.REVIEW_REPOS, phrases.REVIEW_SYSTEMS
        repo = f"{orgs[h % len(orgs)]}/{repos[(h >> 6) % len(repos)]}"
        system = systems[(h >> 12) % len(systems)].replace("{repo}", repo)
        language = self._review_languages[(h >> 18) % len(self._review_languages)]
        fn, var = names["fn"][(h >> 24) % len(names["fn"])], names["var"][(h >> 30) % 8]
        fills = (
            ("@@fnc@@", _camel(fn)),
            ("@@fn@@", fn),
            ("@@Var@@", var.capitalize()),
            ("@@var@@", var),
            ("@@type@@", names["type"][(h >> 36) % len(names["type"])]),
            ("@@pkg@@", names["pkg"][(h >> 42) % len(names["pkg"])]),
            ("@@n@@", str(2 + (h >> 48) % 29)),
        )
        hunks, paths = self._hunks[language], phrases.REVIEW_PATHS[language]
        parts: list[str] = []
        first_path = g % len(paths)
        for k in range(min(1 + (g >> 4) % 2, len(paths))):
            path = paths[(first_path + k) % len(paths)]
            parts.append(f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}")
            bits = g >> (8 + 24 * k)
            old, delta, first_hunk = 5 + bits % 290, 0, (bits >> 9) % len(hunks)
            for m in range(1 + (bits >> 13) % 2):
                text, old_len, new_len = hunks[(first_hunk + m) % len(hunks)]
                parts.append(f"@@ -{old},{old_len} +{old + delta},{new_len} @@\n{text}")
                delta += new_len - old_len
                old += old_len + 8 + (bits >> (14 + 5 * m)) % 30
        diff = "\n".join(parts)
        for placeholder, value in fills:
            diff = diff.replace(placeholder, value)
        titles, bodies = phrases.REVIEW_TITLES, phrases.REVIEW_BODIES
        head = f"Pull request #{10 + (h >> 54) % 990 + (g >> 56) * 37}: {titles[(h >> 50) % 12]}"
        description = bodies[(g >> 58) % len(bodies)]
        if description:
            issue = str(10 + (h >> 52) % 3000)
            head = f"{head}\n\n{description.replace('{issue}', issue)}"
        return system, f"{head}\n\n```diff\n{diff}\n```"

    def synthetic_request(self, rng: random.Random) -> tuple[str, str]:
        """(system, user) of a licensed synthetic-data generation job (JSON Lines output)."""
        choice = rng.choice
        company = f"{choice(phrases.APP_COMPANY_HEADS)} {choice(phrases.APP_COMPANY_TAILS)}"
        system = choice(phrases.SYN_SYSTEMS).format(company=company)
        item, fields = choice(phrases.SYN_ITEMS)
        user = choice(phrases.SYN_REQUESTS).format(
            n=choice((10, 20, 25, 30, 50, 100)),
            item=item,
            domain=choice(phrases.SYN_DOMAINS),
            fields=fields,
            batch=rng.randrange(1, 500),
        )
        bits = rng.getrandbits(16)
        extra, pool = bits % 3, phrases.SYN_CONSTRAINTS
        if extra:
            first = (bits >> 2) % len(pool)
            constraints = (pool[(first + k) % len(pool)] for k in range(extra))
            user = f"{user} {' '.join(constraints)}"
        return system, user

    # ------------------------------------------------------------------ distillation campaigns

    def cot_template(self, campaign: int, rng: random.Random) -> str:
        """The campaign's chain-of-thought system template, with small per-request variations.

        The campaign fixes the base wording, the role and two optional sentences; a request
        varies synonyms, may swap the middle sentences and may add the optional sentences.
        """
        bases = phrases.COT_BASES
        base = bases[campaign % len(bases)]
        role = phrases.COT_ROLES[(campaign // len(bases)) % len(phrases.COT_ROLES)]
        optional = phrases.COT_OPTIONAL
        extra = (
            optional[_mix(campaign, 21) % len(optional)],
            optional[_mix(campaign, 22) % len(optional)],
        )
        sentences = [base[0], base[2], base[1]] if rng.random() < 0.3 else list(base)
        r = rng.random()
        if r < 0.3:
            sentences.append(extra[0])
        elif r < 0.5:
            sentences.append(extra[1])
        elif r < 0.6:
            sentences.extend(extra if extra[0] != extra[1] else extra[:1])
        choice = rng.choice
        words = {name: choice(synonyms) for name, synonyms in phrases.COT_SYNONYMS.items()}
        return " ".join(sentences).format(role=role, **words)

    def inline_tag(self, campaign: int) -> str:
        """The campaign's one fixed inline reasoning-tag instruction (same text on every call)."""
        index = (campaign * _INLINE_STRIDE + 5) % _INLINE_SPACE
        tags, templates = phrases.INLINE_TAGS, phrases.INLINE_TEMPLATES
        tag = tags[index % len(tags)]
        index //= len(tags)
        template = templates[index % len(templates)]
        closer = phrases.INLINE_CLOSERS[index // len(templates)]
        return template.format(tag=tag) + closer

    def trace_coercion(self, task: str, language: str, rng: random.Random) -> str:
        """``task`` wrapped in reasoning-trace coercion: think in ``language``, show it all."""
        if language not in _LANGUAGE_SET:
            raise _language_error(language)
        template, open_end = rng.choice(self._coercion)
        name, native = phrases.LANGUAGE_NAMES[language], phrases.NATIVE_NAMES[language]
        text = template.format(
            task=task,
            lang=name,
            native=phrases.NATIVE_NAMES[language],
            both=name if name == native else f"{native} ({name})",
            script=phrases.SCRIPTS[language],
            native_demand=phrases.COERCION_NATIVE[language],
        )
        return text + rng.choice(phrases.COERCION_EXTRAS) if open_end else text

    def rubric(self, task: str, candidate: str, rng: random.Random) -> str:
        """The model as a reward model: grade ``candidate`` for ``task``, 1-10 per criterion."""
        criteria = rng.sample(phrases.RUBRIC_CRITERIA, rng.randrange(3, 6))
        keys = ", ".join(f'"{key}": <1-10>' for key, _ in criteria)
        schema = f'{{"scores": {{{keys}}}, "overall": <1-10>, "rationale": "<string>"}}'
        return rng.choice(phrases.RUBRIC_LAYOUTS).format(
            opener=rng.choice(phrases.RUBRIC_OPENERS),
            task=task,
            candidate=candidate,
            criteria="\n".join(f"- {text}" for _, text in criteria),
            schema=schema,
        )

    def probe_wrapper(self, variant: int, task: str) -> str:
        """Extraction-wrapper variant ``variant`` around ``task`` (deterministic).

        Variants combine a preamble, a framing of the task, a demand, a closer and an order;
        variants below ``preambles x framings x demands x closers x 2`` (64,512) all differ.
        """
        index = (variant * _PROBE_STRIDE + 11) % _PROBE_SPACE
        pieces: list[str] = []
        for options in (
            phrases.PROBE_PREAMBLES,
            phrases.PROBE_FRAMINGS,
            phrases.PROBE_DEMANDS,
            phrases.PROBE_CLOSERS,
        ):
            pieces.append(options[index % len(options)])
            index //= len(options)
        preamble, framing, demand, closer = pieces
        ordered = (
            (preamble, framing, demand, closer)
            if index == 0
            else (preamble, demand, framing, closer)
        )
        h = _mix(variant, 31)
        fields = {
            "task": task,
            "id": str(10_000 + h % 90_000),
            "v": f"{1 + (h >> 20) % 4}.{(h >> 24) % 10}",
            "engineer": phrases.PROBE_ENGINEERS[(h >> 28) % len(phrases.PROBE_ENGINEERS)],
        }
        return "\n\n".join(piece.format_map(fields) for piece in ordered if piece)

    def censorship_rewrite(self, rng: random.Random) -> str:
        """A request for "censorship-safe alternatives" to a generic political passage."""
        passage = _fill(rng.choice(self._censor), phrases.CENSOR_VOCAB, rng)
        return rng.choice(phrases.CENSOR_REQUESTS).format(passage=passage)

    def relay_prompt(self, rng: random.Random) -> tuple[str, str]:
        """(language, text): an end user's request as a lab would forward it, in many languages."""
        language = rng.choice(phrases.RELAY_LANGUAGES)
        if self._share and rng.random() < self._share:
            texts = self._real_language.get(language)
            if texts:
                return language, texts[rng.randrange(len(texts))]
        text = self._own_prompt(rng.choice(AREAS), rng, language)
        if language in _CASED:
            r = rng.random()
            if r < 0.15:
                text = text[0].lower() + text[1:]
            elif r < 0.25 and text[-1] in ".?!":
                text = text[:-1]
        return language, text

    # ------------------------------------------------------------------ responses

    def answer(self, area: str, tokens: int, rng: random.Random, language: str = "en") -> str:
        """Answer text of about ``tokens * 4`` characters, topical for ``area``.

        Coding, data-analysis and agentic answers of some length often hold a fenced code
        block; math answers end with a final-answer line.
        """
        if area not in _AREA_SET:
            raise _area_error(area)
        if language not in _LANGUAGE_SET:
            raise _language_error(language)
        target = max(tokens, 1) * 4
        tail = ""
        if area == "math":
            tail = "\n\n" + phrases.FINAL_ANSWER[language].format(n=rng.randrange(2, 5000))
            target = max(target - len(tail), 40)
        head = ""
        if target >= 300 and rng.random() < 0.35:
            openers = phrases.EN_OPENERS if language == "en" else phrases.INTL_OPENERS[language]
            head = rng.choice(openers) + (
                "\n\n" if language == "en" else phrases.SENTENCE_GAP[language]
            )
            target -= len(head)
        body = self._take(self._slab(area, language, target >= 400), target, rng)
        return head + body + tail

    def reasoning(self, tokens: int, rng: random.Random, language: str = "en") -> str:
        """Reasoning / thinking text of about ``tokens * 4`` characters."""
        if language not in _LANGUAGE_SET:
            raise _language_error(language)
        return self._take(self._slab("", language, False), max(tokens, 1) * 4, rng)

    def refusal(self, rng: random.Random) -> str:
        """A refusal message, varied."""
        return rng.choice(phrases.REFUSAL_FIRST) + rng.choice(phrases.REFUSAL_OFFERS)

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
    gap = phrases.SENTENCE_GAP[language]
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
    vocab = phrases.EN_ANSWER_VOCAB[area]
    templates = _compile(phrases.EN_ANSWER_TEMPLATES, vocab)
    code = phrases.ANSWER_CODE.get(area, ()) if rich else ()
    units: list[tuple[str, bool]] = []
    size = 0
    previous = ""
    recent: deque[str] = deque(maxlen=12)
    while size < _SLAB_CHARS:
        r = rnd.random()
        if code and r < 0.07:
            unit, block = _code_block(rnd.choice(code), rnd), True
        elif rich and r < 0.12:
            steps = _distinct(vocab["step"], rnd.randrange(3, 5), rnd.getrandbits(32))
            unit, block = "\n".join(f"- {s[0].upper()}{s[1:]}." for s in steps), True
        elif area == "math" and r < 0.3:
            template = rnd.choice(phrases.EN_ARITHMETIC)
            unit, block = _render(template, _slots(template), vocab, rnd), False
        else:
            template, slots = rnd.choice(templates)
            while template in recent:  # no opening twice in a few sentences
                template, slots = rnd.choice(templates)
            recent.append(template)
            unit, block = _render(template, slots, vocab, rnd, recent), False
            if rich and r > 0.97:
                unit, block = f"{rnd.choice(phrases.EN_HEADINGS)}\n\n{unit}", True
        if unit == previous:
            continue
        previous = unit
        units.append((unit, block))
        size += len(unit) + 1
    return units


def _foreign_units(
    area: str, language: str, rich: bool, rnd: random.Random
) -> list[tuple[str, bool]]:
    sentences = (
        *phrases.INTL_ANSWERS[language],
        *phrases.INTL_AREA_ANSWERS[language][area] * 3,
    )
    code = phrases.ANSWER_CODE.get(area, ()) if rich else ()
    units: list[tuple[str, bool]] = []
    size = 0
    previous = ""
    while size < _SLAB_CHARS:
        r = rnd.random()
        if code and r < 0.07:
            unit, block = _code_block(rnd.choice(code), rnd), True
        elif area == "math" and r < 0.25:
            unit, block = _render("{a} + {b} = {c}.", tuple("abc"), {}, rnd), False
        else:
            unit, block = rnd.choice(sentences), False
        if unit == previous:
            continue
        previous = unit
        units.append((unit, block))
        size += len(unit) + 1
    return units


def _reasoning_units(language: str, rnd: random.Random) -> list[tuple[str, bool]]:
    """Thinking-out-loud sentences; English ones stay with one area's words for a few lines."""
    english = language == "en"
    sentences = phrases.EN_REASONING if english else phrases.INTL_REASONING[language]
    templates = tuple((t, _slots(t)) for t in sentences)
    vocab: Mapping[str, Words] = {}
    recent: deque[str] = deque(maxlen=8)
    units: list[tuple[str, bool]] = []
    size = 0
    previous = ""
    run = 0
    while size < _SLAB_CHARS:
        if english and run <= 0:
            vocab, run = phrases.EN_ANSWER_VOCAB[rnd.choice(AREAS)], rnd.randrange(6, 16)
        run -= 1
        template, slots = rnd.choice(templates)
        unit = _render(template, slots, vocab, rnd, recent)
        if unit == previous:
            continue
        previous = unit
        units.append((unit, False))
        size += len(unit) + 1
    return units


def _code_block(template: str, rnd: random.Random) -> str:
    fn = rnd.choice(phrases.CODE_NAMES["fn"])
    return (
        template.replace("@@fnc@@", _camel(fn))
        .replace("@@fn@@", fn)
        .replace("@@var@@", rnd.choice(phrases.CODE_NAMES["var"]))
        .replace("@@tool@@", rnd.choice(phrases.CODE_NAMES["tool"]))
        .replace("@@n@@", str(rnd.randrange(2, 20)))
    )
