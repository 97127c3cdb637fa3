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
from distillguard.schema import INTERACTIONS

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


def text_flag(table: ir.Table, signal: TextSignal) -> ir.BooleanValue:
    """Whether ``signal``'s pattern matches the row's text column (false when it is null)."""
    column: ir.StringValue = table[signal.column]
    result: ir.BooleanValue = column.re_search(signal.regex).fill_null(False)
    return result


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
    """``table`` with one boolean column per request signal (see :func:`flag_name`)."""
    flags: dict[str, ir.BooleanValue] = {
        flag_name(s): text_flag(table, s) for s in (*TEXT_SIGNALS, *CAPABILITY_SIGNALS)
    }
    flags.update({flag_name(s): param_flag(table, s) for s in PARAM_SIGNALS})
    return table.mutate(**flags)


def to_sql(table: ir.Table) -> str:
    """The DuckDB SQL of ``table`` (for explanations and debugging)."""
    return str(ibis.to_sql(table, dialect="duckdb"))
