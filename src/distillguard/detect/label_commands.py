"""``distillguard label``: record analysts' labels and list them (thin: the work is in labels)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from distillguard.clikit import (
    ConfigOption,
    JsonOption,
    WorkspaceOption,
    fail,
    load_settings,
    print_json,
    say,
)
from distillguard.clikit import workspace as workspace_of
from distillguard.detect.labels import (
    LabelError,
    Labelling,
    effective_labels,
    history,
    label_account,
    label_cluster,
    label_file,
)
from distillguard.workspace import WorkspaceError

label_app = typer.Typer(
    no_args_is_help=True,
    help="Label accounts as campaign or benign (or withdraw a label); the next scan uses them.",
)


class Choice(StrEnum):
    campaign = "campaign"
    benign = "benign"
    none = "none"


AsOption = Annotated[
    Choice, typer.Option("--as", help="campaign, benign, or none to withdraw the label.")
]
NoteOption = Annotated[str | None, typer.Option("--note", help="Why; kept with the label.")]
AnalystOption = Annotated[
    str | None, typer.Option("--analyst", help="Who decides (default: the OS user).")
]


def _done(result: Labelling, json_output: bool) -> None:
    if json_output:
        print_json(result.to_dict())
        return
    counts = ", ".join(f"{label} {n:,}" for label, n in result.by_label.items())
    where = f" (cluster {result.cluster_id} of scan {result.scan_id})" if result.cluster_id else ""
    say(
        f"labelled {result.accounts:,} account(s){where}: {counts}; by {result.analyst}, "
        f"labelling {result.labelling_id}"
    )


def _run(record: Callable[[], Labelling], json_output: bool) -> None:
    try:
        result = record()
    except (LabelError, WorkspaceError) as exc:
        raise fail(str(exc)) from exc
    _done(result, json_output)


@label_app.callback(invoke_without_command=True)
def label_callback(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="Labels CSV: account_id,label[,note]; every row is stored, or none if any "
            "row is bad.",
        ),
    ] = None,
    workspace: WorkspaceOption = None,
    analyst: AnalystOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Label accounts as campaign or benign (or withdraw a label); the next scan uses them."""
    if ctx.invoked_subcommand is not None:
        if file is not None:
            raise fail("--file labels many accounts; give it without a sub-command")
        return
    if file is None:
        raise fail("give --file FILE, or a sub-command (account, cluster, list)")
    ws = workspace_of(workspace, load_settings(config))
    _run(lambda: label_file(ws, file, analyst), json_output)


@label_app.command("account")
def account_command(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Account id.")],
    label: AsOption,
    note: NoteOption = None,
    analyst: AnalystOption = None,
    workspace: WorkspaceOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Label one account (--as none withdraws its label)."""
    ws = workspace_of(workspace, load_settings(config))
    _run(lambda: label_account(ws, ident, label.value, note, analyst), json_output)


@label_app.command("cluster")
def cluster_command(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Cluster id of the latest scan.")],
    label: AsOption,
    note: NoteOption = None,
    analyst: AnalystOption = None,
    workspace: WorkspaceOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Label every member account of a cluster of the latest scan (kept per account)."""
    ws = workspace_of(workspace, load_settings(config))
    _run(lambda: label_cluster(ws, ident, label.value, note, analyst), json_output)


def _text(value: object) -> str:
    if value is None:
        return "-"
    return value.isoformat(timespec="seconds") if hasattr(value, "isoformat") else str(value)


@label_app.command("list")
def list_command(
    full: Annotated[
        bool, typer.Option("--history", help="Every decision recorded, oldest first.")
    ] = False,
    workspace: WorkspaceOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """The label each account carries now (analysts' and trusted), or the whole history."""
    settings = load_settings(config)
    ws = workspace_of(workspace, settings)
    try:
        with ws.connect() as con:
            table = history(con) if full else effective_labels(con, settings)
    except WorkspaceError as exc:
        raise fail(str(exc)) from exc
    rows = table.to_pylist()
    if json_output:
        print_json({"history" if full else "labels": rows})
        return
    shown = Table(title="label history" if full else f"labels in force: {len(rows):,}")
    for name in table.column_names:
        shown.add_column(name)
    for row in rows:
        shown.add_row(*(_text(v) for v in row.values()))
    Console().print(shown)
