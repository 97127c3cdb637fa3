"""One exported bundle of the opened case, shared by the dossier's tests (copy it to change it)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from distillguard.dossier.bundle import Exported, export
from distillguard.dossier.writers import default
from distillguard.settings import Settings
from tests.conftest import Opened


@dataclass(frozen=True)
class Bundle:
    root: Path  # the workspace it was exported from
    case_id: str
    exported: Exported


@pytest.fixture(scope="session")
def bundle(opened: Opened, tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    root = tmp_path_factory.mktemp("exported") / "ws"
    shutil.copytree(opened.workspace.root, root)
    out = tmp_path_factory.mktemp("bundle") / "case"
    done = export(
        root,
        opened.case_id,
        out,
        Settings.load(environ={}),
        default(),
        redact=False,
        exporter="counsel-liaison",
        command="distillguard case export",
    )
    return Bundle(root, opened.case_id, done)
