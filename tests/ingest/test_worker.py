"""A parse job: a block of records → day-partitioned Parquet in the stored schema + quarantine."""

from __future__ import annotations

import base64
import pickle
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest

from distillguard.ingest import worker
from distillguard.ingest.formats import Format
from distillguard.ingest.record import (
    Read,
    ReadContext,
    ReadOptions,
    Reject,
    Rejected,
    Row,
    new_row,
)
from distillguard.ingest.sources import Block
from distillguard.ingest.worker import Job, JobResult, run_job
from distillguard.schema.interactions import STORED
from distillguard.schema.quarantine import QUARANTINE
from tests import factories as f

SOURCE = "/logs/api-2026-05.jsonl"
BAD_UTF8 = b'{"request_id": "caf\xe9", "endpoint": "/v1/chat/completions"}'


def _line(record: object) -> bytes:
    return orjson.dumps(record)


GOOD: list[tuple[int, bytes]] = [
    (1, _line(f.chat_record(request_id="r1", ts="2026-05-01T10:00:00Z"))),
    (2, _line(f.responses_record(request_id="r2", ts="2026-05-01T23:59:59.999999Z"))),
    (4, _line(f.messages_record(request_id="r3", ts="2026-05-02T00:00:00Z"))),
    (5, _line(f.completions_record(request_id="r4", ts="2026-05-02T08:30:00+02:00"))),
]
BAD: list[tuple[int, bytes, str]] = [
    (3, b"this is not json", "not_json"),
    (6, b'{"a": 1', "truncated"),
    (7, BAD_UTF8, "invalid_utf8"),
    (8, b"[1, 2]", "not_object"),
    (9, _line(f.chat_record(request_id="r9", client_ip="999.1.2.3")), "invalid_ip"),
]


def _job(tmp_path: Path, items: Block, seq: int = 7, fmt: str = "raw") -> Job:
    return Job(seq, fmt, SOURCE, ReadOptions(), str(tmp_path), "ing_42", items)


def _mixed() -> Block:
    return sorted([*GOOD, *((line, raw) for line, raw, _ in BAD)], key=lambda item: item[0])


def test_good_rows_land_in_one_file_per_day(tmp_path: Path) -> None:
    result = run_job(_job(tmp_path, _mixed()))
    assert result.seq == 7
    assert result.rows == 4
    assert result.files == [
        (str(tmp_path / "day=2026-05-01" / "00000007.parquet"), 2),
        (str(tmp_path / "day=2026-05-02" / "00000007.parquet"), 2),
    ]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.parquet")) == [
        "day=2026-05-01/00000007.parquet",
        "day=2026-05-02/00000007.parquet",
    ]
    first, second = (pq.ParquetFile(path) for path, _ in result.files)
    assert first.schema_arrow == STORED
    assert second.schema_arrow == STORED
    table = first.read()
    assert table.schema == STORED
    assert table.num_rows == 2
    assert table.column("request_id").to_pylist() == ["r1", "r2"]
    assert table.column("source_line").to_pylist() == [1, 2]
    assert set(table.column("source_file").to_pylist()) == {SOURCE}
    assert set(table.column("ingest_id").to_pylist()) == {"ing_42"}
    assert set(table.column("source_format").to_pylist()) == {"raw"}
    late = second.read()
    assert late.column("request_id").to_pylist() == ["r3", "r4"]
    assert late.column("ts").to_pylist()[1] == datetime(2026, 5, 2, 6, 30, tzinfo=UTC)


def test_bad_lines_are_quarantined_with_their_input(tmp_path: Path) -> None:
    result = run_job(_job(tmp_path, _mixed()))
    assert [(q["source_line"], q["reason"]) for q in result.quarantined] == [
        (line, reason) for line, _, reason in BAD
    ]
    raws = {line: raw for line, raw, _ in BAD}
    for entry in result.quarantined:
        assert set(entry) == set(QUARANTINE.names) - {"ingest_id"}
        assert entry["source_file"] == SOURCE
        assert entry["item"] is None
        assert entry["detail"]
        raw = raws[entry["source_line"]]
        if entry["reason"] == "invalid_utf8":
            assert entry["raw"] is None
            assert base64.b64decode(entry["raw_b64"]) == raw
        else:
            assert entry["raw_b64"] is None
            assert entry["raw"] == raw.decode()


def test_a_job_of_only_bad_lines_writes_nothing(tmp_path: Path) -> None:
    result = run_job(_job(tmp_path, [(line, raw) for line, raw, _ in BAD]))
    assert (result.rows, result.files) == (0, [])
    assert len(result.quarantined) == len(BAD)
    assert not list(tmp_path.iterdir())


