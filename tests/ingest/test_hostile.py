"""Hostile input: every file ends in a clear quarantine reason or error, in bounded memory.

Files are made at test time in tmp_path. Bombs and giant records are ingested by the real CLI
in a child process, whose peak resident memory (VmHWM) is compared with an ordinary ingest's;
small caps (set through the environment, as a user would) make the bombs trip quickly.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
import zstandard

from distillguard.ingest.pipeline import IngestReport, ingest
from distillguard.settings import Settings
from distillguard.workspace import Workspace
from tests import factories

MIB = 1 << 20
CAPS = {
    "DISTILLGUARD_INGEST_WORKERS": "1",
    "DISTILLGUARD_INGEST_MAX_RECORD_BYTES": str(64 * 1024),
    "DISTILLGUARD_INGEST_MAX_DECOMPRESSED_BYTES": str(512 * MIB),
    "DISTILLGUARD_INGEST_MAX_COMPRESSION_RATIO": "50",
}
HEADROOM_KIB = 64 * 1024
"""How far above an ordinary ingest's peak a hostile file may take the process."""

FORCED = ("--format", "raw", "--json")
CHILD = """
import sys
from distillguard.cli import main
code = 0
try:
    sys.argv = ["distillguard", *sys.argv[1:]]
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 1
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print("PEAK_KIB", line.split()[1], file=sys.stderr)
sys.exit(code)
"""


def _record(i: int) -> bytes:
    rec = factories.chat_record(
        request_id=f"req-{i}", ts="2026-05-02T10:00:00Z", account_id=f"acct-{i % 3}"
    )
    return orjson.dumps(rec)


def _giant(size: int) -> bytes:
    """One raw-log line of about ``size`` bytes: a chat prompt of one repeated letter."""
    rec = factories.chat_record(
        request_id="giant", ts="2026-05-02T10:00:00Z", account_id="acct-x", user_text="A"
    )
    prefix, suffix = orjson.dumps(rec).split(b'"A"', 1)
    return prefix + b'"' + b"A" * size + b'"' + suffix


def _normal_lines(n: int, start: int = 0) -> bytes:
    return b"".join(_record(i) + b"\n" for i in range(start, start + n))


def _cli(tmp_path: Path, path: Path, **env: str) -> tuple[int, int, str, Any]:
    """Ingest ``path`` with the CLI in a child: exit code, peak KiB, stderr, report or None."""
    ws = tmp_path / "ws"
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, "ingest", str(path), "--workspace", str(ws), "--json"],
        capture_output=True,
        env={**os.environ, **CAPS, **env},
        timeout=120,
        check=False,
    )
    stderr = proc.stderr.decode()
    peak = int(stderr.rsplit("PEAK_KIB", 1)[1].split()[0])
    report = orjson.loads(proc.stdout.splitlines()[-1]) if proc.returncode == 0 else None
    return proc.returncode, peak, stderr, report


@pytest.fixture(scope="module")
def baseline_kib(tmp_path_factory: pytest.TempPathFactory) -> int:
    """Peak memory of an ordinary ingest of one small gzip log, in the same kind of child."""
    tmp = tmp_path_factory.mktemp("baseline")
    path = tmp / "ordinary.jsonl.gz"
    path.write_bytes(gzip.compress(_normal_lines(200)))
    code, peak, stderr, _ = _cli(tmp, path)
    assert code == 0, stderr
    return peak


def _committed_ingests(tmp_path: Path) -> int:
    ws = Workspace(tmp_path / "ws")
    if not ws.exists():
        return 0
    with ws.connect() as con:
        row = con.execute("SELECT count(*) FROM interactions").fetchone()
    assert row is not None
    return int(row[0])


def _stream_bomb(path: Path, compressor: Any, size: int) -> None:
    """A log whose second line is one record of ``size`` bytes, written compressed, streaming."""
    with path.open("wb") as raw, compressor(raw) as out:
        out.write(_normal_lines(5))
        prefix, suffix = _giant(1).split(b'"A"', 1)
        out.write(prefix + b'"')
        block = b"A" * (4 * MIB)
        for _ in range(size // len(block)):
            out.write(block)
        out.write(b'"' + suffix + b"\n")
        out.write(_normal_lines(5, start=5))


def _gzip_writer(raw: Any) -> Any:
    return gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1)


