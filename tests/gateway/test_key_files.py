"""Bulk key files: the accounts CSV read and checked, the keys written to a new private file."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest

from distillguard.gateway.controls import ControlsLog
from distillguard.gateway.key_files import OUT_COLUMNS, issue_to_file, read_requests
from distillguard.gateway.keys import KeyIndex, KeyRequest, KeyStore, KeyStoreError


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_become_checked_requests(tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "a.csv",
        "\ufefforg, account ,rpm,tpm\norg_1, acct_1 ,60,\n,acct_2,, 900 \n\n,acct_3,,\n",
    )
    assert read_requests(path) == [
        KeyRequest("acct_1", "org_1", 60, None),
        KeyRequest("acct_2", None, None, 900),
        KeyRequest("acct_3"),
    ]
    assert read_requests(_csv(tmp_path / "b.csv", "account\nacct_1\n")) == [KeyRequest("acct_1")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("org\norg_1\n", "has the columns org; expected account"),
        ("account,rmp\na,1\n", "has the columns account,rmp"),
        ("account,account\na,b\n", "has the columns account,account"),
        ("", "has the columns none"),
        ("account\n", "has no rows"),
        ("account,rpm\na,1\nb,1,2\n", "line 3: more cells than the header has columns"),
        ("account,rpm\na,1\nb,fast\n", "line 3: rpm 'fast' is not a whole number"),
        ("account,tpm\na,0\n", "line 2: tpm must be a positive number, not 0"),
        ("account,org\na,o\n ,o\n", "line 3: give the account"),
        ('account\nacct_1\n"a\nb\n', r"line 3: not CSV \(unexpected end of data\)"),
        ('account,org\na,o\n"b"c,o\n', "line 3: not CSV"),
        ('"account\n', "line 1: not CSV"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = _csv(tmp_path / "a.csv", text)
    with pytest.raises(KeyStoreError, match=message):
        read_requests(path)


def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KeyStoreError, match="does not exist"):
        read_requests(tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"account\n\xff\xfe\n")
    with pytest.raises(KeyStoreError, match="cannot read accounts file"):
        read_requests(bad)


def test_keys_are_written_to_a_new_private_file(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "ws")
    out = tmp_path / "keys.csv"
    records = issue_to_file(store, [KeyRequest("acct_1", "org_1"), KeyRequest("acct_2")], out)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == OUT_COLUMNS
    assert [(r["key_id"], r["account_id"], r["org_id"]) for r in rows] == [
        (records[0].key_id, "acct_1", "org_1"),
        (records[1].key_id, "acct_2", ""),
    ]
    index = KeyIndex(tmp_path / "ws")
    assert [index.lookup(r["key"]) for r in rows] == records


def test_an_existing_file_is_never_overwritten_and_nothing_is_issued(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "ws")
    out = _csv(tmp_path / "keys.csv", "earlier keys\n")
    with pytest.raises(KeyStoreError, match="already exists"):
        issue_to_file(store, [KeyRequest("acct_1")], out)
    assert out.read_text() == "earlier keys\n"
    assert store.records() == []


def test_a_failed_issue_leaves_no_file(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "ws")
    out = tmp_path / "keys.csv"
    with pytest.raises(KeyStoreError, match="request 2"):
        issue_to_file(store, [KeyRequest("acct_1"), KeyRequest("acct_2", rpm=0)], out)
    assert not out.exists()
    assert store.records() == []
    assert ControlsLog(tmp_path / "ws").entries() == []
