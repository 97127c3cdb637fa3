"""What every command-line module shares: the common options, errors and JSON output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.markup import escape

from distillguard.settings import Settings, SettingsError
from distillguard.workspace import Workspace

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Settings file (TOML); also $DISTILLGUARD_CONFIG."),
]
WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: $DISTILLGUARD_WORKSPACE, else ./distillguard-data).",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print the result as one JSON object on the last line.")
]


def fail(message: str) -> typer.Exit:
    """Print ``message`` as an error on stderr; the exit (status 2) to raise."""
    # The message is text (paths, URLs, values), never markup: "[prod]" must stay visible.
    Console(stderr=True, soft_wrap=True).print(
        f"[bold red]error:[/] {escape(message)}", highlight=False
    )
    return typer.Exit(2)


def load_settings(config: Path | None) -> Settings:
    try:
        return Settings.load(config)
    except SettingsError as exc:
        raise fail(str(exc)) from exc


def workspace(option: Path | None, settings: Settings) -> Workspace:
    """The workspace an option names, else the setting ``workspace``."""
    return Workspace(option if option is not None else Path(settings.text("workspace")))


def print_json(data: dict[str, Any]) -> None:
    sys.stdout.write(orjson.dumps(data, default=str).decode() + "\n")


def say(message: str, *, stderr: bool = False) -> None:
    """Print plain text (no markup, no highlighting)."""
    Console(stderr=stderr, soft_wrap=True).print(message, highlight=False, markup=False)


def conclude_check(
    subject: str, notes: list[str], problems: list[str], data: dict[str, Any], json_output: bool
) -> None:
    """Print a check's result (``note:`` lines on stderr, one ``FAIL`` line per problem, then
    ``<subject>: holds up`` or not; or ``data`` as JSON); exit 1 when anything failed."""
    if json_output:
        print_json(data)
    else:
        for note in notes:
            say(f"note: {note}", stderr=True)
        for problem in problems:
            say(f"FAIL {problem}")
        verdict = "holds up" if not problems else f"does NOT hold up ({len(problems)} problems)"
        say(f"{subject}: {verdict}")
    if problems:
        raise typer.Exit(1)