def test_one_day_gives_one_file(tmp_path: Path) -> None:
    result = run_job(_job(tmp_path, GOOD[:2], seq=0))
    assert result.files == [(str(tmp_path / "day=2026-05-01" / "00000000.parquet"), 2)]
    assert pq.read_metadata(result.files[0][0]).num_rows == 2


def test_jobs_share_day_folders(tmp_path: Path) -> None:
    first = run_job(_job(tmp_path, GOOD[:1], seq=1))
    second = run_job(_job(tmp_path, GOOD[1:2], seq=2))
    assert Path(first.files[0][0]).parent == Path(second.files[0][0]).parent
    assert first.files[0][0] != second.files[0][0]


def test_decoded_payloads_from_arrays_and_csv(tmp_path: Path) -> None:
    """Payloads that are already values (JSON array elements) skip the JSON decoding step."""
    bad = f.chat_record(request_id=None)
    items: Block = [(1, f.chat_record(request_id="r1")), (2, bad), (3, "text")]
    result = run_job(_job(tmp_path, items))
    assert result.rows == 1
    assert [(q["source_line"], q["reason"]) for q in result.quarantined] == [
        (2, "missing_identity"),
        (3, "not_object"),
    ]
    assert orjson.loads(result.quarantined[0]["raw"]) == bad
    assert result.quarantined[1]["raw"] == '"text"'


def _format(read: Read) -> dict[str, Format]:
    return {"fake": Format("fake", read, lambda obj: True, "a test reader")}


def test_rejections_inside_a_line_keep_their_item_and_raw(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read(obj: object, ctx: ReadContext) -> Iterator[Row | Rejected]:
        yield f.parse(f.chat_record())
        yield Rejected(Reject("wrong_type", "span 2 is odd"), item=2, raw=b'{"span": 2}')
        yield Rejected(Reject("invalid_ip", "span 3 has no address"), item=3)
        ctx.skip("non-genai span")

    monkeypatch.setattr(worker, "FORMATS", _format(read))
    result = run_job(_job(tmp_path, [(11, b'{"resourceSpans": []}')], fmt="fake"))
    assert result.rows == 1
    assert result.skipped == {"non-genai span": 1}
    assert [(q["source_line"], q["item"], q["reason"], q["raw"]) for q in result.quarantined] == [
        (11, 2, "wrong_type", '{"span": 2}'),
        (11, 3, "invalid_ip", '{"resourceSpans": []}'),
    ]


def test_a_column_outside_the_schema_is_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read(obj: object, ctx: ReadContext) -> Iterator[Row | Rejected]:
        row = f.parse(f.chat_record())
        row["sentiment"] = "calm"
        yield row

    monkeypatch.setattr(worker, "FORMATS", _format(read))
    with pytest.raises(RuntimeError, match="sentiment"):
        run_job(_job(tmp_path, GOOD[:1], fmt="fake"))


def test_a_missing_column_is_a_bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def read(obj: object, ctx: ReadContext) -> Iterator[Row | Rejected]:
        row = new_row()
        del row["model"]
        yield row

    monkeypatch.setattr(worker, "FORMATS", _format(read))
    with pytest.raises(RuntimeError, match="schema"):
        run_job(_job(tmp_path, GOOD[:1], fmt="fake"))


def test_columns_out_of_order_are_a_bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def read(obj: object, ctx: ReadContext) -> Iterator[Row | Rejected]:
        row = new_row()
        model = row.pop("model")
        row["model"] = model  # same columns, different order: values would land elsewhere
        yield row

    monkeypatch.setattr(worker, "FORMATS", _format(read))
    with pytest.raises(RuntimeError, match="out of order"):
        run_job(_job(tmp_path, GOOD[:1], fmt="fake"))


def test_jobs_and_results_pickle(tmp_path: Path) -> None:
    job = _job(tmp_path, _mixed())
    assert pickle.loads(pickle.dumps(job)) == job
    result = run_job(job)
    copy = pickle.loads(pickle.dumps(result))
    assert isinstance(copy, JobResult)
    assert copy == result


@pytest.mark.parametrize(
    ("raw", "field", "expected"),
    [
        (b"caf\xc3\xa9", "raw", "café"),
        (b"caf\xe9", "raw_b64", base64.b64encode(b"caf\xe9").decode()),
        ({"a": [1]}, "raw", '{"a":[1]}'),
    ],
)
def test_quarantine_entry(raw: object, field: str, expected: str) -> None:
    entry = worker.quarantine_entry("f.jsonl", 3, "not_json", "detail", raw, item=None)
    assert entry[field] == expected
    assert entry["raw" if field == "raw_b64" else "raw_b64"] is None
