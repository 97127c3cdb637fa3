"""The detection contract: a :class:`Reason` and its one stored shape, ``REASONS``."""

from __future__ import annotations

import typing
from dataclasses import fields
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from distillguard.detect.core import (
    REASON_KINDS,
    REASONS,
    Reason,
    ReasonKind,
    reasons_array,
    reasons_of,
    rounded,
)

FULL = Reason(
    "tie",
    "ip",
    "shares ip 198.51.100.7 with 3 other member(s) of its cluster; specificity 0.50",
    value=0.3,
    baseline=0.0,
    evidence=0.3,
    family="infrastructure",
    peer="free/none//v1/chat/completions",
    z=4.25,
    specificity=0.5,
    examples=("req_1", "req_2"),
)
BARE = Reason("members", "member_scores", "median score of its 4 accounts")
CELLS = [[FULL, BARE], [], [BARE]]


def test_reason_kinds_are_the_stored_ones() -> None:
    assert set(typing.get_args(ReasonKind)) == set(REASON_KINDS)


def test_the_stored_struct_has_every_field_of_a_reason() -> None:
    struct = REASONS.value_type
    assert [struct.field(i).name for i in range(struct.num_fields)] == [
        f.name for f in fields(Reason)
    ]


def test_to_dict_and_from_dict_round_trip() -> None:
    for reason in (FULL, BARE):
        row = reason.to_dict()
        assert isinstance(row["examples"], list)
        assert Reason.from_dict(row) == reason
    assert BARE.to_dict()["examples"] == []
    assert BARE.to_dict()["specificity"] is None


def test_from_dict_fills_missing_fields_and_ignores_unknown_ones() -> None:
    reason = Reason.from_dict({"kind": "label", "name": "labelled_benign", "detail": "x", "k": 1})
    assert reason == Reason("label", "labelled_benign", "x")
    assert Reason.from_dict({**BARE.to_dict(), "examples": None}).examples == ()


def test_round_trip_through_arrow() -> None:
    array = reasons_array(CELLS)
    assert array.type == REASONS
    assert len(array) == 3
    assert [reasons_of(cell) for cell in array.to_pylist()] == CELLS


def test_round_trip_through_parquet_and_duckdb(tmp_path: Path) -> None:
    path = tmp_path / "reasons.parquet"
    pq.write_table(pa.table({"id": ["a", "b", "c"], "reasons": reasons_array(CELLS)}), path)
    assert pq.read_table(path).schema.field("reasons").type == REASONS
    with duckdb.connect() as con:
        rows = con.execute(f"SELECT reasons FROM '{path}' ORDER BY id").fetchall()
        names = con.execute(
            f"SELECT r.name FROM (SELECT unnest(reasons) AS r FROM '{path}') ORDER BY 1"
        ).fetchall()
    assert [reasons_of(cell) for (cell,) in rows] == CELLS
    assert names == [("ip",), ("member_scores",), ("member_scores",)]


def test_reasons_of_nothing() -> None:
    assert reasons_of(None) == []
    assert reasons_of([]) == []


def test_a_value_that_is_not_a_number_is_refused() -> None:
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError, TypeError)):
        reasons_array([[Reason("tie", "ip", "x", value="high")]])  # type: ignore[arg-type]


def test_rounded() -> None:
    assert rounded(None) is None
    assert rounded(0.123456789) == 0.1235
    assert rounded(2.0, 2) == 2.0
    assert isinstance(rounded(1), float)
