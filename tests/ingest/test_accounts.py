"""Accounts files (JSON Lines or CSV) → normalised account rows, bad rows → quarantine."""

from __future__ import annotations

import base64
import csv
import gzip
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pytest

from distillguard.ingest.accounts import read_accounts_file, to_table
from distillguard.schema.accounts import ACCOUNTS

COLUMNS = [
    "account_id",
    "created_at",
    "email_domain",
    "payment_fingerprint",
    "billing_country",
    "tier",
    "program",
    "verified",
]


def _account(account_id: str = "acct_1", **fields: Any) -> dict[str, Any]:
    return {
        "account_id": account_id,
        "created_at": "2025-11-03T09:15:00+01:00",
        "email_domain": " Example.COM ",
        "payment_fingerprint": "fp_8Hk2",
        "billing_country": "de",
        "tier": "build",
        "program": "Research",
        "verified": True,
        **fields,
    }


EXPECTED = {
    "account_id": "acct_1",
    "created_at": datetime(2025, 11, 3, 8, 15, tzinfo=UTC),
    "email_domain": "example.com",
    "payment_fingerprint": "fp_8Hk2",
    "billing_country": "DE",
    "tier": "build",
    "program": "research",
    "verified": True,
}


def _jsonl(tmp_path: Path, records: list[Any], name: str = "accounts.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def _csv(tmp_path: Path, rows: list[dict[str, Any]], name: str = "accounts.csv") -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: str(v).lower() if isinstance(v, bool) else v for k, v in row.items()})
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def _read(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return read_accounts_file(path, str(path))


def test_jsonl_rows_are_normalised(tmp_path: Path) -> None:
    rows, bad = _read(_jsonl(tmp_path, [_account()]))
    assert bad == []
    assert rows == [EXPECTED]


def test_csv_rows_are_normalised(tmp_path: Path) -> None:
    rows, bad = _read(_csv(tmp_path, [_account()]))
    assert bad == []
    assert rows == [EXPECTED]


def test_compressed_accounts_file(tmp_path: Path) -> None:
    plain = _jsonl(tmp_path, [_account()])
    path = tmp_path / "accounts.bin"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    assert _read(path) == ([EXPECTED], [])


def test_leading_blank_line_and_byte_order_mark(tmp_path: Path) -> None:
    jsonl = _jsonl(tmp_path, [_account()])
    jsonl.write_bytes(b"\n  \n" + jsonl.read_bytes())
    assert _read(jsonl) == ([EXPECTED], [])
    spreadsheet = _csv(tmp_path, [_account()])
    spreadsheet.write_bytes(b"\xef\xbb\xbf" + spreadsheet.read_bytes())
    assert _read(spreadsheet) == ([EXPECTED], [])


def test_optional_fields_and_defaults(tmp_path: Path) -> None:
    sparse = {"account_id": 42}
    nulls = dict.fromkeys(COLUMNS) | {"account_id": "acct_2"}
    rows, bad = _read(_jsonl(tmp_path, [sparse, nulls]))
    assert bad == []
    empty = {name: None for name in COLUMNS} | {"program": "none"}
    assert rows == [empty | {"account_id": "42"}, empty | {"account_id": "acct_2"}]

    rows, bad = _read(_csv(tmp_path, [dict.fromkeys(COLUMNS, "") | {"account_id": "acct_3"}]))
    assert bad == []
    assert rows == [empty | {"account_id": "acct_3"}]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("true", True),
        ("false", False),
        ("1", True),
        ("0", False),
        (" TRUE ", True),
        ("no", False),
        (None, None),
    ],
)
def test_verified(tmp_path: Path, raw: object, expected: bool | None) -> None:
    rows, bad = _read(_jsonl(tmp_path, [_account(verified=raw)]))
    assert bad == []
    assert rows[0]["verified"] is expected


@pytest.mark.parametrize("raw", ["true", "false", "1", "0", ""])
def test_verified_from_csv(tmp_path: Path, raw: str) -> None:
    rows, _ = _read(_csv(tmp_path, [_account(verified=raw)]))
    assert rows[0]["verified"] is {"true": True, "1": True, "false": False, "0": False}.get(raw)


