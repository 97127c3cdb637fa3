"""The prompt families of distillation campaigns, worded after their public descriptions.

See docs/simulator.md: chain-of-thought system templates, one fixed inline reasoning tag,
reasoning-trace coercion, rubric grading, extraction-wrapper probes, "censorship-safe"
rewrites, and the languages of relayed end-user requests.

The phrases are data, in ``simulate/data/phrases/campaigns.json``; this module names and
types them.
"""

from __future__ import annotations

from typing import Final

from distillguard.simulate.phrases.tables import load, pairs, texts, triples, vocab, words

_TABLE: Final = load("campaigns")

# --------------------------------------------------------------------------- campaign: CoT template
# Each base is a tuple of sentences; a request may swap the second and third. The campaign
# fixes base, role and the optional sentences; a request varies the synonyms.
COT_BASES: Final = triples(_TABLE, "COT_BASES")
COT_SYNONYMS: Final = vocab(_TABLE, "COT_SYNONYMS")
COT_ROLES: Final = words(_TABLE, "COT_ROLES")
COT_OPTIONAL: Final = words(_TABLE, "COT_OPTIONAL")

# --------------------------------------------------------------------------- campaign: inline tag
INLINE_TAGS: Final = words(_TABLE, "INLINE_TAGS")
#: ``{tag}`` is the tag name.
INLINE_TEMPLATES: Final = words(_TABLE, "INLINE_TEMPLATES")
INLINE_CLOSERS: Final = words(_TABLE, "INLINE_CLOSERS")

# --------------------------------------------------------------------------- campaign: coercion
#: Fields: task, lang (English name), native (native name), both (native name and English
#: name), script, native_demand.
COERCION_TEMPLATES: Final = words(_TABLE, "COERCION_TEMPLATES")
COERCION_NATIVE: Final = texts(_TABLE, "COERCION_NATIVE")
COERCION_EXTRAS: Final = words(_TABLE, "COERCION_EXTRAS")

# --------------------------------------------------------------------------- campaign: rubric
RUBRIC_OPENERS: Final = words(_TABLE, "RUBRIC_OPENERS")
#: (JSON key, description).
RUBRIC_CRITERIA: Final = pairs(_TABLE, "RUBRIC_CRITERIA")
#: Fields: opener, task, candidate, criteria, schema.
RUBRIC_LAYOUTS: Final = words(_TABLE, "RUBRIC_LAYOUTS")

# --------------------------------------------------------------------------- campaign: probes
# Combined as preamble x framing x demand x closer x order; fields: task, id, v, engineer.
PROBE_PREAMBLES: Final = words(_TABLE, "PROBE_PREAMBLES")
PROBE_FRAMINGS: Final = words(_TABLE, "PROBE_FRAMINGS")
PROBE_DEMANDS: Final = words(_TABLE, "PROBE_DEMANDS")
PROBE_CLOSERS: Final = words(_TABLE, "PROBE_CLOSERS")
PROBE_ENGINEERS: Final = words(_TABLE, "PROBE_ENGINEERS")

# --------------------------------------------------------------------------- campaign: censorship
#: Fields: passage.
CENSOR_REQUESTS: Final = words(_TABLE, "CENSOR_REQUESTS")
#: Fields: place, policy, office, outlet.
CENSOR_PASSAGES: Final = words(_TABLE, "CENSOR_PASSAGES")
CENSOR_VOCAB: Final = vocab(_TABLE, "CENSOR_VOCAB")

# --------------------------------------------------------------------------- campaign: relay
#: Languages of relayed end-user requests, repeated by weight.
RELAY_LANGUAGES: Final = words(_TABLE, "RELAY_LANGUAGES")
