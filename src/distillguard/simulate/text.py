"""The text of simulated calls: prompts, system prompts and answers for every population.

:class:`TextBank` writes what each simulated population sends and gets back: ordinary users'
questions in eight capability areas and nine languages, customer apps' system prompts and their
end users' input, nightly benchmark items, CI review and synthetic-data jobs, and the prompt
families of distillation campaigns on the public record (docs/simulator.md: chain-of-thought
system templates, one fixed inline reasoning tag, reasoning-trace coercion, rubric
grading, extraction-wrapper probes, "censorship-safe" rewrites, relayed end-user requests).
The words live in :mod:`distillguard.simulate.phrases`; with a :class:`~distillguard.simulate.
corpus.Corpus`, part of the user prompts are real ones, so that detectors cannot key on this
project's own wording. Answers, reasoning and refusals come from a
:class:`~distillguard.simulate.responses.ResponseBank`, which the bank holds.

Randomness comes only from the ``random.Random`` a caller passes (methods without one are
deterministic functions of their arguments), and nothing depends on string hashing, so the same
seed gives the same text under any ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Final

from distillguard.simulate.corpus import Corpus
from distillguard.simulate.phrases import (
    apps,
    campaigns,
    english_prompts,
    intl_prompts,
    languages,
    lookalikes,
    public,
)
from distillguard.simulate.phrases.tables import Words
from distillguard.simulate.responses import ResponseBank
from distillguard.simulate.templates import (
    AREAS,
    Compiled,
    camel,
    check_area,
    check_language,
    compile_templates,
    distinct,
    fill,
    language_error,
    mix,
)

_CASED: Final = frozenset(("en", "de", "fr", "es", "pt", "ru"))
# Probe wrappers: the product of the piece counts times two orders, and a multiplier coprime
# with it, so that consecutive variants differ in every piece.
_PROBE_SPACE: Final = (
    len(campaigns.PROBE_PREAMBLES)
    * len(campaigns.PROBE_FRAMINGS)
    * len(campaigns.PROBE_DEMANDS)
    * len(campaigns.PROBE_CLOSERS)
    * 2
)
_PROBE_STRIDE: Final = 48_271
_INLINE_SPACE: Final = (
    len(campaigns.INLINE_TAGS) * len(campaigns.INLINE_TEMPLATES) * len(campaigns.INLINE_CLOSERS)
)
_INLINE_STRIDE: Final = 97
_APP_COMPUTED: Final = ("order", "amount", "doc", "transcript", "question", "n", "days")
# Without a corpus, the public benchmark is a fixed set of built-in items over four suite
# numbers no account is given (accounts' numbers are below a million), one per item family.
_PUBLIC_SUITES: Final = tuple(4 * 1_000_003 + family for family in range(4))
_PUBLIC_ITEMS: Final = 400


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
            vocab = {**english_prompts.EN_COMMON, **english_prompts.EN_VOCAB[area]}
            self._en[area] = (compile_templates(english_prompts.EN_PROMPTS[area], vocab), vocab)
        self._followup_vocab: Mapping[str, Words] = {
            **english_prompts.EN_COMMON,
            **english_prompts.EN_FOLLOWUP_VOCAB,
        }
        self._followups = compile_templates(english_prompts.EN_FOLLOWUPS, self._followup_vocab)
        app_vocab = {**apps.APP_INPUT_VOCAB, **dict.fromkeys(_APP_COMPUTED, ("",))}
        self._app_inputs = {
            kind: compile_templates(templates, app_vocab)
            for kind, templates in apps.APP_INPUTS.items()
        }
        self._censor = compile_templates(campaigns.CENSOR_PASSAGES, campaigns.CENSOR_VOCAB)
        self._coercion = tuple((t, not t.endswith("{task}")) for t in campaigns.COERCION_TEMPLATES)
        self._review_languages = tuple(lookalikes.REVIEW_HUNKS)
        self._hunks = {
            language: tuple(
                (
                    "\n".join(lines),
                    sum(1 for line in lines if line[0] in " -"),
                    sum(1 for line in lines if line[0] in " +"),
                )
                for lines in hunks
            )
            for language, hunks in lookalikes.REVIEW_HUNKS.items()
        }
        self._systems: dict[int, str] = {}
        self._responses = ResponseBank()
        # Real prompts: per area for English, per language for everything else.
        self._real: dict[str, tuple[Words, ...]] = {}
        self._real_language: dict[str, Words] = {}
        self._real_followups: Words = ()
        self._benchmarks: Words = corpus.benchmarks if corpus is not None else ()
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
        check_area(area)
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
            body = fill(templates[rng.randrange(len(templates))], vocab, rng)
            prefix = choice(english_prompts.EN_PREFIXES)
            text = (
                prefix
                + body
                + choice(english_prompts.EN_CONTEXTS)
                + choice(english_prompts.EN_SUFFIXES)
            )
            r = rng.random()
            if r < 0.06 and not prefix:
                return text[0].lower() + text[1:]
            if r < 0.1 and text[-1] in ".?":
                return text[:-1]
            return text
        questions = intl_prompts.INTL_QUESTIONS.get(language)
        if questions is None:
            raise language_error(language)
        parts = (
            choice(intl_prompts.INTL_PREFIXES[language]),
            choice(questions[area]),
            choice(intl_prompts.INTL_CONTEXTS[language]),
            choice(intl_prompts.INTL_DETAILS[language]),
            choice(intl_prompts.INTL_SUFFIXES[language]),
        )
        return languages.SENTENCE_GAP[language].join([p for p in parts if p])

    def followup(self, rng: random.Random, language: str = "en") -> str:
        """The next user turn of a multi-turn chat ("can you make it shorter?", ...)."""
        if language == "en":
            if self._real_followups and rng.random() < self._share:
                return self._real_followups[rng.randrange(len(self._real_followups))]
            followups = self._followups
            return fill(followups[rng.randrange(len(followups))], self._followup_vocab, rng)
        texts = intl_prompts.INTL_FOLLOWUPS.get(language)
        if texts is None:
            raise language_error(language)
        text = rng.choice(texts)
        suffix = rng.choice(intl_prompts.INTL_SUFFIXES[language])
        return f"{text}{languages.SENTENCE_GAP[language]}{suffix}" if suffix else text

    # ------------------------------------------------------------------ customer apps

    def _app(self, app: int) -> tuple[tuple[str, str, str], int]:
        kinds = apps.APP_KINDS
        return kinds[mix(app, 1) % len(kinds)], mix(app, 5) % len(apps.TUTOR_SUBJECTS)

    def app_system(self, app: int) -> str:
        """The fixed system prompt of customer app number ``app`` (deterministic)."""
        text = self._systems.get(app)
        if text is None:
            text = self._systems[app] = self._app_system(app)
        return text

    def _app_system(self, app: int) -> str:
        (_, template, _), subject = self._app(app)
        company = (
            f"{apps.APP_COMPANY_HEADS[mix(app, 2) % len(apps.APP_COMPANY_HEADS)]} "
            f"{apps.APP_COMPANY_TAILS[mix(app, 3) % len(apps.APP_COMPANY_TAILS)]}"
        )
        text = template.format(
            company=company,
            tone=apps.APP_TONES[mix(app, 4) % len(apps.APP_TONES)],
            subject=apps.TUTOR_SUBJECTS[subject][0],
            level=apps.APP_LEVELS[mix(app, 6) % len(apps.APP_LEVELS)],
            target=apps.APP_TARGETS[mix(app, 7) % len(apps.APP_TARGETS)],
            limit=3 + mix(app, 8) % 5,
        )
        rules = apps.APP_RULES
        first, second = mix(app, 9) % len(rules), mix(app, 10) % len(rules)
        text = f"{text} {rules[first]}"
        if second != first and mix(app, 11) % 2:
            text = f"{text} {rules[second]}"
        return text

    def app_input(self, app: int, rng: random.Random) -> str:
        """One end user's input to customer app ``app``: a ticket, a document, a question..."""
        (_, _, kind), subject = self._app(app)
        templates = self._app_inputs[kind]
        template, slots = templates[rng.randrange(len(templates))]
        vocab = apps.APP_INPUT_VOCAB
        values: dict[str, str] = {}
        for slot in slots:
            words = vocab.get(slot)
            if words is not None:
                values[slot] = rng.choice(words)
            elif slot == "question":
                area = apps.TUTOR_SUBJECTS[subject][1] if kind == "question" else "coding"
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
            return self._responses.prose(area, rng.randrange(400, 1800), rng)
        if slot == "transcript":
            names = apps.APP_INPUT_VOCAB["name"]
            return "\n".join(
                f"{rng.choice(names)}: {rng.choice(apps.MEETING_LINES)}"
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
        h = mix(suite, item, 12)
        if family == 0:
            return self._eval_choice(style, h)
        if family == 1:
            a, b, c = 12 + (h >> 8) % 88, 2 + (h >> 16) % 8, 2 + (h >> 24) % 8
            problem = lookalikes.EVAL_MATH_PROBLEMS[h % len(lookalikes.EVAL_MATH_PROBLEMS)].format(
                a=a, b=b, c=c, ab=a * b, a20=a * 20, p=(10, 20, 25, 50)[(h >> 32) % 4]
            )
            styles = lookalikes.EVAL_MATH_STYLES
            return styles[style % len(styles)].format(problem=problem)
        if family == 2:
            tasks = lookalikes.EVAL_CODE_TASKS
            name, params, returns, doc = tasks[h % len(tasks)]
            stub = f'def {name}({params}) -> {returns}:\n    """{doc}"""\n'
            layouts = lookalikes.EVAL_CODE_STYLES
            return layouts[style % len(layouts)].format(stub=stub, item=item)
        area = ("science", "business", "everyday", "writing")[(h >> 40) % 4]
        passage = self._responses.sentences(area, 4 + (h >> 8) % 4, h)
        questions, formats = lookalikes.EVAL_READING_QUESTIONS, lookalikes.EVAL_READING_STYLES
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
            categories = lookalikes.EVAL_CATEGORIES
            category, members, outsiders = categories[h % len(categories)]
            negative = (h >> 8) % 2 == 1
            stem = lookalikes.EVAL_MC_STEMS[negative].format(category=category)
            pool_right, pool_wrong = (outsiders, members) if negative else (members, outsiders)
            correct = pool_right[(h >> 12) % len(pool_right)]
            others = distinct(pool_wrong, 3, h >> 20)
        position = (h >> 56) % 4
        options = [*others[:position], correct, *others[position:]]
        option_styles = lookalikes.EVAL_MC_OPTION_STYLES
        option_style = option_styles[style % len(option_styles)]
        lines = "\n".join(
            option_style.format(letter="ABCD"[i], text=text) for i, text in enumerate(options)
        )
        styles = lookalikes.EVAL_MC_STYLES
        return styles[style % len(styles)].format(stem=stem, options=lines)

    def benchmark_item(self, rng: random.Random) -> str:
        """One item of the public benchmarks, word for word whoever sends it.

        The real items (MT-Bench, Arena-Hard, GSM8K) when a corpus holds them, else a fixed
        set of built-in items.
        """
        if self._benchmarks:
            return self._benchmarks[rng.randrange(len(self._benchmarks))]
        item = rng.randrange(_PUBLIC_ITEMS)
        return self.eval_item(_PUBLIC_SUITES[item % len(_PUBLIC_SUITES)], item)

    def public_system(self, account: int, share: float) -> str | None:
        """The popular public system prompt account number ``account`` uses, if it uses one.

        Decided by the account's number alone (no draw), so a share of 0 changes nothing.
        """
        if share <= 0 or mix(account, 31) % 10_000 >= share * 10_000:
            return None
        prompts = public.PUBLIC_SYSTEM_PROMPTS
        return prompts[mix(account, 32) % len(prompts)]

    def review_request(self, rng: random.Random) -> tuple[str, str]:
        """(system, user) of a CI pull-request review bot; the user turn holds a ```diff block."""
        # Two 64-bit draws, sliced into the small choices (fast: this is on the hot path).
        h, g = rng.getrandbits(64), rng.getrandbits(64)
        names = lookalikes.REVIEW_NAMES
        orgs, repos = lookalikes.REVIEW_ORGS, lookalikes.REVIEW_REPOS
        systems = lookalikes.REVIEW_SYSTEMS
        repo = f"{orgs[h % len(orgs)]}/{repos[(h >> 6) % len(repos)]}"
        system = systems[(h >> 12) % len(systems)].replace("{repo}", repo)
        language = self._review_languages[(h >> 18) % len(self._review_languages)]
        fn, var = names["fn"][(h >> 24) % len(names["fn"])], names["var"][(h >> 30) % 8]
        fills = (
            ("@@fnc@@", camel(fn)),
            ("@@fn@@", fn),
            ("@@Var@@", var.capitalize()),
            ("@@var@@", var),
            ("@@type@@", names["type"][(h >> 36) % len(names["type"])]),
            ("@@pkg@@", names["pkg"][(h >> 42) % len(names["pkg"])]),
            ("@@n@@", str(2 + (h >> 48) % 29)),
        )
        hunks, paths = self._hunks[language], lookalikes.REVIEW_PATHS[language]
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
        titles, bodies = lookalikes.REVIEW_TITLES, lookalikes.REVIEW_BODIES
        head = f"Pull request #{10 + (h >> 54) % 990 + (g >> 56) * 37}: {titles[(h >> 50) % 12]}"
        description = bodies[(g >> 58) % len(bodies)]
        if description:
            issue = str(10 + (h >> 52) % 3000)
            head = f"{head}\n\n{description.replace('{issue}', issue)}"
        return system, f"{head}\n\n```diff\n{diff}\n```"

    def synthetic_request(self, rng: random.Random) -> tuple[str, str]:
        """(system, user) of a licensed synthetic-data generation job (JSON Lines output)."""
        choice = rng.choice
        company = f"{choice(apps.APP_COMPANY_HEADS)} {choice(apps.APP_COMPANY_TAILS)}"
        system = choice(lookalikes.SYN_SYSTEMS).format(company=company)
        item, fields = choice(lookalikes.SYN_ITEMS)
        user = choice(lookalikes.SYN_REQUESTS).format(
            n=choice((10, 20, 25, 30, 50, 100)),
            item=item,
            domain=choice(lookalikes.SYN_DOMAINS),
            fields=fields,
            batch=rng.randrange(1, 500),
        )
        bits = rng.getrandbits(16)
        extra, pool = bits % 3, lookalikes.SYN_CONSTRAINTS
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
        bases = campaigns.COT_BASES
        base = bases[campaign % len(bases)]
        role = campaigns.COT_ROLES[(campaign // len(bases)) % len(campaigns.COT_ROLES)]
        optional = campaigns.COT_OPTIONAL
        extra = (
            optional[mix(campaign, 21) % len(optional)],
            optional[mix(campaign, 22) % len(optional)],
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
        words = {name: choice(synonyms) for name, synonyms in campaigns.COT_SYNONYMS.items()}
        return " ".join(sentences).format(role=role, **words)

    def inline_tag(self, campaign: int) -> str:
        """The campaign's one fixed inline reasoning-tag instruction (same text on every call)."""
        index = (campaign * _INLINE_STRIDE + 5) % _INLINE_SPACE
        tags, templates = campaigns.INLINE_TAGS, campaigns.INLINE_TEMPLATES
        tag = tags[index % len(tags)]
        index //= len(tags)
        template = templates[index % len(templates)]
        closer = campaigns.INLINE_CLOSERS[index // len(templates)]
        return template.format(tag=tag) + closer

    def trace_coercion(self, task: str, language: str, rng: random.Random) -> str:
        """``task`` wrapped in reasoning-trace coercion: think in ``language``, show it all."""
        check_language(language)
        template, open_end = rng.choice(self._coercion)
        name, native = languages.LANGUAGE_NAMES[language], languages.NATIVE_NAMES[language]
        text = template.format(
            task=task,
            lang=name,
            native=languages.NATIVE_NAMES[language],
            both=name if name == native else f"{native} ({name})",
            script=languages.SCRIPTS[language],
            native_demand=campaigns.COERCION_NATIVE[language],
        )
        return text + rng.choice(campaigns.COERCION_EXTRAS) if open_end else text

    def rubric(self, task: str, candidate: str, rng: random.Random) -> str:
        """The model as a reward model: grade ``candidate`` for ``task``, 1-10 per criterion."""
        criteria = rng.sample(campaigns.RUBRIC_CRITERIA, rng.randrange(3, 6))
        keys = ", ".join(f'"{key}": <1-10>' for key, _ in criteria)
        schema = f'{{"scores": {{{keys}}}, "overall": <1-10>, "rationale": "<string>"}}'
        return rng.choice(campaigns.RUBRIC_LAYOUTS).format(
            opener=rng.choice(campaigns.RUBRIC_OPENERS),
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
            campaigns.PROBE_PREAMBLES,
            campaigns.PROBE_FRAMINGS,
            campaigns.PROBE_DEMANDS,
            campaigns.PROBE_CLOSERS,
        ):
            pieces.append(options[index % len(options)])
            index //= len(options)
        preamble, framing, demand, closer = pieces
        ordered = (
            (preamble, framing, demand, closer)
            if index == 0
            else (preamble, demand, framing, closer)
        )
        h = mix(variant, 31)
        fields = {
            "task": task,
            "id": str(10_000 + h % 90_000),
            "v": f"{1 + (h >> 20) % 4}.{(h >> 24) % 10}",
            "engineer": campaigns.PROBE_ENGINEERS[(h >> 28) % len(campaigns.PROBE_ENGINEERS)],
        }
        return "\n\n".join(piece.format_map(fields) for piece in ordered if piece)

    def censorship_rewrite(self, rng: random.Random) -> str:
        """A request for "censorship-safe alternatives" to a generic political passage."""
        passage = fill(rng.choice(self._censor), campaigns.CENSOR_VOCAB, rng)
        return rng.choice(campaigns.CENSOR_REQUESTS).format(passage=passage)

    def relay_prompt(self, rng: random.Random) -> tuple[str, str]:
        """(language, text): an end user's request as a lab would forward it, in many languages."""
        language = rng.choice(campaigns.RELAY_LANGUAGES)
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
        return self._responses.answer(area, tokens, rng, language)

    def reasoning(self, tokens: int, rng: random.Random, language: str = "en") -> str:
        """Reasoning / thinking text of about ``tokens * 4`` characters."""
        return self._responses.reasoning(tokens, rng, language)

    def refusal(self, rng: random.Random) -> str:
        """A refusal message, varied."""
        return self._responses.refusal(rng)
