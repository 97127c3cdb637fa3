"""Telling an input file's format and container from its content, compressed or not."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
import zstandard

from distillguard.ingest import formats
from distillguard.ingest.formats import Detected, detect
from distillguard.ingest.sources import InputError
from tests import factories as f

COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "plain": lambda data: data,
    "gzip": gzip.compress,
    "zstd": lambda data: zstandard.ZstdCompressor().compress(data),
}


def _spend_row(i: int) -> dict[str, Any]:
    """A LiteLLM_SpendLogs row, as far as detection looks at it."""
    return {
        "request_id": f"chatcmpl-{i}",
        "call_type": "acompletion",
        "api_key": "88dc28d0",
        "startTime": "2025-03-04T05:06:07.250000Z",
        "endTime": "2025-03-04T05:06:08.000000Z",
        "user": "acct-1",
        "messages": {},
        "response": {},
    }


def _otlp_line(i: int, pad: int = 0) -> dict[str, Any]:
    span = {
        "traceId": f"{i:032x}",
        "spanId": f"{i:016x}",
        "name": "chat gpt-4o",
        "startTimeUnixNano": "1750000000123456789",
        "endTimeUnixNano": "1750000001123456789",
        "attributes": [
            {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
            {"key": "padding", "value": {"stringValue": "x" * pad}},
        ],
    }
    return {"resourceSpans": [{"resource": {}, "scopeSpans": [{"spans": [span]}]}]}


def _jsonl(records: list[Any]) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def _csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: v if isinstance(v, str) else orjson.dumps(v).decode() for k, v in row.items()}
        )
    return buffer.getvalue().encode()


SAMPLES: dict[str, tuple[bytes, Detected]] = {
    "raw": (
        _jsonl([factory(request_id=f"r{i}") for i, factory in enumerate(f.RECORD_FACTORIES)]),
        Detected("raw", "jsonl"),
    ),
    "otel": (_jsonl([_otlp_line(1), _otlp_line(2)]), Detected("otel", "jsonl")),
    "litellm-array": (
        orjson.dumps([_spend_row(i) for i in range(3)], option=orjson.OPT_INDENT_2),
        Detected("litellm", "array"),
    ),
    "litellm-jsonl": (_jsonl([_spend_row(i) for i in range(3)]), Detected("litellm", "jsonl")),
    "litellm-csv": (_csv([_spend_row(i) for i in range(3)]), Detected("litellm", "csv")),
}


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind", list(COMPRESSORS))
@pytest.mark.parametrize("sample", list(SAMPLES))
def test_detects_each_format(tmp_path: Path, sample: str, kind: str) -> None:
    content, expected = SAMPLES[sample]
    path = _write(tmp_path, "input.log", COMPRESSORS[kind](content))
    assert detect(path) == expected


def test_leading_whitespace_is_ignored(tmp_path: Path) -> None:
    content, _ = SAMPLES["raw"]
    assert detect(_write(tmp_path, "a.jsonl", b"\n\n  " + content)) == Detected("raw", "jsonl")
    content, _ = SAMPLES["litellm-array"]
    assert detect(_write(tmp_path, "b.json", b" \n" + content)) == Detected("litellm", "array")


def test_csv_with_a_byte_order_mark(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + SAMPLES["litellm-csv"][0]
    assert detect(_write(tmp_path, "excel.csv", content)) == Detected("litellm", "csv")


def test_malformed_first_lines_do_not_hide_the_format(tmp_path: Path) -> None:
    good = orjson.dumps(f.chat_record()) + b"\n"
    content = b'{"request_id": "r1", "endp\n{not json}\n{"a": \xff}\n[1, 2]\n' + good
    assert detect(_write(tmp_path, "log.jsonl", content)) == Detected("raw", "jsonl")


def test_first_objects_of_another_shape_do_not_decide(tmp_path: Path) -> None:
    content = _jsonl([{"hello": "world"}, {"request_id": "only"}, _spend_row(1)])
    assert detect(_write(tmp_path, "log.jsonl", content)) == Detected("litellm", "jsonl")


def test_a_long_first_line_is_read_whole(tmp_path: Path) -> None:
    content = _jsonl([_otlp_line(1, pad=200_000), _otlp_line(2)])
    assert detect(_write(tmp_path, "spans.jsonl.gz", gzip.compress(content))).format == "otel"


def test_a_truncated_compressed_file_is_still_detected(tmp_path: Path) -> None:
    content, expected = SAMPLES["raw"]
    data = gzip.compress(content)
    assert detect(_write(tmp_path, "cut.jsonl.gz", data[: len(data) * 2 // 3])) == expected


@pytest.mark.parametrize(
    "content",
    [
        _jsonl([{"hello": "world"}, {"request_id": "r1"}]),
        orjson.dumps([{"hello": "world"}]),
        orjson.dumps([1, 2, 3]),
        b"timestamp,message\r\n2026-05-01,hello\r\n",
        b"just some text\n",
        b"",
    ],
)
def test_unknown_content(tmp_path: Path, content: bytes) -> None:
    path = _write(tmp_path, "mystery.log", content)
    with pytest.raises(InputError, match="--format") as caught:
        detect(path)
    assert str(path) in str(caught.value)
    for fmt in formats.FORMATS.values():
        assert fmt.help in str(caught.value)


def test_forced_format_overrides_the_content(tmp_path: Path) -> None:
    unknown = _write(tmp_path, "mystery.jsonl", _jsonl([{"hello": "world"}]))
    assert detect(unknown, "raw") == Detected("raw", "jsonl")
    litellm_csv = _write(tmp_path, "spend.csv", SAMPLES["litellm-csv"][0])
    # OTLP and the raw log only come as JSON lines, whatever the content looks like
    assert detect(litellm_csv, "otel") == Detected("otel", "jsonl")
    bad_array = _write(tmp_path, "cut.json", b'[{"request_id": "r1"')
    assert detect(bad_array, "litellm") == Detected("litellm", "array")


def test_unknown_forced_format(tmp_path: Path) -> None:
    path = _write(tmp_path, "log.jsonl", SAMPLES["raw"][0])
    with pytest.raises(InputError, match="unknown format 'splunk'"):
        detect(path, "splunk")


def test_every_format_and_container_is_registered() -> None:
    assert set(formats.FORMATS) == {"raw", "otel", "litellm"}
    assert all(name == fmt.name for name, fmt in formats.FORMATS.items())
    assert set(formats.CONTAINERS) == {"jsonl", "array", "csv"}


def test_a_rotated_log_starting_mid_record_is_still_json_lines(tmp_path: Path) -> None:
    fragment = b'age": "rest of a record cut by log rotation"}\n'
    path = _write(tmp_path, "api.jsonl.1", fragment + SAMPLES["raw"][0])
    assert detect(path) == Detected("raw", "jsonl")


def test_a_cut_off_array_is_told_by_its_first_whole_elements(tmp_path: Path) -> None:
    """Elements are read one at a time, so an array that never closes is still recognised."""
    path = _write(tmp_path, "cut.json", b'[{"request_id": "r1", "call_type": "acompletion"}')
    assert formats.detect(path) == formats.Detected("litellm", "array")
