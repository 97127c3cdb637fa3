"""Quarantine entries keep the input exactly; the writer stores each bad record once."""

from __future__ import annotations

import base64
from pathlib import Path

import orjson

from distillguard.ingest.quarantine import QuarantineWriter, quarantine_entry, quarantine_key


def test_entries_keep_text_or_exact_bytes() -> None:
    text = quarantine_entry("f.jsonl", 3, "not_json", "bad", b"hello \xc3\xa9")
    assert (text["raw"], text["raw_b64"]) == ("hello é", None)
    binary = quarantine_entry("f.jsonl", 4, "invalid_utf8", "bad", b"\xff\xfe{")
    assert binary["raw"] is None
    assert base64.b64decode(binary["raw_b64"]) == b"\xff\xfe{"
    decoded = quarantine_entry("f.csv", 5, "bad_csv", "bad", {"a": "1"}, item=2)
    assert (decoded["raw"], decoded["item"]) == ('{"a":"1"}', 2)


def test_writer_counts_every_record_but_stores_each_once(tmp_path: Path) -> None:
    seen = quarantine_entry("f.jsonl", 1, "not_json", "bad", b"x")
    known = {quarantine_key(seen)}
    writer = QuarantineWriter(tmp_path / "q.jsonl", "run-2", known)
    fresh = quarantine_entry("g.jsonl", 9, "not_json", "bad", b"y")
    writer.add([dict(seen), fresh, dict(fresh)])
    writer.close()
    assert writer.count == 3
    assert writer.stored == 1
    assert writer.reasons == {"not_json": 3}
    lines = (tmp_path / "q.jsonl").read_bytes().splitlines()
    assert [orjson.loads(line)["source_file"] for line in lines] == ["g.jsonl"]
    assert orjson.loads(lines[0])["ingest_id"] == "run-2"


def test_the_same_bytes_at_another_line_are_another_record() -> None:
    one = quarantine_entry("f.jsonl", 1, "not_json", "bad", b"x")
    two = quarantine_entry("f.jsonl", 2, "not_json", "bad", b"x")
    assert quarantine_key(one) != quarantine_key(two)
