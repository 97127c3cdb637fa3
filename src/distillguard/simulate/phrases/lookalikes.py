"""Legitimate workloads that look like bulk extraction, and their words.

Nightly benchmark items (multiple choice, math word problems, code completion, reading
comprehension), CI pull-request review bots with their diffs, and licensed synthetic-data
jobs. Diff hunks use ``@@name@@`` placeholders, replaced with :meth:`str.replace`, because
code is full of braces.

The phrases are data, in ``simulate/data/phrases/lookalikes.json``; this module names and
types them.
"""

from __future__ import annotations

from typing import Final

from distillguard.simulate.phrases.tables import (
    labelled_sets,
    load,
    pairs,
    quads,
    row_vocab,
    vocab,
    words,
)

_TABLE: Final = load("lookalikes")

# --------------------------------------------------------------------------- benchmark items
#: (category, members, non-members) for multiple-choice items.
EVAL_CATEGORIES: Final = labelled_sets(_TABLE, "EVAL_CATEGORIES")
#: Multiple-choice layouts; ``{stem}`` is the question, ``{options}`` the lettered options.
EVAL_MC_STYLES: Final = words(_TABLE, "EVAL_MC_STYLES")
EVAL_MC_STEMS: Final = words(_TABLE, "EVAL_MC_STEMS")
EVAL_MC_OPTION_STYLES: Final = words(_TABLE, "EVAL_MC_OPTION_STYLES")
#: Math word problems: a in 12..99, b and c in 2..9, ab = a*b, p a percentage, a20 = 20*a.
EVAL_MATH_PROBLEMS: Final = words(_TABLE, "EVAL_MATH_PROBLEMS")
EVAL_MATH_STYLES: Final = words(_TABLE, "EVAL_MATH_STYLES")
#: (name, parameters, return type, docstring) of Python code-completion stubs.
EVAL_CODE_TASKS: Final = quads(_TABLE, "EVAL_CODE_TASKS")
EVAL_CODE_STYLES: Final = words(_TABLE, "EVAL_CODE_STYLES")
EVAL_READING_QUESTIONS: Final = words(_TABLE, "EVAL_READING_QUESTIONS")
EVAL_READING_STYLES: Final = words(_TABLE, "EVAL_READING_STYLES")

# --------------------------------------------------------------------------- CI review bots
REVIEW_ORGS: Final = words(_TABLE, "REVIEW_ORGS")
REVIEW_REPOS: Final = words(_TABLE, "REVIEW_REPOS")
#: Review-bot system prompts; ``{repo}`` is replaced.
REVIEW_SYSTEMS: Final = words(_TABLE, "REVIEW_SYSTEMS")
REVIEW_TITLES: Final = words(_TABLE, "REVIEW_TITLES")
REVIEW_BODIES: Final = words(_TABLE, "REVIEW_BODIES")
#: Hunks per language: lines starting with " ", "-" or "+"; ``@@fn@@``, ``@@fnc@@`` (camel
#: case), ``@@var@@``, ``@@Var@@``, ``@@type@@`` and ``@@n@@`` are filled in.
REVIEW_HUNKS: Final = row_vocab(_TABLE, "REVIEW_HUNKS")
REVIEW_PATHS: Final = vocab(_TABLE, "REVIEW_PATHS")
REVIEW_NAMES: Final = vocab(_TABLE, "REVIEW_NAMES")

# --------------------------------------------------------------------------- synthetic data
SYN_SYSTEMS: Final = words(_TABLE, "SYN_SYSTEMS")
SYN_REQUESTS: Final = words(_TABLE, "SYN_REQUESTS")
#: (item, fields).
SYN_ITEMS: Final = pairs(_TABLE, "SYN_ITEMS")
SYN_DOMAINS: Final = words(_TABLE, "SYN_DOMAINS")
SYN_CONSTRAINTS: Final = words(_TABLE, "SYN_CONSTRAINTS")
