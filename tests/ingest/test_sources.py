"""Input files: expanding paths, decompressing by content, and reading records in blocks."""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import orjson
import pytest
import zstandard

from distillguard.ingest import arrays, csvrows, lines, sources
from distillguard.ingest.sources import Block, Broken, InputError

Compress = Callable[[bytes], bytes]


def _zstd(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


def _zstd_streamed(data: bytes) -> bytes:
    """A frame without a content size, as ``zstd`` writes when it compresses a pipe."""
    compressor = zstandard.ZstdCompressor().compressobj()
    return compressor.compress(data) + compressor.flush()


COMPRESSORS: dict[str, Compress] = {
    "plain": lambda data: data,
    "gzip": gzip.compress,
    "zstd": _zstd,
}


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _read(
    reader: Callable[[BinaryIO, int], Iterator[Block | Broken]],
    path: Path,
    block_size: int = 1000,
) -> list[Block | Broken]:
    with sources.open_decompressed(path) as handle:
        return list(reader(handle, block_size))


def _items(out: list[Block | Broken]) -> list[tuple[int, object]]:
    assert not any(isinstance(b, Broken) for b in out), out
    return [item for block in out if isinstance(block, list) for item in block]


def _log_lines(n: int) -> bytes:
    """JSON lines that hardly compress (zstd decodes whole 128 KiB blocks; a cut keeps some)."""
    return b"".join(
        orjson.dumps({"n": i, "pad": hashlib.sha256(b"%d" % i).hexdigest()}) + b"\n"
        for i in range(1, n + 1)
    )


# -- expand -----------------------------------------------------------------------------------


def test_expand_files_and_folders(tmp_path: Path) -> None:
    single = _write(tmp_path / "single.jsonl", b"{}\n")
    logs = tmp_path / "logs"
    _write(logs / "b.jsonl", b"{}\n")
    _write(logs / "a.jsonl.gz", b"{}\n")
    _write(logs / "2026" / "05" / "c.jsonl", b"{}\n")
    _write(logs / ".hidden.jsonl", b"{}\n")
    _write(logs / ".git" / "objects" / "x", b"{}\n")
    _write(logs / "sub" / ".cache" / "y.jsonl", b"{}\n")
    found = sources.expand([single, logs])
    assert found[0] == single
    assert [p.relative_to(logs).as_posix() for p in found[1:]] == [
        "2026/05/c.jsonl",
        "a.jsonl.gz",
        "b.jsonl",
    ]


def test_expand_keeps_a_hidden_file_named_directly(tmp_path: Path) -> None:
    hidden = _write(tmp_path / ".log.jsonl", b"{}\n")
    assert sources.expand([hidden]) == [hidden]


def test_expand_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        sources.expand([tmp_path / "absent.jsonl"])


def test_expand_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    _write(empty / ".only-hidden", b"{}\n")
    with pytest.raises(InputError, match="no input files found"):
        sources.expand([empty])


# -- compression by content -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "compress"),
    [
        ("log.jsonl", "gzip", gzip.compress),
        ("log.txt", "zstd", _zstd),
        ("log.zst", "zstd", _zstd_streamed),
        ("log.gz", "plain", COMPRESSORS["plain"]),
        ("log.jsonl.zst", "gzip", gzip.compress),
    ],
)
def test_compression_is_told_by_content_not_name(
    tmp_path: Path, name: str, kind: str, compress: Compress
) -> None:
    content = b'{"a": 1}\n{"a": 2}\n'
    path = _write(tmp_path / name, compress(content))
    assert sources.compression(path) == kind
    with sources.open_decompressed(path) as handle:
        assert handle.read() == content
    assert sources.head(path, 9) == content[:9]


def test_compression_of_tiny_and_empty_files(tmp_path: Path) -> None:
    assert sources.compression(_write(tmp_path / "empty", b"")) == "plain"
    assert sources.compression(_write(tmp_path / "one", b"\x1f")) == "plain"
    assert sources.compression(_write(tmp_path / "zst3", b"\x28\xb5\x2f")) == "plain"


def test_concatenated_zstd_frames(tmp_path: Path) -> None:
    path = _write(tmp_path / "two.zst", _zstd(b'{"a": 1}\n') + _zstd_streamed(b'{"a": 2}\n'))
    assert [line for line, _ in _items(_read(lines.json_lines, path))] == [1, 2]


