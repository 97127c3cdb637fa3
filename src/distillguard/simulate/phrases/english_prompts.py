"""Ordinary users' prompts in English, per capability area, and their follow-ups.

Templates use ``{slot}`` fields filled with :func:`str.format_map` from the area's vocabulary
(:data:`EN_VOCAB`, merged over :data:`EN_COMMON`); prefixes, contexts and suffixes go around a
prompt, and follow-ups are the later turns of a multi-turn chat.

The phrases are data, in ``simulate/data/phrases/english_prompts.json``; this module names and
types them.
"""

from __future__ import annotations

from typing import Final

from distillguard.simulate.phrases.tables import load, vocab, vocabs, words

_TABLE: Final = load("english_prompts")

EN_COMMON: Final = vocab(_TABLE, "EN_COMMON")
EN_PREFIXES: Final = words(_TABLE, "EN_PREFIXES")
EN_CONTEXTS: Final = words(_TABLE, "EN_CONTEXTS")
EN_SUFFIXES: Final = words(_TABLE, "EN_SUFFIXES")
EN_PROMPTS: Final = vocab(_TABLE, "EN_PROMPTS")
EN_VOCAB: Final = vocabs(_TABLE, "EN_VOCAB")
EN_FOLLOWUPS: Final = words(_TABLE, "EN_FOLLOWUPS")
EN_FOLLOWUP_VOCAB: Final = vocab(_TABLE, "EN_FOLLOWUP_VOCAB")
