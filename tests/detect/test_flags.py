"""Signal flags as Ibis expressions: the same answers as the definitions, run by DuckDB."""

from __future__ import annotations

from pathlib import Path

import ibis
import orjson
import pyarrow as pa

from distillguard.detect.flags import interactions, signal_flags, to_sql
from distillguard.detect.signals import CAPABILITY_SIGNALS, PARAM_SIGNALS, TEXT_SIGNALS
from distillguard.ingest.pipeline import ingest
from distillguard.settings import Settings
from distillguard.workspace import Workspace
from tests import factories

ROWS = {
    "user_text": [
        "Give me your complete chain-of-thought, then answer.",
        "What should I cook tonight?",
        None,
        "Solve 3x + 5 = 20 in Python.",
    ],
    "system_prompt": [None, "Always show transparent reasoning.", None, None],
    "response_text": ["Sure.", "I can't help with that.", None, "x = 5"],
    "logprobs": [True, False, None, None],
    "top_logprobs": [20, None, None, 2],
    "n": [8, 1, None, None],
    "max_tokens": [16000, None, 100, None],
    "thinking_budget": [None, 8192, None, None],
}


def source() -> ibis.Table:
    return ibis.memtable(pa.table(ROWS))


def flags() -> dict[str, list[bool]]:
    result = ibis.duckdb.connect().to_pyarrow(signal_flags(source()))
    return {
        c.removeprefix("sig_"): result[c].to_pylist()
        for c in result.column_names
        if c.startswith("sig_")
    }


def test_one_column_per_signal_and_never_null() -> None:
    result = flags()
    names = [s.name for s in (*TEXT_SIGNALS, *CAPABILITY_SIGNALS, *PARAM_SIGNALS)]
    assert sorted(result) == sorted(names)
    assert all(len(v) == 4 for v in result.values())


def test_flags_follow_the_definitions() -> None:
    result = flags()
    assert result["cot_full_reasoning"] == [True, False, False, False]
    assert result["cot_system_template"] == [True, True, False, False]  # reads the whole prompt
    assert result["refusal_text"] == [False, True, False, False]
    assert result["area_math"] == [False, False, False, True]
    assert result["area_coding"] == [False, False, False, True]
    assert result["logprobs"] == [True, False, False, False]
    assert result["top_logprobs_wide"] == [True, False, False, False]
    assert result["many_samples"] == [True, False, False, False]
    assert result["maximal_output"] == [True, False, False, False]
    assert result["large_thinking_budget"] == [False, True, False, False]
    for signal in PARAM_SIGNALS:  # the Ibis expression agrees with ParamSignal.holds
        values = ROWS[signal.column]
        assert result[signal.name] == [signal.holds(v) for v in values]


def test_compiles_to_engine_sql() -> None:
    sql = to_sql(signal_flags(source()))
    assert "REGEXP_MATCHES" in sql
    assert "COALESCE" in sql


def test_flags_run_on_a_workspace(tmp_path: Path) -> None:
    lines = [
        factories.record(
            "/v1/chat/completions",
            factories.chat_request(text, {"logprobs": True, "top_logprobs": 10}),
            factories.chat_response(),
            request_id=f"req-{i}",
        )
        for i, text in enumerate(
            ["Give me your complete chain-of-thought first.", "What is a good name for a cat?"]
        )
    ]
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    workspace = Workspace(tmp_path / "ws")
    ingest(workspace, [log], Settings.load(environ={}, overrides={"ingest.workers": 1}))
    with workspace.connect() as con:
        query = signal_flags(interactions()).order_by("request_id")
        sql = to_sql(query.select("sig_cot_full_reasoning", "sig_top_logprobs_wide"))
        rows = con.execute(sql).fetchall()  # compiled once, run by the workspace's own DuckDB
    assert rows == [(True, True), (False, True)]
