"""``distillguard case``: open, list, show, export and verify through the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from distillguard.cli import app
from tests.conftest import Opened


def test_open_export_verify(opened: Opened, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(opened.workspace.root, root)
    runner = CliRunner()
    done = runner.invoke(app, ["case", "open", "--workspace", str(root), "--top"])
    assert done.exit_code == 0, done.output
    assert f"cluster {opened.cluster_id}:" in done.output
    case_id = done.output.strip().splitlines()[-1]
    assert case_id.startswith("case-")
    listed = runner.invoke(app, ["case", "list", "--workspace", str(root)])
    assert case_id in listed.output
    assert opened.case_id in listed.output
    shown = runner.invoke(app, ["case", "show", case_id, "--workspace", str(root)])
    assert shown.exit_code == 0
    assert "frozen files intact" in shown.output
    out = tmp_path / "bundle"
    exported = runner.invoke(
        app, ["case", "export", case_id, "--workspace", str(root), "--out", str(out)]
    )
    assert exported.exit_code == 0, exported.output
    checked = runner.invoke(app, ["case", "verify", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "holds up" in checked.output
    (out / "records" / "cluster.jsonl").write_text("{}\n")
    failed = runner.invoke(app, ["case", "verify", str(out)])
    assert failed.exit_code == 1
    assert "FAIL records/cluster.jsonl: SHA-256 differs" in failed.output


def test_clear_errors(opened: Opened, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(
        app, ["case", "show", "case-nope", "--workspace", str(opened.workspace.root)]
    )
    assert missing.exit_code == 2
    assert "no case 'case-nope'" in missing.output
    for both_or_neither in (["--top", "--cluster", opened.cluster_id], []):
        refused = runner.invoke(
            app, ["case", "open", "--workspace", str(opened.workspace.root), *both_or_neither]
        )
        assert refused.exit_code == 2
        assert "--cluster ID, or take the top flagged one with --top" in refused.output
