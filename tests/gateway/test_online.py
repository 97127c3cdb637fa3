"""The online signals are the scan's signals: same flags on the same rows, and a bounded window."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from distillguard.detect.flags import flag_name, interactions, signal_flags, to_sql
from distillguard.detect.signals import CAPABILITY_SIGNALS, PARAM_SIGNALS, TEXT_SIGNALS
from distillguard.gateway.online import MAX_SKELETONS, OnlineState, RequestSignals, skeleton
from distillguard.schema.interactions import INTERACTIONS
from tests.conftest import Run

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
REQUEST = [s for s in (*TEXT_SIGNALS, *CAPABILITY_SIGNALS) if s.column != "response_text"]
RESPONSE = [s for s in TEXT_SIGNALS if s.column == "response_text"]


def _compare(rows: list[dict[str, object]], flags: list[dict[str, object]]) -> int:
    signals = RequestSignals()
    checked = 0
    for row, expected in zip(rows, flags, strict=True):
        online = signals.evaluate(row) | signals.evaluate_response(row)
        for signal in (*REQUEST, *RESPONSE, *PARAM_SIGNALS):
            assert (signal.name in online) == bool(expected[flag_name(signal)]), (
                signal.name,
                row.get("system_prompt"),
                row.get("user_text"),
            )
            checked += 1
    return checked


def test_same_flags_as_the_scan_on_the_smoke_workspace(smoke: Run) -> None:
    columns = ["system_prompt", "user_text", "response_text", *{s.column for s in PARAM_SIGNALS}]
    query = signal_flags(interactions()).order_by("request_id").limit(6000)
    flags = [f"{flag_name(s)}" for s in (*REQUEST, *RESPONSE, *PARAM_SIGNALS)]
    table = smoke.con.sql(to_sql(query.select(*columns, *flags))).to_arrow_table()
    rows = table.select(columns).to_pylist()
    assert sum(any(r[f] for f in flags) for r in table.to_pylist()) > 100  # signals do fire
    assert _compare(rows, table.select(flags).to_pylist()) > 100_000


def _corpus_prompts() -> list[str]:
    if not CORPORA.is_dir():
        pytest.skip(f"the shared corpora are not at {CORPORA}; parity on real prompts skipped")
    prompts: list[str] = []
    for name in ("alpaca_5000.json", "code_alpaca_2k.json"):
        path = CORPORA / name
        if path.is_file():
            prompts += [
                r.get("instruction", "") + "\n" + r.get("input", "")
                for r in json.loads(path.read_text())
            ]
    for name in ("arena_hard_v2.0_question.jsonl", "mt_bench_question.jsonl", "gsm8k_test.jsonl"):
        path = CORPORA / name
        if path.is_file():
            for line in path.read_text().splitlines():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:  # a corpus file cut short: use what is whole
                    continue
                text = (
                    record.get("prompt") or record.get("question") or record.get("turns", [""])[0]
                )
                if isinstance(text, str):
                    prompts.append(text)
    if not prompts:
        pytest.skip(f"no prompt corpora found in {CORPORA}")
    return prompts


def test_same_flags_as_the_scan_on_real_prompts() -> None:
    prompts = _corpus_prompts()
    empty = pa.nulls(len(prompts))
    arrays = {f.name: empty.cast(f.type) for f in INTERACTIONS}
    arrays["user_text"] = pa.array(prompts, pa.string())
    arrays["system_prompt"] = pa.array(
        ["You are a helpful assistant." if i % 3 == 0 else None for i in range(len(prompts))],
        pa.string(),
    )
    source = pa.table(arrays, schema=pa.schema([f.with_nullable(True) for f in INTERACTIONS]))
    con = duckdb.connect()
    con.register("interactions", source)
    flags = [flag_name(s) for s in (*REQUEST, *RESPONSE, *PARAM_SIGNALS)]
    query = signal_flags(interactions()).select("system_prompt", "user_text", *flags)
    result = con.sql(to_sql(query)).to_arrow_table()
    rows = result.select(["system_prompt", "user_text"]).to_pylist()
    assert _compare(rows, result.select(flags).to_pylist()) > 10_000


def test_the_window_counts_shares_and_repeats() -> None:
    state = OnlineState(max_accounts=10, window_seconds=3600)
    same = skeleton("sys", "Solve problem 12 step by step")
    other = skeleton("sys", "Solve problem 99 step by step")
    assert same == other  # digit runs fold: one template
    for i in range(10):
        signals = frozenset({"cot_full_reasoning"}) if i % 2 else frozenset()
        state.observe("a", 1000.0 + i, signals, same, tokens=5)
    window = state.view("a", 1010.0)
    assert window.calls == 10
    assert window.elicitation_share == pytest.approx(0.5)
    assert window.content_share == pytest.approx(0.5)
    assert window.skeleton_repeats == 9
    assert window.distinct_skeletons == 1
    assert window.tokens == 50
    assert state.view("a", 1000.0 + 3600 * 2).calls == 0  # the window moved on


def test_memory_is_bounded_whatever_the_input() -> None:
    state = OnlineState(max_accounts=1000, window_seconds=3600)
    for i in range(5000):
        state.observe(f"acct_{i}", float(i), frozenset(), i)
    assert len(state) == 1000
    assert state.view("acct_0", 5000.0).calls == 0  # evicted: least recently seen
    for i in range(10 * MAX_SKELETONS):
        state.observe("acct_4999", 5000.0 + i, frozenset(), i)
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for i in range(2000):
        state.observe("acct_4999", 6000.0 + i, frozenset(), 10_000 + i)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    growth = sum(s.size_diff for s in after.compare_to(before, "filename"))
    assert growth < 20_000  # one account's state does not grow with its calls
