"""End-to-end ingest into a real workspace: all formats, bad input, idempotency, atomicity."""

from __future__ import annotations

import base64
import gzip
from pathlib import Path
from typing import Any

import orjson
import pytest
from bench import samples

from distillguard.ingest import runner, worker
from distillguard.ingest.pipeline import IngestReport, ingest
from distillguard.ingest.sources import InputError
from distillguard.settings import Settings
from distillguard.workspace import Workspace
from tests import factories


def settings(**overrides: Any) -> Settings:
    return Settings.load(environ={}, overrides={"ingest.workers": 1, **overrides})


def raw_lines(n: int, day: int = 2) -> list[bytes]:
    return [
        orjson.dumps(
            factories.chat_record(
                request_id=f"req-{day}-{i}",
                ts=f"2026-05-0{day}T10:{i % 60:02d}:00Z",
                account_id=f"acct-{i % 7}",
            )
        )
        + b"\n"
        for i in range(n)
    ]


def count(ws: Workspace, sql: str) -> Any:
    with ws.connect() as con:
        row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sample logs in all three formats (with bad records mixed in) and an accounts file."""
    out = tmp_path_factory.mktemp("inputs")
    logs = out / "logs"
    logs.mkdir()
    samples.write_raw(logs / "api.jsonl.gz", 600, seed=1)
    samples.write_otel(logs / "spans.jsonl.zst", 40, seed=2)
    samples.write_litellm(logs / "spend.csv", 30, seed=3)
    samples.write_accounts(out / "accounts.csv", 20)
    return out


@pytest.fixture(scope="module")
def ingested(
    inputs: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Workspace, IngestReport]:
    ws = Workspace(tmp_path_factory.mktemp("ws"))
    report = ingest(ws, [inputs / "logs"], settings(), accounts=[inputs / "accounts.csv"])
    return ws, report


def test_three_formats_and_accounts_land_in_one_workspace(
    ingested: tuple[Workspace, IngestReport],
) -> None:
    ws, report = ingested
    assert {f.format for f in report.files} == {"raw", "otel", "litellm"}
    assert {f.compression for f in report.files} == {"gzip", "zstd", "plain"}
    with ws.connect() as con:
        by_format = dict(
            con.execute("SELECT source_format, count(*) FROM interactions GROUP BY 1").fetchall()
        )
        assert by_format == {"raw": 600, "otel": 38, "litellm": 27}
        assert con.execute("SELECT count(*) FROM accounts").fetchone() == (20,)
        # enrichment is joined from ip_info; every client IP was looked up once
        missing = con.execute(
            "SELECT count(*) FROM interactions WHERE client_ip IS NOT NULL AND network_kind IS NULL"
        ).fetchone()
        assert missing == (0,)
    assert report.ingested == 665
    assert report.duplicates == 1  # samples.write_raw repeats its first line
    assert report.read == report.ingested + report.duplicates


def test_every_kind_of_bad_record_is_quarantined_with_its_reason(
    ingested: tuple[Workspace, IngestReport],
) -> None:
    ws, report = ingested
    assert report.quarantine_reasons == {
        "bad_timestamp": 1,
        "invalid_ip": 2,  # a raw line and a LiteLLM row
        "invalid_utf8": 1,
        "missing_identity": 4,  # a raw line, two spans without user.id, an account row
        "not_json": 1,
        "not_object": 1,
        "truncated": 1,
        "unknown_endpoint": 1,
        "wrong_type": 2,  # a raw temperature, an account's programme
    }
    assert report.quarantined == count(ws, "SELECT count(*) FROM quarantine")
    with ws.connect() as con:
        rows = con.execute(
            "SELECT reason, source_file, source_line, raw, raw_b64 FROM quarantine"
        ).fetchall()
    reasons = {r[0] for r in rows}
    assert {
        "not_json",
        "truncated",
        "not_object",
        "missing_identity",
        "bad_timestamp",
        "unknown_endpoint",
        "invalid_ip",
        "wrong_type",
        "invalid_utf8",
    } <= reasons
    for reason, source, line, raw, raw_b64 in rows:
        assert source
        assert line >= 1
        assert (raw is None) != (raw_b64 is None), reason
    # the kept bytes are the input's bytes
    with gzip.open(Path(report.files[0].path)) as handle:
        original = handle.read().split(b"\n")
    utf8 = next(r for r in rows if r[0] == "invalid_utf8")
    assert base64.b64decode(utf8[4]) == original[utf8[2] - 1]
    assert report.skipped == {"non-GenAI span": 4, "litellm aembedding": 2}


def test_reingesting_adds_nothing(inputs: Path, ingested: tuple[Workspace, IngestReport]) -> None:
    ws, first = ingested
    before = count(ws, "SELECT count(*) FROM interactions")
    quarantined = count(ws, "SELECT count(*) FROM quarantine")
    again = ingest(ws, [inputs / "logs"], settings(), accounts=[inputs / "accounts.csv"])
    assert again.ingested == 0
    assert again.duplicates == again.read == first.read
    assert again.quarantined == first.quarantined
    assert again.quarantine_new == 0
    assert again.accounts["added"] == again.accounts["updated"] == 0
    assert count(ws, "SELECT count(*) FROM interactions") == before
    assert count(ws, "SELECT count(*) FROM quarantine") == quarantined
    assert count(ws, "SELECT count(*) FROM ingests") >= 2


def test_worker_processes_give_the_same_result_as_inline(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"".join(raw_lines(900)) + b"not json\n" + raw_lines(1)[0])
    reports = []
    for workers in (1, 2):
        ws = Workspace(tmp_path / f"ws{workers}")
        reports.append(
            ingest(ws, [log], settings(**{"ingest.workers": workers, "ingest.batch_records": 100}))
        )
        with ws.connect() as con:
            ids = con.execute("SELECT request_id FROM interactions ORDER BY 1").fetchall()
        assert len(ids) == 900
    one, two = reports
    assert (
        (one.read, one.ingested, one.duplicates, one.quarantined)
        == (
            two.read,
            two.ingested,
            two.duplicates,
            two.quarantined,
        )
        == (901, 900, 1, 1)
    )


def test_first_of_repeated_request_ids_is_kept(tmp_path: Path) -> None:
    first = factories.chat_record(request_id="same", account_id="first-account")
    second = factories.chat_record(request_id="same", account_id="second-account")
    log = tmp_path / "log.jsonl"
    log.write_bytes(orjson.dumps(first) + b"\n" + orjson.dumps(second) + b"\n")
    ws = Workspace(tmp_path / "ws")
    report = ingest(ws, [log], settings())
    assert (report.ingested, report.duplicates) == (1, 1)
    assert count(ws, "SELECT account_id FROM interactions") == "first-account"


def test_unknown_format_stops_before_anything_is_written(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(b"".join(raw_lines(3)))
    odd = tmp_path / "notes.txt"
    odd.write_text("just some notes\n")
    ws = Workspace(tmp_path / "ws")
    with pytest.raises(InputError, match=r"notes\.txt"):
        ingest(ws, [good, odd], settings())
    assert not ws.exists()


def test_a_failure_while_parsing_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"".join(raw_lines(5)))
    ws = Workspace(tmp_path / "ws")
    ingest(ws, [log], settings())
    other = tmp_path / "other.jsonl"
    other.write_bytes(b"".join(raw_lines(5, day=3)))

    def boom(job: worker.Job) -> worker.JobResult:
        raise OSError("disk full")

    monkeypatch.setattr(runner, "run_job", boom)
    with pytest.raises(OSError, match="disk full"):
        ingest(ws, [other], settings())
    assert count(ws, "SELECT count(*) FROM interactions") == 5
    assert not (ws.root / ".staging").exists() or not any((ws.root / ".staging").iterdir())


def test_a_failed_commit_is_invisible_and_its_files_are_cleaned_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"".join(raw_lines(5)))
    ws = Workspace(tmp_path / "ws")
    ingest(ws, [log], settings())
    files_before = sorted(p for p in (ws.root / "interactions").rglob("*") if p.is_file())

    def fail_after_moving(self: Workspace, *args: Any, **kwargs: Any) -> None:
        moves = args[4]
        for staged, relative, _, _ in moves:  # the files reach their places...
            target = self.root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.rename(target)
        raise RuntimeError("power cut")  # ...but the catalog never lists them

    other = tmp_path / "other.jsonl"
    other.write_bytes(b"".join(raw_lines(5, day=3)))
    monkeypatch.setattr(Workspace, "commit", fail_after_moving)
    with pytest.raises(RuntimeError, match="power cut"):
        ingest(ws, [other], settings())
    monkeypatch.undo()
    assert count(ws, "SELECT count(*) FROM interactions") == 5
    # the next writer removes what the failed one left
    with ws.writer():
        pass
    files_after = sorted(p for p in (ws.root / "interactions").rglob("*") if p.is_file())
    assert files_after == files_before
    report = ingest(ws, [other], settings())
    assert report.ingested == 5


CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"


@pytest.mark.skipif(
    not (CORPORA / "sharegpt_v3_filtered_500.json").is_file(),
    reason="../shared/corpora is absent: real multilingual user text is not available",
)
def test_real_user_text_round_trips_exactly(tmp_path: Path) -> None:
    """Human-written, multilingual prompts from real chats come back byte for byte."""
    chats = orjson.loads((CORPORA / "sharegpt_v3_filtered_500.json").read_bytes())
    texts = [turn["value"] for chat in chats for turn in chat["conversations"] if turn["value"]]
    log = tmp_path / "real.jsonl"
    log.write_bytes(
        b"".join(
            orjson.dumps(factories.messages_record(request_id=f"real-{i}", user_text=text)) + b"\n"
            for i, text in enumerate(texts)
        )
    )
    ws = Workspace(tmp_path / "ws")
    report = ingest(ws, [log], settings())
    assert (report.ingested, report.quarantined) == (len(texts), 0)
    with ws.connect() as con:
        stored = dict(con.execute("SELECT request_id, user_text FROM interactions").fetchall())
    assert [stored[f"real-{i}"] for i in range(len(texts))] == texts
