"""The command line: one thin command per verb; the work lives in the modules it calls."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

from distillguard.cases.commands import case_app
from distillguard.clikit import (
    ConfigOption,
    JsonOption,
    WorkspaceOption,
    fail,
    load_settings,
    print_json,
)
from distillguard.clikit import workspace as workspace_of
from distillguard.detect.evaluate import EvaluationError, evaluate
from distillguard.detect.evaluation_tables import show_evaluation
from distillguard.detect.explain import (
    Explanation,
    NotFoundError,
    explain_account,
    explain_cluster,
    sentence,
)
from distillguard.detect.export import ExportError, export
from distillguard.detect.label_commands import label_app
from distillguard.evidence.commands import evidence_app, ledger_app
from distillguard.gateway.commands import gateway_command
from distillguard.gateway.key_commands import keys_app
from distillguard.ingest.pipeline import IngestReport, ingest
from distillguard.ingest.sources import InputError, expand
from distillguard.settings import Settings
from distillguard.stats import workspace_stats
from distillguard.watermark.commands import watermark_app
from distillguard.workspace import Workspace, WorkspaceError

if TYPE_CHECKING:
    from distillguard.simulate.generate import SimulationReport

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


class EngineChoice(StrEnum):
    duckdb = "duckdb"


class CompressionChoice(StrEnum):
    gzip = "gzip"
    zstd = "zstd"


def _settings(config: Path | None) -> Settings:
    return load_settings(config)


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
    ws = workspace_of(workspace, settings)
    forced = None if fmt is FormatChoice.auto else fmt.value
    try:
        total = sum(p.stat().st_size for p in expand(paths))
    except InputError as exc:
        raise fail(str(exc)) from exc
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
        raise fail(str(exc)) from exc
    except OSError as exc:  # disk full, permissions...: the run was rolled back
        raise fail(f"{exc}; nothing from this run was committed") from exc
    if json_output:
        print_json(report.to_dict())
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
        stats = workspace_stats(workspace_of(workspace, settings))
    except WorkspaceError as exc:
        raise fail(str(exc)) from exc
    if json_output:
        print_json(stats)
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
            "--scenario",
            help="Built-in scenario (smoke, demo, scale16m, adversarial, overlap-<name>: "
            "docs/simulator.md) or a TOML file.",
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
    # The simulator is a development tool: importing it only here keeps it off every other
    # command's start-up path.
    from distillguard.simulate.generate import simulate  # noqa: PLC0415
    from distillguard.simulate.scenario import ScenarioError, load  # noqa: PLC0415

    settings = _settings(config)
    try:
        chosen = load(scenario)
        if interactions is not None:
            chosen = chosen.scaled(interactions)
        if seed is not None:
            chosen = chosen.reseeded(seed)
    except ScenarioError as exc:
        raise fail(str(exc)) from exc
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
        raise fail(str(exc)) from exc
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc}") from exc
    if json_output:
        print_json(report.to_dict())
    else:
        _show_simulation(report)


@app.command("eval")
def eval_command(
    labels: Annotated[
        Path,
        typer.Option(
            "--labels",
            help="Labels CSV: account_id,campaign_id[,population]; campaign_id empty if benign.",
        ),
    ],
    workspace: WorkspaceOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Measure the latest scan against labelled accounts: precision, recall, benign FPR."""
    settings = _settings(config)
    try:
        result = evaluate(workspace_of(workspace, settings), labels)
    except (EvaluationError, WorkspaceError) as exc:
        raise fail(str(exc)) from exc
    if json_output:
        print_json(result.to_dict())
    else:
        show_evaluation(result)


class ExportTable(StrEnum):
    accounts = "accounts"
    clusters = "clusters"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    parquet = "parquet"


@app.command("export")
def export_command(
    what: Annotated[ExportTable, typer.Argument(help="Scored accounts or clusters.")],
    out: Annotated[Path, typer.Option("--out", help="File to write; its folder must exist.")],
    workspace: WorkspaceOption = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="csv, json (JSON Lines) or parquet.")
    ] = ExportFormat.csv,
    config: ConfigOption = None,
) -> None:
    """Write the latest scan's scored accounts or clusters, best score first."""
    settings = _settings(config)
    try:
        rows = export(workspace_of(workspace, settings), what.value, fmt.value, out)
    except (ExportError, WorkspaceError) as exc:
        raise fail(str(exc)) from exc
    Console(soft_wrap=True).print(f"wrote {rows:,} rows to {out}", highlight=False, markup=False)