def test_counting_reader_counts_consumed_bytes(tmp_path: Path) -> None:
    content = _log_lines(300)
    for path in (
        _write(tmp_path / "log.gz", gzip.compress(content)),
        _write(tmp_path / "log.zst", _zstd(content)),
    ):
        with path.open("rb") as base:
            counter = sources.CountingReader(base)
            with sources.open_decompressed(path, counter) as handle:
                assert counter.consumed == 0
                assert handle.read() == content
            assert counter.consumed == path.stat().st_size

    plain = _write(tmp_path / "log.jsonl", content)
    with plain.open("rb") as base:
        counter = sources.CountingReader(base)
        with sources.open_decompressed(plain, counter) as handle:
            assert handle.read(100) == content[:100]
            assert counter.consumed == 100


# -- JSON Lines -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(COMPRESSORS))
def test_json_lines_numbers_from_one_and_skips_blank_lines(tmp_path: Path, kind: str) -> None:
    content = b'{"a": 1}\n\n   \n{"a": 2}\r\n{"a": 3}\n{"a": 4}'  # no final newline
    path = _write(tmp_path / "log", COMPRESSORS[kind](content))
    items = _items(_read(lines.json_lines, path))
    assert [line for line, _ in items] == [1, 4, 5, 6]
    assert [orjson.loads(payload) for _, payload in items] == [{"a": n} for n in (1, 2, 3, 4)]  # type: ignore[arg-type]
    assert items[-1][1] == b'{"a": 4}'


def test_json_lines_of_an_empty_file(tmp_path: Path) -> None:
    assert _read(lines.json_lines, _write(tmp_path / "empty", b"")) == []
    assert _read(lines.json_lines, _write(tmp_path / "blank", b"\n\n \n")) == []


@pytest.mark.parametrize("kind", list(COMPRESSORS))
def test_json_lines_blocks_have_at_most_block_size_lines(tmp_path: Path, kind: str) -> None:
    path = _write(tmp_path / "log", COMPRESSORS[kind](_log_lines(25)))
    out = _read(lines.json_lines, path, block_size=10)
    assert [len(block) for block in out] == [10, 10, 5]
    assert [line for line, _ in _items(out)] == list(range(1, 26))


def test_json_lines_joins_lines_split_across_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "READ_SIZE", 7)
    content = b'{"a": 1}\n{"long": "' + b"x" * 30 + b'"}\n{"a": 3}\n'
    out = list(lines.json_lines(io.BytesIO(content), 2))
    items = _items(out)
    assert [payload for _, payload in items] == content.split(b"\n")[:3]
    assert [len(block) for block in out] == [2, 1]


