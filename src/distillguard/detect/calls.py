"""The scan's first pass: one slim row per call, the only pass that reads the text.

``call_rows(interactions)`` keeps what the later stages need (identity, time, infrastructure,
usage) and replaces the text by what was learnt from it: one boolean per request signal
(``flags.py``) and two hashes, the prompt *skeleton* and the system prompt's hash. Everything
after this pass (account features, links, examples for reasons) reads this table, never the
text again, except the near-duplicate stage, which re-reads a capped sample of the candidates'
prompts (the cascade's costly step, ``neardup.py``).

A skeleton is the first ``SKELETON_CHARS`` characters of the system prompt followed by the
prompt, lower-cased, with digit runs folded to ``0``: two requests built from one template with
different numbers, or different fillers further on, share it. An
account's *template concentration* is the share of its calls in its most used skeletons.
"""

from __future__ import annotations

from typing import Final

import ibis
import ibis.expr.types as ir

from distillguard.detect.flags import signal_flags

SKELETON_CHARS: Final = 96

CARRIED: Final = (
    "request_id",
    "ts",
    "day",
    "account_id",
    "client_ip",
    "user_agent",
    "country",
    "network_kind",
    "endpoint",
    "model",
    "n_user_turns",
    "input_tokens",
    "output_tokens",
)
"""Columns of ``interactions`` that the later stages read, carried through unchanged."""


def normalized(text: ir.StringValue) -> ir.StringValue:
    """Lower case with digit runs as ``0``: the text a skeleton hashes."""
    folded: ir.StringValue = text.lower().re_replace(r"[0-9]+", "0")
    return folded


def skeleton(table: ir.Table) -> ir.IntegerValue:
    """Hash of the first :data:`SKELETON_CHARS` characters of system + prompt, normalized.

    Digit runs are folded before the cut (on a bounded prefix), so a longer number early in
    the prompt does not shift the window.
    """
    text = table.system_prompt.fill_null("") + " | " + table.user_text.fill_null("")
    folded = normalized(text.substr(0, SKELETON_CHARS * 2))
    result: ir.IntegerValue = folded.substr(0, SKELETON_CHARS).hash()
    return result


def system_hash(table: ir.Table) -> ir.IntegerValue:
    """Hash of the system prompt as sent; null when the call has none."""
    prompt = table.system_prompt
    empty = prompt.isnull() | (prompt.length() == 0)
    result: ir.IntegerValue = ibis.ifelse(empty, ibis.null("int64"), prompt.hash())
    return result


def call_rows(interactions: ir.Table) -> ir.Table:
    """One row per call: carried columns, ``sig_*`` flags, skeleton and system-prompt hashes."""
    flagged = signal_flags(interactions)
    flags = [c for c in flagged.columns if c.startswith("sig_")]
    return flagged.select(
        *CARRIED,
        *flags,
        hour=flagged.ts.hour(),
        minute=(flagged.ts.epoch_seconds() // 60),
        refused=(flagged.refusal.fill_null(False) | flagged.sig_refusal_text),
        skeleton=skeleton(flagged),
        skeleton_chars=(
            flagged.system_prompt.length().fill_null(0) + flagged.user_text.length().fill_null(0)
        ),
        system_hash=system_hash(flagged),
    )
