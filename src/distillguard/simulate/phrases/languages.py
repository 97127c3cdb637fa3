"""The languages of the simulated traffic: their names, scripts and sentence gaps.

English and native names and the script of each language, and what goes between two
sentences of it (Japanese and Chinese use no space).

The phrases are data, in ``simulate/data/phrases/languages.json``; this module names and
types them.
"""

from __future__ import annotations

from typing import Final

from distillguard.simulate.phrases.tables import load, texts

_TABLE: Final = load("languages")

LANGUAGE_NAMES: Final = texts(_TABLE, "LANGUAGE_NAMES")
NATIVE_NAMES: Final = texts(_TABLE, "NATIVE_NAMES")
SCRIPTS: Final = texts(_TABLE, "SCRIPTS")
#: What goes between two sentences of a language (Japanese and Chinese use no space).
SENTENCE_GAP: Final = texts(_TABLE, "SENTENCE_GAP")