@pytest.mark.parametrize("compress", [gzip.compress, _zstd, _zstd_streamed])
def test_truncated_stream_keeps_lines_then_reports_the_cut(
    tmp_path: Path, compress: Compress
) -> None:
    content = _log_lines(6000)
    data = compress(content)
    path = _write(tmp_path / "cut.jsonl", data[: len(data) * 2 // 3])
    out = _read(lines.json_lines, path)
    *blocks, broken = out
    assert isinstance(broken, Broken)
    assert broken.reason == "truncated"
    items = _items(blocks)
    assert items, "the lines before the cut are lost"
    expected = content.split(b"\n")
    assert [line for line, _ in items] == list(range(1, len(items) + 1))
    assert [payload for _, payload in items] == expected[: len(items)]
    assert broken.line == len(items) + 1
    assert expected[len(items)].startswith(broken.raw)  # the cut-off start of the next line
    assert len(items) < 6000


@pytest.mark.parametrize("compress", [gzip.compress, _zstd])
def test_truncated_small_stream(tmp_path: Path, compress: Compress) -> None:
    content = b'{"a": 1}\n{"a": 2}\n'
    data = compress(content)
    path = _write(tmp_path / "cut.jsonl", data[:-4])
    out = _read(lines.json_lines, path)
    assert isinstance(out[-1], Broken)
    assert out[-1].reason == "truncated"


def test_corrupt_gzip_is_reported(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(_log_lines(50)))
    data[len(data) // 2 :] = b"\xff" * (len(data) - len(data) // 2)
    path = _write(tmp_path / "bad.gz", bytes(data))
    out = _read(lines.json_lines, path)
    assert isinstance(out[-1], Broken)
    assert out[-1].reason == "truncated"


def test_head_of_a_truncated_stream(tmp_path: Path) -> None:
    content = _log_lines(6000)
    data = gzip.compress(content)
    path = _write(tmp_path / "cut.gz", data[: len(data) // 2])
    got = sources.head(path)
    assert got
    assert content.startswith(got)


# -- JSON array -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(COMPRESSORS))
def test_json_array_elements_from_one(tmp_path: Path, kind: str) -> None:
    elements = [{"n": i} for i in range(5)] + [[1], "x"]
    path = _write(tmp_path / "log.json", COMPRESSORS[kind](orjson.dumps(elements)))
    out = _read(arrays.json_array, path, block_size=3)
    assert [len(block) for block in out] == [3, 3, 1]
    assert [(n, orjson.loads(raw)) for n, raw in _items(out)] == list(enumerate(elements, 1))


@pytest.mark.parametrize(
    ("content", "line", "reason", "raw"),
    [
        (b'[{"a": 1}, {"a": ', 2, "truncated", b'{"a": '),
        (b'{"a": 1}', 1, "not_json", b""),
        (b"[1, 2} 3]", 3, "not_json", b""),
    ],
)
def test_json_array_bad_file(
    tmp_path: Path, content: bytes, line: int, reason: str, raw: bytes
) -> None:
    """Elements before the fault are kept; the fault is one record at the element it hits."""
    path = _write(tmp_path / "log.json", content)
    *_, broken = _read(arrays.json_array, path)
    assert isinstance(broken, Broken)
    assert (broken.line, broken.reason, broken.raw) == (line, reason, raw)


def test_json_array_trailing_comma_element_is_not_json(tmp_path: Path) -> None:
    out = _read(arrays.json_array, _write(tmp_path / "log.json", b"[1, 2,]"))
    assert _items(out) == [(1, b"1"), (2, b"2"), (3, b"")]  # the worker quarantines b""


def test_json_array_truncated_stream(tmp_path: Path) -> None:
    data = gzip.compress(orjson.dumps([{"n": i} for i in range(100)]))
    path = _write(tmp_path / "log.json.gz", data[:-10])
    *_, broken = _read(arrays.json_array, path)
    assert isinstance(broken, Broken)
    assert broken.reason == "truncated"


# -- CSV --------------------------------------------------------------------------------------

HEADER = b"request_id,call_type,spend\r\n"


@pytest.mark.parametrize("kind", list(COMPRESSORS))
def test_csv_rows_as_dicts_with_line_numbers(tmp_path: Path, kind: str) -> None:
    content = HEADER + b"r1,acompletion,0.5\r\nr2,aembedding,\r\n\r\nr3,acompletion,1\r\n"
    path = _write(tmp_path / "spend.csv", COMPRESSORS[kind](content))
    assert _items(_read(csvrows.csv_rows, path)) == [
        (2, {"request_id": "r1", "call_type": "acompletion", "spend": "0.5"}),
        (3, {"request_id": "r2", "call_type": "aembedding", "spend": ""}),
        (5, {"request_id": "r3", "call_type": "acompletion", "spend": "1"}),
    ]


def test_csv_quoted_newlines_and_commas(tmp_path: Path) -> None:
    content = (
        HEADER + b'r1,"a,b","line one\nline ""two"""\r\n' + b"r2,acompletion,0\r\n" + b"r3,x,y\n"
    )
    path = _write(tmp_path / "spend.csv", content)
    items = _items(_read(csvrows.csv_rows, path))
    assert [row for _, row in items] == [
        {"request_id": "r1", "call_type": "a,b", "spend": 'line one\nline "two"'},
        {"request_id": "r2", "call_type": "acompletion", "spend": "0"},
        {"request_id": "r3", "call_type": "x", "spend": "y"},
    ]
    assert [line for line, _ in items][1:] == [4, 5]  # physical lines, after the two-line row


@pytest.mark.parametrize(
    ("row", "expected_raw"),
    [(b"r2,acompletion,0.5,extra\r\n", b"r2,acompletion,0.5,"), (b"r2,acompletion\r\n", None)],
)
def test_csv_row_not_matching_the_header(
    tmp_path: Path, row: bytes, expected_raw: bytes | None
) -> None:
    content = HEADER + b"r1,acompletion,1\r\n" + row + b"r3,acompletion,2\r\n"
    out = _read(csvrows.csv_rows, _write(tmp_path / "spend.csv", content))
    broken = [b for b in out if isinstance(b, Broken)]
    assert len(broken) == 1
    assert (broken[0].line, broken[0].reason) == (3, "bad_csv")
    assert broken[0].raw.startswith(b"r2,acompletion")
    good = [item for b in out if isinstance(b, list) for item in b]
    assert [line for line, _ in good] == [2, 4]


def test_csv_invalid_utf8_field(tmp_path: Path) -> None:
    content = HEADER + b"r1,acompletion,1\r\nr2,caf\xe9,1\r\nr3,\xc3\xa9t\xc3\xa9,2\r\n"
    out = _read(csvrows.csv_rows, _write(tmp_path / "spend.csv", content))
    broken = [b for b in out if isinstance(b, Broken)]
    assert len(broken) == 1
    assert (broken[0].line, broken[0].reason) == (3, "invalid_utf8")
    assert broken[0].raw == b"r2,caf\xe9,1\r\n"  # the original bytes, not a replacement character
    good = [item for b in out if isinstance(b, list) for item in b]
    assert good[-1] == (4, {"request_id": "r3", "call_type": "été", "spend": "2"})


def test_csv_byte_order_mark_is_not_part_of_the_header(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + HEADER + b"r1,acompletion,1\r\n"
    out = _read(csvrows.csv_rows, _write(tmp_path / "excel.csv", content))
    assert _items(out) == [(2, {"request_id": "r1", "call_type": "acompletion", "spend": "1"})]


def test_csv_rows_leave_the_handle_open(tmp_path: Path) -> None:
    path = _write(tmp_path / "spend.csv", HEADER + b"r1,acompletion,1\r\n")
    with path.open("rb") as handle:
        assert len(_items(list(csvrows.csv_rows(handle, 10)))) == 1
        assert not handle.closed


def test_csv_blocks(tmp_path: Path) -> None:
    content = HEADER + b"".join(b"r%d,acompletion,1\r\n" % i for i in range(7))
    out = _read(csvrows.csv_rows, _write(tmp_path / "spend.csv", content), block_size=3)
    assert [len(block) for block in out] == [3, 3, 1]


def test_csv_truncated_stream(tmp_path: Path) -> None:
    content = HEADER + b"".join(
        b"r%d,acompletion,%s\r\n" % (i, (b"%x" % (i * 7919 % 100003)) * 8) for i in range(3000)
    )
    data = gzip.compress(content)
    out = _read(csvrows.csv_rows, _write(tmp_path / "spend.csv.gz", data[: len(data) * 2 // 3]))
    *blocks, broken = out
    assert isinstance(broken, Broken)
    assert broken.reason == "truncated"
    items = _items(blocks)
    assert items
    assert [line for line, _ in items] == list(range(2, len(items) + 2))


# -- spans: workers reading plain files themselves -------------------------------------------


def _streamed(path: Path) -> list[tuple[int, object]]:
    items: list[tuple[int, object]] = []
    with sources.open_decompressed(path) as handle:
        for block in lines.json_lines(handle, 10**9):
            assert not isinstance(block, Broken)
            items.extend(block)
    return items


@pytest.mark.parametrize("ending", [b"\n", b"\r\n"])
@pytest.mark.parametrize("last_newline", [True, False])
def test_spans_cover_every_line_with_the_same_numbers(
    tmp_path: Path, ending: bytes, last_newline: bool
) -> None:
    written = []
    for i in range(12_000):
        written.append(b"" if i % 97 == 0 else orjson.dumps({"i": i, "pad": "x" * (i % 50)}))
    data = ending.join(written) + (ending if last_newline else b"")
    path = tmp_path / "log.jsonl"
    path.write_bytes(data)
    spans = list(lines.plan_spans(path, 1_000))
    assert len(spans) > 3
    assert spans[0].start == 0
    assert spans[-1].end == len(data)
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))
    from_spans = [item for span in spans for item in lines.read_span(span)]
    assert [n for n, _ in from_spans] == [n for n, _ in _streamed(path)]
    assert [line for _, line in from_spans] == [line for _, line in _streamed(path)]


def test_spans_of_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    assert list(lines.plan_spans(path, 100)) == []


def test_zstd_starting_with_a_skippable_frame(tmp_path: Path) -> None:

    skippable = struct.pack("<II", 0x184D2A53, 3) + b"abc"
    path = tmp_path / "log.bin"
    path.write_bytes(skippable + zstandard.ZstdCompressor().compress(b'{"a": 1}\n'))
    assert sources.compression(path) == "zstd"
    with sources.open_decompressed(path) as handle:
        assert handle.read() == b'{"a": 1}\n'
