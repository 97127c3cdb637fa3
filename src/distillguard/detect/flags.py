"""Request signals as engine-neutral Ibis expressions over the ``interactions`` table.

``signal_flags(table)`` adds one boolean column per signal of ``signals.py``, for the scan's
later stages to count per account. A flag is named ``sig_`` plus the signal's name, so that
none shadows a column such as ``logprobs``, and is false where the text or parameter is
missing. The expressions compile to each backend's SQL (DuckDB's ``regexp_matches`` by
default, Spark's ``rlike`` on a cluster): the definition stays in one place.
"""

from __future__ import annotations

from typing import Any, Final

import ibis
import ibis.expr.types as ir

from distillguard.detect.signals import (
    CAPABILITY_SIGNALS,
    PARAM_SIGNALS,
    TEXT_SIGNALS,
    ParamSignal,
    TextSignal,
)
from distillguard.schema.interactions import INTERACTIONS

PREFIX: Final = "sig_"


def interactions() -> ir.Table:
    """The ``interactions`` view as an unbound Ibis table.

    Expressions over it compile to the engine's SQL (:func:`to_sql`) and run on the
    workspace's own connection, so Ibis never executes anything itself.
    """
    return ibis.table(ibis.Schema.from_pyarrow(INTERACTIONS), name="interactions")


def flag_name(signal: TextSignal | ParamSignal) -> str:
    """The column that holds ``signal``'s flag."""
    return PREFIX + signal.name


RESPONSE_CHARS: Final = 400
"""Response signals (refusals) look at the start of the answer only: that is where a
refusal says so, and answers are the longest text of a call."""


def _text(table: ir.Table, signal: TextSignal) -> ir.StringValue:
    if signal.column == "prompt":
        joined: ir.StringValue = ibis.ifelse(
            table.system_prompt.isnull(),
            table.user_text,
            table.system_prompt + "\n" + table.user_text.fill_null(""),
        )
        return joined
    column: ir.StringValue = table[signal.column]
    if signal.column == "response_text":
        return column.substr(0, RESPONSE_CHARS)
    return column


def text_flag(table: ir.Table, signal: TextSignal) -> ir.BooleanValue:
    """Whether ``signal``'s pattern matches the row's text column (false when it is null)."""
    result: ir.BooleanValue = _text(table, signal).re_search(signal.regex).fill_null(False)
    return result


def _groups() -> dict[str, tuple[TextSignal, ...]]:
    """Text signals grouped by (column, suspicion or capability): one prefilter each."""
    groups: dict[str, list[TextSignal]] = {}
    for signal in (*TEXT_SIGNALS, *CAPABILITY_SIGNALS):
        kind = "area" if signal.family == "capability" else "suspicion"
        groups.setdefault(f"_any_{kind}_{signal.column}", []).append(signal)
    return {name: tuple(members) for name, members in groups.items()}


def union_regex(signals: tuple[TextSignal, ...]) -> str:
    """One case-insensitive RE2 pattern that matches wherever any of ``signals`` does."""
    return "(?i)(?:" + "|".join(f"(?:{s.pattern})" for s in signals) + ")"


def param_flag(table: ir.Table, signal: ParamSignal) -> ir.BooleanValue:
    """Whether the row's parameter passes ``signal``'s threshold (false when not sent)."""
    column: Any = table[signal.column]
    if signal.op == "==":
        test = column == signal.value
    elif signal.op == ">":
        test = column > signal.value
    else:
        test = column >= signal.value
    result: ir.BooleanValue = test.fill_null(False)
    return result


def signal_flags(table: ir.Table) -> ir.Table:
    """``table`` with one boolean column per request signal (see :func:`flag_name`).

    A cascade: the signals that read one text column are first matched together as one
    union pattern, and each signal's own pattern runs only on the rows the union matched
    (most rows match none, so the text is scanned about once per column). The result is
    the same as matching every pattern on every row.
    """
    groups = _groups()
    prefilters = {
        name: _text(table, members[0]).re_search(union_regex(members)).fill_null(False)
        for name, members in groups.items()
    }
    staged = table.mutate(**prefilters)
    flags: dict[str, ir.BooleanValue] = {}
    for name, members in groups.items():
        for signal in members:
            flags[flag_name(signal)] = ibis.ifelse(staged[name], text_flag(staged, signal), False)
    flags.update({flag_name(s): param_flag(staged, s) for s in PARAM_SIGNALS})
    return staged.mutate(**flags).drop(*groups)


def to_sql(table: ir.Table) -> str:
    """The DuckDB SQL of ``table`` (for explanations and debugging)."""
    return str(ibis.to_sql(table, dialect="duckdb"))
