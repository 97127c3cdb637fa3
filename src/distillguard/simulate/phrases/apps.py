"""Customer apps built on the model and what their end users send them.

Company names, tones and rules for the apps' system prompts, one system prompt template per
kind of app, and the end users' input per kind: tickets, documents, questions, meeting lines.

The phrases are data, in ``simulate/data/phrases/apps.json``; this module names and
types them.
"""

from __future__ import annotations

from typing import Final

from distillguard.simulate.phrases.tables import load, pairs, triples, vocab, words

_TABLE: Final = load("apps")

APP_COMPANY_HEADS: Final = words(_TABLE, "APP_COMPANY_HEADS")
APP_COMPANY_TAILS: Final = words(_TABLE, "APP_COMPANY_TAILS")
APP_TONES: Final = words(_TABLE, "APP_TONES")
#: Extra rules a customer app adds to its system prompt (one or two per app).
APP_RULES: Final = words(_TABLE, "APP_RULES")
TUTOR_SUBJECTS: Final = pairs(_TABLE, "TUTOR_SUBJECTS")
APP_LEVELS: Final = words(_TABLE, "APP_LEVELS")
APP_TARGETS: Final = words(_TABLE, "APP_TARGETS")
#: (kind, system prompt template, input kind). Fields: company, tone, subject, level, target,
#: limit.
APP_KINDS: Final = triples(_TABLE, "APP_KINDS")
#: What an app's end users send, per input kind. Fields from :data:`APP_INPUT_VOCAB` and the
#: computed ones: order, amount, doc, transcript, question, n, days.
APP_INPUTS: Final = vocab(_TABLE, "APP_INPUTS")
APP_INPUT_VOCAB: Final = vocab(_TABLE, "APP_INPUT_VOCAB")
MEETING_LINES: Final = words(_TABLE, "MEETING_LINES")