@app.command("scan")
def scan_command(
    workspace: WorkspaceOption = None,
    engine: Annotated[
        EngineChoice, typer.Option("--engine", help="Engine that runs the feature queries.")
    ] = EngineChoice.duckdb,
    top: Annotated[int, typer.Option("--top", help="Clusters to show.", min=0)] = 5,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Score every account and cluster of linked accounts; commit the results."""
    from distillguard.detect.scan import scan  # noqa: PLC0415  (heavy: sklearn, igraph)

    settings = _settings(config)
    ws = workspace_of(workspace, settings)
    console = Console(stderr=True)
    try:
        with console.status("scanning", spinner="dots") as status:
            report = scan(
                ws,
                settings,
                engine=engine.value,
                progress=None if json_output else status.update,
            )
    except WorkspaceError as exc:
        raise fail(str(exc)) from exc
    if json_output:
        print_json(report.to_dict())
        return
    table = Table(title=f"scan {report.scan_id}", show_header=False)
    for label, value in (
        ("interactions", f"{report.interactions:,}"),
        ("accounts", f"{report.accounts:,}"),
        ("candidates for costly links", f"{report.candidates:,}"),
        ("links (account, entity)", f"{report.links:,}"),
        ("clusters", f"{report.clusters:,}"),
        ("flagged accounts", f"{report.flagged_accounts:,}"),
        ("flagged clusters", f"{report.flagged_clusters:,}"),
        ("time", ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items())),
    ):
        table.add_row(label, value)
    Console().print(table)
    _show_top_clusters(ws, top)


@app.command("decide")
def decide_command(
    workspace: WorkspaceOption = None,
    top: Annotated[int, typer.Option("--top", help="Clusters to show.", min=0)] = 5,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Re-apply thresholds and analyst labels to the latest scan's evidence, in seconds."""
    from distillguard.detect.redecide import redecide  # noqa: PLC0415  (like scan)

    settings = _settings(config)
    ws = workspace_of(workspace, settings)
    try:
        report = redecide(ws, settings)
    except WorkspaceError as exc:
        raise fail(str(exc)) from exc
    if json_output:
        print_json(report.to_dict())
        return
    table = Table(title=f"decisions {report.scan_id} (from {report.decided_from})")
    table.show_header = False
    for label, value in (
        ("accounts", f"{report.accounts:,}"),
        ("labelled accounts", f"{report.labelled:,}"),
        ("flagged accounts", f"{report.flagged_accounts:,}"),
        ("flagged clusters", f"{report.flagged_clusters:,}"),
        ("verdicts changed", ", ".join(f"{k}: {v:,}" for k, v in report.changed.items()) or "none"),
        ("time", f"{report.seconds:.1f} s"),
    ):
        table.add_row(label, value)
    Console().print(table)
    _show_top_clusters(ws, top)


def _show_top_clusters(ws: Workspace, top: int) -> None:
    if top <= 0:
        return
    with ws.connect() as con:
        ids = [
            r[0]
            for r in con.execute(
                "SELECT cluster_id FROM clusters ORDER BY flagged DESC, score DESC, "
                "n_accounts DESC LIMIT ?",
                [top],
            ).fetchall()
        ]
    for cluster_id in ids:
        _show_explanation(explain_cluster(ws, cluster_id))


def _show_explanation(found: Explanation) -> None:
    console = Console(soft_wrap=True)
    row = found.row
    if found.kind == "cluster":
        title = (
            f"cluster {row['cluster_id']}: score {row['score']:.3f}, "
            f"{'FLAGGED' if row['flagged'] else 'not flagged'}, {row['n_accounts']:,} accounts, "
            f"{row['n_interactions']:,} calls, links: {', '.join(row['link_kinds']) or '-'}; "
            f"{row['n_core']:,} with own evidence, {row['n_flagged']:,} flagged, "
            f"{row['n_left_out']:,} left out"
        )
    else:
        title = (
            f"account {row['account_id']}: score {row['score']:.3f}, verdict {row['verdict']}, "
            f"cluster {row['cluster_id'] or '-'}, {row['n_interactions']:,} calls, "
            f"peers {row['peer']}"
        )
    console.print(f"[bold]{title}", highlight=False)
    for reason in found.reasons:
        console.print(
            f"  - [{reason.get('kind')}] {sentence(reason)}", highlight=False, markup=False
        )
    if found.kind == "cluster" and found.related:
        members = Table(title="top members", title_justify="left")
        for column in ("account", "score", "verdict", "calls"):
            members.add_column(column)
        for m in found.related:
            members.add_row(
                m["account_id"], f"{m['score']:.3f}", m["verdict"], f"{m['n_interactions']:,}"
            )
        console.print(members)
    if found.links:
        links = Table(title="shared entities", title_justify="left")
        for column in (
            "kind",
            "entity",
            "accounts",
            "specificity",
            "example call",
            "its prompt starts",
        ):
            links.add_column(column)
        for link in found.links:
            count = link.get("members", link.get("n_accounts"))
            links.add_row(
                link["kind"],
                link["entity"],
                f"{count:,}",
                f"{link['specificity']:.2f}" if link.get("specificity") is not None else "-",
                link["example_request_id"] or "-",
                link.get("sample") or "",
            )
        console.print(links)


class ShowWhat(StrEnum):
    account = "account"
    cluster = "cluster"


@app.command("show")
def show_command(
    what: Annotated[ShowWhat, typer.Argument(help="account or cluster.")],
    ident: Annotated[str, typer.Argument(metavar="ID", help="Account id or cluster id.")],
    workspace: WorkspaceOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Explain the latest scan's verdict on one account or cluster, with its reasons."""
    settings = _settings(config)
    ws = workspace_of(workspace, settings)
    try:
        if what is ShowWhat.account:
            found = explain_account(ws, ident)
        else:
            found = explain_cluster(ws, ident)
    except (NotFoundError, WorkspaceError) as exc:
        raise fail(str(exc)) from exc
    if json_output:
        print_json(
            {
                "row": found.row,
                "reasons": found.reasons,
                "related": found.related,
                "links": found.links,
            }
        )
    else:
        _show_explanation(found)


app.add_typer(label_app, name="label")
app.add_typer(keys_app, name="keys")
app.command("gateway")(gateway_command)
app.add_typer(watermark_app, name="watermark")
app.add_typer(ledger_app, name="ledger")
app.add_typer(evidence_app, name="evidence")
app.add_typer(case_app, name="case")


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