def _zstd_writer(raw: Any) -> Any:
    return zstandard.ZstdCompressor(level=1).stream_writer(raw, closefd=False)


# -- decompression caps: the run stops, exit 2, nothing committed ------------------------------


@pytest.mark.parametrize(
    ("writer", "name"), [(_gzip_writer, "bomb.jsonl.gz"), (_zstd_writer, "bomb.jsonl.zst")]
)
def test_a_compression_bomb_stops_the_run(
    tmp_path: Path, baseline_kib: int, writer: Any, name: str
) -> None:
    path = tmp_path / name
    _stream_bomb(path, writer, 64 * MIB)
    assert path.stat().st_size < 2 * MIB
    code, peak, stderr, _ = _cli(tmp_path, path)
    assert code == 2
    assert "max_compression_ratio" in stderr
    assert "nothing from this run was committed" in stderr
    assert _committed_ingests(tmp_path) == 0
    assert peak < baseline_kib + HEADROOM_KIB, (peak, baseline_kib)


def test_decompressed_bytes_cap_stops_the_run(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl.gz"
    path.write_bytes(gzip.compress(_normal_lines(3000)))  # a few MiB, a modest ratio
    code, _, stderr, _ = _cli(
        tmp_path,
        path,
        DISTILLGUARD_INGEST_MAX_DECOMPRESSED_BYTES=str(MIB),
        DISTILLGUARD_INGEST_MAX_COMPRESSION_RATIO="1000000",
    )
    assert code == 2
    assert "max_decompressed_bytes" in stderr
    assert _committed_ingests(tmp_path) == 0


# -- records over the cap: quarantined as too_large, the rest goes on --------------------------


def test_a_giant_line_in_a_gzip_file_is_quarantined(tmp_path: Path, baseline_kib: int) -> None:
    path = tmp_path / "giant.jsonl.gz"
    _stream_bomb(path, _gzip_writer, 48 * MIB)
    code, peak, stderr, report = _cli(
        tmp_path, path, DISTILLGUARD_INGEST_MAX_COMPRESSION_RATIO="1000000"
    )
    assert code == 0, stderr
    assert report["quarantine_reasons"] == {"too_large": 1}
    assert report["ingested"] == 10
    assert peak < baseline_kib + HEADROOM_KIB, (peak, baseline_kib)


def test_a_giant_plain_line_is_quarantined_with_size_hash_and_head(
    tmp_path: Path, baseline_kib: int
) -> None:
    giant = _giant(48 * MIB)
    path = tmp_path / "giant.jsonl"
    path.write_bytes(_normal_lines(3) + giant + b"\n" + _normal_lines(3, start=3))
    code, peak, stderr, report = _cli(tmp_path, path)
    assert code == 0, stderr
    assert report["quarantine_reasons"] == {"too_large": 1}
    assert report["ingested"] == 6
    with Workspace(tmp_path / "ws").connect() as con:
        row = con.execute("SELECT source_line, detail, raw FROM quarantine").fetchone()
    assert row is not None
    line, detail, raw = row
    assert line == 4
    assert f"{len(giant):,} bytes" in detail
    assert hashlib.sha256(giant).hexdigest() in detail
    assert raw == giant[:1024].decode()
    assert peak < baseline_kib + HEADROOM_KIB, (peak, baseline_kib)


def test_a_file_with_no_newline_at_all(tmp_path: Path, baseline_kib: int) -> None:
    path = tmp_path / "one.jsonl"
    path.write_bytes(_giant(16 * MIB))
    code, peak, stderr, report = _cli(tmp_path, path, DISTILLGUARD_INGEST_MAX_RECORD_BYTES="4096")
    # Detection skips the over-long line and finds nothing else: a clear error, exit 2.
    assert code == 2
    assert "cannot tell its format" in stderr
    assert peak < baseline_kib + HEADROOM_KIB, (peak, baseline_kib)
    code, stderr, report = _cli_forced(tmp_path, path)  # told its format, it is quarantined
    assert code == 0, stderr
    assert report["quarantine_reasons"] == {"too_large": 1}


def _cli_forced(tmp_path: Path, path: Path) -> tuple[int, str, Any]:
    ws = tmp_path / "ws-forced"
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, "ingest", str(path), "--workspace", str(ws), *FORCED],
        capture_output=True,
        env={**os.environ, **CAPS, "DISTILLGUARD_INGEST_MAX_RECORD_BYTES": "4096"},
        timeout=120,
        check=False,
    )
    report = orjson.loads(proc.stdout.splitlines()[-1]) if proc.returncode == 0 else None
    return proc.returncode, proc.stderr.decode(), report


