"""The command line, run in-process with typer's runner against real files and workspaces."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from distillguard.cli import app
from distillguard.ingest import runner as job_runner
from tests import factories

runner = CliRunner()


def last_json(output: str) -> dict[str, object]:
    line = output.strip().splitlines()[-1]
    value = orjson.loads(line)
    assert isinstance(value, dict)
    return value


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "api.jsonl"
    records = [factories.chat_record(request_id=f"r{i}") for i in range(5)]
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in records) + b"\n{not json\n")
    return path


@pytest.fixture(autouse=True)
def single_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISTILLGUARD_INGEST_WORKERS", "1")
    monkeypatch.setenv("DISTILLGUARD_SIMULATE_WORKERS", "1")
    monkeypatch.delenv("DISTILLGUARD_WORKSPACE", raising=False)
    monkeypatch.delenv("DISTILLGUARD_CONFIG", raising=False)


def test_ingest_json_then_stats_json(tmp_path: Path, log: Path) -> None:
    ws = tmp_path / "ws"
    result = runner.invoke(app, ["ingest", str(log), "--workspace", str(ws), "--json"])
    assert result.exit_code == 0, result.output
    report = last_json(result.output)
    assert (report["ingested"], report["duplicates"], report["quarantined"]) == (5, 0, 1)
    again = last_json(
        runner.invoke(app, ["ingest", str(log), "--workspace", str(ws), "--json"]).output
    )
    assert (again["ingested"], again["duplicates"]) == (0, 5)
    stats = last_json(runner.invoke(app, ["stats", "--workspace", str(ws), "--json"]).output)
    assert stats["interactions"] == 5
    assert stats["accounts"] == 0
    assert stats["quarantined"] == 1


def test_workspace_defaults_to_the_environment(
    tmp_path: Path, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISTILLGUARD_WORKSPACE", str(tmp_path / "from-env"))
    assert runner.invoke(app, ["ingest", str(log)]).exit_code == 0
    assert (tmp_path / "from-env" / "catalog.duckdb").is_file()


def test_workspace_defaults_to_the_current_folder(
    tmp_path: Path, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["ingest", str(log)]).exit_code == 0
    assert (tmp_path / "distillguard-data" / "catalog.duckdb").is_file()


def test_human_output_names_the_quarantine_file(tmp_path: Path, log: Path) -> None:
    result = runner.invoke(app, ["ingest", str(log), "-w", str(tmp_path / "ws")])
    assert result.exit_code == 0
    text = "".join(result.output.split())  # the table wraps to the terminal's width
    assert "quarantined1" in text.replace("│", "")
    assert "quarantine/" in text


def test_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.jsonl"), "-w", str(tmp_path)])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_stats_of_a_folder_that_is_not_a_workspace(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", "-w", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a distillguard workspace" in result.output


def test_forced_format_and_bad_settings_file(tmp_path: Path, log: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(log), "-w", str(tmp_path / "ws"), "--format", "otel", "--json"]
    )
    assert result.exit_code == 0
    report = last_json(result.output)
    assert report["ingested"] == 0  # raw records are not OTLP lines: quarantined, not lost
    assert report["quarantined"] == 6
    config = tmp_path / "settings.toml"
    config.write_text("[ingest]\nwrokers = 2\n")
    result = runner.invoke(app, ["stats", "--config", str(config)])
    assert result.exit_code == 2
    assert "unknown setting 'ingest.wrokers'" in result.output


def test_accounts_option(tmp_path: Path, log: Path) -> None:
    accounts = tmp_path / "accounts.jsonl"
    accounts.write_text(
        '{"account_id": "acct_9", "created_at": "2026-01-02T03:04:05Z", "program": "research"}\n'
    )
    ws = str(tmp_path / "ws")
    result = runner.invoke(
        app, ["ingest", str(log), "--accounts", str(accounts), "-w", ws, "--json"]
    )
    assert last_json(result.output)["accounts"] == {
        "read": 1,
        "added": 1,
        "updated": 0,
        "unchanged": 0,
        "quarantined": 0,
    }
    assert last_json(runner.invoke(app, ["stats", "-w", ws, "--json"]).output)["accounts"] == 1


def test_an_io_failure_is_reported_and_nothing_is_committed(
    tmp_path: Path, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(job: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(job_runner, "run_job", disk_full)
    ws = tmp_path / "ws"
    result = runner.invoke(app, ["ingest", str(log), "-w", str(ws)])
    assert result.exit_code == 2
    assert "No space left on device" in result.output
    assert "nothing from this run was committed" in result.output
    monkeypatch.undo()
    stats = last_json(runner.invoke(app, ["stats", "-w", str(ws), "--json"]).output)
    assert stats["interactions"] == 0


def test_simulate_json_then_ingest(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    result = runner.invoke(
        app,
        ["simulate", "--scenario", "smoke", "--interactions", "1500", "--out", str(out), "--json"],
    )
    assert result.exit_code == 0, result.output
    report = last_json(result.output)
    assert report["calls"] == sum(report["by_population"].values())  # type: ignore[arg-type]
    assert (out / "labels.csv").is_file()
    ingested = runner.invoke(
        app,
        [
            "ingest",
            str(out / "log"),
            "--accounts",
            str(out / "accounts.jsonl"),
            "--workspace",
            str(tmp_path / "ws"),
            "--json",
        ],
    )
    assert last_json(ingested.output)["quarantined"] == 0


def test_simulate_human_output_and_seed(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "simulate",
            "--scenario",
            "smoke",
            "--interactions",
            "800",
            "--seed",
            "5",
            "--out",
            str(tmp_path / "sim"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "hydra-cot" in result.output
    assert orjson.loads((tmp_path / "sim" / "scenario.json").read_bytes())["seed"] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scenario", "nonesuch"], "not a built-in"),
        (["--scenario", "smoke", "--corpus", "/nonexistent/corpora"], "corpus"),
    ],
)
def test_simulate_errors_are_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["simulate", *args, "--out", str(tmp_path / "sim")])
    assert result.exit_code == 2
    assert message in result.output
