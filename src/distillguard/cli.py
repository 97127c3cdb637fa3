"""The command line: one thin command per verb; the work lives in the modules it calls."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from distillguard.ingest.pipeline import IngestReport, ingest
from distillguard.ingest.sources import InputError, expand
from distillguard.settings import Settings, SettingsError
from distillguard.simulate.generate import SimulationReport, simulate
from distillguard.simulate.scenario import ScenarioError, load
from distillguard.stats import workspace_stats
from distillguard.workspace import Workspace, WorkspaceError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="distillguard: find, stop, prove and report distillation campaigns against a model API.",
)


class FormatChoice(StrEnum):
    auto = "auto"
    raw = "raw"
    otel = "otel"
    litellm = "litellm"


class CompressionChoice(StrEnum):
    gzip = "gzip"
    zstd = "zstd"


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


def _fail(message: str) -> typer.Exit:
    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(2)


def _settings(config: Path | None) -> Settings:
    try:
        return Settings.load(config)
    except SettingsError as exc:
        raise _fail(str(exc)) from exc


def _workspace(option: Path | None, settings: Settings) -> Workspace:
    return Workspace(option if option is not None else Path(settings.text("workspace")))


def _progress(amount: str | ProgressColumn, hidden: bool) -> Progress:
    """A progress bar on stderr (none with --json): description, bar, ``amount``, time left."""
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        amount,
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=hidden,
    )


def _print_json(data: dict[str, Any]) -> None:
    sys.stdout.write(orjson.dumps(data, default=str).decode() + "\n")


def _show_ingest(report: IngestReport) -> None:
    console = Console()
    table = Table(title=f"ingest {report.ingest_id}", show_header=False)
    for label, value in (
        ("files", len(report.files)),
        ("records read", f"{report.read:,}"),
        ("ingested", f"{report.ingested:,}"),
        ("duplicates (already there or repeated)", f"{report.duplicates:,}"),
        ("quarantined", f"{report.quarantined:,}"),
        ("time", f"{report.seconds:.1f} s ({report.records_per_second:,.0f} records/s)"),
    ):
        table.add_row(label, str(value))
    for reason, count in report.quarantine_reasons.items():
        table.add_row(f"  quarantined: {reason}", f"{count:,}")
    for what, count in report.skipped.items():
        table.add_row(f"  skipped (not an interaction): {what}", f"{count:,}")
    for what, count in report.accounts.items():
        table.add_row(f"accounts {what}", f"{count:,}")
    console.print(table)
    if report.quarantine_new:
        console.print(
            f"{report.quarantine_new:,} quarantined records are in "
            f"{report.workspace}/quarantine/{report.ingest_id}.jsonl with their reasons."
        )
    if report.quarantined > report.quarantine_new:
        console.print(
            f"{report.quarantined - report.quarantine_new:,} bad records were already in "
            "quarantine from an earlier ingest."
        )


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Log files or folders (plain, .gz, .zst).")],
    workspace: WorkspaceOption = None,
    accounts: Annotated[
        list[Path] | None,
        typer.Option("--accounts", help="Accounts file (JSONL or CSV); may be repeated."),
    ] = None,
    fmt: Annotated[
        FormatChoice, typer.Option("--format", help="Input format; auto tells it by content.")
    ] = FormatChoice.auto,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Read API logs (raw log, OpenTelemetry GenAI spans, LiteLLM spend logs) into a workspace."""
    settings = _settings(config)
    ws = _workspace(workspace, settings)
    forced = None if fmt is FormatChoice.auto else fmt.value
    try:
        total = sum(p.stat().st_size for p in expand(paths))
    except InputError as exc:
        raise _fail(str(exc)) from exc
    progress = _progress(DownloadColumn(), hidden=json_output)
    try:
        with progress:
            task = progress.add_task("ingesting", total=total or None)
            report = ingest(
                ws,
                paths,
                settings,
                accounts=accounts or None,
                forced_format=forced,
                progress=lambda n: progress.advance(task, n),
            )
    except (InputError, WorkspaceError) as exc:
        raise _fail(str(exc)) from exc
    except OSError as exc:  # disk full, permissions...: the run was rolled back
        raise _fail(f"{exc}; nothing from this run was committed") from exc
    if json_output:
        _print_json(report.to_dict())
    else:
        _show_ingest(report)


@app.command("stats")
def stats_command(
    workspace: WorkspaceOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Summarise what a workspace holds."""
    settings = _settings(config)
    try:
        stats = workspace_stats(_workspace(workspace, settings))
    except WorkspaceError as exc:
        raise _fail(str(exc)) from exc
    if json_output:
        _print_json(stats)
        return
    table = Table(title=f"workspace {stats['workspace']}", show_header=False)
    for key, value in stats.items():
        if key != "workspace":
            table.add_row(key.replace("_", " "), _cell(value))
    Console().print(table)


def _show_simulation(report: SimulationReport) -> None:
    table = Table(title=f"simulated {report.scenario} into {report.out}")
    table.add_column("population")
    table.add_column("calls", justify="right")
    for name, calls in report.by_population.items():
        table.add_row(name, f"{calls:,}")
    table.add_row("[bold]total", f"[bold]{report.calls:,}")
    Console().print(table)
    Console().print(
        f"{report.accounts:,} accounts ({report.campaign_accounts:,} in campaigns); "
        f"{len(report.files)} log files, {report.bytes_written / 2**20:,.1f} MiB"
    )


@app.command("simulate")
def simulate_command(
    scenario: Annotated[
        str,
        typer.Option(
            "--scenario", help="Built-in scenario (smoke, demo, scale16m) or a TOML file."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the traffic into.")],
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed (default: the scenario's).", min=0)
    ] = None,
    interactions: Annotated[
        int | None,
        typer.Option(
            "--interactions", help="Rescale the scenario to about this many calls.", min=1
        ),
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="Folder of real prompts to mix in (e.g. ../shared/corpora)."),
    ] = None,
    compression: Annotated[
        CompressionChoice,
        typer.Option("--compression", help="Log compression; zstd is ~5x faster to write."),
    ] = CompressionChoice.gzip,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Write labelled synthetic API traffic: raw log, accounts, labels and scenario.json."""
    settings = _settings(config)
    try:
        chosen = load(scenario)
        if interactions is not None:
            chosen = chosen.scaled(interactions)
        if seed is not None:
            chosen = chosen.reseeded(seed)
    except ScenarioError as exc:
        raise _fail(str(exc)) from exc
    progress = _progress("{task.completed}/{task.total} hours", hidden=json_output)
    try:
        with progress:
            task = progress.add_task(f"simulating {chosen.name}", total=chosen.hours)
            report = simulate(
                chosen,
                out,
                corpus=corpus,
                workers=settings.integer("simulate.workers"),
                compression=compression.value,
                progress=lambda done, _: progress.update(task, completed=done),
            )
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    except OSError as exc:
        raise _fail(f"cannot write {out}: {exc}") from exc
    if json_output:
        _print_json(report.to_dict())
    else:
        _show_simulation(report)


def _cell(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value) or "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items()) or "-"
    if isinstance(value, int):
        return f"{value:,}"
    return "-" if value is None else str(value)


def main() -> None:
    app()