# -- odd but small files, ingested in process ---------------------------------------------------


def _ingest(tmp_path: Path, name: str, content: bytes, **overrides: Any) -> IngestReport:
    path = tmp_path / name
    path.write_bytes(content)
    settings = Settings.load(environ={}, overrides={"ingest.workers": 1, **overrides})
    return ingest(Workspace(tmp_path / "ws"), [path], settings)


def test_deep_nesting_is_quarantined(tmp_path: Path) -> None:
    deep = b'{"request_id": "deep", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"
    report = _ingest(tmp_path, "deep.jsonl", _normal_lines(2) + deep)
    assert report.ingested == 2
    assert report.quarantine_reasons == {"not_json": 1}


def test_a_wide_object_is_read(tmp_path: Path) -> None:
    rec = orjson.loads(_record(99))
    rec["request"]["metadata"] = {f"k{i}": i for i in range(200_000)}  # ~3 MB, under the cap
    report = _ingest(tmp_path, "wide.jsonl", _normal_lines(2) + orjson.dumps(rec) + b"\n")
    assert report.ingested + report.quarantined == 3
    assert report.ingested >= 2


def test_nul_bytes_and_lone_surrogates(tmp_path: Path) -> None:
    nul = _record(10).replace(b'"req-10"', b'"req\x00-10"')
    surrogate = _record(11).replace(b'"req-11"', b'"req-\\ud800"')
    invalid = _record(12).replace(b'"req-12"', b'"req-\xed\xa0\x80"')  # a surrogate as UTF-8
    content = _normal_lines(2) + b"\n".join([nul, surrogate, invalid]) + b"\n"
    report = _ingest(tmp_path, "odd.jsonl", content)
    assert report.ingested == 2
    assert report.quarantined == 3
    assert set(report.quarantine_reasons) <= {"not_json", "invalid_utf8"}
    assert report.quarantine_reasons.get("invalid_utf8") == 1


def test_crlf_line_ends(tmp_path: Path) -> None:
    content = _normal_lines(5).replace(b"\n", b"\r\n")
    report = _ingest(tmp_path, "crlf.jsonl", content)
    assert (report.ingested, report.quarantined) == (5, 0)


@pytest.mark.parametrize("compress", [lambda b: b, gzip.compress])
def test_a_byte_order_mark_is_accepted(tmp_path: Path, compress: Any) -> None:
    report = _ingest(tmp_path, "bom.jsonl", compress(b"\xef\xbb\xbf" + _normal_lines(4)))
    assert (report.ingested, report.quarantined) == (4, 0)


def test_a_truncated_compressed_stream(tmp_path: Path) -> None:
    data = gzip.compress(_normal_lines(400))
    report = _ingest(tmp_path, "cut.jsonl.gz", data[: len(data) // 2])
    assert report.quarantine_reasons == {"truncated": 1}
    assert 0 < report.ingested < 400


def test_a_json_array_that_never_closes(tmp_path: Path) -> None:
    rows = [{"request_id": f"r{i}", "call_type": "acompletion"} for i in range(5)]
    content = orjson.dumps(rows)[:-1] + b', {"request_id": "r9", "call'
    report = _ingest(tmp_path, "spend.json", content)
    assert report.files[0].container == "array"
    assert report.quarantine_reasons.get("truncated") == 1
    assert report.quarantined == 6  # five rows too thin for LiteLLM, plus the cut-off element


def test_a_too_large_array_element_and_csv_line(tmp_path: Path) -> None:
    rows = [{"request_id": "r1", "call_type": "acompletion", "big": "x" * 5000}]
    rows.append({"request_id": "r2", "call_type": "acompletion"})
    small = {"ingest.max_record_bytes": 2048}
    report = _ingest(tmp_path, "spend.json", orjson.dumps(rows), **small)
    assert report.quarantine_reasons.get("too_large") == 1
    csv = b"request_id,call_type,startTime\r\nr1,acompletion," + b"9" * 5000 + b"\r\nr2,x,\r\n"
    report = _ingest(tmp_path, "spend.csv", csv, **small)
    assert report.quarantine_reasons.get("too_large") == 1
