"""The workspace: one writer at a time, empty views with the right columns, leftover cleanup."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from distillguard.schema.accounts import ACCOUNTS
from distillguard.schema.interactions import INTERACTIONS
from distillguard.schema.ip_info import IP_INFO
from distillguard.schema.quarantine import QUARANTINE
from distillguard.workspace import Workspace, WorkspaceError


def test_a_folder_without_a_catalog_is_not_a_workspace(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    assert not ws.exists()
    with pytest.raises(WorkspaceError, match="not a distillguard workspace"):
        ws.connect()


def test_only_one_writer_at_a_time(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    with (
        ws.writer(),
        pytest.raises(WorkspaceError, match="another process"),
        Workspace(tmp_path).writer(),
    ):
        pass
    with ws.writer():  # released
        pass


def test_a_new_workspace_has_empty_views_with_every_column(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    with ws.writer():
        pass
    with ws.connect() as con:
        for view, schema in (
            ("interactions", INTERACTIONS),
            ("accounts", ACCOUNTS),
            ("ip_info", IP_INFO),
            ("quarantine", QUARANTINE),
        ):
            described = con.execute(f"DESCRIBE {view}").fetchall()
            assert [row[0] for row in described] == schema.names
            assert con.execute(f"SELECT count(*) FROM {view}").fetchone() == (0,)


def test_files_not_in_the_catalog_are_removed_by_the_next_writer(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    with ws.writer():
        pass
    stray = tmp_path / "interactions" / "day=2026-05-01" / "half-written.parquet"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"PAR1")
    staging = tmp_path / ".staging" / "20260501T000000-abcdef"
    staging.mkdir(parents=True)
    with ws.writer():
        pass
    assert not stray.exists()
    assert not staging.exists()


def test_commit_lists_files_and_replaces_superseded_ones(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    old = tmp_path / "staged-old.jsonl"
    new = tmp_path / "staged-new.jsonl"
    for path in (old, new):
        path.write_text("")
    now = datetime.now(UTC)
    with ws.writer():
        ws.commit("one", now, now, {}, [(old, "quarantine/one.jsonl", "quarantine", 0)], [])
        ws.commit(
            "two",
            now,
            now,
            {},
            [(new, "quarantine/two.jsonl", "quarantine", 0)],
            ["quarantine/one.jsonl"],
        )
    assert [p.name for p in ws.files("quarantine")] == ["two.jsonl"]
    assert not (tmp_path / "quarantine" / "one.jsonl").exists()
    with ws.connect() as con:
        assert con.execute("SELECT ingest_id FROM ingests ORDER BY 1").fetchall() == [
            ("one",),
            ("two",),
        ]


def test_a_catalog_held_by_a_writer_gives_a_clear_error(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    with ws.writer():
        pass

    with (
        duckdb.connect(str(ws.catalog_path)),
        pytest.raises(WorkspaceError, match="try again"),
    ):
        ws.connect()


def test_a_catalog_held_open_elsewhere_stops_a_writer_clearly(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    with ws.writer():
        pass
    with (
        duckdb.connect(str(ws.catalog_path), read_only=True),
        pytest.raises(WorkspaceError, match="close other programs"),
        ws.writer(),
    ):
        pass
