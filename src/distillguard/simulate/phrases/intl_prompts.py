"""Ordinary users' prompts in the eight languages other than English.

Complete questions per area (so that no grammar depends on a slot), the sentences that go
around them (greeting, context, detail, thanks) and follow-ups. Prefixes end in "!", "." or
":" so that the question after them may start with a capital letter.

The phrases are data, in ``simulate/data/phrases/intl_prompts.json``; this module names and
types them.
"""

from __future__ import annotations

from typing import Final

from distillguard.simulate.phrases.tables import load, vocab, vocabs

_TABLE: Final = load("intl_prompts")

INTL_QUESTIONS: Final = vocabs(_TABLE, "INTL_QUESTIONS")
INTL_PREFIXES: Final = vocab(_TABLE, "INTL_PREFIXES")
INTL_CONTEXTS: Final = vocab(_TABLE, "INTL_CONTEXTS")
INTL_DETAILS: Final = vocab(_TABLE, "INTL_DETAILS")
INTL_SUFFIXES: Final = vocab(_TABLE, "INTL_SUFFIXES")
INTL_FOLLOWUPS: Final = vocab(_TABLE, "INTL_FOLLOWUPS")
