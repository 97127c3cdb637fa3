"""JSON-lines records: embedding a file keeps everything else, and loses no line in silence."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from distillguard.watermark.embed import embed
from distillguard.watermark.records import Reading, RecordsError, embed_file, read_texts
from tests.watermark.material import KEY, PARAGRAPHS


def write_lines(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


BAD_LINES = [
    (b"{not json", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (b'"just a string"', "not a JSON object"),
    (b'{"prompt": "no text here"}', "no 'text' field"),
    (b'{"text": 42}', "'text' is not a string"),
    (b'{"text": null}', "'text' is not a string"),
]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    lines = [
        orjson.dumps({"id": "r1", "text": PARAGRAPHS[0], "meta": {"n": 1}, "a": [1, 2]}),
        BAD_LINES[0][0],
        b"",
        orjson.dumps({"z": 1, "text": PARAGRAPHS[1], "b": None}),
        *(line for line, _ in BAD_LINES[1:]),
        b"   ",
        orjson.dumps({"text": "", "id": "empty"}),
    ]
    return write_lines(tmp_path / "in.jsonl", lines)


def test_embed_file_watermarks_the_text_and_keeps_the_rest(tmp_path: Path, source: Path) -> None:
    target = tmp_path / "out.jsonl"
    report = embed_file(source, target, KEY, "acct")
    records = [orjson.loads(line) for line in target.read_bytes().splitlines()]
    assert records == [
        {"id": "r1", "text": embed(PARAGRAPHS[0], KEY, "acct"), "meta": {"n": 1}, "a": [1, 2]},
        {"z": 1, "text": embed(PARAGRAPHS[1], KEY, "acct"), "b": None},
        {"text": "", "id": "empty"},
    ]
    keys = [["id", "text", "meta", "a"], ["z", "text", "b"], ["text", "id"]]
    assert [list(r) for r in records] == keys
    assert records[0]["text"] != PARAGRAPHS[0] or records[1]["text"] != PARAGRAPHS[1]
    assert report.records == 3
    assert report.output == str(target)
    assert report.words == len(PARAGRAPHS[0].split()) + len(PARAGRAPHS[1].split())
    assert 0 < report.changed <= report.words
    assert report.opportunities >= report.changed // 3
    assert report.changed_share == report.changed / report.words
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_bad_lines_are_quarantined_with_their_line_number_and_reason(
    tmp_path: Path, source: Path
) -> None:
    target = tmp_path / "out.jsonl"
    report = embed_file(source, target, KEY)
    quarantine = tmp_path / "out.jsonl.quarantine.jsonl"
    assert report.quarantine == str(quarantine)
    rows = [orjson.loads(line) for line in quarantine.read_bytes().splitlines()]
    assert [(r["line"], r["reason"], r["raw"]) for r in rows] == [
        (2, "not JSON", "{not json"),
        (5, "not a JSON object", "[1, 2]"),
        (6, "not a JSON object", '"just a string"'),
        (7, "no 'text' field", '{"prompt": "no text here"}'),
        (8, "'text' is not a string", '{"text": 42}'),
        (9, "'text' is not a string", '{"text": null}'),
    ]
    assert report.quarantined == 6
    assert report.reasons == {
        "not JSON": 1,
        "not a JSON object": 2,
        "no 'text' field": 1,
        "'text' is not a string": 2,
    }


def test_an_undecodable_line_is_quarantined_not_fatal(tmp_path: Path) -> None:
    source = write_lines(tmp_path / "in.jsonl", [b'{"text": "\xff\xfe"}', b'{"text": "ok"}'])
    report = embed_file(source, tmp_path / "out.jsonl", KEY)
    assert (report.records, report.quarantined) == (1, 1)
    quarantine = (tmp_path / "out.jsonl.quarantine.jsonl").read_bytes()
    [row] = [orjson.loads(line) for line in quarantine.splitlines()]
    assert row["line"] == 1
    assert row["reason"] == "not JSON"


def test_a_clean_run_removes_a_stale_quarantine_file(tmp_path: Path, source: Path) -> None:
    target = tmp_path / "out.jsonl"
    embed_file(source, target, KEY)
    quarantine = tmp_path / "out.jsonl.quarantine.jsonl"
    assert quarantine.exists()
    clean = write_lines(tmp_path / "clean.jsonl", [orjson.dumps({"text": PARAGRAPHS[2]})])
    report = embed_file(clean, target, KEY)
    assert report.quarantine is None
    assert report.quarantined == 0
    assert not quarantine.exists()
    assert len(target.read_bytes().splitlines()) == 1


def test_the_output_is_replaced_atomically(tmp_path: Path, source: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"old content\n")
    inode = target.stat().st_ino
    embed_file(source, target, KEY)
    assert target.stat().st_ino != inode  # a new file renamed into place, not rewritten
    assert b"old content" not in target.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "in.jsonl",
        "out.jsonl",
        "out.jsonl.quarantine.jsonl",
    ]


def test_an_unreadable_input_is_an_error_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with pytest.raises(RecordsError, match="cannot read"):
        embed_file(tmp_path / "absent.jsonl", target, KEY)
    with pytest.raises(RecordsError, match="cannot read"):
        embed_file(tmp_path, target, KEY)  # a folder
    assert list(tmp_path.iterdir()) == []


def test_a_failed_run_keeps_the_previous_output(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_bytes(b'{"text": "previous"}\n')
    with pytest.raises(RecordsError):
        embed_file(tmp_path / "absent.jsonl", target, KEY)
    assert target.read_bytes() == b'{"text": "previous"}\n'


def test_an_unwritable_output_is_an_error(tmp_path: Path, source: Path) -> None:
    with pytest.raises(RecordsError, match="cannot write"):
        embed_file(source, tmp_path / "missing" / "out.jsonl", KEY)


def test_read_texts_yields_the_texts_and_counts_the_rejects(source: Path) -> None:
    reading = Reading()
    texts = list(read_texts(source, reading))
    assert texts == [PARAGRAPHS[0], PARAGRAPHS[1], ""]
    assert reading.records == 3
    assert reading.quarantined == 6
    assert reading.rejected["not a JSON object"] == 2


def test_read_texts_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RecordsError, match="cannot read"):
        list(read_texts(tmp_path / "absent.jsonl", Reading()))


def test_windows_line_endings_and_no_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(b'{"text": "a"}\r\n{"text": "b"}\r\n{"text": "c"}')
    reading = Reading()
    assert list(read_texts(path, reading)) == ["a", "b", "c"]
    assert reading.quarantined == 0