@pytest.mark.parametrize(
    ("created_at", "expected"),
    [
        ("2025-11-03T08:15:00Z", datetime(2025, 11, 3, 8, 15, tzinfo=UTC)),
        ("2025-11-03 08:15:00", datetime(2025, 11, 3, 8, 15, tzinfo=UTC)),
        ("2025-11-03", datetime(2025, 11, 3, tzinfo=UTC)),
        (1_762_157_700, datetime(2025, 11, 3, 8, 15, tzinfo=UTC)),
    ],
)
def test_created_at_is_aware_utc(tmp_path: Path, created_at: object, expected: datetime) -> None:
    rows, bad = _read(_jsonl(tmp_path, [_account(created_at=created_at)]))
    assert bad == []
    assert rows[0]["created_at"] == expected
    assert rows[0]["created_at"].utcoffset().total_seconds() == 0


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (_account(account_id=""), "missing_identity"),
        ({k: v for k, v in _account().items() if k != "account_id"}, "missing_identity"),
        (_account(account_id=["a"]), "wrong_type"),
        (_account(program="other"), "wrong_type"),
        (_account(verified="maybe"), "wrong_type"),
        (_account(verified=2), "wrong_type"),
        (_account(email_domain=7), "wrong_type"),
        (_account(created_at="yesterday"), "bad_timestamp"),
        ([_account()], "not_object"),
        ("acct_1", "not_object"),
    ],
)
def test_bad_jsonl_rows_are_quarantined(tmp_path: Path, record: object, reason: str) -> None:
    path = _jsonl(tmp_path, [_account("acct_0"), record])
    rows, bad = _read(path)
    assert [r["account_id"] for r in rows] == ["acct_0"]
    assert len(bad) == 1
    entry = bad[0]
    assert (entry["source_file"], entry["source_line"], entry["reason"]) == (str(path), 2, reason)
    assert entry["detail"]
    assert entry["raw"] == orjson.dumps(record).decode()
    assert entry["item"] is None


def test_broken_lines_are_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "accounts.jsonl"
    lines = [
        orjson.dumps(_account("acct_0")),
        b"account_id=acct_1",
        b'{"account_id": "acct_\xff"}',
        b'{"account_id": "acct_3"',
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    rows, bad = _read(path)
    assert [r["account_id"] for r in rows] == ["acct_0"]
    assert [(e["source_line"], e["reason"]) for e in bad] == [
        (2, "not_json"),
        (3, "invalid_utf8"),
        (4, "truncated"),
    ]
    assert bad[0]["raw"] == "account_id=acct_1"
    assert bad[1]["raw"] is None
    assert base64.b64decode(bad[1]["raw_b64"]) == lines[2]


def test_bad_csv_rows_are_quarantined(tmp_path: Path) -> None:
    good = _csv(tmp_path, [_account("acct_0"), _account("acct_9")]).read_bytes()
    header, first, last = good.splitlines(keepends=True)
    path = tmp_path / "bad.csv"
    path.write_bytes(
        header
        + first
        + b"acct_1,2025-01-01,caf\xe9.fr,fp,FR,free,none,true\r\n"
        + b"acct_2,2025-01-01,example.com\r\n"
        + b"acct_3,yesterday,example.com,fp,FR,free,none,true\r\n"
        + b"acct_4,2025-01-01,example.com,fp,FR,free,other,true\r\n"
        + b",2025-01-01,example.com,fp,FR,free,none,true\r\n"
        + last
    )
    rows, bad = _read(path)
    assert [r["account_id"] for r in rows] == ["acct_0", "acct_9"]
    assert [(e["source_line"], e["reason"]) for e in bad] == [
        (3, "invalid_utf8"),
        (4, "bad_csv"),
        (5, "bad_timestamp"),
        (6, "wrong_type"),
        (7, "missing_identity"),
    ]
    assert base64.b64decode(bad[0]["raw_b64"]).startswith(b"acct_1,2025-01-01,caf\xe9.fr")
    assert "acct_3" in bad[2]["raw"]


def test_a_later_row_with_the_same_id_wins(tmp_path: Path) -> None:
    records = [
        _account("acct_1", tier="free"),
        _account("acct_2"),
        _account("acct_1", tier="scale"),
    ]
    rows, bad = _read(_jsonl(tmp_path, records))
    assert bad == []
    assert len(rows) == 2
    assert {r["account_id"]: r["tier"] for r in rows} == {"acct_1": "scale", "acct_2": "build"}


def test_to_table_has_the_accounts_schema(tmp_path: Path) -> None:
    rows, _ = _read(_csv(tmp_path, [_account("acct_1"), _account("acct_2", verified="")]))
    table = to_table([{**row, "ingest_id": "ing_1"} for row in rows])
    assert table.schema == ACCOUNTS
    assert table.num_rows == 2
    assert table.column("created_at").type == pa.timestamp("us", tz="UTC")
    assert table.column("verified").to_pylist() == [True, None]
    assert table.column("ingest_id").to_pylist() == ["ing_1", "ing_1"]
    assert to_table([]).schema == ACCOUNTS


def test_csv_takes_epoch_created_at_like_json(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes(b"\xef\xbb\xbfaccount_id,created_at\r\na1,1700000000\r\na2,1700000000.5\r\n")
    rows, bad = read_accounts_file(path, str(path))
    assert bad == []
    assert [r["created_at"].timestamp() for r in rows] == [1700000000, 1700000000.5]
