"""Public text that many unrelated customers send word for word.

Popular system prompts copied from frameworks, model cards and tutorials: the default
assistant prompt of most SDK examples, Llama 2's default system prompt, FastChat's Vicuna
prompt and the Alpaca instruction header. Unrelated apps and developers using one of them
share a system prompt exactly, as campaigns do with their templates.

The phrases are data, in ``simulate/data/phrases/public.json``; this module names and
types them.
"""

from __future__ import annotations

from typing import Final

from distillguard.simulate.phrases.tables import load, words

_TABLE: Final = load("public")

#: Popular public system prompts, the most widely copied first.
PUBLIC_SYSTEM_PROMPTS: Final = words(_TABLE, "PUBLIC_SYSTEM_PROMPTS")
