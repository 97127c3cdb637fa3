"""What the simulated model sends back: answers, reasoning and refusals, in every language.

English answers are sentence templates over a vocabulary per capability area, with headings,
openers, worked arithmetic and code blocks; other languages have complete sentences, general
and per area. Reasoning (thinking) sentences, final-answer lines of math answers and refusals
close the set. Code blocks use ``@@name@@`` placeholders, replaced with :meth:`str.replace`,
because code is full of braces.

The phrases are data, in ``simulate/data/phrases/answers.json``; this module names and
types them.
"""

from __future__ import annotations

from typing import Final

from distillguard.simulate.phrases.tables import load, texts, vocab, vocabs, words

_TABLE: Final = load("answers")

#: Sentence templates of English answers; slots come from :data:`EN_ANSWER_VOCAB`.
EN_ANSWER_TEMPLATES: Final = words(_TABLE, "EN_ANSWER_TEMPLATES")
#: Headings that may open a paragraph of a longer English answer.
EN_HEADINGS: Final = words(_TABLE, "EN_HEADINGS")
EN_OPENERS: Final = words(_TABLE, "EN_OPENERS")
EN_ANSWER_VOCAB: Final = vocabs(_TABLE, "EN_ANSWER_VOCAB")
#: Lines of worked arithmetic in math answers and in reasoning: ``{a} op {b} = {c}``.
EN_ARITHMETIC: Final = words(_TABLE, "EN_ARITHMETIC")
#: Code blocks of answers, per area; ``@@fn@@`` (snake case), ``@@fnc@@`` (camel case),
#: ``@@var@@``, ``@@n@@`` and ``@@tool@@`` are filled in.
ANSWER_CODE: Final = vocab(_TABLE, "ANSWER_CODE")
CODE_NAMES: Final = vocab(_TABLE, "CODE_NAMES")
#: English reasoning sentences; slots from the answer vocabulary of any area, plus numbers.
EN_REASONING: Final = words(_TABLE, "EN_REASONING")
INTL_ANSWERS: Final = vocab(_TABLE, "INTL_ANSWERS")
INTL_AREA_ANSWERS: Final = vocabs(_TABLE, "INTL_AREA_ANSWERS")
INTL_OPENERS: Final = vocab(_TABLE, "INTL_OPENERS")
#: The last line of a math answer, per language.
FINAL_ANSWER: Final = texts(_TABLE, "FINAL_ANSWER")
INTL_REASONING: Final = vocab(_TABLE, "INTL_REASONING")
REFUSAL_FIRST: Final = words(_TABLE, "REFUSAL_FIRST")
REFUSAL_OFFERS: Final = words(_TABLE, "REFUSAL_OFFERS")
